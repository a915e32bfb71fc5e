package engine_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/mailhook/mailhook/engine"
	"github.com/mailhook/mailhook/engine/payload"
	"github.com/mailhook/mailhook/storage"
)

// TestReplaySameRequest: a replay sends the stored request again byte for
// byte, with the same headers, and is recorded beside the original with the
// delivery table applied to the new answer.
func TestReplaySameRequest(t *testing.T) {
	for _, format := range []payload.Format{payload.JSONNormalized, payload.MultipartNormalized, payload.Raw} {
		t.Run(string(format), func(t *testing.T) {
			hook := newWire(t, status(500, "down"))
			h := newHarness(t, func(c *engine.Config) {
				c.TargetURL = hook.srv.URL + "/hook"
				c.Format = format
				c.SPFResult = "pass"
			})
			m, orig := h.deliver(readFixture(t, "full.eml"), fullRecipients...)
			first := hook.last(t)

			hook.setAnswer(status(422, "still wrong\nsecond line"))
			events, stop := h.eng.Subscribe()
			defer stop()
			rep, err := h.eng.Replay(bg(), orig.ID, engine.ReplayOptions{})
			if err != nil {
				t.Fatal(err)
			}
			again := hook.last(t)
			if len(hook.requests()) != 2 {
				t.Fatalf("webhook got %d requests, want 2", len(hook.requests()))
			}
			if !bytes.Equal(again.Body, first.Body) {
				t.Errorf("replayed body differs from the original (%d vs %d bytes)", len(again.Body), len(first.Body))
			}
			if !reflect.DeepEqual(again.Header, first.Header) {
				t.Errorf("replayed headers:\n%v\nwant the original's:\n%v", again.Header, first.Header)
			}
			if again.Method != first.Method || again.Path != first.Path {
				t.Errorf("replayed %s %s, want %s %s", again.Method, again.Path, first.Method, first.Path)
			}

			if rep.Kind != storage.KindReplay || rep.ReplayOf != orig.ID || rep.MessageID != m.ID || rep.Format != string(format) {
				t.Errorf("replay recorded as kind %q replay_of %d message %d format %q", rep.Kind, rep.ReplayOf, rep.MessageID, rep.Format)
			}
			wantReply := "554 5.0.0 Message rejected by webhook (HTTP 422): still wrong"
			if rep.Status != 422 || rep.Outcome != storage.OutcomeRejected || rep.SMTPReply != wantReply {
				t.Errorf("replay status %d outcome %q reply %q, want 422 rejected %q", rep.Status, rep.Outcome, rep.SMTPReply, wantReply)
			}
			stored, err := h.store.Exchange(bg(), rep.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(stored.RequestBody, orig.RequestBody) {
				t.Error("stored replay body differs from the original's")
			}
			ev := nextEvent(t, events, engine.EventReplayed)
			if ev.MessageID != m.ID || ev.ExchangeID != rep.ID || ev.ReplayOf != orig.ID || ev.Status != 422 {
				t.Errorf("event %+v", ev)
			}
			if line := engine.FormatEvent(ev); !strings.Contains(line, "replay #") || !strings.Contains(line, "422") {
				t.Errorf("headless line %q", line)
			}
			tl, err := h.store.Timeline(bg(), m.ID)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(tl.Exchanges); n != 2 || tl.Exchanges[1].ID != rep.ID {
				t.Errorf("timeline has %d exchanges, want the original and its replay", n)
			}
		})
	}
}

func TestReplayToAnotherURL(t *testing.T) {
	hook := newWire(t, status(500, "down"))
	other := newWire(t, status(202, "ok"))
	h := newHarness(t, func(c *engine.Config) { c.TargetURL = hook.srv.URL + "/hook" })
	_, orig := h.deliver(simpleMessage("another url"))

	rep, err := h.eng.Replay(bg(), orig.ID, engine.ReplayOptions{URL: other.srv.URL + "/elsewhere?attempt=2"})
	if err != nil {
		t.Fatal(err)
	}
	got := other.last(t)
	if got.Path != "/elsewhere" || got.RawQuery != "attempt=2" || !bytes.Equal(got.Body, hook.last(t).Body) {
		t.Errorf("other URL got %s?%s with %d bytes", got.Path, got.RawQuery, len(got.Body))
	}
	if len(hook.requests()) != 1 {
		t.Errorf("the original URL was called again")
	}
	if rep.URL != other.srv.URL+"/elsewhere?attempt=2" || rep.Status != 202 || rep.Outcome != storage.OutcomeAccepted ||
		rep.SMTPReply != "250 2.0.0 Message accepted by webhook (HTTP 202)" {
		t.Errorf("replay recorded url %q status %d outcome %q reply %q", rep.URL, rep.Status, rep.Outcome, rep.SMTPReply)
	}
}

// TestReplayInAnotherFormat rebuilds one delivery as multipart+n, then that
// replay as raw, then back as json+n, which must equal the original body.
func TestReplayInAnotherFormat(t *testing.T) {
	hook := newWire(t, status(200, "ok"))
	h := newHarness(t, func(c *engine.Config) {
		c.TargetURL = hook.srv.URL + "/hook"
		c.SPFResult = "softfail"
	})
	m, orig := h.deliver(readFixture(t, "full.eml"), fullRecipients...)
	raw, err := h.store.RawMessage(bg(), m.ID)
	if err != nil {
		t.Fatal(err)
	}
	envelope := decodeJSON(t, orig.RequestBody)["envelope"].(map[string]any)
	if stored, err := h.eng.Message(bg(), m.ID); err != nil || stored.SPFResult != "softfail" || stored.SPFDomain != "example.org" {
		t.Fatalf("SPF kept on the message: %q %q (%v)", stored.SPFResult, stored.SPFDomain, err)
	}

	prev := orig.ID
	steps := []struct {
		format string
		check  func(t *testing.T, req wireReq)
	}{
		{"multipart+n", func(t *testing.T, req wireReq) {
			parts := readForm(t, req.Header.Get("Content-Type"), req.Body)
			for field, want := range map[string]string{
				"plain":                   fullPlain,
				"headers[subject]":        fullSubject,
				"headers[message_id]":     fullMessageID,
				"envelope[to]":            fullFirstRcpt,
				"envelope[recipients][0]": fullFirstRcpt,
				"envelope[recipients][1]": fullSecondRcpt,
				"envelope[from]":          "sender@example.org",
				"envelope[helo_domain]":   "client.example",
				"envelope[remote_ip]":     "127.0.0.1",
				"envelope[md5]":           md5Hex(raw),
				"envelope[spf][result]":   "softfail",
				"envelope[spf][domain]":   "example.org",
			} {
				if got, ok := formValue(parts, field); !ok || strings.TrimSpace(got) != want {
					t.Errorf("%s = %q (present %v), want %q", field, got, ok, want)
				}
			}
			var files int
			for _, p := range parts {
				if p.Name == "attachments[]" {
					files++
				}
			}
			if files == 0 {
				t.Error("no attachments[] file part")
			}
		}},
		{"raw", func(t *testing.T, req wireReq) {
			parts := readForm(t, req.Header.Get("Content-Type"), req.Body)
			if got, _ := formValue(parts, "message"); got != string(raw) {
				t.Errorf("message field is not the stored raw message (%d vs %d bytes)", len(got), len(raw))
			}
			if got, _ := formValue(parts, "envelope[recipients][1]"); got != fullSecondRcpt {
				t.Errorf("envelope[recipients][1] = %q", got)
			}
			if got, _ := formValue(parts, "envelope[spf][result]"); got != envelope["spf"].(map[string]any)["result"] {
				t.Errorf("envelope[spf][result] = %q, want the original's", got)
			}
		}},
		{"json+n", func(t *testing.T, req wireReq) {
			if !bytes.Equal(req.Body, orig.RequestBody) {
				t.Errorf("json+n rebuilt from the stored message differs from the original delivery:\n%s\n%s", req.Body, orig.RequestBody)
			}
			if ct := req.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
		}},
	}
	for _, step := range steps {
		t.Run(step.format, func(t *testing.T) {
			rep, err := h.eng.Replay(bg(), prev, engine.ReplayOptions{Format: step.format})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Format != step.format || rep.ReplayOf != prev || rep.MessageID != m.ID {
				t.Errorf("recorded format %q replay_of %d message %d", rep.Format, rep.ReplayOf, rep.MessageID)
			}
			req := hook.last(t)
			if !bytes.Equal(req.Body, rep.RequestBody) {
				t.Error("stored body is not what was sent")
			}
			step.check(t, req)
			prev = rep.ID
		})
	}
}

func TestReplayAuthorization(t *testing.T) {
	auth := newWire(t, status(200, "ok"))
	hook := newWire(t, status(200, "ok"))
	h := newHarness(t, func(c *engine.Config) {
		c.TargetURL = hook.srv.URL + "/hook"
		c.AuthURL = auth.srv.URL + "/auth"
		c.SPFResult = "neutral"
	})
	m, _ := h.deliver(simpleMessage("auth replay"))
	origs := h.exchangesOf(m.ID, storage.KindAuthorization)
	if len(origs) != 1 {
		t.Fatalf("%d authorization exchanges", len(origs))
	}
	orig := origs[0]
	first := auth.last(t)
	want := map[string]string{"to": "rcpt@example.com", "from": "sender@example.org", "helo_domain": "client.example",
		"remote_ip": "127.0.0.1", "spf.result": "neutral", "spf.domain": "example.org"}

	auth.setAnswer(status(403, "not today"))
	tests := []struct {
		name, format string
		check        func(t *testing.T, req wireReq)
	}{
		{"same format", "", func(t *testing.T, req wireReq) {
			if !bytes.Equal(req.Body, first.Body) || !reflect.DeepEqual(req.Header, first.Header) {
				t.Errorf("replay differs from the original:\n%s %v\n%s %v", req.Body, req.Header, first.Body, first.Header)
			}
		}},
		{"json", "json", func(t *testing.T, req wireReq) {
			v := decodeJSON(t, req.Body)
			spf, _ := v["spf"].(map[string]any)
			got := map[string]string{"to": str(v["to"]), "from": str(v["from"]), "helo_domain": str(v["helo_domain"]),
				"remote_ip": str(v["remote_ip"]), "spf.result": str(spf["result"]), "spf.domain": str(spf["domain"])}
			if !reflect.DeepEqual(got, want) || req.Header.Get("Content-Type") != "application/json" {
				t.Errorf("json params %v (%s), want %v", got, req.Header.Get("Content-Type"), want)
			}
			if _, ok := v["size"]; ok {
				t.Error("size sent though MAIL FROM had no SIZE=")
			}
		}},
		{"xml", "xml", func(t *testing.T, req wireReq) {
			var v struct {
				To       string  `xml:"to"`
				From     string  `xml:"from"`
				Size     *string `xml:"size"`
				Helo     string  `xml:"helo-domain"`
				RemoteIP string  `xml:"remote-ip"`
				SPF      struct {
					Result string `xml:"result"`
					Domain string `xml:"domain"`
				} `xml:"spf"`
			}
			if err := xml.Unmarshal(req.Body, &v); err != nil {
				t.Fatalf("xml: %v\n%s", err, req.Body)
			}
			got := map[string]string{"to": v.To, "from": v.From, "helo_domain": v.Helo,
				"remote_ip": v.RemoteIP, "spf.result": v.SPF.Result, "spf.domain": v.SPF.Domain}
			if v.Size != nil {
				t.Error("size sent though MAIL FROM had no SIZE=")
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("xml params %v, want %v", got, want)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := h.eng.Replay(bg(), orig.ID, engine.ReplayOptions{Format: tc.format})
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, auth.last(t))
			wantReply := "550 5.7.1 Recipient rejected by authorization callback (HTTP 403): not today"
			if rep.Recipient != "rcpt@example.com" || rep.Outcome != storage.OutcomeRejected || rep.SMTPReply != wantReply {
				t.Errorf("recorded recipient %q outcome %q reply %q, want %q", rep.Recipient, rep.Outcome, rep.SMTPReply, wantReply)
			}
		})
	}
}

func str(v any) string { s, _ := v.(string); return s }

func TestReplayErrorCallback(t *testing.T) {
	errs := newWire(t, status(200, "noted"))
	hook := newWire(t, status(500, "it broke"))
	h := newHarness(t, func(c *engine.Config) {
		c.TargetURL = hook.srv.URL + "/hook"
		c.ErrorURL = errs.srv.URL + "/errors"
	})
	m, _ := h.deliver(simpleMessage("error replay"))
	orig := h.waitForErrorCallback(m.ID)
	first := errs.last(t)

	errs.setAnswer(status(404, "gone"))
	tests := []struct {
		name, format string
		check        func(t *testing.T, req wireReq)
	}{
		{"same format", "", func(t *testing.T, req wireReq) {
			if !bytes.Equal(req.Body, first.Body) || !reflect.DeepEqual(req.Header, first.Header) {
				t.Errorf("replay differs from the original:\n%s\n%s", req.Body, first.Body)
			}
		}},
		{"json", "json", func(t *testing.T, req wireReq) {
			v := decodeJSON(t, req.Body)
			if v["status"] != float64(500) || v["to"] != "rcpt@example.com" || v["from"] != "sender@example.org" || v["response"] != "it broke" {
				t.Errorf("json error callback %s", req.Body)
			}
		}},
		{"form again", "form", func(t *testing.T, req wireReq) {
			q, err := url.ParseQuery(string(req.Body))
			if err != nil || q.Get("status") != "500" || q.Get("response") != "it broke" {
				t.Errorf("form error callback %s", req.Body)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := h.eng.Replay(bg(), orig.ID, engine.ReplayOptions{Format: tc.format})
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, errs.last(t))
			if rep.Status != 404 || rep.Outcome != storage.OutcomeRejected || rep.SMTPReply != "" || rep.MessageID != m.ID {
				t.Errorf("recorded status %d outcome %q reply %q message %d", rep.Status, rep.Outcome, rep.SMTPReply, rep.MessageID)
			}
		})
	}
}

// TestEditAndReplay: an edited copy goes out as edited, the original row
// stays as it was, and replaying the edited replay sends the edit again.
func TestEditAndReplay(t *testing.T) {
	hook := newWire(t, status(200, "ok"))
	h := newHarness(t, func(c *engine.Config) { c.TargetURL = hook.srv.URL + "/hook" })
	_, orig := h.deliver(simpleMessage("edit me"))
	before, err := h.store.Exchange(bg(), orig.ID)
	if err != nil {
		t.Fatal(err)
	}

	edited := engine.ReplayOptions{
		Headers: []storage.Header{{Name: "Content-Type", Value: "application/json"}, {Name: "X-Edited", Value: "yes"}, {Name: "User-Agent", Value: "my-test"}},
		Body:    []byte(`{"edited":true}`),
	}
	rep, err := h.eng.Replay(bg(), orig.ID, edited)
	if err != nil {
		t.Fatal(err)
	}
	check := func(t *testing.T, req wireReq) {
		t.Helper()
		if string(req.Body) != `{"edited":true}` || req.Header.Get("X-Edited") != "yes" || req.Header.Get("User-Agent") != "my-test" ||
			req.Header.Get("Content-Type") != "application/json" {
			t.Errorf("webhook got %s with %v", req.Body, req.Header)
		}
	}
	check(t, hook.last(t))
	if string(rep.RequestBody) != `{"edited":true}` {
		t.Errorf("stored replay body %s", rep.RequestBody)
	}
	after, err := h.store.Exchange(bg(), orig.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(after, before) {
		t.Errorf("original exchange changed:\n%+v\n%+v", after, before)
	}

	t.Run("replay of the edited replay", func(t *testing.T) {
		again, err := h.eng.Replay(bg(), rep.ID, engine.ReplayOptions{})
		if err != nil {
			t.Fatal(err)
		}
		check(t, hook.last(t))
		if again.ReplayOf != rep.ID || again.SMTPReply != "250 2.0.0 Message accepted by webhook (HTTP 200)" {
			t.Errorf("replay of replay: replay_of %d reply %q", again.ReplayOf, again.SMTPReply)
		}
	})
}

// TestReplayCredentials: stored URLs are masked, so the credentials of a
// replay come from the setting with the same masked URL.
func TestReplayCredentials(t *testing.T) {
	hook := newWire(t, status(200, "ok"))
	withCreds := strings.Replace(hook.srv.URL, "http://", "http://alice:s%3Acret@", 1) + "/hook"
	h := newHarness(t, func(c *engine.Config) { c.TargetURL = withCreds })
	_, orig := h.deliver(simpleMessage("credentials"))
	wantAuth := "Basic " + base64.StdEncoding.EncodeToString([]byte("alice:s:cret"))
	if got := hook.last(t).Header.Get("Authorization"); got != wantAuth {
		t.Fatalf("original delivery Authorization %q, want %q", got, wantAuth)
	}
	if strings.Contains(orig.URL, "alice") || strings.Contains(orig.URL, "cret") {
		t.Fatalf("stored URL %q is not masked", orig.URL)
	}

	tests := []struct {
		name     string
		target   string // the setting at replay time
		url      string
		wantAuth string
	}{
		{"same masked URL takes the setting's credentials", withCreds, "", wantAuth},
		{"the masked URL given back explicitly", withCreds, orig.URL, wantAuth},
		{"setting changed: no credentials", hook.srv.URL + "/other", "", ""},
		{"another URL brings its own", withCreds, strings.Replace(hook.srv.URL, "http://", "http://bob:pw@", 1) + "/hook",
			"Basic " + base64.StdEncoding.EncodeToString([]byte("bob:pw"))},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := h.eng.Config()
			cfg.TargetURL = tc.target
			if err := h.eng.SetConfig(cfg); err != nil {
				t.Fatal(err)
			}
			rep, err := h.eng.Replay(bg(), orig.ID, engine.ReplayOptions{URL: tc.url})
			if err != nil {
				t.Fatal(err)
			}
			req := hook.last(t)
			if got := req.Header.Get("Authorization"); got != tc.wantAuth {
				t.Errorf("Authorization %q, want %q", got, tc.wantAuth)
			}
			if req.Path != "/hook" || rep.Status != 200 {
				t.Errorf("called %s, status %d (%s)", req.Path, rep.Status, rep.Error)
			}
			if strings.Contains(rep.URL, "cret") || strings.Contains(rep.URL, ":pw@") {
				t.Errorf("recorded URL %q shows a password", rep.URL)
			}
		})
	}
}

// TestReplayFailed replays the failed delivery of each message, skipping
// the accepted ones, reports progress and stops when its context ends.
func TestReplayFailed(t *testing.T) {
	hook := newWire(t, nil)
	failing := func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.Header.Get("Content-Type"), "json") && bytes.Contains(mustRead(r), []byte("fine-")) {
			status(200, "ok")(w, r)
			return
		}
		status(500, "down")(w, r)
	}
	hook.setAnswer(failing)
	h := newHarness(t, func(c *engine.Config) { c.TargetURL = hook.srv.URL + "/hook" })
	deliverAll := func(subjects ...string) (ids []int64, deliveries []int64) {
		for _, s := range subjects {
			m, ex := h.deliver(simpleMessage(s))
			ids, deliveries = append(ids, m.ID), append(deliveries, ex.ID)
		}
		return ids, deliveries
	}

	t.Run("replays failed, skips accepted", func(t *testing.T) {
		ids, dels := deliverAll("bad-1", "fine-2", "bad-3")
		hook.setAnswer(status(200, "ok"))
		defer hook.setAnswer(failing)
		var calls [][2]int
		out, err := h.eng.ReplayFailed(bg(), ids, func(done, total int) { calls = append(calls, [2]int{done, total}) })
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(calls, [][2]int{{1, 3}, {2, 3}, {3, 3}}) {
			t.Errorf("progress calls %v", calls)
		}
		if len(out) != 2 || out[0].ReplayOf != dels[0] || out[1].ReplayOf != dels[2] {
			var of []int64
			for _, ex := range out {
				of = append(of, ex.ReplayOf)
			}
			t.Fatalf("replays of %v, want of deliveries %d and %d", of, dels[0], dels[2])
		}
		for _, ex := range out {
			if ex.Outcome != storage.OutcomeAccepted {
				t.Errorf("replay %d outcome %q", ex.ID, ex.Outcome)
			}
		}
		again, err := h.eng.ReplayFailed(bg(), ids, nil)
		if err != nil || len(again) != 0 {
			t.Errorf("second run replayed %d (err %v), want none: every message is accepted now", len(again), err)
		}
	})

	t.Run("stops when canceled", func(t *testing.T) {
		ids, _ := deliverAll("bad-4", "bad-5", "bad-6")
		ctx, cancel := context.WithCancel(bg())
		defer cancel()
		var calls int
		out, err := h.eng.ReplayFailed(ctx, ids, func(done, total int) {
			calls++
			cancel()
		})
		if !errors.Is(err, context.Canceled) || len(out) != 1 || calls != 1 {
			t.Errorf("got %d replays, %d progress calls, err %v; want 1, 1, context canceled", len(out), calls, err)
		}
	})
}

func mustRead(r *http.Request) []byte {
	var b bytes.Buffer
	b.ReadFrom(r.Body)
	return b.Bytes()
}

func TestReplayErrors(t *testing.T) {
	hook := newWire(t, status(200, "ok"))
	h := newHarness(t, func(c *engine.Config) { c.TargetURL = hook.srv.URL + "/hook" })
	_, orig := h.deliver(simpleMessage("errors"))
	tests := []struct {
		name string
		id   int64
		o    engine.ReplayOptions
		want error
	}{
		{"unknown exchange", orig.ID + 1000, engine.ReplayOptions{}, storage.ErrNotFound},
		{"unknown format", orig.ID, engine.ReplayOptions{Format: "yaml"}, engine.ErrInvalidRequest},
		{"authorization format for a delivery", orig.ID, engine.ReplayOptions{Format: "xml"}, engine.ErrInvalidRequest},
		{"bad url", orig.ID, engine.ReplayOptions{URL: "ftp://example.com/x"}, engine.ErrInvalidRequest},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := len(hook.requests())
			if _, err := h.eng.Replay(bg(), tc.id, tc.o); !errors.Is(err, tc.want) {
				t.Errorf("err %v, want %v", err, tc.want)
			}
			if len(hook.requests()) != n {
				t.Error("a request went out")
			}
		})
	}
}
