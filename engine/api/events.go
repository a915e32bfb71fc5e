package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/mailhook/mailhook/engine"
)

// eventJSON is one engine event on the stream. Ids point into the API:
// message → /api/messages/{id}, exchange → /api/exchanges/{id}.
type eventJSON struct {
	Kind       string    `json:"kind"`
	At         time.Time `json:"at"`
	Session    int64     `json:"session,omitempty"`
	Message    int64     `json:"message,omitempty"`
	Exchange   int64     `json:"exchange,omitempty"`
	RemoteIP   string    `json:"remote_ip,omitempty"`
	From       string    `json:"from,omitempty"`
	To         []string  `json:"to,omitempty"`
	Subject    string    `json:"subject,omitempty"`
	URL        string    `json:"url,omitempty"`
	Status     int       `json:"status,omitempty"`
	DurationMS int64     `json:"duration_ms,omitempty"`
	Outcome    string    `json:"outcome,omitempty"`
	SMTPReply  string    `json:"smtp_reply,omitempty"`
	Error      string    `json:"error,omitempty"`
	ReplayOf   int64     `json:"replay_of,omitempty"` // replayed: the exchange sent again
	Attempt    int       `json:"attempt,omitempty"`   // test_mail_attempt: 1 for the first try
}

func toEvent(ev engine.Event) eventJSON {
	return eventJSON{
		Kind: string(ev.Kind), At: ev.At.UTC(), Session: ev.SessionID, Message: ev.MessageID,
		Exchange: ev.ExchangeID, RemoteIP: ev.RemoteIP, From: ev.From, To: ev.To,
		Subject: ev.Subject, URL: ev.URL, Status: ev.Status, DurationMS: ev.Duration.Milliseconds(),
		Outcome: ev.Outcome, SMTPReply: ev.SMTPReply, Error: ev.Error,
		ReplayOf: ev.ReplayOf, Attempt: ev.Attempt,
	}
}

// writeWait bounds one write to the stream: a client that stops reading is
// dropped rather than held forever (the engine never waits on it anyway).
const writeWait = 30 * time.Second

// events: GET /api/events, Server-Sent Events. Every engine event becomes
// "event: <kind>" and "data: <json>"; a ": ping" comment keeps idle
// connections alive. A reader that falls behind gets a refresh_needed
// event in place of what it missed (the data is in history).
func (s *server) events(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	ch, stop := s.eng.Subscribe()
	defer stop()

	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	// Headers reach the client once subscribed: what happens next is seen.
	if err := send(rc, w, ": subscribed\n\n"); err != nil {
		return
	}

	ping := time.NewTicker(s.ping)
	defer ping.Stop()
	for {
		var msg string
		select {
		case <-r.Context().Done():
			return
		case <-ping.C:
			msg = ": ping\n\n"
		case ev, ok := <-ch:
			if !ok {
				return
			}
			data, err := json.Marshal(toEvent(ev))
			if err != nil {
				s.log.Error("encode event", "kind", ev.Kind, "err", err)
				continue
			}
			msg = fmt.Sprintf("event: %s\ndata: %s\n\n", ev.Kind, data)
		}
		if err := send(rc, w, msg); err != nil {
			return
		}
	}
}

// send writes and flushes one chunk of the stream within writeWait.
func send(rc *http.ResponseController, w http.ResponseWriter, msg string) error {
	rc.SetWriteDeadline(time.Now().Add(writeWait)) //nolint:errcheck // not every writer has deadlines
	if _, err := fmt.Fprint(w, msg); err != nil {
		return err
	}
	return rc.Flush()
}
