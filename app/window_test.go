package app

import (
	"fyne.io/fyne/v2"
	"slices"

	"context"
	"io"
	"log/slog"
	"net/smtp"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mailhook/mailhook/engine"
	"github.com/mailhook/mailhook/storage"
)

// startEngine runs a real engine on loopback ports with a temp SQLite file;
// its built-in /target/200 is the webhook.
func startEngine(t *testing.T) *engine.Engine {
	t.Helper()
	store, err := storage.Open(filepath.Join(t.TempDir(), "mailhook.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	cfg := engine.DefaultConfig()
	cfg.SMTPAddr, cfg.HTTPAddr = "127.0.0.1:0", "127.0.0.1:0"
	eng, err := engine.New(engine.Params{Store: store, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := eng.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Shutdown(context.Background()) })
	// Point the delivery at this engine's own built-in target.
	cfg.TargetURL = "http://" + eng.HTTPAddr() + "/target/200"
	eng.SetConfig(cfg)
	return eng
}

// openWindow builds the main window on the Fyne goroutine, as main does,
// and closes it when the test ends.
func openWindow(t *testing.T, a fyne.App, src Source) *Window {
	t.Helper()
	w := onFyne(func() *Window { return New(a, src) })
	t.Cleanup(func() { onFyne(func() bool { w.Window().Close(); return true }) })
	return w
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestEmptyHistoryTellsHowToSend(t *testing.T) {
	a := newSerialTestApp(t)
	eng := startEngine(t)
	w := openWindow(t, a, eng)

	addr := eng.SMTPAddr()
	waitFor(t, "empty-state text", func() bool {
		return onFyne(func() bool {
			return strings.Contains(w.history.empty.Text, "swaks --to you@example.com --server "+addr)
		})
	})
	text := onFyne(func() string { return w.history.empty.Text })
	if !strings.Contains(text, "smtplib.SMTP('127.0.0.1', "+addr[strings.LastIndexByte(addr, ':')+1:]+")") {
		t.Errorf("empty state lacks the smtplib one-liner for %s:\n%s", addr, text)
	}
	if status := onFyne(func() string { return w.status.smtp.Text }); !strings.Contains(status, addr) {
		t.Errorf("status bar %q does not show the SMTP address", status)
	}
}

func TestArrivingMessageAppearsInList(t *testing.T) {
	a := newSerialTestApp(t)
	eng := startEngine(t)
	w := openWindow(t, a, eng)

	msg := "From: dev@example.org\r\nTo: hook@example.com\r\nSubject: Order #42 shipped\r\n\r\nHi\r\n"
	if err := smtp.SendMail(eng.SMTPAddr(), nil, "dev@example.org", []string{"hook@example.com", "ops@example.com"}, []byte(msg)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the message in the list", func() bool {
		return onFyne(func() int { return w.history.list.Length() }) == 1
	})

	row := newHistoryRow().(*historyRow)
	texts := onFyne(func() []string {
		w.history.updateRow(0, row)
		return []string{row.subject.Text, row.route.Text, row.outcome.Text, row.status.Text}
	})
	want := []string{"Order #42 shipped", "dev@example.org → hook@example.com, ops@example.com", "accepted", "200"}
	for i := range want {
		if texts[i] != want[i] {
			t.Errorf("row field %d = %q, want %q", i, texts[i], want[i])
		}
	}
	if onFyne(func() bool { return w.history.empty.Visible() }) {
		t.Error("empty-state text still visible with a message in the list")
	}
}

// TestSelectingShowsTimelineAndInspector follows a user: select the message,
// see its timeline, pick the delivery step, read the request body.
func TestSelectingShowsTimelineAndInspector(t *testing.T) {
	a := newSerialTestApp(t)
	eng := startEngine(t)
	w := openWindow(t, a, eng)
	msg := "From: dev@example.org\r\nTo: hook@example.com\r\nSubject: Select me\r\n\r\nHi\r\n"
	if err := smtp.SendMail(eng.SMTPAddr(), nil, "dev@example.org", []string{"hook@example.com"}, []byte(msg)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the message in the list", func() bool {
		return onFyne(func() int { return w.history.list.Length() }) == 1
	})
	onFyne(func() bool { w.history.list.Select(0); return true })

	var delivery = -1
	waitFor(t, "the timeline's delivery step", func() bool {
		delivery = onFyne(func() int {
			for i, s := range w.timeline.steps {
				if s.title == "Delivery" && s.exchangeID != 0 {
					return i
				}
			}
			return -1
		})
		return delivery >= 0
	})
	titles := onFyne(func() []string {
		var out []string
		for _, s := range w.timeline.steps {
			out = append(out, s.title)
		}
		return out
	})
	for _, want := range []string{"Connect", "EHLO", "MAIL", "RCPT", "DATA", "Delivery", "Reply"} {
		if !slices.Contains(titles, want) {
			t.Errorf("timeline steps %v lack %q", titles, want)
		}
	}

	onFyne(func() bool { w.timeline.list.Select(delivery); return true })
	waitFor(t, "the request body in the inspector", func() bool {
		return onFyne(func() bool {
			v := w.inspector.exchange
			return v != nil && v.req.text != nil && strings.Contains(v.req.text.text, `"subject": "Select me"`)
		})
	})
}
