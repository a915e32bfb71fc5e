package engine

import (
	"context"

	"github.com/mailhook/mailhook/engine/payload"
	"github.com/mailhook/mailhook/engine/webhook"
	"github.com/mailhook/mailhook/storage"
)

// startErrorCallback tells the error URL about a delivery that was not 2xx.
// It runs beside the SMTP reply, never before it, and never retries; the
// shutdown waits for it. It is started from inside Data, whose own count
// keeps the wait group above zero, so this Add cannot race the Wait.
func (e *Engine) startErrorCallback(rec storage.Session, m storage.Message, failed storage.Exchange, errorURL string) {
	e.inflight.Add(1)
	go func() {
		defer e.inflight.Done()
		e.sendErrorCallback(context.Background(), rec, m, failed, errorURL)
	}()
}

func (e *Engine) sendErrorCallback(ctx context.Context, rec storage.Session, m storage.Message, failed storage.Exchange, errorURL string) {
	response := string(failed.ResponseBody)
	if failed.Status == 0 {
		response = failed.Error
	}
	var to string
	if len(m.Recipients) > 0 {
		to = m.Recipients[0]
	}
	params := payload.ErrorParams{Status: failed.Status, To: to, From: m.MailFrom, Response: response}
	body, contentType := payload.EncodeErrorCallback(errorURL, params)
	res := e.client.Load().Do(ctx, webhook.Request{URL: errorURL, ContentType: contentType, Body: body})

	ex := exchangeFrom(res, storage.KindErrorCallback, errorFormatFor(errorURL))
	ex.MessageID, ex.ParentID = m.ID, failed.ID
	// Recorded, never acted on: the outcome only colours the timeline.
	ex.Outcome = callbackOutcome(res)
	if err := e.store.AddExchange(ctx, &ex); err != nil {
		e.log.Error("record error callback", "message", m.ID, "err", err)
		return
	}
	e.publish(Event{
		Kind: EventErrorCallbackSent, SessionID: rec.ID, MessageID: m.ID, ExchangeID: ex.ID,
		RemoteIP: rec.RemoteIP, From: m.MailFrom, To: m.Recipients, Subject: m.Subject, URL: ex.URL,
		Status: ex.Status, Duration: msDuration(ex.DurationMS), Outcome: ex.Outcome, Error: ex.Error,
	})
}

// callbackOutcome colours an answer that decides nothing: 2xx accepted,
// 4xx rejected, anything else delayed.
func callbackOutcome(res webhook.Result) string {
	switch {
	case res.Err != nil:
		return storage.OutcomeDelayed
	case res.Status >= 200 && res.Status < 300:
		return storage.OutcomeAccepted
	case res.Status >= 400 && res.Status < 500:
		return storage.OutcomeRejected
	}
	return storage.OutcomeDelayed
}
