package engine

import (
	"fmt"
	"strings"
	"time"
)

// FormatEvent renders an event as the one human-readable line the headless
// mode prints, e.g.
//
//	16:04:05 rcpt reject@x.com ← auth 403 (112 ms) → 550 5.7.1 Recipient rejected by authorization callback (HTTP 403): not allowed
//	16:04:05 delivery a@b → x@example.com "Hi" ← http://127.0.0.1:2580/target/200 200 (12 ms) → 250 2.0.0 Message accepted by webhook (HTTP 200)
//
// It returns "" for events not worth a line.
func FormatEvent(ev Event) string {
	ts := ev.At.Local().Format("15:04:05")
	switch ev.Kind {
	case EventSessionOpened:
		return fmt.Sprintf("%s connect %s (session %d)", ts, ev.RemoteIP, ev.SessionID)
	case EventDeliveryAttempted:
		return fmt.Sprintf("%s delivery %s → %s %q ← %s %s (%d ms) → %s",
			ts, orDash(ev.From), strings.Join(ev.To, ","), ev.Subject, ev.URL, statusOrError(ev), ev.Duration.Milliseconds(), ev.SMTPReply)
	case EventRecipientDecided:
		return fmt.Sprintf("%s rcpt %s ← auth %s (%d ms) → %s",
			ts, strings.Join(ev.To, ","), statusOrError(ev), ev.Duration.Milliseconds(), ev.SMTPReply)
	case EventErrorCallbackSent:
		return fmt.Sprintf("%s error callback %s → %s ← %s %s (%d ms)",
			ts, orDash(ev.From), strings.Join(ev.To, ","), ev.URL, statusOrError(ev), ev.Duration.Milliseconds())
	case EventMessageRejected:
		return fmt.Sprintf("%s refused %s → %s → %s", ts, orDash(ev.From), strings.Join(ev.To, ","), ev.SMTPReply)
	case EventReplayed:
		return fmt.Sprintf("%s replay #%d of #%d ← %s %s (%d ms) %s",
			ts, ev.ExchangeID, ev.ReplayOf, ev.URL, statusOrError(ev), ev.Duration.Milliseconds(), replyOrOutcome(ev))
	case EventTestFired:
		return fmt.Sprintf("%s test fire #%d ← %s %s (%d ms) %s",
			ts, ev.ExchangeID, ev.URL, statusOrError(ev), ev.Duration.Milliseconds(), replyOrOutcome(ev))
	case EventTestMailAttempt:
		line := fmt.Sprintf("%s test mail try %d %s → %s %q → %s",
			ts, ev.Attempt, orDash(ev.From), strings.Join(ev.To, ","), ev.Subject, ev.SMTPReply)
		if ev.Error != "" {
			line += " (" + ev.Error + ")"
		}
		return line
	case EventRefreshNeeded:
		return fmt.Sprintf("%s (events were dropped; see history)", ts)
	}
	return ""
}

// statusOrError is the HTTP status, or "0 reason" when no answer came.
func statusOrError(ev Event) string {
	if ev.Error != "" && ev.Status == 0 {
		return "0 " + ev.Error
	}
	return fmt.Sprintf("%d", ev.Status)
}

// replyOrOutcome is the SMTP reply an exchange decided, or its outcome for
// an error callback, which decides nothing.
func replyOrOutcome(ev Event) string {
	if ev.SMTPReply != "" {
		return "→ " + ev.SMTPReply
	}
	return ev.Outcome
}

func orDash(s string) string {
	if s == "" {
		return "<>"
	}
	return s
}

func msDuration(ms int64) time.Duration { return time.Duration(ms) * time.Millisecond }
