package engine

import (
	"fmt"
	"strings"
	"time"
)

// FormatEvent renders an event as the one human-readable line the headless
// mode prints, e.g.
//
//	16:04:05 delivery <a@b> → x@example.com ← POST http://127.0.0.1:2580/target/200 200 (12 ms) → 250 2.0.0 Message accepted by webhook (HTTP 200)
//
// It returns "" for events not worth a line.
func FormatEvent(ev Event) string {
	ts := ev.At.Local().Format("15:04:05")
	switch ev.Kind {
	case EventSessionOpened:
		return fmt.Sprintf("%s connect %s (session %d)", ts, ev.RemoteIP, ev.SessionID)
	case EventDeliveryAttempted:
		status := fmt.Sprintf("%d", ev.Status)
		if ev.Error != "" {
			status = "0 " + ev.Error
		}
		return fmt.Sprintf("%s delivery %s → %s %q ← %s %s (%d ms) → %s",
			ts, orDash(ev.From), strings.Join(ev.To, ","), ev.Subject, ev.URL, status, ev.Duration.Milliseconds(), ev.SMTPReply)
	case EventMessageRejected:
		return fmt.Sprintf("%s refused %s → %s → %s", ts, orDash(ev.From), strings.Join(ev.To, ","), ev.SMTPReply)
	case EventRefreshNeeded:
		return fmt.Sprintf("%s (events were dropped; see history)", ts)
	}
	return ""
}

func orDash(s string) string {
	if s == "" {
		return "<>"
	}
	return s
}

func msDuration(ms int64) time.Duration { return time.Duration(ms) * time.Millisecond }
