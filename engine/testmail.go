package engine

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/mailhook/mailhook/storage"
)

// TestMail is a message to send through Mailhook's own SMTP listener.
type TestMail struct {
	Sample string // a sample name (default "plain"), or
	EML    []byte // any message, which wins over Sample
	From   string // MAIL FROM; default "mailhook-test@localhost"
	To     []string
	// Retry makes a 4xx reply try again later, like a sending server.
	Retry bool
	// Schedule is the wait before each retry; nil means
	// DefaultRetrySchedule(). At most len(Schedule) retries are made.
	Schedule []time.Duration
}

// TestMailResult is the reply to one try.
type TestMailResult struct {
	Code      int    // the SMTP reply code that ended the try
	Reply     string // the reply as on the wire, e.g. "250 2.0.0 Message accepted…"
	MessageID int64  // the transaction the try made in history, 0 when none
	Attempt   int    // 1 for the first try
}

// DefaultRetrySchedule is how long a typical sending server waits before
// each retry: 30 s, 1 min, 2 min, 5 min, 10 min.
func DefaultRetrySchedule() []time.Duration {
	return []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute}
}

const testMailFrom = "mailhook-test@localhost"

// SendTestMail sends a message through Mailhook's own SMTP listener as a
// real client would (go-smtp's client, EHLO localhost, AUTH PLAIN when the
// listener requires it), so authorization, delivery and error callbacks all
// run. It returns the reply to the first try. With Retry, a 4xx makes it
// try again in the background on the schedule (the same bytes, so the same
// Message-ID and one timeline), publishing EventTestMailAttempt for every
// try, until a 2xx or 5xx, the end of the schedule, ctx's end or Shutdown.
// The retries live as long as ctx: a caller that returns at once (an HTTP
// handler) passes a context that outlives it.
func (e *Engine) SendTestMail(ctx context.Context, m TestMail) (TestMailResult, error) {
	raw, msg, err := loadMessage(m.Sample, m.EML)
	if err != nil {
		return TestMailResult{}, fmt.Errorf("test mail: %w", err)
	}
	from := m.From
	if from == "" {
		from = testMailFrom
	}
	to := m.To
	if len(to) == 0 {
		to = headerAddresses(raw, msg, "To")
	}
	if len(to) == 0 {
		return TestMailResult{}, invalid("test mail: the message has no To address: give the recipients")
	}
	schedule := m.Schedule
	if schedule == nil {
		schedule = DefaultRetrySchedule()
	}
	try := func(ctx context.Context, attempt int) (TestMailResult, error) {
		res, err := e.sendOnce(ctx, from, to, raw)
		res.Attempt = attempt
		ev := Event{
			Kind: EventTestMailAttempt, MessageID: res.MessageID, From: from, To: to, Subject: msg.Subject,
			SMTPReply: res.Reply, Outcome: replyOutcome(res.Code), Attempt: attempt,
		}
		if err != nil {
			ev.Error = err.Error()
		}
		e.publish(ev)
		return res, err
	}

	first, err := try(ctx, 1)
	if err != nil {
		return first, fmt.Errorf("test mail: %w", err)
	}
	if m.Retry && first.Code/100 == 4 && len(schedule) > 0 {
		e.background.goWith(ctx, func(ctx context.Context) {
			for i, wait := range schedule {
				t := time.NewTimer(wait)
				select {
				case <-ctx.Done():
					t.Stop()
					return
				case <-t.C:
				}
				res, err := try(ctx, i+2)
				// A lost connection is retried like a 4xx, as a sending
				// server would; a 2xx or 5xx ends it.
				if ctx.Err() != nil || (err == nil && res.Code/100 != 4) {
					return
				}
			}
		})
	}
	return first, nil
}

// replyOutcome names an SMTP reply the way history names outcomes.
func replyOutcome(code int) string {
	switch code / 100 {
	case 2:
		return storage.OutcomeAccepted
	case 5:
		return storage.OutcomeRejected
	case 4:
		return storage.OutcomeDelayed
	}
	return ""
}

// sendOnce is one SMTP transaction against the listener. An SMTP refusal
// is a result, not an error; the error is for a conversation that broke.
func (e *Engine) sendOnce(ctx context.Context, from string, to []string, raw []byte) (TestMailResult, error) {
	addr := dialAddr(e.SMTPAddr())
	if addr == "" {
		return TestMailResult{}, errors.New("the smtp listener is not running")
	}
	cfg := e.Config()
	d := net.Dialer{Timeout: 10 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return TestMailResult{}, fmt.Errorf("connect to %s: %w", addr, err)
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() }) // unblocks a read on shutdown
	defer stop()
	c := smtp.NewClient(conn)
	defer c.Close()
	// The listener waits for the webhook before it answers.
	c.CommandTimeout = cfg.Timeout + 30*time.Second
	c.SubmissionTimeout = cfg.Timeout + 30*time.Second

	res, err := converse(c, cfg, from, to, raw)
	if err != nil && res.Code == 0 {
		return res, err
	}
	// Asked before QUIT: the session is found by its open connection.
	if m, lerr := e.store.LatestMessageOfConnection(context.WithoutCancel(ctx), conn.LocalAddr().String()); lerr == nil {
		res.MessageID = m.ID
	} else if !errors.Is(lerr, storage.ErrNotFound) {
		e.log.Warn("test mail: find its transaction", "err", lerr)
	}
	c.Quit() // best effort: the reply that matters is in
	return res, nil
}

// converse runs EHLO, AUTH (when required), MAIL, RCPT and DATA. A refused
// recipient is skipped like a sending server does; the try ends with the
// last refusal only when nobody was accepted.
func converse(c *smtp.Client, cfg Config, from string, to []string, raw []byte) (TestMailResult, error) {
	if err := c.Hello("localhost"); err != nil {
		return smtpResult(err)
	}
	if cfg.SMTPUser != "" {
		if ok, _ := c.Extension("AUTH"); ok {
			if err := c.Auth(sasl.NewPlainClient("", cfg.SMTPUser, cfg.SMTPPass)); err != nil {
				return smtpResult(err)
			}
		}
	}
	if err := c.Mail(from, &smtp.MailOptions{Size: int64(len(raw)), UTF8: !isASCII(from) || !allASCII(to)}); err != nil {
		return smtpResult(err)
	}
	var refused error
	accepted := 0
	for _, rcpt := range to {
		if err := c.Rcpt(rcpt, nil); err != nil {
			var se *smtp.SMTPError
			if !errors.As(err, &se) {
				return smtpResult(err)
			}
			refused = err
			continue
		}
		accepted++
	}
	if accepted == 0 {
		return smtpResult(refused)
	}
	w, err := c.Data()
	if err != nil {
		return smtpResult(err)
	}
	if _, err := w.Write(raw); err != nil {
		return TestMailResult{}, fmt.Errorf("send data: %w", err)
	}
	resp, err := w.CloseWithResponse()
	if err != nil {
		return smtpResult(err)
	}
	return TestMailResult{Code: 250, Reply: "250 " + resp.StatusText}, nil
}

// smtpResult turns a go-smtp client error into a result (an SMTP reply) or
// leaves it an error (the connection broke).
func smtpResult(err error) (TestMailResult, error) {
	var se *smtp.SMTPError
	if !errors.As(err, &se) {
		return TestMailResult{}, err
	}
	reply := fmt.Sprintf("%d %s", se.Code, se.Message)
	if se.EnhancedCode != (smtp.EnhancedCode{}) && se.EnhancedCode != smtp.NoEnhancedCode {
		reply = formatReply(se)
	}
	return TestMailResult{Code: se.Code, Reply: reply}, nil
}

// dialAddr is where to connect to reach a listener bound to addr: the
// loopback address of the same family for a wildcard bind.
func dialAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
		if ip.To4() == nil {
			host = "::1"
		}
	}
	return net.JoinHostPort(host, port)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func allASCII(list []string) bool {
	for _, s := range list {
		if !isASCII(s) {
			return false
		}
	}
	return true
}
