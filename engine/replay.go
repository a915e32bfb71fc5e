package engine

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/mailhook/mailhook/engine/webhook"
	"github.com/mailhook/mailhook/storage"
)

// ReplayOptions change what a replay sends. Every field is optional.
type ReplayOptions struct {
	// URL is where to send; "" means the original URL. Stored URLs are
	// masked, so the credentials come from the current setting (target,
	// authorization or error URL) whose masked form equals the URL; with no
	// match the call goes without credentials.
	URL string
	// Format is the body format; "" means the original's. A delivery is
	// rebuilt from the stored raw message and envelope as json+n,
	// multipart+n or raw; an authorization callback as form, json or xml;
	// an error callback as form or json.
	Format string
	// Headers replace the original request headers (edit and replay); nil
	// keeps them.
	Headers []storage.Header
	// Body replaces the body (edit and replay); nil keeps the original, or
	// the rebuilt one when Format changes.
	Body []byte
}

// Replay sends a stored exchange again and records the result as a new
// exchange of Kind "replay" linked to the original (ReplayOf), with the
// original's MessageID, Recipient and the format sent. Its outcome and SMTP
// reply follow the original kind's table (delivery: SPEC §2, authorization:
// SPEC §3, error callback: outcome only). The original row is never changed.
func (e *Engine) Replay(ctx context.Context, exchangeID int64, o ReplayOptions) (storage.Exchange, error) {
	orig, err := e.store.Exchange(ctx, exchangeID)
	if err != nil {
		return storage.Exchange{}, fmt.Errorf("replay: %w", err)
	}
	kind, err := e.callbackKind(ctx, orig)
	if err != nil {
		return storage.Exchange{}, fmt.Errorf("replay exchange %d: %w", orig.ID, err)
	}
	req, format, err := e.replayRequest(ctx, orig, kind, o)
	if err != nil {
		return storage.Exchange{}, fmt.Errorf("replay exchange %d: %w", orig.ID, err)
	}
	res := e.client.Load().Do(ctx, req)

	ex := exchangeFrom(res, storage.KindReplay, format)
	ex.ReplayOf, ex.MessageID, ex.Recipient = orig.ID, orig.MessageID, orig.Recipient
	ex.Outcome, ex.SMTPReply = decideAs(kind, res, orig.Recipient)
	// Recorded even when ctx ended mid-call: the request may have arrived.
	if err := e.store.AddExchange(context.WithoutCancel(ctx), &ex); err != nil {
		return storage.Exchange{}, fmt.Errorf("record replay of exchange %d: %w", orig.ID, err)
	}
	e.publish(Event{
		Kind: EventReplayed, MessageID: ex.MessageID, ExchangeID: ex.ID, ReplayOf: orig.ID,
		URL: ex.URL, Status: ex.Status, Duration: msDuration(ex.DurationMS), Outcome: ex.Outcome,
		SMTPReply: ex.SMTPReply, Error: ex.Error,
	})
	return ex, nil
}

// ReplayFailed replays, message by message in the order given, the last
// delivery that was not accepted, calling progress after each message. A
// message whose latest delivery (or replay of one) was accepted, or that
// has no delivery, is skipped. It stops when ctx ends, returning the
// replays made so far and ctx's error; other failures are joined and
// returned once every message was tried.
func (e *Engine) ReplayFailed(ctx context.Context, messageIDs []int64, progress func(done, total int)) ([]storage.Exchange, error) {
	var out []storage.Exchange
	var errs []error
	for i, id := range messageIDs {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		exID, err := e.lastFailedDelivery(ctx, id)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("message %d: %w", id, err))
		case exID != 0:
			ex, err := e.Replay(ctx, exID, ReplayOptions{})
			if err != nil {
				errs = append(errs, err)
			} else {
				out = append(out, ex)
			}
		}
		if progress != nil {
			progress(i+1, len(messageIDs))
		}
	}
	return out, errors.Join(errs...)
}

// lastFailedDelivery picks what ReplayFailed replays for a message: 0 when
// nothing is failing.
func (e *Engine) lastFailedDelivery(ctx context.Context, messageID int64) (int64, error) {
	tl, err := e.store.Timeline(ctx, messageID)
	if err != nil {
		return 0, err
	}
	byID := make(map[int64]storage.ExchangeSummary, len(tl.Exchanges))
	for _, s := range tl.Exchanges {
		byID[s.ID] = s
	}
	var latest, failed *storage.ExchangeSummary
	for i, s := range tl.Exchanges {
		if s.MessageID != messageID || summaryKind(byID, s) != storage.KindDelivery {
			continue
		}
		latest = &tl.Exchanges[i]
		if s.Kind == storage.KindDelivery && s.Outcome != storage.OutcomeAccepted {
			failed = &tl.Exchanges[i]
		}
	}
	switch {
	case latest == nil, latest.Outcome == storage.OutcomeAccepted:
		return 0, nil
	case failed == nil: // only a replay failed: send that again
		return latest.ID, nil
	}
	return failed.ID, nil
}

// summaryKind is the callback kind of a timeline entry, following replays
// back to what they replay.
func summaryKind(byID map[int64]storage.ExchangeSummary, s storage.ExchangeSummary) string {
	for range len(byID) {
		if s.Kind != storage.KindReplay {
			break
		}
		prev, ok := byID[s.ReplayOf]
		if !ok {
			break
		}
		s = prev
	}
	return kindOf(s.Kind, s.Format, s.SMTPReply)
}

// callbackKind is what a stored exchange is a callback of: delivery,
// authorization or error_callback, replays followed back to the original.
func (e *Engine) callbackKind(ctx context.Context, ex storage.Exchange) (string, error) {
	const maxChain = 1000 // a replay chain longer than this is a loop
	for range maxChain {
		if ex.Kind != storage.KindReplay || ex.ReplayOf == 0 {
			break
		}
		prev, err := e.store.Exchange(ctx, ex.ReplayOf)
		if errors.Is(err, storage.ErrNotFound) {
			break // the original was deleted: guess from what is left
		}
		if err != nil {
			return "", err
		}
		ex = prev
	}
	return kindOf(ex.Kind, ex.Format, ex.SMTPReply), nil
}

// kindOf names the callback an exchange is. Test fires and replays whose
// original is gone are told apart by format; form and json are shared by
// authorization and error callbacks, and only the authorization decides an
// SMTP reply.
func kindOf(kind, format, smtpReply string) string {
	switch kind {
	case storage.KindDelivery, storage.KindAuthorization, storage.KindErrorCallback:
		return kind
	}
	switch format {
	case "json+n", "multipart+n", "raw":
		return storage.KindDelivery
	case "xml":
		return storage.KindAuthorization
	}
	if smtpReply != "" {
		return storage.KindAuthorization
	}
	return storage.KindErrorCallback
}

// decideAs applies the table of the callback kind to an answer.
func decideAs(kind string, res webhook.Result, recipient string) (outcome, smtpReply string) {
	switch kind {
	case storage.KindDelivery:
		outcome, r := deliveryReply(res)
		return outcome, formatReply(r)
	case storage.KindAuthorization:
		outcome, r := authorizationReply(res, recipient)
		return outcome, formatReply(r)
	}
	return callbackOutcome(res), ""
}

// replayRequest builds what a replay sends and names its format.
func (e *Engine) replayRequest(ctx context.Context, orig storage.Exchange, kind string, o ReplayOptions) (webhook.Request, string, error) {
	target := o.URL
	if target == "" {
		target = orig.URL
	} else if err := ValidateURL(target); err != nil {
		return webhook.Request{}, "", invalid("url: %w", err)
	}
	req := webhook.Request{Method: orig.Method, URL: e.withCredentials(target), Body: orig.RequestBody}
	if req.Method == "" {
		req.Method = http.MethodPost
	}
	format, err := normalizeFormat(kind, o.Format, orig.Format)
	if err != nil {
		return req, "", err
	}
	rebuilt := format != orig.Format
	if rebuilt {
		if req.Body, req.ContentType, err = e.rebuild(ctx, orig, kind, format); err != nil {
			return req, "", err
		}
	}
	if o.Body != nil {
		req.Body = o.Body
	}
	headers := orig.RequestHeaders
	if o.Headers != nil {
		headers = o.Headers
	}
	// A rebuilt body brings its own Content-Type unless the caller set one.
	dropContentType := rebuilt && o.Headers == nil
	req.Header = replayHeaders(headers, dropContentType, e.now().UTC().Format(http.TimeFormat))
	return req, format, nil
}

// replayHeaders is what a replay sends of the stored headers: the transport
// headers net/http writes itself are left to it, a masked Authorization is
// dropped (the client derives it again from the URL's credentials) and a
// Date is refreshed. Everything else, User-Agent included, goes as stored.
func replayHeaders(h []storage.Header, dropContentType bool, date string) []storage.Header {
	out := make([]storage.Header, 0, len(h))
	for _, x := range h {
		switch http.CanonicalHeaderKey(x.Name) {
		case "Host", "Content-Length", "Accept-Encoding", "Connection", "Transfer-Encoding":
			continue
		case "Authorization", "Proxy-Authorization":
			if strings.HasSuffix(x.Value, "****") {
				continue
			}
		case "Content-Type":
			if dropContentType {
				continue
			}
		case "Date":
			x.Value = date
		}
		out = append(out, x)
	}
	return out
}

// withCredentials turns a stored, masked URL back into one that can be
// called: the current setting it is the masked form of, else the URL with
// its masked user info removed (sending "****" as a password helps nobody).
// A URL that carries real credentials is returned as it is.
func (e *Engine) withCredentials(raw string) string {
	cfg := e.Config()
	for _, u := range []string{cfg.TargetURL, cfg.AuthURL, cfg.ErrorURL} {
		if u != "" && webhook.MaskURL(u) == raw {
			return u
		}
	}
	return stripMaskedUserinfo(raw)
}
