package engine

import (
	"context"

	"github.com/emersion/go-smtp"

	"github.com/mailhook/mailhook/engine/payload"
	"github.com/mailhook/mailhook/engine/webhook"
	"github.com/mailhook/mailhook/storage"
)

// authorize asks the authorization callback about one recipient, records
// the exchange with the reply it decided, and returns the decision.
func (e *Engine) authorize(ctx context.Context, rec storage.Session, tx *transaction, to string) (string, *smtp.SMTPError) {
	cfg := tx.cfg
	format := cfg.authFormat()
	params := payload.AuthParams{
		To: to, From: tx.msg.MailFrom,
		Size: tx.msg.SizeParam, HasSize: tx.msg.SizeParam > 0,
		HeloDomain: rec.HeloDomain, RemoteIP: rec.RemoteIP, SPF: tx.spf,
	}
	body, contentType, err := payload.EncodeAuthorization(format, params)
	if err != nil {
		e.log.Error("encode authorization", "err", err)
		return storage.OutcomeDelayed, replyInternal("authorization request could not be built")
	}
	res := e.client.Load().Do(ctx, webhook.Request{URL: cfg.AuthURL, ContentType: contentType, Body: body})
	outcome, r := authorizationReply(res, to)

	ex := exchangeFrom(res, storage.KindAuthorization, string(format))
	ex.MessageID, ex.Recipient = tx.msg.ID, to
	ex.Outcome, ex.SMTPReply = outcome, formatReply(r)
	if err := e.store.AddExchange(ctx, &ex); err != nil {
		// The decision stands only if it is in history; else the sender retries.
		e.log.Error("record authorization", "err", err)
		return storage.OutcomeDelayed, replyInternal("history could not be written")
	}
	e.publish(Event{
		Kind: EventRecipientDecided, SessionID: rec.ID, MessageID: tx.msg.ID, ExchangeID: ex.ID,
		RemoteIP: rec.RemoteIP, From: tx.msg.MailFrom, To: []string{to}, URL: ex.URL,
		Status: ex.Status, Duration: msDuration(ex.DurationMS), Outcome: outcome,
		SMTPReply: ex.SMTPReply, Error: ex.Error,
	})
	return outcome, r
}

// authorizationReply is SPEC §3's table.
func authorizationReply(res webhook.Result, to string) (string, *smtp.SMTPError) {
	switch {
	case res.Err != nil:
		return storage.OutcomeDelayed, replyRecipientDelayed(failureReason(res.Err))
	case res.Status >= 200 && res.Status < 300:
		return storage.OutcomeAccepted, replyRecipientOK(to)
	case res.Status >= 400 && res.Status < 500:
		return storage.OutcomeRejected, replyRecipientRejected(res.Status, webhook.FirstTextLine(res))
	}
	return storage.OutcomeDelayed, replyRecipientDelayed(httpStatusText(res.Status))
}
