package engine_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/mailhook/mailhook/engine"
	"github.com/mailhook/mailhook/storage"
)

// TestEHLOAdvertises: SPEC §1's EHLO line, the size limit included.
func TestEHLOAdvertises(t *testing.T) {
	h := newHarness(t, func(c *engine.Config) { c.MaxSize = 123456 })
	c := h.dial()
	for _, tc := range []struct {
		ext, param string // param "" means no parameter is expected
	}{
		{"SIZE", "123456"},
		{"8BITMIME", ""},
		{"SMTPUTF8", ""},
		{"PIPELINING", ""},
		{"CHUNKING", ""},
		{"ENHANCEDSTATUSCODES", ""},
		{"STARTTLS", ""},
	} {
		ok, param := c.Extension(tc.ext)
		if !ok || param != tc.param {
			t.Errorf("EHLO %s: advertised %v with %q, want advertised with %q", tc.ext, ok, param, tc.param)
		}
	}
	ok, mechs := c.Extension("AUTH")
	if !ok {
		t.Fatal("EHLO does not advertise AUTH")
	}
	for _, m := range []string{"PLAIN", "LOGIN"} {
		if !slices.Contains(strings.Fields(mechs), m) {
			t.Errorf("AUTH %q lacks %s", mechs, m)
		}
	}
}

// TestSTARTTLS: the envelope and the session say TLS after STARTTLS, and
// the upgraded connection is still one session in history.
func TestSTARTTLS(t *testing.T) {
	rec := newRecorder(t, status(200, "ok"))
	h := newHarness(t, func(c *engine.Config) { c.TargetURL = rec.srv.URL + "/hook" })
	c := h.dialStartTLS()
	state, ok := c.TLSConnectionState()
	if !ok {
		t.Fatal("client is not on TLS after STARTTLS")
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		t.Error("STARTTLS is still advertised on the encrypted connection")
	}
	if code, text, err := h.send(c, "s@example.org", []string{"r@example.com"}, simpleMessage("over tls")); code != 250 {
		t.Fatalf("reply %d %q %v", code, text, err)
	}

	wantCipher := map[uint16]string{tls.VersionTLS12: "TLSv1.2", tls.VersionTLS13: "TLSv1.3"}[state.Version]
	if wantCipher == "" {
		t.Fatalf("negotiated TLS version %#x", state.Version)
	}
	reqs := rec.requests()
	if len(reqs) != 1 {
		t.Fatalf("%d POSTs, want 1", len(reqs))
	}
	env := decodeJSON(t, reqs[0].Body)["envelope"].(map[string]any)
	if env["tls"] != true || env["tls_cipher"] != wantCipher || env["helo_domain"] != "client.example" {
		t.Errorf("envelope tls/tls_cipher/helo_domain = %#v/%#v/%#v, want true/%q/client.example",
			env["tls"], env["tls_cipher"], env["helo_domain"], wantCipher)
	}

	m := h.lastMessage()
	sess := h.sessionOf(m.ID)
	if !sess.TLS || sess.TLSCipher != wantCipher || sess.HeloDomain != "client.example" {
		t.Errorf("stored session = %+v, want TLS with %s", sess, wantCipher)
	}
	if n := h.countRows("sessions"); n != 1 {
		t.Errorf("%d session rows, want 1: STARTTLS must not start a new session", n)
	}
	tl, err := h.store.Timeline(context.Background(), m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(tl.Events, func(e storage.SMTPEvent) bool { return e.Command == "STARTTLS" && e.ReplyCode == 220 }) {
		t.Errorf("no STARTTLS event in the timeline: %+v", tl.Events)
	}
}

func plainAuth(user, pass string) sasl.Client { return sasl.NewPlainClient("", user, pass) }

// TestAUTH: optional by default, required (and checked) when credentials
// are configured.
func TestAUTH(t *testing.T) {
	const user, pass = "mailhook", "s3cret"
	required := func(c *engine.Config) { c.SMTPUser, c.SMTPPass = user, pass }

	tests := []struct {
		name     string
		config   func(*engine.Config)
		run      func(t *testing.T, h *harness) // must end with one delivery (or none)
		posts    int
		authUser string // the stored session's AuthUser after a delivery
	}{
		{"optional: never authenticating delivers", nil, func(t *testing.T, h *harness) {
			mustDeliver(t, h, h.dial())
		}, 1, ""},
		{"optional: any PLAIN credentials are accepted", nil, func(t *testing.T, h *harness) {
			c := h.dial()
			if err := c.Auth(plainAuth("anyone", "anything")); err != nil {
				t.Fatalf("AUTH PLAIN: %v, want 235", err)
			}
			mustDeliver(t, h, c)
		}, 1, "anyone"},
		{"required: MAIL without AUTH is 530", required, func(t *testing.T, h *harness) {
			err := h.dial().Mail("s@example.org", nil)
			if smtpCode(err) != 530 {
				t.Fatalf("MAIL without AUTH: %v, want 530", err)
			}
			if n := h.countRows("messages"); n != 0 {
				t.Errorf("%d transactions recorded for a refused MAIL, want 0", n)
			}
		}, 0, ""},
		{"required: wrong password is 535 and changes nothing", required, func(t *testing.T, h *harness) {
			c := h.dial()
			for _, bad := range []sasl.Client{plainAuth(user, "wrong"), plainAuth("someone", pass), sasl.NewLoginClient(user, "wrong")} {
				if err := c.Auth(bad); smtpCode(err) != 535 {
					t.Fatalf("AUTH with wrong credentials: %v, want 535", err)
				}
			}
			if err := c.Mail("s@example.org", nil); smtpCode(err) != 530 {
				t.Fatalf("MAIL after a failed AUTH: %v, want 530", err)
			}
			if err := c.Auth(plainAuth(user, pass)); err != nil {
				t.Fatalf("AUTH on the same connection after a failure: %v", err)
			}
			mustDeliver(t, h, c)
		}, 1, user},
		{"required: PLAIN delivers", required, func(t *testing.T, h *harness) {
			c := h.dial()
			if err := c.Auth(plainAuth(user, pass)); err != nil {
				t.Fatalf("AUTH PLAIN: %v", err)
			}
			mustDeliver(t, h, c)
		}, 1, user},
		{"required: LOGIN delivers", required, func(t *testing.T, h *harness) {
			c := h.dial()
			if err := c.Auth(sasl.NewLoginClient(user, pass)); err != nil {
				t.Fatalf("AUTH LOGIN: %v", err)
			}
			mustDeliver(t, h, c)
		}, 1, user},
		{"required: LOGIN without initial response delivers", required, func(t *testing.T, h *harness) {
			rc := h.dialRaw()
			b64 := base64.StdEncoding.EncodeToString
			if got := rc.cmd(334, "AUTH LOGIN"); got != b64([]byte("Username:")) {
				t.Errorf("first LOGIN prompt %q", got)
			}
			if got := rc.cmd(334, "%s", b64([]byte(user))); got != b64([]byte("Password:")) {
				t.Errorf("second LOGIN prompt %q", got)
			}
			rc.cmd(235, "%s", b64([]byte(pass)))
			rc.cmd(250, "MAIL FROM:<s@example.org>")
			rc.cmd(250, "RCPT TO:<r@example.com>")
			rc.cmd(354, "DATA")
			rc.write(append(simpleMessage("login"), ".\r\n"...))
			rc.expect(250)
		}, 1, user},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := newRecorder(t, status(200, "ok"))
			h := newHarness(t, func(c *engine.Config) {
				c.TargetURL = rec.srv.URL + "/hook"
				if tc.config != nil {
					tc.config(c)
				}
			})
			tc.run(t, h)
			if got := len(rec.requests()); got != tc.posts {
				t.Fatalf("webhook got %d POSTs, want %d", got, tc.posts)
			}
			if tc.posts == 0 {
				return
			}
			if got := h.sessionOf(h.lastMessage().ID).AuthUser; got != tc.authUser {
				t.Errorf("stored session AuthUser = %q, want %q", got, tc.authUser)
			}
		})
	}
}

// mustDeliver sends a simple message on c and requires a 250.
func mustDeliver(t *testing.T, h *harness, c *smtp.Client) {
	t.Helper()
	if code, text, err := h.send(c, "s@example.org", []string{"r@example.com"}, simpleMessage("hello "+t.Name())); code != 250 {
		t.Fatalf("delivery: %d %q %v, want 250", code, text, err)
	}
}

// sizedMessage is a well-formed message of exactly n bytes (n >= 100),
// ending in CRLF, with short lines none of which starts with a dot.
func sizedMessage(subject string, n int) []byte {
	msg := []byte("From: s@example.org\r\nTo: r@example.com\r\nSubject: " + subject + "\r\n\r\n")
	for len(msg) < n {
		k := min(n-len(msg), 78) // 76 characters and CRLF at most
		if n-len(msg)-k == 1 {
			k-- // never leave a one-byte tail: a line needs its CRLF
		}
		msg = append(msg, bytes.Repeat([]byte("a"), k-2)...)
		msg = append(msg, "\r\n"...)
	}
	return msg
}

// TestSizeLimit: SPEC §1 and §2: over the limit is 552 5.3.4, before any
// data when MAIL FROM says so, after it otherwise, never a POST.
func TestSizeLimit(t *testing.T) {
	const limit = 1024
	setup := func(t *testing.T) (*harness, *recorder) {
		rec := newRecorder(t, status(200, "ok"))
		h := newHarness(t, func(c *engine.Config) {
			c.TargetURL = rec.srv.URL + "/hook"
			c.MaxSize = limit
		})
		return h, rec
	}

	t.Run("MAIL FROM SIZE over the limit", func(t *testing.T) {
		h, rec := setup(t)
		c := h.dial()
		err := c.Mail("s@example.org", &smtp.MailOptions{Size: limit + 1})
		var se *smtp.SMTPError
		if !errors.As(err, &se) || se.Code != 552 || se.EnhancedCode != (smtp.EnhancedCode{5, 3, 4}) {
			t.Fatalf("MAIL SIZE=%d: %v, want 552 5.3.4", limit+1, err)
		}
		if n := len(rec.requests()); n != 0 {
			t.Errorf("%d POSTs, want 0", n)
		}
		// The connection is still good for a message that fits.
		mustDeliver(t, h, c)
	})

	t.Run("DATA over the limit", func(t *testing.T) {
		h, rec := setup(t)
		c := h.dial()
		code, text, _ := h.send(c, "s@example.org", []string{"r@example.com"}, sizedMessage("too big", 4096))
		if code != 552 || !strings.HasPrefix(text, "5.3.4 ") {
			t.Fatalf("reply %d %q, want 552 5.3.4", code, text)
		}
		if n := len(rec.requests()); n != 0 {
			t.Errorf("%d POSTs, want 0", n)
		}
		m := h.lastMessage()
		if m.Outcome != storage.OutcomeRejected || m.SMTPReply != "552 "+text || m.Status != 0 {
			t.Errorf("stored outcome/reply/status = %q/%q/%d, want rejected/%q/0", m.Outcome, m.SMTPReply, m.Status, "552 "+text)
		}
		if exs := h.deliveries(m.ID); len(exs) != 0 {
			t.Errorf("%d delivery attempts stored, want 0", len(exs))
		}
		// The rest of the oversized DATA was drained: the connection goes on.
		mustDeliver(t, h, c)
		if n := len(rec.requests()); n != 1 {
			t.Errorf("%d POSTs after the next message, want 1", n)
		}
	})

	t.Run("just under the limit is delivered", func(t *testing.T) {
		h, rec := setup(t)
		msg := sizedMessage("fits", limit-1)
		if len(msg) != limit-1 {
			t.Fatalf("test message is %d bytes, want %d", len(msg), limit-1)
		}
		c := h.dial()
		if code, text, err := h.send(c, "s@example.org", []string{"r@example.com"}, msg); code != 250 {
			t.Fatalf("reply %d %q %v, want 250", code, text, err)
		}
		if n := len(rec.requests()); n != 1 {
			t.Errorf("%d POSTs, want 1", n)
		}
		if m := h.lastMessage(); m.Size != int64(len(msg)) {
			t.Errorf("stored size %d, want %d", m.Size, len(msg))
		}
	})
}

// TestTooManyRecipients: the 101st RCPT is refused, the message still goes
// out once with the first 100.
func TestTooManyRecipients(t *testing.T) {
	rec := newRecorder(t, status(200, "ok"))
	h := newHarness(t, func(c *engine.Config) { c.TargetURL = rec.srv.URL + "/hook" })
	c := h.dial()
	if err := c.Mail("s@example.org", nil); err != nil {
		t.Fatal(err)
	}
	var accepted []string
	for i := range engine.MaxRecipients + 1 {
		rcpt := fmt.Sprintf("r%03d@example.com", i)
		err := c.Rcpt(rcpt, nil)
		if i < engine.MaxRecipients {
			if err != nil {
				t.Fatalf("RCPT %d: %v", i+1, err)
			}
			accepted = append(accepted, rcpt)
			continue
		}
		if smtpCode(err) != 452 {
			t.Fatalf("RCPT %d: %v, want 452", i+1, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	w.Write(simpleMessage("many"))
	if err := w.Close(); err != nil {
		t.Fatalf("end of DATA: %v", err)
	}
	reqs := rec.requests()
	if len(reqs) != 1 {
		t.Fatalf("%d POSTs, want 1", len(reqs))
	}
	env := decodeJSON(t, reqs[0].Body)["envelope"].(map[string]any)
	if !equalAny(env["recipients"], accepted) || env["to"] != accepted[0] {
		t.Errorf("envelope to/recipients = %v/%v, want the first %d", env["to"], env["recipients"], engine.MaxRecipients)
	}
	if got := h.lastMessage().Recipients; !slices.Equal(got, accepted) {
		t.Errorf("stored recipients = %d, want the first %d", len(got), len(accepted))
	}
}

// TestBDAT: CHUNKING is advertised, so a BDAT transaction must deliver the
// exact bytes sent, dots and bare line ends included.
func TestBDAT(t *testing.T) {
	full := readFixture(t, "full.eml")
	dotted := []byte("From: s@example.org\r\nTo: r@example.com\r\nSubject: dots\r\n\r\n" +
		".leading dot\r\n..two dots\r\n.\r\nafter a lone dot line\r\n")
	tests := []struct {
		name   string
		msg    []byte
		chunks []int // chunk sizes; the rest goes in the LAST chunk
	}{
		{"one LAST chunk", full, nil},
		{"three chunks split inside CRLF", full, []int{bytes.IndexByte(full, '\n'), 700}},
		{"empty LAST chunk", full, []int{len(full)}},
		{"dots are data, not stuffing", dotted, []int{60}},
	}
	rec := newRecorder(t, status(200, "ok"))
	h := newHarness(t, func(c *engine.Config) { c.TargetURL = rec.srv.URL + "/hook" })
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := len(rec.requests())
			rc := h.dialRaw()
			rc.cmd(250, "MAIL FROM:<s@example.org>")
			rc.cmd(250, "RCPT TO:<r@example.com>")
			rest := tc.msg
			for _, n := range tc.chunks {
				rc.write(append([]byte(fmt.Sprintf("BDAT %d\r\n", n)), rest[:n]...))
				rc.expect(250)
				rest = rest[n:]
			}
			rc.write(append([]byte(fmt.Sprintf("BDAT %d LAST\r\n", len(rest))), rest...))
			if got := rc.expect(250); !strings.Contains(got, "accepted by webhook") {
				t.Errorf("final reply %q", got)
			}

			reqs := rec.requests()
			if len(reqs) != before+1 {
				t.Fatalf("%d POSTs for one BDAT transaction, want 1", len(reqs)-before)
			}
			env := decodeJSON(t, reqs[before].Body)["envelope"].(map[string]any)
			if env["md5"] != md5Hex(tc.msg) {
				t.Errorf("envelope.md5 %v is not the md5 of the bytes sent", env["md5"])
			}
			raw, err := h.eng.RawMessage(context.Background(), h.lastMessage().ID)
			if err != nil || !bytes.Equal(raw, tc.msg) {
				t.Errorf("stored raw (%d bytes, %v) is not the %d bytes sent:\n%q", len(raw), err, len(tc.msg), raw)
			}

			// The same connection goes on with a DATA transaction.
			rc.cmd(250, "MAIL FROM:<s@example.org>")
			rc.cmd(250, "RCPT TO:<r@example.com>")
			rc.cmd(354, "DATA")
			rc.write(append(simpleMessage("after bdat"), ".\r\n"...))
			rc.expect(250)
			if n := len(rec.requests()) - before; n != 2 {
				t.Errorf("%d POSTs after BDAT then DATA, want 2", n)
			}
		})
	}
}

// TestMalformedMessage: like a real MX, broken mail is still delivered as
// well as it can be read, and the server lives on.
func TestMalformedMessage(t *testing.T) {
	tests := []struct {
		name, subject string
		raw           string
	}{
		{"multipart boundary never used", "broken boundary",
			"From: s@example.org\r\nSubject: broken boundary\r\nMIME-Version: 1.0\r\n" +
				"Content-Type: multipart/mixed; boundary=\"declared\"\r\n\r\n" +
				"--other\r\nContent-Type: text/plain\r\n\r\ntext\r\n--other--\r\n"},
		{"unterminated multipart with bad base64", "bad base64",
			"From: s@example.org\r\nSubject: bad base64\r\nMIME-Version: 1.0\r\n" +
				"Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n" +
				"--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n" +
				"--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n" +
				"Content-Disposition: attachment; filename=\"bad.bin\"\r\n\r\n!!not*base64@@\r\n%%%\r\n"},
		{"empty body after headers", "empty body",
			"From: s@example.org\r\nSubject: empty body\r\n\r\n"},
		{"headers only, no blank line", "no body",
			"From: s@example.org\r\nSubject: no body\r\n"},
		{"8-bit header without charset", "café",
			"From: s@example.org\r\nSubject: caf\xe9\r\n\r\nhi\r\n"},
	}
	rec := newRecorder(t, status(200, "ok"))
	h := newHarness(t, func(c *engine.Config) { c.TargetURL = rec.srv.URL + "/hook" })
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := len(rec.requests())
			code, text, err := h.send(h.dial(), "s@example.org", []string{"r@example.com"}, []byte(tc.raw))
			if code != 250 {
				t.Fatalf("reply %d %q %v, want 250", code, text, err)
			}
			reqs := rec.requests()
			if len(reqs) != before+1 {
				t.Fatalf("%d POSTs, want 1", len(reqs)-before)
			}
			body := decodeJSON(t, reqs[before].Body)
			if got := body["headers"].(map[string]any)["subject"]; got != tc.subject {
				t.Errorf("headers.subject = %#v, want %q", got, tc.subject)
			}
			if _, ok := body["attachments"].([]any); !ok {
				t.Errorf("attachments = %#v, want an array", body["attachments"])
			}
			if m := h.lastMessage(); m.Outcome != storage.OutcomeAccepted {
				t.Errorf("stored outcome %q, want accepted", m.Outcome)
			}
		})
	}
	t.Run("server still serves", func(t *testing.T) {
		mustDeliver(t, h, h.dial())
	})
}

// TestShutdownAnswers421: Shutdown lets a transaction in flight finish,
// then tells every connected client 421 and closes the port.
func TestShutdownAnswers421(t *testing.T) {
	shutdown := func(t *testing.T, h *harness) error {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		return h.eng.Shutdown(ctx)
	}
	portClosed := func(t *testing.T, addr string) {
		t.Helper()
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			c.Close()
			t.Errorf("dial %s after Shutdown succeeded, want the port closed", addr)
		}
	}

	t.Run("idle client", func(t *testing.T) {
		h := newHarness(t, nil)
		addr := h.eng.SMTPAddr()
		rc := h.dialRaw()
		if err := shutdown(t, h); err != nil {
			t.Fatalf("Shutdown: %v", err)
		}
		if got := rc.expect(421); !strings.Contains(got, "shutting down") {
			t.Errorf("421 text %q", got)
		}
		rc.conn.SetReadDeadline(time.Now().Add(2 * time.Second))
		line, err := rc.tp.ReadLine()
		var ne net.Error
		if err == nil || errors.As(err, &ne) && ne.Timeout() {
			t.Errorf("connection still open after 421 (read %q, %v)", line, err)
		}
		portClosed(t, addr)
		if err := shutdown(t, h); err != nil {
			t.Errorf("second Shutdown: %v, want nil", err)
		}
	})

	t.Run("transaction in flight finishes first", func(t *testing.T) {
		arrived, unblock := make(chan struct{}), make(chan struct{})
		rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
			close(arrived)
			<-unblock
			status(200, "ok")(w, r)
		})
		release := sync.OnceFunc(func() { close(unblock) })
		t.Cleanup(release) // before the recorder closes, even on failure
		h := newHarness(t, func(c *engine.Config) { c.TargetURL = rec.srv.URL + "/hook" })
		addr := h.eng.SMTPAddr()
		c := h.dial()
		type result struct {
			code int
			text string
		}
		sent := make(chan result, 1)
		go func() {
			code, text, _ := h.send(c, "s@example.org", []string{"r@example.com"}, simpleMessage("in flight"))
			sent <- result{code, text}
		}()
		select {
		case <-arrived:
		case <-time.After(5 * time.Second):
			t.Fatal("the webhook never got the POST")
		}
		stopped := make(chan error, 1)
		go func() { stopped <- shutdown(t, h) }()
		select {
		case err := <-stopped:
			t.Fatalf("Shutdown returned (%v) while a transaction was in flight", err)
		case <-time.After(50 * time.Millisecond):
		}
		release()
		if r := <-sent; r.code != 250 {
			t.Fatalf("in-flight transaction got %d %q, want 250", r.code, r.text)
		}
		if err := <-stopped; err != nil {
			t.Fatalf("Shutdown: %v", err)
		}
		if err := c.Noop(); smtpCode(err) != 421 {
			t.Errorf("next command after Shutdown: %v, want the 421", err)
		}
		if m := h.lastMessage(); m.Outcome != storage.OutcomeAccepted {
			t.Errorf("in-flight message stored as %q, want accepted", m.Outcome)
		}
		portClosed(t, addr)
	})
}

// TestEventsPublished: a subscriber sees the session open, the delivery
// with its outcome, and the session close.
func TestEventsPublished(t *testing.T) {
	rec := newRecorder(t, status(201, ""))
	h := newHarness(t, func(c *engine.Config) { c.TargetURL = rec.srv.URL + "/hook" })
	events, stop := h.eng.Subscribe()
	defer stop()

	c := h.dial()
	mustDeliver(t, h, c)
	if err := c.Quit(); err != nil {
		t.Fatal(err)
	}
	m := h.lastMessage()
	sessionID := h.sessionOf(m.ID).ID

	var got []engine.Event
	timeout := time.After(5 * time.Second)
	for !slices.ContainsFunc(got, func(e engine.Event) bool { return e.Kind == engine.EventSessionClosed }) {
		select {
		case ev := <-events:
			got = append(got, ev)
		case <-timeout:
			t.Fatalf("no session_closed event; got %+v", got)
		}
	}
	find := func(kind engine.EventKind) (int, engine.Event) {
		i := slices.IndexFunc(got, func(e engine.Event) bool { return e.Kind == kind })
		if i < 0 {
			t.Fatalf("no %s event in %+v", kind, got)
		}
		return i, got[i]
	}
	iOpen, open := find(engine.EventSessionOpened)
	iDel, del := find(engine.EventDeliveryAttempted)
	iClose, closed := find(engine.EventSessionClosed)
	if !(iOpen < iDel && iDel < iClose) {
		t.Errorf("event order %d/%d/%d, want opened < delivery < closed", iOpen, iDel, iClose)
	}
	if open.SessionID != sessionID || open.RemoteIP != "127.0.0.1" {
		t.Errorf("session_opened = %+v, want session %d from 127.0.0.1", open, sessionID)
	}
	if del.MessageID != m.ID || del.SessionID != sessionID || del.Status != 201 ||
		del.Outcome != storage.OutcomeAccepted || del.SMTPReply != m.SMTPReply || del.ExchangeID == 0 ||
		!slices.Equal(del.To, []string{"r@example.com"}) || del.At.IsZero() {
		t.Errorf("delivery_attempted = %+v, want message %d, status 201, accepted, reply %q", del, m.ID, m.SMTPReply)
	}
	if closed.SessionID != sessionID {
		t.Errorf("session_closed for session %d, want %d", closed.SessionID, sessionID)
	}
}

// TestEngineImportsNoFyne: DESIGN.md, the engine never imports the GUI, so
// its tests run without a display.
func TestEngineImportsNoFyne(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH")
	}
	out, err := exec.Command(goBin, "list", "-deps", "-test", "github.com/mailhook/mailhook/engine/...").Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("go list: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, "github.com/mailhook/mailhook/engine") {
		t.Fatalf("go list output does not list the engine itself:\n%s", out)
	}
	for _, d := range deps {
		if strings.HasPrefix(d, "fyne.io/") {
			t.Errorf("engine depends on %s", d)
		}
	}
}
