package engine_test

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"net/http"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"github.com/mailhook/mailhook/engine"
	"github.com/mailhook/mailhook/storage"
)

// TestNestedMailRefused: a second MAIL FROM inside a transaction is 503;
// go-smtp would otherwise carry the first sender's authorized recipients
// over to the second sender.
func TestNestedMailRefused(t *testing.T) {
	auth := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		if r.PostForm.Get("from") == "evil@example.com" {
			status(403, "not you")(w, r)
			return
		}
		status(200, "ok")(w, r)
	})
	hook := newRecorder(t, status(200, "ok"))
	h := newHarness(t, func(c *engine.Config) {
		c.TargetURL = hook.srv.URL + "/hook"
		c.AuthURL = auth.srv.URL + "/auth"
	})
	rc := h.dialRaw()
	rc.cmd(250, "MAIL FROM:<good@example.com>")
	rc.cmd(250, "RCPT TO:<rcpt@example.com>")
	rc.cmd(503, "MAIL FROM:<evil@example.com>")
	rc.cmd(250, "RSET")
	rc.cmd(250, "MAIL FROM:<evil@example.com>")
	rc.cmd(550, "RCPT TO:<rcpt@example.com>")
	rc.cmd(502, "DATA") // no recipient: go-smtp refuses before our Data
	if n := len(hook.requests()); n != 0 {
		t.Errorf("%d deliveries, want 0", n)
	}
}

// TestShutdownDoesNotWaitForIdleTransaction: a client that sent MAIL and
// went quiet is answered 421 at once; only work a client waits for
// (authorization, DATA, error callbacks) holds Shutdown.
func TestShutdownDoesNotWaitForIdleTransaction(t *testing.T) {
	h := newHarness(t, nil)
	rc := h.dialRaw()
	rc.cmd(250, "MAIL FROM:<quiet@example.com>")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := h.eng.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v (it waited for an idle transaction)", err)
	}
	if got := rc.expect(421); !strings.Contains(got, "shutting down") {
		t.Errorf("421 text %q", got)
	}
}

// TestSTARTTLSForgetsAuth: RFC 3207 — after STARTTLS the client must
// authenticate again.
func TestSTARTTLSForgetsAuth(t *testing.T) {
	hook := newRecorder(t, status(200, "ok"))
	h := newHarness(t, func(c *engine.Config) {
		c.TargetURL = hook.srv.URL + "/hook"
		c.SMTPUser, c.SMTPPass = "dev", "secret"
	})
	rc := h.dialRaw()
	rc.cmd(235, "AUTH PLAIN %s", base64.StdEncoding.EncodeToString([]byte("\x00dev\x00secret")))
	rc.cmd(220, "STARTTLS")
	tc := tls.Client(rc.conn, insecureTLS())
	if err := tc.Handshake(); err != nil {
		t.Fatal(err)
	}
	tp := textproto.NewConn(tc)
	if err := tp.PrintfLine("EHLO client.example"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := tp.ReadResponse(250); err != nil {
		t.Fatal(err)
	}
	if err := tp.PrintfLine("MAIL FROM:<s@example.org>"); err != nil {
		t.Fatal(err)
	}
	if code, msg, _ := tp.ReadResponse(530); code != 530 {
		t.Fatalf("MAIL after STARTTLS without AUTH: %d %s, want 530", code, msg)
	}
}

// TestClearHistoryKeepsLiveConnection: clearing history while a client is
// connected does not break its next transaction.
func TestClearHistoryKeepsLiveConnection(t *testing.T) {
	hook := newRecorder(t, status(200, "ok"))
	h := newHarness(t, func(c *engine.Config) { c.TargetURL = hook.srv.URL + "/hook" })
	c := h.dial()
	mustDeliver(t, h, c)
	if err := h.eng.DeleteHistory(context.Background()); err != nil {
		t.Fatal(err)
	}
	mustDeliver(t, h, c)
	page, err := h.store.ListMessages(context.Background(), storage.ListQuery{})
	if err != nil || len(page.Messages) != 1 {
		t.Fatalf("history after clear and one more message: %v, %d messages, want 1", err, len(page.Messages))
	}
}
