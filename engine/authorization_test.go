package engine_test

import (
	"encoding/xml"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/mailhook/mailhook/engine"
	"github.com/mailhook/mailhook/engine/payload"
	"github.com/mailhook/mailhook/storage"
)

// exchangesOf returns the recorded exchanges of one kind for a message.
func (h *harness) exchangesOf(id int64, kind string) []storage.Exchange {
	h.t.Helper()
	tl, err := h.store.Timeline(bg(), id)
	if err != nil {
		h.t.Fatal(err)
	}
	var out []storage.Exchange
	for _, s := range tl.Exchanges {
		if s.Kind != kind || s.MessageID != id {
			continue
		}
		ex, err := h.store.Exchange(bg(), s.ID)
		if err != nil {
			h.t.Fatal(err)
		}
		out = append(out, ex)
	}
	return out
}

// rcptReply returns the code and "x.y.z text" of a RCPT answer (250 on success).
func rcptReply(err error) (int, string) {
	if err == nil {
		return 250, ""
	}
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		e := se.EnhancedCode
		return se.Code, itoa(e[0]) + "." + itoa(e[1]) + "." + itoa(e[2]) + " " + se.Message
	}
	return 0, err.Error()
}

// TestAuthorizationStatusTable drives each row of SPEC §3's table at RCPT TO.
func TestAuthorizationStatusTable(t *testing.T) {
	hang := make(chan struct{})
	t.Cleanup(func() { close(hang) })
	tests := []struct {
		name        string
		handler     http.HandlerFunc
		refused     bool // the auth URL points at a closed port
		wantCode    int
		wantText    string
		wantOutcome string
		wantStatus  int
	}{
		{"200 accepts", status(200, "ok"), false, 250, "", storage.OutcomeAccepted, 200},
		{"204 accepts", status(204, ""), false, 250, "", storage.OutcomeAccepted, 204},
		{"302 followed to 200", func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/auth" {
				http.Redirect(w, r, "/auth-ok", http.StatusFound)
				return
			}
			status(200, "ok")(w, r)
		}, false, 250, "", storage.OutcomeAccepted, 200},
		{"403 rejects with body line", status(403, "recipient not allowed\nmore"), false, 550, "5.7.1 Recipient rejected by authorization callback (HTTP 403): recipient not allowed", storage.OutcomeRejected, 403},
		{"404 rejects", status(404, ""), false, 550, "5.7.1 ", storage.OutcomeRejected, 404},
		{"500 delays", status(500, "boom"), false, 450, "4.7.1 ", storage.OutcomeDelayed, 500},
		{"timeout delays", func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-hang:
			case <-r.Context().Done():
			}
		}, false, 450, "4.7.1 Authorization callback failed (timeout)", storage.OutcomeDelayed, 0},
		{"unreachable delays", nil, true, 450, "4.7.1 Authorization callback failed (connection refused)", storage.OutcomeDelayed, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			hook := newRecorder(t, status(200, "delivered"))
			authURL := closedPortURL(t)
			if !tc.refused {
				authURL = newRecorder(t, tc.handler).srv.URL + "/auth"
			}
			h := newHarness(t, func(c *engine.Config) {
				c.TargetURL = hook.srv.URL + "/hook"
				c.AuthURL = authURL
				c.Timeout = 300 * time.Millisecond
			})
			c := h.dial()
			if err := c.Mail("sender@example.org", nil); err != nil {
				t.Fatal(err)
			}
			code, text := rcptReply(c.Rcpt("rcpt@example.com", nil))
			if code != tc.wantCode || !strings.HasPrefix(text, tc.wantText) {
				t.Fatalf("RCPT reply %d %q, want %d %q…", code, text, tc.wantCode, tc.wantText)
			}
			m := h.lastMessage()
			exs := h.exchangesOf(m.ID, storage.KindAuthorization)
			if len(exs) != 1 {
				t.Fatalf("%d authorization exchanges stored, want 1", len(exs))
			}
			ex := exs[0]
			if ex.Recipient != "rcpt@example.com" || ex.Outcome != tc.wantOutcome || ex.Status != tc.wantStatus {
				t.Errorf("stored decision = recipient %q outcome %q status %d", ex.Recipient, ex.Outcome, ex.Status)
			}
			if !strings.HasPrefix(ex.SMTPReply, itoa(tc.wantCode)+" ") {
				t.Errorf("stored smtp reply %q, want code %d", ex.SMTPReply, tc.wantCode)
			}
			if tc.wantCode != 250 {
				// Nobody accepted: no DATA, no delivery, and the refusal shows.
				if _, err := c.Data(); err == nil {
					t.Error("DATA accepted with no recipient")
				}
				if m.Outcome != tc.wantOutcome || m.SMTPReply != ex.SMTPReply {
					t.Errorf("transaction outcome %q reply %q, want %q %q", m.Outcome, m.SMTPReply, tc.wantOutcome, ex.SMTPReply)
				}
				if n := len(hook.requests()); n != 0 {
					t.Errorf("%d deliveries, want 0", n)
				}
				return
			}
			w, err := c.Data()
			if err != nil {
				t.Fatal(err)
			}
			w.Write(simpleMessage(tc.name))
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if reqs := hook.requests(); len(reqs) != 1 {
				t.Errorf("%d deliveries, want 1", len(reqs))
			}
		})
	}
}

// TestAuthorizationFormats checks the body each format sends, field by
// field and in order, with SIZE= given at MAIL FROM.
func TestAuthorizationFormats(t *testing.T) {
	wantKeys := []string{"to", "from", "size", "helo_domain", "remote_ip", "spf[result]", "spf[domain]"}
	tests := []struct {
		name, path, format, wantType string
	}{
		{"form by default", "/auth", "", "application/x-www-form-urlencoded"},
		{"json by ending", "/auth.json", "", "application/json"},
		{"xml by ending", "/auth.xml", "", "xml"},
		{"json by setting", "/auth", "json", "application/json"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			auth := newRecorder(t, status(200, "ok"))
			h := newHarness(t, func(c *engine.Config) {
				c.AuthURL = auth.srv.URL + tc.path
				c.AuthFormat = payload.AuthFormat(tc.format)
			})
			c := h.dial()
			if err := c.Mail("sender@example.org", &smtp.MailOptions{Size: 1234}); err != nil {
				t.Fatal(err)
			}
			if err := c.Rcpt("rcpt+tag@example.com", nil); err != nil {
				t.Fatal(err)
			}
			r := auth.requests()[0]
			if !strings.Contains(r.ContentType, tc.wantType) {
				t.Fatalf("Content-Type %q, want %q", r.ContentType, tc.wantType)
			}
			want := map[string]string{"to": "rcpt+tag@example.com", "from": "sender@example.org", "size": "1234",
				"helo_domain": "client.example", "remote_ip": "127.0.0.1", "spf[result]": "none", "spf[domain]": "example.org"}
			var got map[string]string
			var order []string
			switch {
			case strings.Contains(tc.wantType, "json"):
				m := decodeJSON(t, r.Body)
				if _, isNumber := m["size"].(float64); !isNumber {
					t.Errorf("size is %T, want a JSON number", m["size"])
				}
				spf := m["spf"].(map[string]any)
				got = map[string]string{"to": m["to"].(string), "from": m["from"].(string), "size": itoa(int(m["size"].(float64))),
					"helo_domain": m["helo_domain"].(string), "remote_ip": m["remote_ip"].(string),
					"spf[result]": spf["result"].(string), "spf[domain]": spf["domain"].(string)}
				order = jsonKeyOrder(string(r.Body), []string{`"to"`, `"from"`, `"size"`, `"helo_domain"`, `"remote_ip"`, `"spf"`})
			case tc.wantType == "xml":
				got, order = decodeAuthXML(t, r.Body)
			default:
				got, order = decodeOrderedForm(t, string(r.Body))
				if strings.Join(order, ",") != strings.Join(wantKeys, ",") {
					t.Errorf("form fields in order %v, want %v", order, wantKeys)
				}
			}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%s = %q, want %q", k, got[k], v)
				}
			}
			if order == nil {
				t.Error("field order not checked")
			}
		})
	}
}

// jsonKeyOrder fails unless the keys appear in this order in the raw body.
func jsonKeyOrder(body string, keys []string) []string {
	last := -1
	for _, k := range keys {
		i := strings.Index(body, k)
		if i <= last {
			return nil
		}
		last = i
	}
	return keys
}

func decodeOrderedForm(t *testing.T, body string) (map[string]string, []string) {
	t.Helper()
	got := map[string]string{}
	var order []string
	for _, pair := range strings.Split(body, "&") {
		k, v, _ := strings.Cut(pair, "=")
		key, err1 := url.QueryUnescape(k)
		val, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil {
			t.Fatalf("bad form pair %q", pair)
		}
		got[key] = val
		order = append(order, key)
	}
	return got, order
}

func decodeAuthXML(t *testing.T, body []byte) (map[string]string, []string) {
	t.Helper()
	if !strings.HasPrefix(string(body), `<?xml version="1.0" encoding="UTF-8"?>`) {
		t.Errorf("XML body lacks the declaration: %q", body)
	}
	var p struct {
		To   string `xml:"to"`
		From string `xml:"from"`
		Size struct {
			Type  string `xml:"type,attr"`
			Value string `xml:",chardata"`
		} `xml:"size"`
		Helo     string `xml:"helo-domain"`
		RemoteIP string `xml:"remote-ip"`
		SPF      struct {
			Result string `xml:"result"`
			Domain string `xml:"domain"`
		} `xml:"spf"`
	}
	if err := xml.Unmarshal(body, &p); err != nil {
		t.Fatalf("XML: %v\n%s", err, body)
	}
	if p.Size.Type != "integer" {
		t.Errorf(`size type=%q, want "integer"`, p.Size.Type)
	}
	order := jsonKeyOrder(string(body), []string{"<parameters>", "<to>", "<from>", "<size", "<helo-domain>", "<remote-ip>", "<spf>"})
	return map[string]string{"to": p.To, "from": p.From, "size": strings.TrimSpace(p.Size.Value), "helo_domain": p.Helo,
		"remote_ip": p.RemoteIP, "spf[result]": p.SPF.Result, "spf[domain]": p.SPF.Domain}, order
}

// TestPerRecipientDecisions: one transaction, four recipients, four answers;
// only the accepted ones reach the delivery.
func TestPerRecipientDecisions(t *testing.T) {
	auth := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/ok" {
			status(200, "ok")(w, r)
			return
		}
		r.ParseForm()
		switch r.PostForm.Get("to") {
		case "accept@example.com":
			status(200, "ok")(w, r)
		case "reject@example.com":
			status(403, "no such user")(w, r)
		case "delay@example.com":
			status(503, "busy")(w, r)
		case "redirect@example.com":
			http.Redirect(w, r, "/ok", http.StatusTemporaryRedirect)
		}
	})
	hook := newRecorder(t, status(200, "ok"))
	h := newHarness(t, func(c *engine.Config) {
		c.TargetURL = hook.srv.URL + "/hook"
		c.AuthURL = auth.srv.URL + "/auth"
	})
	c := h.dial()
	if err := c.Mail("sender@example.org", nil); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		to   string
		code int
	}{{"accept@example.com", 250}, {"reject@example.com", 550}, {"delay@example.com", 450}, {"redirect@example.com", 250}} {
		if code, text := rcptReply(c.Rcpt(tc.to, nil)); code != tc.code {
			t.Errorf("RCPT %s = %d %q, want %d", tc.to, code, text, tc.code)
		}
	}
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	w.Write(simpleMessage("per recipient"))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	reqs := hook.requests()
	if len(reqs) != 1 {
		t.Fatalf("%d deliveries, want 1", len(reqs))
	}
	env := decodeJSON(t, reqs[0].Body)["envelope"].(map[string]any)
	if !equalAny(env["recipients"], []string{"accept@example.com", "redirect@example.com"}) {
		t.Errorf("envelope recipients %v, want only the accepted ones", env["recipients"])
	}
	m := h.lastMessage()
	if m.Outcome != storage.OutcomeAccepted {
		t.Errorf("outcome %q, want accepted", m.Outcome)
	}
	if n := len(h.exchangesOf(m.ID, storage.KindAuthorization)); n != 4 {
		t.Errorf("%d authorization decisions stored, want 4", n)
	}
}

// TestRefusedTransactionOutcome: with nobody accepted the transaction is in
// history as delayed when any recipient was delayed, else rejected.
func TestRefusedTransactionOutcome(t *testing.T) {
	auth := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		if strings.HasPrefix(r.PostForm.Get("to"), "delay") {
			status(500, "")(w, r)
			return
		}
		status(403, "no")(w, r)
	})
	for _, tc := range []struct {
		name string
		to   []string
		want string
	}{
		{"all rejected", []string{"a@example.com", "b@example.com"}, storage.OutcomeRejected},
		{"rejected and delayed", []string{"a@example.com", "delay@example.com", "b@example.com"}, storage.OutcomeDelayed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, func(c *engine.Config) { c.AuthURL = auth.srv.URL + "/auth" })
			c := h.dial()
			if err := c.Mail("sender@example.org", nil); err != nil {
				t.Fatal(err)
			}
			for _, to := range tc.to {
				if err := c.Rcpt(to, nil); err == nil {
					t.Fatalf("RCPT %s accepted", to)
				}
			}
			c.Quit()
			page, err := h.store.ListMessages(bg(), storage.ListQuery{Outcome: tc.want})
			if err != nil || len(page.Messages) != 1 {
				t.Fatalf("listing %s transactions: %v, %d found, want 1", tc.want, err, len(page.Messages))
			}
			if got := page.Messages[0].SMTPReply; !strings.HasPrefix(got, "5") && !strings.HasPrefix(got, "4") {
				t.Errorf("stored reply %q", got)
			}
		})
	}
}

// TestSPFInCallbacks: the same SPF result goes to the authorization callback
// and the delivery envelope, forced or computed offline.
func TestSPFInCallbacks(t *testing.T) {
	for _, tc := range []struct {
		name, forced, from, wantResult, wantDomain string
	}{
		{"offline loopback is none", "", "sender@Example.ORG", "none", "example.org"},
		{"forced softfail", "softfail", "sender@example.org", "softfail", "example.org"},
		{"bounce uses the HELO domain", "pass", "", "pass", "client.example"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			auth := newRecorder(t, status(200, "ok"))
			hook := newRecorder(t, status(200, "ok"))
			h := newHarness(t, func(c *engine.Config) {
				c.AuthURL = auth.srv.URL + "/auth.json"
				c.TargetURL = hook.srv.URL + "/hook"
				c.SPFResult = tc.forced
			})
			if code, text, err := h.send(h.dial(), tc.from, []string{"r@example.com"}, simpleMessage(tc.name)); code != 250 {
				t.Fatalf("reply %d %q %v", code, text, err)
			}
			authSPF := decodeJSON(t, auth.requests()[0].Body)["spf"].(map[string]any)
			envSPF := decodeJSON(t, hook.requests()[0].Body)["envelope"].(map[string]any)["spf"].(map[string]any)
			for where, spf := range map[string]map[string]any{"authorization": authSPF, "delivery": envSPF} {
				if spf["result"] != tc.wantResult || spf["domain"] != tc.wantDomain {
					t.Errorf("%s spf = %v, want %s/%s", where, spf, tc.wantResult, tc.wantDomain)
				}
			}
		})
	}
}
