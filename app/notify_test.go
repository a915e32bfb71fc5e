package app

import (
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/mailhook/mailhook/engine"
	"github.com/mailhook/mailhook/storage"
)

func notifyDelivery(outcome string) engine.Event {
	return engine.Event{Kind: engine.EventDeliveryAttempted, Outcome: outcome, From: "dev@example.org",
		To: []string{"hook@example.com"}, Subject: "Hi", SMTPReply: "550 5.0.0 Rejected by webhook (HTTP 422)"}
}

func TestNotifySummary(t *testing.T) {
	rejected, delayed := notifyDelivery(storage.OutcomeRejected), notifyDelivery(storage.OutcomeDelayed)
	refused := engine.Event{Kind: engine.EventMessageRejected, From: "", To: []string{"a@b"}, SMTPReply: "552 too big"}
	callback := engine.Event{Kind: engine.EventErrorCallbackSent, From: "x@y", To: []string{"a@b"}, URL: "http://127.0.0.1/err", Status: 200}
	repeat := func(ev engine.Event, n int) []engine.Event {
		out := make([]engine.Event, n)
		for i := range out {
			out[i] = ev
		}
		return out
	}
	tests := []struct {
		name           string
		events         []engine.Event
		title, content string
	}{
		{"one rejected", []engine.Event{rejected}, "Delivery rejected",
			"dev@example.org → hook@example.com \"Hi\"\n550 5.0.0 Rejected by webhook (HTTP 422)"},
		{"one delayed", []engine.Event{delayed}, "Delivery delayed",
			"dev@example.org → hook@example.com \"Hi\"\n550 5.0.0 Rejected by webhook (HTTP 422)"},
		{"one refused", []engine.Event{refused}, "Message refused", "<> → a@b\n552 too big"},
		{"one callback", []engine.Event{callback}, "Error callback sent", "x@y → a@b\nhttp://127.0.0.1/err answered HTTP 200"},
		{"burst of deliveries", append(repeat(rejected, 3), repeat(delayed, 2)...),
			"5 deliveries failed", "5 deliveries failed (3 rejected, 2 delayed)"},
		{"only delayed", repeat(delayed, 4), "4 deliveries failed", "4 deliveries failed (4 delayed)"},
		{"callbacks only", repeat(callback, 3), "3 error callbacks sent", "3 error callbacks sent"},
		{"mixed", append(append(repeat(rejected, 2), callback, callback), refused), "5 problems",
			"2 deliveries failed (2 rejected), 1 message refused, 2 error callbacks sent"},
		{"noise ignored", append([]engine.Event{notifyDelivery(storage.OutcomeAccepted), {Kind: engine.EventSessionOpened}}, callback),
			"Error callback sent", "x@y → a@b\nhttp://127.0.0.1/err answered HTTP 200"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b notifyBurst
			for _, ev := range tt.events {
				b.add(ev)
			}
			title, content := b.summary()
			if title != tt.title || content != tt.content {
				t.Errorf("got %q / %q\nwant %q / %q", title, content, tt.title, tt.content)
			}
		})
	}
}

func TestNotifierSendsOnePerBurst(t *testing.T) {
	a := newSerialTestApp(t)
	n := newNotifier(a, a.Preferences())
	n.window = 50 * time.Millisecond
	var mu sync.Mutex
	var sent []*fyne.Notification
	n.send = func(note *fyne.Notification) {
		mu.Lock()
		defer mu.Unlock()
		sent = append(sent, note)
	}
	count := func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(sent)
	}

	for range 10 {
		n.observe(notifyDelivery(storage.OutcomeRejected))
	}
	n.observe(notifyDelivery(storage.OutcomeAccepted))
	waitFor(t, "the burst notification", func() bool { return count() == 1 })
	time.Sleep(3 * n.window)
	mu.Lock()
	if len(sent) != 1 || sent[0].Content != "10 deliveries failed (10 rejected)" {
		t.Errorf("sent %d notifications, first %+v", len(sent), sent[0])
	}
	mu.Unlock()

	// Turned off in preferences: nothing at all.
	a.Preferences().SetBool(notifyPrefKey, false)
	n.observe(notifyDelivery(storage.OutcomeDelayed))
	time.Sleep(3 * n.window)
	if c := count(); c != 1 {
		t.Errorf("%d notifications with notifications off", c)
	}
}
