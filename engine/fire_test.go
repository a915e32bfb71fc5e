package engine_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/mailhook/mailhook/engine"
	"github.com/mailhook/mailhook/engine/payload"
	"github.com/mailhook/mailhook/storage"
)

// TestFire builds each kind of callback from a sample and from an .eml,
// without SMTP, and checks what the webhook received and what was stored.
func TestFire(t *testing.T) {
	fullEML := readFixture(t, "full.eml")
	attachments, err := engine.SampleMessage("attachments")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		req         engine.FireRequest // URL is a path on the webhook
		wantFormat  string
		wantRcpt    string
		wantReply   string
		wantOutcome string
		check       func(t *testing.T, req wireReq)
	}{
		{
			name:       "delivery json+n from a sample",
			req:        engine.FireRequest{Kind: engine.FireDelivery, URL: "/hook", Sample: "multiple-recipients"},
			wantFormat: "json+n", wantReply: "250 2.0.0 Message accepted by webhook (HTTP 200)", wantOutcome: storage.OutcomeAccepted,
			check: func(t *testing.T, req wireReq) {
				v := decodeJSON(t, req.Body)
				env := v["envelope"].(map[string]any)
				if !equalAny(env["recipients"], []string{"bob@example.com", "support@example.com", "sales-eu@example.com"}) ||
					env["to"] != "bob@example.com" || env["from"] != "dana@example.org" ||
					env["helo_domain"] != "localhost" || env["remote_ip"] != "127.0.0.1" {
					t.Errorf("envelope %v", env)
				}
				if spf := env["spf"].(map[string]any); spf["result"] != "none" || spf["domain"] != "example.org" {
					t.Errorf("spf %v", spf)
				}
				if h := v["headers"].(map[string]any); h["subject"] != "One message, several recipients" {
					t.Errorf("headers %v", h)
				}
			},
		},
		{
			name:       "delivery multipart+n from an .eml",
			req:        engine.FireRequest{Kind: engine.FireDelivery, URL: "/hook", Format: "multipart+n", EML: fullEML, Recipients: []string{"only@example.net"}},
			wantFormat: "multipart+n", wantReply: "250 2.0.0 Message accepted by webhook (HTTP 200)", wantOutcome: storage.OutcomeAccepted,
			check: func(t *testing.T, req wireReq) {
				parts := readForm(t, req.Header.Get("Content-Type"), req.Body)
				for field, want := range map[string]string{
					"plain": fullPlain, "headers[subject]": fullSubject, "envelope[recipients][0]": "only@example.net",
					"envelope[from]": fullMailFrom, "envelope[md5]": md5Hex(fullEML),
				} {
					if got, _ := formValue(parts, field); strings.TrimSpace(got) != want {
						t.Errorf("%s = %q, want %q", field, got, want)
					}
				}
			},
		},
		{
			name:       "delivery raw from a sample",
			req:        engine.FireRequest{Kind: engine.FireDelivery, URL: "/hook", Format: "raw", Sample: "attachments"},
			wantFormat: "raw", wantReply: "250 2.0.0 Message accepted by webhook (HTTP 200)", wantOutcome: storage.OutcomeAccepted,
			check: func(t *testing.T, req wireReq) {
				parts := readForm(t, req.Header.Get("Content-Type"), req.Body)
				if got, _ := formValue(parts, "message"); got != string(attachments) {
					t.Error("message field is not the sample")
				}
			},
		},
		{
			name:       "authorization form from a sample",
			req:        engine.FireRequest{Kind: engine.FireAuthorization, URL: "/auth", Sample: "plain"},
			wantFormat: "form", wantRcpt: "bob@example.com", wantOutcome: storage.OutcomeAccepted,
			wantReply: "250 2.0.0 I'll make sure <bob@example.com> gets this",
			check: func(t *testing.T, req wireReq) {
				want := "to=bob%40example.com&from=alice%40example.org&helo_domain=localhost&remote_ip=127.0.0.1&spf[result]=none&spf[domain]=example.org"
				if string(req.Body) != want || req.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
					t.Errorf("body %s (%s), want %s", req.Body, req.Header.Get("Content-Type"), want)
				}
			},
		},
		{
			name: "authorization json with parameters, from an .eml",
			req: engine.FireRequest{Kind: engine.FireAuthorization, URL: "/auth.json", EML: fullEML,
				Auth: payload.AuthParams{To: "custom@example.com", Size: 1234, SPF: payload.SPF{Result: "pass"}}},
			wantFormat: "json", wantRcpt: "custom@example.com", wantOutcome: storage.OutcomeAccepted,
			wantReply: "250 2.0.0 I'll make sure <custom@example.com> gets this",
			check: func(t *testing.T, req wireReq) {
				want := `{"to":"custom@example.com","from":"andre@example.org","size":1234,"helo_domain":"localhost","remote_ip":"127.0.0.1","spf":{"result":"pass","domain":"example.org"}}`
				if string(req.Body) != want {
					t.Errorf("body %s\nwant %s", req.Body, want)
				}
			},
		},
		{
			name:       "authorization xml by format, rejected",
			req:        engine.FireRequest{Kind: engine.FireAuthorization, URL: "/deny", Format: "xml", Sample: "reply-thread"},
			wantFormat: "xml", wantRcpt: "alice@example.org", wantOutcome: storage.OutcomeRejected,
			wantReply: "550 5.7.1 Recipient rejected by authorization callback (HTTP 403): denied",
			check: func(t *testing.T, req wireReq) {
				var p struct {
					To   string `xml:"to"`
					From string `xml:"from"`
				}
				if err := xml.Unmarshal(req.Body, &p); err != nil || p.To != "alice@example.org" || p.From != "bob@example.com" {
					t.Errorf("xml %s (%v)", req.Body, err)
				}
			},
		},
		{
			name:       "error form from a sample",
			req:        engine.FireRequest{Kind: engine.FireError, URL: "/errors", Sample: "plain"},
			wantFormat: "form", wantOutcome: storage.OutcomeAccepted,
			check: func(t *testing.T, req wireReq) {
				q, err := url.ParseQuery(string(req.Body))
				if err != nil || q.Get("status") != "500" || q.Get("response") != "test error callback" ||
					q.Get("to") != "bob@example.com" || q.Get("from") != "alice@example.org" {
					t.Errorf("form %s", req.Body)
				}
			},
		},
		{
			name:       "error json with parameters, from an .eml",
			req:        engine.FireRequest{Kind: engine.FireError, URL: "/errors.json", EML: fullEML, Error: payload.ErrorParams{Status: 422, Response: "bad"}},
			wantFormat: "json", wantOutcome: storage.OutcomeAccepted,
			check: func(t *testing.T, req wireReq) {
				want := `{"status":422,"to":"rcpt@example.com","from":"andre@example.org","response":"bad"}`
				if string(req.Body) != want || req.Header.Get("Content-Type") != "application/json" {
					t.Errorf("body %s\nwant %s", req.Body, want)
				}
			},
		},
	}
	hook := newWire(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/deny" {
			status(403, "denied")(w, r)
			return
		}
		status(200, "ok")(w, r)
	})
	h := newHarness(t, nil)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			events, stop := h.eng.Subscribe()
			defer stop()
			req := tc.req
			req.URL = hook.srv.URL + req.URL
			ex, err := h.eng.Fire(bg(), req)
			if err != nil {
				t.Fatal(err)
			}
			got := hook.last(t)
			tc.check(t, got)
			if got.Header.Get("User-Agent") != "CloudMailin Server" {
				t.Errorf("User-Agent %q", got.Header.Get("User-Agent"))
			}
			stored, err := h.store.Exchange(bg(), ex.ID)
			if err != nil {
				t.Fatal(err)
			}
			if stored.ID != ex.ID || !bytes.Equal(stored.RequestBody, got.Body) {
				t.Error("stored exchange is not what was sent")
			}
			if stored.Kind != storage.KindTest || stored.MessageID != 0 || stored.Format != tc.wantFormat ||
				stored.Recipient != tc.wantRcpt || stored.SMTPReply != tc.wantReply || stored.Outcome != tc.wantOutcome {
				t.Errorf("stored kind %q message %d format %q recipient %q reply %q outcome %q",
					stored.Kind, stored.MessageID, stored.Format, stored.Recipient, stored.SMTPReply, stored.Outcome)
			}
			if ev := nextEvent(t, events, engine.EventTestFired); ev.ExchangeID != ex.ID || ev.MessageID != 0 {
				t.Errorf("event %+v", ev)
			}
		})
	}
}

// TestReplayOfTestFire: a test fire can be replayed like any exchange; a
// callback is rebuilt from its body, a delivery (no stored message) only as is.
func TestReplayOfTestFire(t *testing.T) {
	hook := newWire(t, status(200, "ok"))
	h := newHarness(t, nil)
	auth, err := h.eng.Fire(bg(), engine.FireRequest{Kind: engine.FireAuthorization, URL: hook.srv.URL + "/auth", Sample: "plain",
		Auth: payload.AuthParams{Size: 99}})
	if err != nil {
		t.Fatal(err)
	}
	errCB, err := h.eng.Fire(bg(), engine.FireRequest{Kind: engine.FireError, URL: hook.srv.URL + "/errors", Sample: "plain"})
	if err != nil {
		t.Fatal(err)
	}
	delivery, err := h.eng.Fire(bg(), engine.FireRequest{Kind: engine.FireDelivery, URL: hook.srv.URL + "/hook"})
	if err != nil {
		t.Fatal(err)
	}

	t.Run("authorization as json", func(t *testing.T) {
		rep, err := h.eng.Replay(bg(), auth.ID, engine.ReplayOptions{Format: "json"})
		if err != nil {
			t.Fatal(err)
		}
		want := `{"to":"bob@example.com","from":"alice@example.org","size":99,"helo_domain":"localhost","remote_ip":"127.0.0.1","spf":{"result":"none","domain":"example.org"}}`
		if string(hook.last(t).Body) != want || !strings.HasPrefix(rep.SMTPReply, "250 ") || rep.MessageID != 0 {
			t.Errorf("body %s reply %q", hook.last(t).Body, rep.SMTPReply)
		}
	})
	t.Run("error callback as json", func(t *testing.T) {
		rep, err := h.eng.Replay(bg(), errCB.ID, engine.ReplayOptions{Format: "json"})
		if err != nil {
			t.Fatal(err)
		}
		want := `{"status":500,"to":"bob@example.com","from":"alice@example.org","response":"test error callback"}`
		if string(hook.last(t).Body) != want || rep.SMTPReply != "" {
			t.Errorf("body %s reply %q", hook.last(t).Body, rep.SMTPReply)
		}
	})
	t.Run("delivery as is", func(t *testing.T) {
		if _, err := h.eng.Replay(bg(), delivery.ID, engine.ReplayOptions{}); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(hook.last(t).Body, delivery.RequestBody) {
			t.Error("delivery replay differs")
		}
	})
	t.Run("delivery in another format", func(t *testing.T) {
		if _, err := h.eng.Replay(bg(), delivery.ID, engine.ReplayOptions{Format: "raw"}); !errors.Is(err, engine.ErrInvalidRequest) {
			t.Errorf("err %v, want ErrInvalidRequest", err)
		}
	})
}

func TestFireErrors(t *testing.T) {
	hook := newWire(t, status(200, "ok"))
	h := newHarness(t, nil) // no authorization or error URL set
	tests := []struct {
		name string
		req  engine.FireRequest
	}{
		{"unknown kind", engine.FireRequest{Kind: "smtp", URL: hook.srv.URL}},
		{"unknown sample", engine.FireRequest{Kind: engine.FireDelivery, URL: hook.srv.URL, Sample: "nope"}},
		{"no authorization url set", engine.FireRequest{Kind: engine.FireAuthorization}},
		{"bad format", engine.FireRequest{Kind: engine.FireError, URL: hook.srv.URL, Format: "xml"}},
		{"bad url", engine.FireRequest{Kind: engine.FireDelivery, URL: "mailto:x@example.com"}},
		{"no recipient", engine.FireRequest{Kind: engine.FireDelivery, URL: hook.srv.URL, EML: []byte("Subject: none\r\n\r\nhi\r\n")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := h.eng.Fire(bg(), tc.req); !errors.Is(err, engine.ErrInvalidRequest) {
				t.Errorf("err %v, want ErrInvalidRequest", err)
			}
		})
	}
	if n := len(hook.requests()); n != 0 {
		t.Errorf("%d requests went out", n)
	}
	if n := h.countRows("exchanges"); n != 0 {
		t.Errorf("%d exchanges stored", n)
	}
}
