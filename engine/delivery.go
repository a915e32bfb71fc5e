package engine

import (
	"context"
	"crypto/md5"
	"errors"
	"fmt"
	"strings"

	"github.com/emersion/go-smtp"

	"github.com/mailhook/mailhook/engine/payload"
	"github.com/mailhook/mailhook/engine/webhook"
	"github.com/mailhook/mailhook/storage"
)

// deliver parses the message, POSTs it once with every accepted recipient,
// commits the message and its attempt, and only then returns the reply.
func (e *Engine) deliver(ctx context.Context, rec storage.Session, tx *transaction, raw []byte) error {
	cfg := tx.cfg
	m := &tx.msg
	m.ReceivedAt = e.now()
	m.Size = int64(len(raw))
	m.MD5 = fmt.Sprintf("%x", md5.Sum(raw))

	msg, err := payload.Parse(raw)
	if err != nil {
		// Nothing readable: keep the bytes, refuse permanently, POST nothing.
		r := reply(554, smtp.EnhancedCode{5, 6, 0}, "Message could not be parsed: "+err.Error())
		return e.finish(ctx, rec, tx, raw, nil, storage.OutcomeRejected, r)
	}
	m.Subject, m.FromHeader, m.MessageID = msg.Subject, msg.From, msg.MessageID

	env := payload.Envelope{
		Recipients: m.Recipients,
		From:       m.MailFrom,
		HeloDomain: rec.HeloDomain,
		RemoteIP:   rec.RemoteIP,
		TLS:        rec.TLS,
		TLSCipher:  rec.TLSCipher,
		SPF:        tx.spf,
	}
	body, contentType, err := payload.Encode(cfg.Format, raw, msg, env, payload.Options{SizeAsNumber: cfg.SizeAsNumber})
	if err != nil {
		e.log.Error("encode payload", "message", m.ID, "err", err)
		return e.finish(ctx, rec, tx, raw, nil, storage.OutcomeDelayed, replyInternal("payload could not be built"))
	}

	res := e.client.Load().Do(ctx, webhook.Request{URL: cfg.TargetURL, ContentType: contentType, Body: body})
	outcome, r := deliveryReply(res)
	ex := exchangeFrom(res, storage.KindDelivery, string(cfg.Format))
	ex.Outcome, ex.SMTPReply = outcome, formatReply(r)
	return e.finish(ctx, rec, tx, raw, &ex, outcome, r)
}

// abandon records a DATA that ended before its end: a client that went
// away or reset, or a BDAT chunk go-smtp refused as too large (it answers
// 552 itself, and the session cannot tell the cases apart).
func (e *Engine) abandon(rec storage.Session, tx *transaction, cause error) {
	tx.msg.SMTPReply = "data incomplete: " + cause.Error() + " (client reset or disconnect, or a BDAT chunk over the size limit)"
	if err := e.store.UpdateMessage(context.Background(), &tx.msg); err != nil {
		e.log.Error("record abandoned data", "message", tx.msg.ID, "err", err)
	}
	e.recordEvent(rec.ID, tx.msg.ID, "DATA", "aborted: "+cause.Error(), nil, e.now())
}

// refuseTooBig answers DATA over the size limit: 552, nothing POSTed, the
// refusal recorded. The bytes are not kept: they are over the user's limit.
func (e *Engine) refuseTooBig(rec storage.Session, tx *transaction, read int64) error {
	tx.msg.ReceivedAt = e.now()
	tx.msg.Size = read
	return e.finish(context.Background(), rec, tx, nil, nil, storage.OutcomeRejected, replyTooBig(tx.cfg.MaxSize))
}

// finish commits the transaction (and its attempt, if one was made) and
// publishes what happened. If the commit fails, the client gets 451 so it
// retries: a 250 is written only for what is in history.
func (e *Engine) finish(ctx context.Context, rec storage.Session, tx *transaction, raw []byte, ex *storage.Exchange, outcome string, r *smtp.SMTPError) error {
	m := &tx.msg
	m.Outcome, m.SMTPReply = outcome, formatReply(r)
	var exchanges []*storage.Exchange
	if ex != nil {
		m.Status = ex.Status
		exchanges = append(exchanges, ex)
	}
	committed := true
	if err := e.store.CompleteMessage(ctx, m, raw, exchanges...); err != nil {
		e.log.Error("commit message", "message", m.ID, "err", err)
		r = replyInternal("history could not be written")
		m.SMTPReply = formatReply(r)
		committed = false
	}
	e.recordEvent(rec.ID, m.ID, "DATA", fmt.Sprintf("%d bytes", m.Size), r, e.now())

	ev := Event{
		Kind: EventDeliveryAttempted, SessionID: rec.ID, MessageID: m.ID, RemoteIP: rec.RemoteIP,
		From: m.MailFrom, To: m.Recipients, Subject: m.Subject, Outcome: outcome, SMTPReply: m.SMTPReply,
	}
	if ex != nil {
		ev.ExchangeID, ev.URL, ev.Status, ev.Error = ex.ID, ex.URL, ex.Status, ex.Error
		ev.Duration = msDuration(ex.DurationMS)
	} else {
		ev.Kind = EventMessageRejected
	}
	e.publish(ev)
	if committed && ex != nil && outcome != storage.OutcomeAccepted && tx.cfg.ErrorURL != "" {
		e.startErrorCallback(rec, *m, *ex, tx.cfg.ErrorURL)
	}
	return r
}

// deliveryReply is SPEC §2's status table.
func deliveryReply(res webhook.Result) (outcome string, r *smtp.SMTPError) {
	if res.Err != nil {
		return storage.OutcomeDelayed, replyUnreachable(failureReason(res.Err))
	}
	switch {
	case res.Status >= 200 && res.Status < 300:
		return storage.OutcomeAccepted, replyAccepted(res.Status)
	case res.Status >= 400 && res.Status < 500:
		return storage.OutcomeRejected, replyRejected(res.Status, webhook.FirstTextLine(res))
	case res.Status >= 500 && res.Status < 600:
		return storage.OutcomeDelayed, replyDelayed(res.Status)
	}
	return storage.OutcomeDelayed, replyUnreachable(fmt.Sprintf("unexpected HTTP %d", res.Status))
}

func failureReason(err error) string {
	var fe *webhook.FailureError
	if errors.As(err, &fe) && fe.Reason != "" {
		return fe.Reason
	}
	return strings.SplitN(err.Error(), "\n", 2)[0]
}

// exchangeFrom turns what the webhook client saw into a history row.
func exchangeFrom(res webhook.Result, kind, format string) storage.Exchange {
	ex := storage.Exchange{
		Kind:              kind,
		Format:            format,
		StartedAt:         res.StartedAt,
		DurationMS:        res.Duration.Milliseconds(),
		Method:            res.Method,
		URL:               res.URL,
		RequestHeaders:    res.RequestHeaders,
		RequestBody:       res.RequestBody,
		Status:            res.Status,
		ResponseHeaders:   res.ResponseHeaders,
		ResponseBody:      res.ResponseBody,
		ResponseTruncated: res.Truncated,
		Hops:              res.Hops,
	}
	if res.Err != nil {
		ex.Error = res.Err.Error()
	}
	return ex
}
