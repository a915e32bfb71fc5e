package engine_test

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mailhook/mailhook/engine"
	"github.com/mailhook/mailhook/storage"
)

// failTimes answers 500 n times, then 200.
func failTimes(n int32) http.HandlerFunc {
	var calls atomic.Int32
	return func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= n {
			status(500, "not yet")(w, r)
			return
		}
		status(200, "ok")(w, r)
	}
}

func TestSendTestMail(t *testing.T) {
	plain, err := engine.SampleMessage("plain")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		answer    http.HandlerFunc
		mutate    func(*engine.Config)
		mail      engine.TestMail
		wantCode  int
		wantReply string
		wantRcpts []string
	}{
		{"accepted", status(200, "ok"), nil, engine.TestMail{Sample: "plain"},
			250, "250 2.0.0 Message accepted by webhook (HTTP 200)", []string{"bob@example.com"}},
		{"every To of the message", status(200, "ok"), nil, engine.TestMail{Sample: "multiple-recipients"},
			250, "250 2.0.0 Message accepted by webhook (HTTP 200)", []string{"bob@example.com", "support@example.com", "sales-eu@example.com"}},
		{"rejected by the webhook", status(422, "no thanks"), nil, engine.TestMail{EML: plain, From: "me@example.net", To: []string{"x@example.com"}},
			554, "554 5.0.0 Message rejected by webhook (HTTP 422): no thanks", []string{"x@example.com"}},
		{"AUTH when the listener requires it", status(200, "ok"), func(c *engine.Config) { c.SMTPUser, c.SMTPPass = "dev", "secret" },
			engine.TestMail{Sample: "plain"}, 250, "250 2.0.0 Message accepted by webhook (HTTP 200)", []string{"bob@example.com"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			hook := newWire(t, tc.answer)
			h := newHarness(t, func(c *engine.Config) {
				c.TargetURL = hook.srv.URL + "/hook"
				if tc.mutate != nil {
					tc.mutate(c)
				}
			})
			events, stop := h.eng.Subscribe()
			defer stop()
			res, err := h.eng.SendTestMail(bg(), tc.mail)
			if err != nil {
				t.Fatal(err)
			}
			if res.Code != tc.wantCode || res.Reply != tc.wantReply || res.Attempt != 1 {
				t.Errorf("result %+v, want %d %q attempt 1", res, tc.wantCode, tc.wantReply)
			}
			m, err := h.eng.Message(bg(), res.MessageID)
			if err != nil {
				t.Fatalf("message %d: %v", res.MessageID, err)
			}
			wantFrom := tc.mail.From
			if wantFrom == "" {
				wantFrom = "mailhook-test@localhost"
			}
			if m.MailFrom != wantFrom || !equalStrings(m.Recipients, tc.wantRcpts) || m.SMTPReply != tc.wantReply {
				t.Errorf("stored transaction from %q to %q reply %q", m.MailFrom, m.Recipients, m.SMTPReply)
			}
			if s := h.sessionOf(m.ID); s.HeloDomain != "localhost" {
				t.Errorf("HELO %q, want localhost", s.HeloDomain)
			}
			ev := nextEvent(t, events, engine.EventTestMailAttempt)
			if ev.Attempt != 1 || ev.MessageID != m.ID || ev.SMTPReply != tc.wantReply {
				t.Errorf("event %+v", ev)
			}
		})
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestSendTestMailRetry: a webhook failing twice with 500 gets the same
// message three times, on the schedule, and the third is accepted.
func TestSendTestMailRetry(t *testing.T) {
	hook := newWire(t, failTimes(2))
	h := newHarness(t, func(c *engine.Config) { c.TargetURL = hook.srv.URL + "/hook" })
	events, stop := h.eng.Subscribe()
	defer stop()
	schedule := []time.Duration{20 * time.Millisecond, 20 * time.Millisecond, 20 * time.Millisecond}
	first, err := h.eng.SendTestMail(bg(), engine.TestMail{Sample: "attachments", Retry: true, Schedule: schedule})
	if err != nil {
		t.Fatal(err)
	}
	if first.Code != 450 || first.Attempt != 1 {
		t.Fatalf("first try %+v, want 450", first)
	}

	var last engine.Event
	for want := 1; want <= 3; want++ {
		last = nextEvent(t, events, engine.EventTestMailAttempt)
		if last.Attempt != want {
			t.Fatalf("attempt %d announced, want %d", last.Attempt, want)
		}
	}
	if last.Outcome != storage.OutcomeAccepted || last.SMTPReply != "250 2.0.0 Message accepted by webhook (HTTP 200)" {
		t.Errorf("third try %q %q", last.Outcome, last.SMTPReply)
	}

	time.Sleep(100 * time.Millisecond) // time enough for a fourth try, which must not come
	reqs := hook.requests()
	if len(reqs) != 3 {
		t.Fatalf("webhook got %d deliveries, want 3", len(reqs))
	}
	for i := range reqs {
		if ids := jsonMessageID(t, reqs[i].Body); ids != "<sample-attachments@mailhook.example>" {
			t.Errorf("delivery %d carries Message-ID %q", i+1, ids)
		}
	}
	tl, err := h.eng.Timeline(bg(), first.MessageID)
	if err != nil {
		t.Fatal(err)
	}
	var outcomes []string
	for _, m := range tl.Messages {
		outcomes = append(outcomes, m.Outcome)
	}
	if !equalStrings(outcomes, []string{storage.OutcomeDelayed, storage.OutcomeDelayed, storage.OutcomeAccepted}) {
		t.Errorf("timeline of the first try groups %q, want delayed, delayed, accepted", outcomes)
	}
	if tl.Messages[2].ID != last.MessageID {
		t.Errorf("third try's message %d, event says %d", tl.Messages[2].ID, last.MessageID)
	}
}

func jsonMessageID(t *testing.T, body []byte) string {
	t.Helper()
	h, _ := decodeJSON(t, body)["headers"].(map[string]any)
	id, _ := h["message_id"].(string)
	return id
}

func TestSendTestMailRetryStops(t *testing.T) {
	fast := []time.Duration{20 * time.Millisecond, 20 * time.Millisecond}
	t.Run("5xx is final", func(t *testing.T) {
		hook := newWire(t, status(400, "bad"))
		h := newHarness(t, func(c *engine.Config) { c.TargetURL = hook.srv.URL + "/hook" })
		res, err := h.eng.SendTestMail(bg(), engine.TestMail{Retry: true, Schedule: fast})
		if err != nil || res.Code != 554 {
			t.Fatalf("result %+v err %v", res, err)
		}
		time.Sleep(100 * time.Millisecond)
		if n := len(hook.requests()); n != 1 {
			t.Errorf("%d deliveries, want 1", n)
		}
	})
	t.Run("end of the schedule", func(t *testing.T) {
		hook := newWire(t, status(500, "down"))
		h := newHarness(t, func(c *engine.Config) { c.TargetURL = hook.srv.URL + "/hook" })
		if _, err := h.eng.SendTestMail(bg(), engine.TestMail{Retry: true, Schedule: fast}); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(5 * time.Second)
		for len(hook.requests()) < 3 && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		time.Sleep(100 * time.Millisecond) // a fourth try would come in this time
		if n := len(hook.requests()); n != 3 {
			t.Errorf("%d deliveries, want 1 + 2 retries", n)
		}
	})
	t.Run("context canceled", func(t *testing.T) {
		hook := newWire(t, status(500, "down"))
		h := newHarness(t, func(c *engine.Config) { c.TargetURL = hook.srv.URL + "/hook" })
		ctx, cancel := context.WithCancel(bg())
		if _, err := h.eng.SendTestMail(ctx, engine.TestMail{Retry: true, Schedule: []time.Duration{50 * time.Millisecond}}); err != nil {
			t.Fatal(err)
		}
		cancel()
		time.Sleep(150 * time.Millisecond)
		if n := len(hook.requests()); n != 1 {
			t.Errorf("%d deliveries, want 1", n)
		}
	})
	t.Run("shutdown does not wait for the schedule", func(t *testing.T) {
		hook := newWire(t, status(500, "down"))
		h := newHarness(t, func(c *engine.Config) { c.TargetURL = hook.srv.URL + "/hook" })
		if _, err := h.eng.SendTestMail(bg(), engine.TestMail{Retry: true, Schedule: []time.Duration{time.Hour}}); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(bg(), 5*time.Second)
		defer cancel()
		start := time.Now()
		h.eng.Shutdown(ctx)
		if d := time.Since(start); d > time.Second {
			t.Errorf("Shutdown took %s", d)
		}
		if _, err := h.eng.SendTestMail(bg(), engine.TestMail{}); err == nil {
			t.Error("test mail sent after Shutdown")
		}
	})
}
