package engine

import (
	"context"
	"fmt"

	"github.com/mailhook/mailhook/engine/payload"
	"github.com/mailhook/mailhook/engine/webhook"
	"github.com/mailhook/mailhook/storage"
)

// Kinds of test fire (FireRequest.Kind).
const (
	FireDelivery      = "delivery"
	FireAuthorization = "authorization"
	FireError         = "error"
)

// Loopback envelope of a test fire: no SMTP client was there to give one.
const (
	fireRemoteIP   = "127.0.0.1"
	fireHeloDomain = "localhost"
	fireSPFResult  = "none"
)

// FireRequest is a callback to build from a message and send without SMTP.
type FireRequest struct {
	Kind string // FireDelivery, FireAuthorization or FireError
	// URL is where to send; "" means the URL set for that kind.
	URL string
	// Format as in ReplayOptions; "" means json+n for a delivery and the
	// one the URL's ending gives for the callbacks.
	Format string
	Sample string // a sample name (default "plain"), or
	EML    []byte // any message, which wins over Sample
	// Recipients of a delivery's envelope; default the message's To.
	Recipients []string
	// Auth: zero fields are filled from the message (to: first recipient,
	// from: the From address) and loopback defaults (remote_ip 127.0.0.1,
	// helo_domain localhost, spf none for the From domain).
	Auth payload.AuthParams
	// Error: zero fields are filled from the message, status 500 and
	// response "test error callback".
	Error payload.ErrorParams
}

// Fire builds a callback from a sample or an .eml without SMTP and sends
// it. The result is stored as an exchange of Kind "test" (MessageID 0),
// with the outcome and SMTP reply the callback's own table gives, and
// published as EventTestFired.
func (e *Engine) Fire(ctx context.Context, r FireRequest) (storage.Exchange, error) {
	raw, msg, err := loadMessage(r.Sample, r.EML)
	if err != nil {
		return storage.Exchange{}, fmt.Errorf("fire: %w", err)
	}
	from := firstOr(headerAddresses(raw, msg, "From"), "")
	to := r.Recipients
	if len(to) == 0 {
		to = headerAddresses(raw, msg, "To")
	}
	req, kind, format, recipient, err := e.fireRequest(r, raw, msg, from, to)
	if err != nil {
		return storage.Exchange{}, fmt.Errorf("fire %s: %w", r.Kind, err)
	}
	res := e.client.Load().Do(ctx, req)

	ex := exchangeFrom(res, storage.KindTest, format)
	ex.Recipient = recipient
	ex.Outcome, ex.SMTPReply = decideAs(kind, res, recipient)
	if err := e.store.AddExchange(context.WithoutCancel(ctx), &ex); err != nil {
		return storage.Exchange{}, fmt.Errorf("record test fire: %w", err)
	}
	e.publish(Event{
		Kind: EventTestFired, ExchangeID: ex.ID, From: from, To: to, Subject: msg.Subject,
		URL: ex.URL, Status: ex.Status, Duration: msDuration(ex.DurationMS), Outcome: ex.Outcome,
		SMTPReply: ex.SMTPReply, Error: ex.Error,
	})
	return ex, nil
}

// fireRequest builds the request of a test fire; kind is the storage kind
// whose table decides the outcome.
func (e *Engine) fireRequest(r FireRequest, raw []byte, msg *payload.Message, from string, to []string) (req webhook.Request, kind, format, recipient string, err error) {
	cfg := e.Config()
	target := r.URL
	switch r.Kind {
	case FireDelivery:
		kind = storage.KindDelivery
		if target == "" {
			target = cfg.TargetURL
		}
		if format, err = normalizeFormat(kind, r.Format, string(payload.JSONNormalized)); err != nil {
			return req, "", "", "", err
		}
		if len(to) == 0 {
			return req, "", "", "", invalid("the message has no To address: give the recipients")
		}
		env := payload.Envelope{
			Recipients: to, From: from, HeloDomain: fireHeloDomain, RemoteIP: fireRemoteIP,
			SPF: payload.SPF{Result: fireSPFResult, Domain: spfDomain(fireHeloDomain, from)},
		}
		req.Body, req.ContentType, err = payload.Encode(payload.Format(format), raw, msg, env, payload.Options{SizeAsNumber: cfg.SizeAsNumber})
		if err != nil {
			return req, "", "", "", fmt.Errorf("encode delivery: %w", err)
		}
	case FireAuthorization:
		kind = storage.KindAuthorization
		if target == "" {
			target = cfg.AuthURL
		}
		if format, err = normalizeFormat(kind, r.Format, string(payload.AuthFormatFor(target))); err != nil {
			return req, "", "", "", err
		}
		p := fillAuthParams(r.Auth, firstOr(to, ""), from)
		recipient = p.To
		if req.Body, req.ContentType, err = payload.EncodeAuthorization(payload.AuthFormat(format), p); err != nil {
			return req, "", "", "", fmt.Errorf("encode authorization: %w", err)
		}
	case FireError:
		kind = storage.KindErrorCallback
		if target == "" {
			target = cfg.ErrorURL
		}
		if format, err = normalizeFormat(kind, r.Format, errorFormatFor(target)); err != nil {
			return req, "", "", "", err
		}
		req.Body, req.ContentType = payload.EncodeErrorCallbackAs(payload.AuthFormat(format), fillErrorParams(r.Error, firstOr(to, ""), from))
	default:
		return req, "", "", "", invalid("unknown kind %q (valid: %s, %s, %s)", r.Kind, FireDelivery, FireAuthorization, FireError)
	}
	if target == "" {
		return req, "", "", "", invalid("no url given and none is set for %s", r.Kind)
	}
	if err := ValidateURL(target); err != nil {
		return req, "", "", "", invalid("url: %w", err)
	}
	req.URL = e.withCredentials(target)
	return req, kind, format, recipient, nil
}

func fillAuthParams(p payload.AuthParams, to, from string) payload.AuthParams {
	if p.To == "" {
		p.To = to
	}
	if p.From == "" {
		p.From = from
	}
	if p.Size > 0 {
		p.HasSize = true
	}
	if p.RemoteIP == "" {
		p.RemoteIP = fireRemoteIP
	}
	if p.HeloDomain == "" {
		p.HeloDomain = fireHeloDomain
	}
	if p.SPF.Result == "" {
		p.SPF.Result = fireSPFResult
	}
	if p.SPF.Domain == "" {
		p.SPF.Domain = spfDomain(p.HeloDomain, p.From)
	}
	return p
}

// Defaults of an error test fire: a failure worth reporting.
const (
	fireErrorStatus   = 500
	fireErrorResponse = "test error callback"
)

func fillErrorParams(p payload.ErrorParams, to, from string) payload.ErrorParams {
	if p.Status == 0 {
		p.Status = fireErrorStatus
	}
	if p.To == "" {
		p.To = to
	}
	if p.From == "" {
		p.From = from
	}
	if p.Response == "" {
		p.Response = fireErrorResponse
	}
	return p
}
