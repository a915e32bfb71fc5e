package engine_test

import (
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mailhook/mailhook/engine"
	"github.com/mailhook/mailhook/storage"
)

// TestDeliveryStatusTable drives every row of SPEC §2's status table over a
// real SMTP socket against a real HTTP webhook.
func TestDeliveryStatusTable(t *testing.T) {
	hang := make(chan struct{})
	t.Cleanup(func() { close(hang) })

	tests := []struct {
		name        string
		handler     http.HandlerFunc
		url         func(r *recorder) string // nil: the recorder's /hook
		wantCode    int
		wantText    string // substring of the SMTP reply text
		wantOutcome string
		wantStatus  int
		wantPosts   int
	}{
		{"200 accepted", status(200, "ok"), nil, 250, "accepted", storage.OutcomeAccepted, 200, 1},
		{"201 accepted", status(201, ""), nil, 250, "accepted", storage.OutcomeAccepted, 201, 1},
		{"302 followed to 200", func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/hook" {
				http.Redirect(w, r, "/moved", http.StatusFound)
				return
			}
			status(200, "ok")(w, r)
		}, nil, 250, "accepted", storage.OutcomeAccepted, 200, 2},
		{"redirect loop gives up after 3 follows", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/hook", http.StatusTemporaryRedirect)
		}, nil, 451, "too many redirects", storage.OutcomeDelayed, 307, 4},
		{"404 rejected with body line", status(404, "no such mailbox here\nsecond line"), nil, 554, "no such mailbox here", storage.OutcomeRejected, 404, 1},
		{"422 rejected", status(422, "unprocessable"), nil, 554, "HTTP 422", storage.OutcomeRejected, 422, 1},
		{"500 delayed", status(500, "boom"), nil, 450, "HTTP 500", storage.OutcomeDelayed, 500, 1},
		{"503 delayed", status(503, ""), nil, 450, "HTTP 503", storage.OutcomeDelayed, 503, 1},
		{"timeout delayed", func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-hang:
			case <-r.Context().Done():
			}
		}, nil, 451, "timeout", storage.OutcomeDelayed, 0, 1},
		{"connection reset delayed", func(w http.ResponseWriter, r *http.Request) {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.(*net.TCPConn).SetLinger(0)
				conn.Close()
			}
		}, nil, 451, "4.4.1", storage.OutcomeDelayed, 0, 1},
		{"refused delayed", status(200, ""), func(*recorder) string { return closedPortURL(t) }, 451, "refused", storage.OutcomeDelayed, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := newRecorder(t, tc.handler)
			url := rec.srv.URL + "/hook"
			if tc.url != nil {
				url = tc.url(rec)
			}
			h := newHarness(t, func(c *engine.Config) {
				c.TargetURL = url
				c.Timeout = 500 * time.Millisecond
			})
			code, text, _ := h.send(h.dial(), "sender@example.org", []string{"rcpt@example.com"}, simpleMessage(tc.name))
			if code != tc.wantCode || !strings.Contains(text, tc.wantText) {
				// The enhanced code is part of the text go-smtp's client returns.
				t.Fatalf("reply = %d %q, want %d containing %q", code, text, tc.wantCode, tc.wantText)
			}
			if got := len(rec.requests()); got != tc.wantPosts {
				t.Errorf("webhook got %d requests, want %d", got, tc.wantPosts)
			}
			m := h.lastMessage()
			if m.Outcome != tc.wantOutcome || m.Status != tc.wantStatus {
				t.Errorf("stored outcome/status = %q/%d, want %q/%d", m.Outcome, m.Status, tc.wantOutcome, tc.wantStatus)
			}
			if !strings.HasPrefix(m.SMTPReply, itoa(tc.wantCode)+" ") {
				t.Errorf("stored smtp reply %q, want code %d", m.SMTPReply, tc.wantCode)
			}
			exs := h.deliveries(m.ID)
			if len(exs) != 1 {
				t.Fatalf("%d delivery attempts stored, want 1", len(exs))
			}
			ex := exs[0]
			if ex.Outcome != tc.wantOutcome || ex.SMTPReply != m.SMTPReply || ex.Method != "POST" || len(ex.RequestBody) == 0 {
				t.Errorf("attempt = %+v", ex)
			}
			if tc.wantStatus == 0 && ex.Error == "" {
				t.Errorf("attempt without status has no error text")
			}
			if tc.wantPosts > 1 && len(ex.Hops) != tc.wantPosts {
				t.Errorf("hops = %v, want %d", ex.Hops, tc.wantPosts)
			}
		})
	}
}

// TestOneDeliveryForAllRecipients: one POST per transaction, every
// accepted recipient in envelope.recipients, "to" the first.
func TestOneDeliveryForAllRecipients(t *testing.T) {
	rec := newRecorder(t, status(200, "ok"))
	h := newHarness(t, func(c *engine.Config) { c.TargetURL = rec.srv.URL + "/hook" })
	to := []string{"a@example.com", "b@example.com", "c@example.com"}
	if code, text, err := h.send(h.dial(), "s@example.org", to, simpleMessage("three")); code != 250 {
		t.Fatalf("reply %d %q %v", code, text, err)
	}
	reqs := rec.requests()
	if len(reqs) != 1 {
		t.Fatalf("%d POSTs, want 1", len(reqs))
	}
	env := decodeJSON(t, reqs[0].Body)["envelope"].(map[string]any)
	if env["to"] != "a@example.com" || !equalAny(env["recipients"], to) {
		t.Errorf("envelope = %v", env)
	}
}

// TestBasicAuthFromTargetURL: credentials in the URL become a Basic header,
// percent-decoded, and never appear unmasked in history.
func TestBasicAuthFromTargetURL(t *testing.T) {
	rec := newRecorder(t, status(200, "ok"))
	url := strings.Replace(rec.srv.URL, "http://", "http://us%40er:p%3Ass@", 1) + "/hook"
	h := newHarness(t, func(c *engine.Config) { c.TargetURL = url })
	if code, _, err := h.send(h.dial(), "s@example.org", []string{"r@example.com"}, simpleMessage("auth")); code != 250 {
		t.Fatal(code, err)
	}
	r := rec.requests()[0]
	if r.Authorization != "Basic dXNAZXI6cDpzcw==" { // base64("us@er:p:ss")
		t.Errorf("Authorization = %q", r.Authorization)
	}
	if r.UserAgent != "CloudMailin Server" {
		t.Errorf("User-Agent = %q", r.UserAgent)
	}
	ex := h.deliveries(h.lastMessage().ID)[0]
	for _, hd := range ex.RequestHeaders {
		if strings.EqualFold(hd.Name, "Authorization") && strings.Contains(hd.Value, "dXNAZXI6cDpzcw") {
			t.Errorf("stored Authorization header is not masked: %q", hd.Value)
		}
	}
	if strings.Contains(ex.URL, "p%3Ass") || strings.Contains(ex.URL, "p:ss") {
		t.Errorf("stored URL leaks the password: %q", ex.URL)
	}
}

func closedPortURL(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr + "/hook"
}
