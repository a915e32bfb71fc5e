package app

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"

	"github.com/mailhook/mailhook/engine"
	"github.com/mailhook/mailhook/storage"
)

// notifyPrefKey turns native notifications off; it is a preference of this
// desktop, not engine configuration, so it lives in fyne.Preferences.
const notifyPrefKey = "notifications"

// notifyBurstWindow is how long failures are collected before one
// notification sums them up: a failing webhook under load gives one pop-up,
// not a hundred.
const notifyBurstWindow = 2 * time.Second

func notifyEnabled(prefs fyne.Preferences) bool {
	return prefs.BoolWithFallback(notifyPrefKey, true)
}

// notifyBurst counts what went wrong during one window. It keeps counts and
// the first event only, so a burst of any size costs the same memory.
type notifyBurst struct {
	rejected, delayed int // delivery attempts the webhook refused or never answered
	refused           int // messages refused before any POST (size, no recipients)
	callbacks         int // error callbacks sent
	first             engine.Event
}

// add counts ev if it deserves a notification and reports whether it did.
func (b *notifyBurst) add(ev engine.Event) bool {
	switch {
	case ev.Kind == engine.EventDeliveryAttempted && ev.Outcome == storage.OutcomeRejected:
		b.rejected++
	case ev.Kind == engine.EventDeliveryAttempted && ev.Outcome == storage.OutcomeDelayed:
		b.delayed++
	case ev.Kind == engine.EventMessageRejected:
		b.refused++
	case ev.Kind == engine.EventErrorCallbackSent:
		b.callbacks++
	default:
		return false
	}
	if b.total() == 1 {
		b.first = ev
	}
	return true
}

func (b *notifyBurst) total() int { return b.rejected + b.delayed + b.refused + b.callbacks }

// summary is the notification for the burst: the event itself when there was
// one, counts when there were more. URLs in events are already masked.
func (b *notifyBurst) summary() (title, content string) {
	if b.total() == 1 {
		ev := b.first
		route := fmt.Sprintf("%s → %s", notifyOrDash(ev.From), strings.Join(ev.To, ", "))
		if ev.Subject != "" {
			route += fmt.Sprintf(" %q", ev.Subject)
		}
		switch {
		case b.rejected == 1:
			return "Delivery rejected", fmt.Sprintf("%s\n%s", route, ev.SMTPReply)
		case b.delayed == 1:
			return "Delivery delayed", fmt.Sprintf("%s\n%s", route, ev.SMTPReply)
		case b.refused == 1:
			return "Message refused", fmt.Sprintf("%s\n%s", route, ev.SMTPReply)
		default:
			return "Error callback sent", fmt.Sprintf("%s\n%s answered %s", route, ev.URL, notifyAnswer(ev))
		}
	}
	var parts []string
	if n := b.rejected + b.delayed; n > 0 {
		parts = append(parts, fmt.Sprintf("%s failed (%s)", notifyPlural(n, "delivery", "deliveries"),
			notifyJoinCounts(b.rejected, "rejected", b.delayed, "delayed")))
	}
	if b.refused > 0 {
		parts = append(parts, notifyPlural(b.refused, "message", "messages")+" refused")
	}
	if b.callbacks > 0 {
		parts = append(parts, notifyPlural(b.callbacks, "error callback", "error callbacks")+" sent")
	}
	// The OS shows the app's name and icon; the title says what happened.
	title = strings.SplitN(parts[0], " (", 2)[0]
	if len(parts) > 1 {
		title = fmt.Sprintf("%d problems", b.total())
	}
	return title, strings.Join(parts, ", ")
}

func notifyPlural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// notifyJoinCounts writes "3 rejected, 2 delayed", leaving out zeros.
func notifyJoinCounts(a int, aName string, b int, bName string) string {
	var s []string
	if a > 0 {
		s = append(s, fmt.Sprintf("%d %s", a, aName))
	}
	if b > 0 {
		s = append(s, fmt.Sprintf("%d %s", b, bName))
	}
	return strings.Join(s, ", ")
}

func notifyAnswer(ev engine.Event) string {
	if ev.Status == 0 && ev.Error != "" {
		return "no answer (" + ev.Error + ")"
	}
	return fmt.Sprintf("HTTP %d", ev.Status)
}

func notifyOrDash(s string) string {
	if s == "" {
		return "<>"
	}
	return s
}

// notifier turns engine events into native notifications, one per burst.
type notifier struct {
	prefs  fyne.Preferences
	window time.Duration              // burst window; tests shorten it
	send   func(n *fyne.Notification) // a.SendNotification; tests capture

	mu      sync.Mutex
	burst   notifyBurst
	pending bool // a flush is scheduled
}

func newNotifier(a fyne.App, prefs fyne.Preferences) *notifier {
	return &notifier{prefs: prefs, window: notifyBurstWindow, send: a.SendNotification}
}

// observe takes any engine event; safe from any goroutine, never blocks on
// the UI.
func (n *notifier) observe(ev engine.Event) {
	if !notifyEnabled(n.prefs) {
		return
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if !n.burst.add(ev) || n.pending {
		return
	}
	n.pending = true
	time.AfterFunc(n.window, n.flush)
}

func (n *notifier) flush() {
	n.mu.Lock()
	b := n.burst
	n.burst, n.pending = notifyBurst{}, false
	n.mu.Unlock()
	// Turned off during the window: drop what was collected.
	if b.total() == 0 || !notifyEnabled(n.prefs) {
		return
	}
	title, content := b.summary()
	fyne.Do(func() { n.send(fyne.NewNotification(title, content)) })
}
