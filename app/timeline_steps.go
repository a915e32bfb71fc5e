package app

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/mailhook/mailhook/storage"
)

// timelineStep is one row of a message's timeline.
type timelineStep struct {
	at         time.Time
	duration   time.Duration
	timed      bool // duration is meaningful (HTTP exchanges), even when 0
	title      string
	detail     string
	outcome    string // storage.Outcome*; colours the row, "" is neutral
	exchangeID int64  // the HTTP exchange behind the step, 0 for SMTP steps
	header     bool   // an "attempt N — redelivery" separator, not a step
}

// timelineSteps turns a stored timeline into rows, oldest first: each
// transaction of the group (the message and its redeliveries) as its
// session's opening, its commands with the HTTP calls they caused, the reply,
// and the error callback that reported a failed delivery.
//
// The engine records a command after the callback it waited for (the RCPT
// row follows its authorization, the DATA row follows the delivery), so
// steps are built from the commands and the exchanges are attached to them
// rather than merged by time.
func timelineSteps(tl storage.Timeline) []timelineStep {
	b := timelineBuilder{
		sessions:      tl.Sessions,
		shownSessions: map[int64]bool{},
		shownEvents:   make([]bool, len(tl.Events)),
		used:          map[int64]bool{},
	}
	for _, ex := range tl.Exchanges {
		if ex.ParentID != 0 || ex.ReplayOf != 0 {
			b.children = append(b.children, ex)
		}
	}
	for i, m := range tl.Messages {
		if i > 0 {
			b.out = append(b.out, timelineStep{at: m.CreatedAt, header: true,
				title: fmt.Sprintf("attempt %d — redelivery", i+1)})
		}
		b.session(m, tl.Events)
		b.transaction(m, tl)
	}
	// Whatever nothing claimed (a test fire, an orphan callback) still
	// happened; show it at the end rather than lose it.
	for _, ex := range tl.Exchanges {
		if !b.used[ex.ID] {
			b.exchange(ex)
		}
	}
	return b.out
}

type timelineBuilder struct {
	sessions      []storage.Session
	children      []storage.ExchangeSummary // callbacks and replays
	shownSessions map[int64]bool
	shownEvents   []bool         // by index in Timeline.Events
	used          map[int64]bool // exchange IDs shown
	out           []timelineStep
}

// session shows the connection's opening once, and session-level commands
// (EHLO, STARTTLS, AUTH) that came before this transaction's MAIL.
func (b *timelineBuilder) session(m storage.MessageSummary, events []storage.SMTPEvent) {
	s, ok := b.sessionOf(m, events)
	if !ok {
		return
	}
	if !b.shownSessions[s.ID] {
		b.shownSessions[s.ID] = true
		b.out = append(b.out, timelineStep{at: s.StartedAt, title: "Connect",
			detail: "from " + timelineOr(s.RemoteIP, s.RemoteAddr)})
	}
	for i, ev := range events {
		if ev.MessageID != 0 || ev.SessionID != s.ID || b.shownEvents[i] || ev.At.After(m.CreatedAt) {
			continue
		}
		b.shownEvents[i] = true
		switch ev.Command {
		case "CONNECT", "CLOSE", "QUIT":
			continue // the connect step comes from the session; the end says nothing
		case "STARTTLS":
			b.out = append(b.out, b.command(ev, "STARTTLS", timelineOr(ev.Argument, s.TLSCipher)))
		default:
			b.out = append(b.out, b.command(ev, ev.Command, ev.Argument))
		}
	}
}

// sessionOf finds the connection that carried m: the one its commands name,
// else (MessageSummary has no session ID) the last one opened before MAIL.
func (b *timelineBuilder) sessionOf(m storage.MessageSummary, events []storage.SMTPEvent) (storage.Session, bool) {
	var id int64
	for _, ev := range events {
		if ev.MessageID == m.ID {
			id = ev.SessionID
			break
		}
	}
	var found storage.Session
	ok := false
	for _, s := range b.sessions {
		if s.ID == id {
			return s, true
		}
		if id == 0 && !s.StartedAt.After(m.CreatedAt) {
			found, ok = s, true
		}
	}
	return found, ok
}

// transaction shows one message's own commands with the calls they caused.
func (b *timelineBuilder) transaction(m storage.MessageSummary, tl storage.Timeline) {
	for i, ev := range tl.Events {
		if ev.MessageID != m.ID || b.shownEvents[i] {
			continue
		}
		b.shownEvents[i] = true
		switch ev.Command {
		case "RCPT":
			b.rcpt(m, ev, tl.Exchanges)
		case "DATA":
			b.data(m, ev, tl.Exchanges)
		default:
			b.out = append(b.out, b.command(ev, ev.Command, ev.Argument))
		}
	}
}

// rcpt pairs a RCPT with the first unshown authorization of that address:
// the same address given twice is matched in order.
func (b *timelineBuilder) rcpt(m storage.MessageSummary, ev storage.SMTPEvent, exs []storage.ExchangeSummary) {
	step := b.command(ev, "RCPT", ev.Argument)
	step.outcome = timelineReplyOutcome(ev.ReplyCode)
	for _, ex := range exs {
		if ex.Kind != storage.KindAuthorization || ex.MessageID != m.ID || ex.Recipient != ev.Argument || b.used[ex.ID] {
			continue
		}
		b.used[ex.ID] = true
		step.at, step.duration, step.timed = ex.StartedAt, timelineMS(ex.DurationMS), true
		step.detail = ev.Argument + " · authorization " + timelineHTTP(ex) + " → " + timelineReply(ev)
		step.outcome, step.exchangeID = ex.Outcome, ex.ID
		break
	}
	b.out = append(b.out, step)
}

// data shows the end of DATA, the deliveries it made, the reply the client
// got, then the error callbacks (sent beside the reply, never before).
func (b *timelineBuilder) data(m storage.MessageSummary, ev storage.SMTPEvent, exs []storage.ExchangeSummary) {
	at, detail := m.ReceivedAt, timelineBytes(m.Size)
	if at.IsZero() {
		at = ev.At
	}
	if ev.ReplyCode == 0 { // aborted: the argument says why
		detail = ev.Argument
	}
	b.out = append(b.out, timelineStep{at: at, title: "DATA", detail: detail})
	var sent []storage.ExchangeSummary
	for _, ex := range exs {
		if ex.Kind == storage.KindDelivery && ex.MessageID == m.ID && !b.used[ex.ID] {
			b.exchangeStep(ex)
			sent = append(sent, ex)
		}
	}
	if ev.ReplyCode != 0 {
		b.out = append(b.out, timelineStep{at: ev.At, title: "Reply", detail: timelineReply(ev),
			outcome: timelineReplyOutcome(ev.ReplyCode)})
	}
	for _, ex := range sent {
		b.descendants(ex.ID)
	}
}

// exchange adds one HTTP call and what it caused (callbacks, replays).
func (b *timelineBuilder) exchange(ex storage.ExchangeSummary) {
	if !b.used[ex.ID] {
		b.exchangeStep(ex)
		b.descendants(ex.ID)
	}
}

func (b *timelineBuilder) exchangeStep(ex storage.ExchangeSummary) {
	b.used[ex.ID] = true
	detail := timelineHTTP(ex) + " · " + ex.URL
	if ex.Recipient != "" {
		detail = ex.Recipient + " · " + detail
	}
	// A delivery's reply has its own step right after it.
	if ex.SMTPReply != "" && ex.Kind != storage.KindDelivery {
		detail += " → " + ex.SMTPReply
	}
	b.out = append(b.out, timelineStep{at: ex.StartedAt, duration: timelineMS(ex.DurationMS), timed: true,
		title: timelineKindTitle(ex.Kind), detail: detail, outcome: ex.Outcome, exchangeID: ex.ID})
}

// descendants adds the callbacks and replays of an exchange, oldest first.
func (b *timelineBuilder) descendants(parent int64) {
	var kids []storage.ExchangeSummary
	for _, ex := range b.children {
		if (ex.ParentID == parent || ex.ReplayOf == parent) && !b.used[ex.ID] {
			kids = append(kids, ex)
		}
	}
	sort.SliceStable(kids, func(i, j int) bool { return kids[i].StartedAt.Before(kids[j].StartedAt) })
	for _, ex := range kids {
		b.exchange(ex)
	}
}

// command is an SMTP command row; only refusals are coloured, so the eye
// goes to decisions rather than to every 250.
func (b *timelineBuilder) command(ev storage.SMTPEvent, title, detail string) timelineStep {
	step := timelineStep{at: ev.At, title: title, detail: detail}
	if ev.ReplyCode != 0 {
		step.detail = strings.TrimSpace(detail + " → " + timelineReply(ev))
	}
	if ev.ReplyCode >= 400 {
		step.outcome = timelineReplyOutcome(ev.ReplyCode)
	}
	return step
}

func timelineKindTitle(kind string) string {
	switch kind {
	case storage.KindDelivery:
		return "Delivery"
	case storage.KindAuthorization:
		return "Authorization"
	case storage.KindErrorCallback:
		return "Error callback"
	case storage.KindReplay:
		return "Replay"
	case storage.KindTest:
		return "Test fire"
	}
	return kind
}

// timelineReplyOutcome colours an SMTP reply code like the outcomes it means.
func timelineReplyOutcome(code int) string {
	switch {
	case code == 0:
		return storage.OutcomePending
	case code < 400:
		return storage.OutcomeAccepted
	case code < 500:
		return storage.OutcomeDelayed
	}
	return storage.OutcomeRejected
}

func timelineReply(ev storage.SMTPEvent) string {
	if ev.ReplyCode == 0 {
		return ""
	}
	return strings.TrimSpace(fmt.Sprintf("%d %s %s", ev.ReplyCode, ev.ReplyEnhanced, ev.ReplyText))
}

func timelineHTTP(ex storage.ExchangeSummary) string {
	if ex.Status == 0 {
		return "no answer: " + timelineOr(ex.Error, "unknown error")
	}
	return fmt.Sprintf("HTTP %d", ex.Status)
}

func timelineBytes(n int64) string {
	if n == 1 {
		return "1 byte"
	}
	return fmt.Sprintf("%d bytes", n)
}

func timelineMS(ms int64) time.Duration { return time.Duration(ms) * time.Millisecond }

func timelineOr(s, fallback string) string {
	if s != "" {
		return s
	}
	return fallback
}
