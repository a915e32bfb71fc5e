package engine_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/mailhook/mailhook/engine"
	"github.com/mailhook/mailhook/storage"
)

// harness is a real engine on loopback ports with a temp-file SQLite store.
type harness struct {
	t     testing.TB
	eng   *engine.Engine
	store *storage.Store
	dir   string // data folder: SQLite file, certificate, settings
}

func newHarness(t testing.TB, mutate func(*engine.Config)) *harness {
	t.Helper()
	dir := t.TempDir()
	store, err := storage.Open(filepath.Join(dir, "mailhook.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	tlsCfg, err := engine.LoadOrCreateTLS(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg := engine.DefaultConfig()
	cfg.SMTPAddr, cfg.HTTPAddr = "127.0.0.1:0", "127.0.0.1:0"
	cfg.Timeout = 2 * time.Second
	if mutate != nil {
		mutate(&cfg)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	eng, err := engine.New(engine.Params{Store: store, Logger: logger, TLS: tlsCfg, SettingsDir: dir}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := eng.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		eng.Shutdown(ctx)
	})
	return &harness{t: t, eng: eng, store: store, dir: dir}
}

// dial opens an SMTP client and says EHLO.
func (h *harness) dial() *smtp.Client {
	h.t.Helper()
	c, err := smtp.Dial(h.eng.SMTPAddr())
	if err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(func() { c.Close() })
	if err := c.Hello("client.example"); err != nil {
		h.t.Fatal(err)
	}
	return c
}

// send runs one transaction and returns the reply to the end of DATA (or
// the first error before it).
func (h *harness) send(c *smtp.Client, from string, to []string, msg []byte) (code int, text string, err error) {
	h.t.Helper()
	if err := c.Mail(from, nil); err != nil {
		return smtpCode(err), "", err
	}
	for _, rcpt := range to {
		if err := c.Rcpt(rcpt, nil); err != nil {
			return smtpCode(err), "", err
		}
	}
	w, err := c.Data()
	if err != nil {
		return smtpCode(err), "", err
	}
	if _, err := w.Write(msg); err != nil {
		return 0, "", err
	}
	resp, err := w.CloseWithResponse()
	if err != nil {
		var se *smtp.SMTPError
		if errors.As(err, &se) {
			e := se.EnhancedCode
			return se.Code, fmt.Sprintf("%d.%d.%d %s", e[0], e[1], e[2], se.Message), err
		}
		return 0, "", err
	}
	return 250, resp.StatusText, nil
}

func smtpCode(err error) int {
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		return se.Code
	}
	return 0
}

// lastMessage returns the newest transaction in history.
func (h *harness) lastMessage() storage.MessageSummary {
	h.t.Helper()
	page, err := h.store.ListMessages(context.Background(), storage.ListQuery{Limit: 1})
	if err != nil {
		h.t.Fatal(err)
	}
	if len(page.Messages) == 0 {
		h.t.Fatal("no message in history")
	}
	return page.Messages[0]
}

// deliveries returns the delivery exchanges recorded for a message.
func (h *harness) deliveries(id int64) []storage.Exchange {
	h.t.Helper()
	tl, err := h.store.Timeline(context.Background(), id)
	if err != nil {
		h.t.Fatal(err)
	}
	var out []storage.Exchange
	for _, s := range tl.Exchanges {
		if s.Kind != storage.KindDelivery || s.MessageID != id {
			continue
		}
		ex, err := h.store.Exchange(context.Background(), s.ID)
		if err != nil {
			h.t.Fatal(err)
		}
		out = append(out, ex)
	}
	return out
}

// recorder is a webhook that records what it received and answers with
// the handler given.
type recorder struct {
	mu   sync.Mutex
	reqs []recorded
	srv  *httptest.Server
}

type recorded struct {
	Method, Path, ContentType, UserAgent, Authorization string
	Body                                                []byte
}

func newRecorder(t testing.TB, answer http.HandlerFunc) *recorder {
	r := &recorder{}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.reqs = append(r.reqs, recorded{req.Method, req.URL.Path, req.Header.Get("Content-Type"),
			req.Header.Get("User-Agent"), req.Header.Get("Authorization"), body})
		r.mu.Unlock()
		req.Body = io.NopCloser(bytes.NewReader(body))
		answer(w, req)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *recorder) requests() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recorded(nil), r.reqs...)
}

func status(code int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(code)
		io.WriteString(w, body)
	}
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func simpleMessage(subject string) []byte {
	return []byte("From: sender@example.org\r\nTo: rcpt@example.com\r\nMessage-ID: <" +
		strings.ReplaceAll(subject, " ", "-") + "@example.org>\r\nSubject: " + subject + "\r\n\r\nHello.\r\n")
}

func insecureTLS() *tls.Config { return &tls.Config{InsecureSkipVerify: true} }
