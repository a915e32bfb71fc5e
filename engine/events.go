package engine

import (
	"sync"
	"time"
)

// EventKind names what happened.
type EventKind string

const (
	EventSessionOpened     EventKind = "session_opened"
	EventSessionClosed     EventKind = "session_closed"
	EventRecipientDecided  EventKind = "recipient_decided"
	EventDeliveryAttempted EventKind = "delivery_attempted"
	EventErrorCallbackSent EventKind = "error_callback_sent"
	EventMessageRejected   EventKind = "message_rejected" // refused before any POST (size, no recipients)
	EventListenerChanged   EventKind = "listener_changed"
	// EventReplayed: a stored exchange was sent again (ExchangeID is the new
	// one, ReplayOf the one replayed, MessageID the original's, 0 for a test).
	EventReplayed EventKind = "replayed"
	// EventTestFired: a callback built from a sample or an .eml was sent
	// without SMTP (MessageID 0).
	EventTestFired EventKind = "test_fired"
	// EventTestMailAttempt: one try of a test mail through the SMTP listener
	// (Attempt counts from 1; MessageID is the transaction it made, if any).
	EventTestMailAttempt EventKind = "test_mail_attempt"
	// EventRefreshNeeded replaces events a slow subscriber missed: the data is
	// in SQLite, re-read it.
	EventRefreshNeeded EventKind = "refresh_needed"
)

// Event is one thing the engine did. IDs point into storage; the text fields
// are enough for a one-line log without reading storage back.
type Event struct {
	Kind       EventKind
	At         time.Time
	SessionID  int64
	MessageID  int64
	ExchangeID int64
	RemoteIP   string
	From       string
	To         []string
	Subject    string
	URL        string // credentials masked
	Status     int
	Duration   time.Duration
	Outcome    string
	SMTPReply  string
	Error      string
	ReplayOf   int64 // EventReplayed: the exchange replayed
	Attempt    int   // EventTestMailAttempt: 1 for the first try
}

// bus fans events out to subscribers without ever blocking the publisher: a
// subscriber whose buffer is full gets one EventRefreshNeeded instead.
type bus struct {
	mu   sync.Mutex
	subs map[chan Event]*subscriber
}

type subscriber struct {
	stale bool // events were dropped; a refresh signal is owed
}

const subscriberBuffer = 256

func newBus() *bus { return &bus{subs: map[chan Event]*subscriber{}} }

// subscribe returns a channel of events and a function that ends the
// subscription and closes the channel.
func (b *bus) subscribe() (<-chan Event, func()) {
	ch := make(chan Event, subscriberBuffer)
	b.mu.Lock()
	b.subs[ch] = &subscriber{}
	b.mu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			b.mu.Lock()
			delete(b.subs, ch)
			b.mu.Unlock()
			close(ch)
		})
	}
}

func (b *bus) publish(ev Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for ch, s := range b.subs {
		if s.stale {
			// Try to deliver the owed refresh first; the data is in SQLite.
			select {
			case ch <- Event{Kind: EventRefreshNeeded, At: ev.At}:
				s.stale = false
			default:
				continue
			}
		}
		select {
		case ch <- ev:
		default:
			s.stale = true
		}
	}
}
