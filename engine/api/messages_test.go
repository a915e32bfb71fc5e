package api_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mailhook/mailhook/engine"
)

func TestListMessages(t *testing.T) {
	e := newEnv(t, ok(200, "ok"), nil)
	for _, s := range []string{"alpha one", "alpha two", "beta three", "alpha four", "alpha five"} {
		e.mustSend(s)
	}

	t.Run("fields", func(t *testing.T) {
		var l list
		e.call("GET", "/api/messages?limit=1", nil, 200, &l)
		if len(l.Messages) != 1 {
			t.Fatalf("got %d messages, want 1", len(l.Messages))
		}
		m := l.Messages[0]
		if m.Subject != "alpha five" || m.From != "sender@example.org" ||
			!slices.Equal(m.Recipients, []string{"rcpt@example.com"}) ||
			m.MessageID != "<alpha-five@example.org>" || m.Outcome != "accepted" || m.Status != 200 ||
			m.ReceivedAt.IsZero() || m.ID <= 0 {
			t.Errorf("message = %+v", m)
		}
	})
	t.Run("cursor paging", func(t *testing.T) {
		var subjects []string
		path := "/api/messages?limit=2"
		for pages := 0; ; pages++ {
			if pages > 3 {
				t.Fatal("paging does not end")
			}
			var l list
			e.call("GET", path, nil, 200, &l)
			for _, m := range l.Messages {
				subjects = append(subjects, m.Subject)
			}
			if l.Next == nil {
				break
			}
			if len(l.Messages) != 2 || *l.Next != l.Messages[1].ID {
				t.Fatalf("page %d: %d messages, next %d", pages, len(l.Messages), *l.Next)
			}
			path = fmt.Sprintf("/api/messages?limit=2&before=%d", *l.Next)
		}
		want := []string{"alpha five", "alpha four", "beta three", "alpha two", "alpha one"}
		if !slices.Equal(subjects, want) {
			t.Errorf("pages = %q, want %q", subjects, want)
		}
	})
	t.Run("next is null on the last page", func(t *testing.T) {
		code, b := e.do("GET", "/api/messages", nil)
		if code != 200 || !bytes.Contains(b, []byte(`"next":null`)) {
			t.Errorf("GET /api/messages = %d %s", code, b)
		}
	})
	for _, tc := range []struct {
		name, query string
		want        []string
	}{
		{"q", "q=beta", []string{"beta three"}},
		{"q matches addresses", "q=sender@example", []string{"alpha five", "alpha four", "beta three", "alpha two", "alpha one"}},
		{"q and limit", "q=alpha&limit=3", []string{"alpha five", "alpha four", "alpha two"}},
		{"q without match", "q=nothing-like-this", nil},
		{"outcome accepted", "outcome=accepted&limit=1", []string{"alpha five"}},
		{"outcome rejected", "outcome=rejected", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var l list
			e.call("GET", "/api/messages?"+tc.query, nil, 200, &l)
			var got []string
			for _, m := range l.Messages {
				got = append(got, m.Subject)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("subjects = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestMessageDetail(t *testing.T) {
	// The authorization callback goes to the same recorder, the error
	// callback too; deliveries to /fail get 422 (rejected, error callback).
	answer := func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/fail" {
			ok(422, "broken handler")(w, r)
			return
		}
		ok(200, "fine")(w, r)
	}
	e := newEnv(t, answer, func(c *engine.Config, hook *recorder) {
		c.AuthURL = hook.srv.URL + "/auth"
		c.ErrorURL = hook.srv.URL + "/error"
	})
	e.mustSend("detail ok")
	var l list
	e.call("GET", "/api/messages?limit=1", nil, 200, &l)
	id := l.Messages[0].ID

	var d detail
	e.call("GET", fmt.Sprintf("/api/messages/%d", id), nil, 200, &d)
	if d.ID != id || d.Subject != "detail ok" || d.From != "sender@example.org" || d.Outcome != "accepted" {
		t.Errorf("detail head = %+v", d.message)
	}
	kinds := map[string][]entry{}
	for i, en := range d.Timeline {
		kinds[en.Kind] = append(kinds[en.Kind], en)
		if i > 0 && en.At.Before(d.Timeline[i-1].At) {
			t.Errorf("timeline not in time order at %d", i)
		}
	}

	t.Run("smtp entries", func(t *testing.T) {
		var cmds []string
		for _, en := range kinds["smtp"] {
			cmds = append(cmds, en.Request.Method)
			if en.URL != "" || en.Curl != "" || en.ID <= 0 {
				t.Errorf("smtp entry %+v", en)
			}
		}
		for _, want := range []string{"EHLO", "MAIL", "RCPT", "DATA"} {
			if !slices.Contains(cmds, want) {
				t.Errorf("commands %q lack %s", cmds, want)
			}
		}
		i := slices.IndexFunc(kinds["smtp"], func(en entry) bool { return en.Request.Method == "MAIL" })
		mailEntry := kinds["smtp"][i]
		if !strings.Contains(mailEntry.Request.Body, "sender@example.org") || !strings.HasPrefix(mailEntry.SMTPReply, "250") ||
			mailEntry.Status != 250 || mailEntry.Message == nil || *mailEntry.Message != id {
			t.Errorf("MAIL entry = %+v", mailEntry)
		}
	})
	t.Run("authorization entry", func(t *testing.T) {
		if len(kinds["authorization"]) != 1 {
			t.Fatalf("authorization entries: %d", len(kinds["authorization"]))
		}
		a := kinds["authorization"][0]
		if a.Status != 200 || !strings.HasSuffix(a.URL, "/auth") || !strings.Contains(a.Request.Body, "rcpt%40example.com") {
			t.Errorf("authorization entry = %+v", a)
		}
	})
	t.Run("delivery entry", func(t *testing.T) {
		if len(kinds["delivery"]) != 1 {
			t.Fatalf("delivery entries: %d", len(kinds["delivery"]))
		}
		dl := kinds["delivery"][0]
		if dl.Status != 200 || dl.Outcome != "accepted" || !strings.HasPrefix(dl.SMTPReply, "250") ||
			dl.Request.Method != "POST" || !strings.HasSuffix(dl.URL, "/hook") || dl.ReplayOf != nil ||
			dl.Message == nil || *dl.Message != id || dl.At.IsZero() {
			t.Errorf("delivery entry = %+v", dl)
		}
		if ct := header(dl.Request.Headers, "Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("request Content-Type %q", ct)
		}
		var body map[string]any
		if err := json.Unmarshal([]byte(dl.Request.Body), &body); err != nil || body["headers"] == nil {
			t.Errorf("request body is not the delivery JSON: %v %.200s", err, dl.Request.Body)
		}
		if dl.Response.Body != "fine" || dl.Response.BodyEncoding != "" || dl.Response.Truncated ||
			header(dl.Response.Headers, "Content-Type") == "" {
			t.Errorf("response = %+v", dl.Response)
		}
		if !strings.HasPrefix(dl.Curl, "curl") || !strings.Contains(dl.Curl, "/hook") {
			t.Errorf("curl = %q", dl.Curl)
		}
	})

	t.Run("error callback entry", func(t *testing.T) {
		c := e.eng.Config()
		c.TargetURL = e.hook.srv.URL + "/fail"
		if err := e.eng.SetConfig(c); err != nil {
			t.Fatal(err)
		}
		err := e.send("sender@example.org", []string{"rcpt@example.com"}, mail("detail failed"))
		if err == nil || !strings.HasPrefix(err.Error(), "5") {
			t.Fatalf("send to a failing webhook: %v, want a 5xx", err)
		}
		var l list
		e.call("GET", "/api/messages?limit=1", nil, 200, &l)
		// The error callback is sent after the SMTP reply: wait for it.
		var d detail
		i := -1
		for end := time.Now().Add(5 * time.Second); i < 0 && time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
			e.call("GET", fmt.Sprintf("/api/messages/%d", l.Messages[0].ID), nil, 200, &d)
			i = slices.IndexFunc(d.Timeline, func(en entry) bool { return en.Kind == "error_callback" })
		}
		if i < 0 {
			t.Fatalf("no error_callback entry in %+v", d.Timeline)
		}
		if d.Outcome != "rejected" || d.Status != 422 {
			t.Errorf("head = %+v", d.message)
		}
		if ec := d.Timeline[i]; !strings.HasSuffix(ec.URL, "/error") || !strings.Contains(ec.Request.Body, "status=422") {
			t.Errorf("error callback = %+v", ec)
		}
	})
}

func TestMessageWithoutData(t *testing.T) {
	// The authorization callback refuses every recipient: no DATA happens.
	e := newEnv(t, ok(403, "no"), func(c *engine.Config, hook *recorder) { c.AuthURL = hook.srv.URL + "/auth" })
	if err := e.send("sender@example.org", []string{"nobody@example.com"}, mail("refused")); err == nil {
		t.Fatal("send succeeded, want a refused recipient")
	}
	var l list
	e.call("GET", "/api/messages", nil, 200, &l)
	if len(l.Messages) != 1 {
		t.Fatalf("list = %+v", l)
	}
	m := l.Messages[0]
	if m.ReceivedAt.IsZero() || m.Outcome != "rejected" {
		t.Errorf("message without data = %+v", m)
	}
	t.Run("raw is 404", func(t *testing.T) {
		var ae apiError
		e.call("GET", fmt.Sprintf("/api/messages/%d/raw", m.ID), nil, 404, &ae)
		if ae.Error == "" {
			t.Error("no error text")
		}
	})
	t.Run("replay without delivery is 409", func(t *testing.T) {
		e.call("POST", fmt.Sprintf("/api/messages/%d/replay", m.ID), nil, 409, &apiError{})
	})
}

func TestRawMessage(t *testing.T) {
	e := newEnv(t, ok(200, "ok"), nil)
	sent := mail("raw check")
	e.mustSend("raw check")
	var l list
	e.call("GET", "/api/messages", nil, 200, &l)
	id := l.Messages[0].ID

	resp, err := http.Get(fmt.Sprintf("%s/api/messages/%d/raw", e.api.URL, id))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !bytes.Equal(got, sent) {
		t.Errorf("raw = %d %q, want %q", resp.StatusCode, got, sent)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "message/rfc822" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd, want := resp.Header.Get("Content-Disposition"), fmt.Sprintf(`attachment; filename="message-%d.eml"`, id); cd != want {
		t.Errorf("Content-Disposition %q, want %q", cd, want)
	}
}

func TestBinaryResponseBody(t *testing.T) {
	bin := []byte{0xff, 0xfe, 0x00, 'o', 'k'}
	e := newEnv(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write(bin)
	}, nil)
	e.mustSend("binary answer")
	var l list
	e.call("GET", "/api/messages", nil, 200, &l)
	var d detail
	e.call("GET", fmt.Sprintf("/api/messages/%d", l.Messages[0].ID), nil, 200, &d)
	i := slices.IndexFunc(d.Timeline, func(en entry) bool { return en.Kind == "delivery" })
	if i < 0 {
		t.Fatal("no delivery")
	}
	r := d.Timeline[i].Response
	got, err := base64.StdEncoding.DecodeString(r.Body)
	if r.BodyEncoding != "base64" || err != nil || !bytes.Equal(got, bin) {
		t.Errorf("response body %q (%s), want base64 of %q", r.Body, r.BodyEncoding, bin)
	}
}

func TestDeleteHistory(t *testing.T) {
	e := newEnv(t, ok(200, "ok"), nil)
	e.mustSend("to be deleted")
	var l list
	e.call("GET", "/api/messages", nil, 200, &l)
	if len(l.Messages) != 1 {
		t.Fatalf("before: %d messages", len(l.Messages))
	}
	id := l.Messages[0].ID
	code, body := e.do("DELETE", "/api/messages", nil)
	if code != http.StatusNoContent || len(body) != 0 {
		t.Fatalf("DELETE = %d %q", code, body)
	}
	e.call("GET", "/api/messages", nil, 200, &l)
	if len(l.Messages) != 0 || l.Next != nil {
		t.Errorf("after delete: %+v", l)
	}
	e.call("GET", fmt.Sprintf("/api/messages/%d", id), nil, 404, &apiError{})
}
