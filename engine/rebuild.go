package engine

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/mailhook/mailhook/engine/payload"
	"github.com/mailhook/mailhook/storage"
)

// Rebuilding a stored callback in another format: a delivery from the
// stored raw message and envelope, a callback from the parameters read back
// out of the body that was sent (so a test fire or an edited replay rebuilds
// as well as an original).

// normalizeFormat checks a requested format against the callback kind; ""
// keeps the original's.
func normalizeFormat(kind, want, orig string) (string, error) {
	if want == "" {
		return orig, nil
	}
	switch kind {
	case storage.KindDelivery:
		f, err := payload.ParseFormat(want)
		if err != nil {
			return "", invalid("%w", err)
		}
		return string(f), nil
	case storage.KindAuthorization:
		f, err := payload.ParseAuthFormat(want)
		if err != nil {
			return "", invalid("%w", err)
		}
		return string(f), nil
	}
	switch f := strings.ToLower(strings.TrimSpace(want)); f {
	case "form", "json":
		return f, nil
	}
	return "", invalid("unknown error callback format %q (valid: form, json)", want)
}

// rebuild builds the body of orig's callback in format.
func (e *Engine) rebuild(ctx context.Context, orig storage.Exchange, kind, format string) ([]byte, string, error) {
	switch kind {
	case storage.KindDelivery:
		return e.rebuildDelivery(ctx, orig, payload.Format(format))
	case storage.KindAuthorization:
		p, err := payload.DecodeAuthorization(payload.AuthFormat(orig.Format), orig.RequestBody)
		if err != nil {
			return nil, "", invalid("read the authorization request back: %w", err)
		}
		body, ct, err := payload.EncodeAuthorization(payload.AuthFormat(format), p)
		if err != nil {
			return nil, "", fmt.Errorf("rebuild authorization: %w", err)
		}
		return body, ct, nil
	}
	p, err := payload.DecodeErrorCallback(payload.AuthFormat(orig.Format), orig.RequestBody)
	if err != nil {
		return nil, "", invalid("read the error callback back: %w", err)
	}
	body, ct := payload.EncodeErrorCallbackAs(payload.AuthFormat(format), p)
	return body, ct, nil
}

func (e *Engine) rebuildDelivery(ctx context.Context, orig storage.Exchange, f payload.Format) ([]byte, string, error) {
	if orig.MessageID == 0 {
		return nil, "", invalid("a test fire keeps no message to rebuild: fire it again in %s", f)
	}
	m, err := e.store.Message(ctx, orig.MessageID)
	if err != nil {
		return nil, "", err
	}
	raw, err := e.store.RawMessage(ctx, m.ID)
	if err != nil {
		return nil, "", err
	}
	var sess storage.Session
	if m.SessionID != 0 {
		if sess, err = e.store.Session(ctx, m.SessionID); err != nil && !errors.Is(err, storage.ErrNotFound) {
			return nil, "", err
		}
	}
	msg, err := payload.Parse(raw)
	if err != nil && f != payload.Raw {
		return nil, "", invalid("stored message %d does not parse: %w", m.ID, err)
	}
	body, ct, err := payload.Encode(f, raw, msg, storedEnvelope(m, sess), payload.Options{SizeAsNumber: e.Config().SizeAsNumber})
	if err != nil {
		return nil, "", fmt.Errorf("rebuild delivery: %w", err)
	}
	return body, ct, nil
}

// storedEnvelope is the envelope a stored transaction's delivery carried.
// Transactions recorded before the SPF columns existed get "none" for the
// domain SPF would have spoken for.
func storedEnvelope(m storage.Message, s storage.Session) payload.Envelope {
	spf := payload.SPF{Result: m.SPFResult, Domain: m.SPFDomain}
	if spf.Result == "" {
		spf = payload.SPF{Result: "none", Domain: spfDomain(s.HeloDomain, m.MailFrom)}
	}
	return payload.Envelope{
		Recipients: m.Recipients,
		From:       m.MailFrom,
		HeloDomain: s.HeloDomain,
		RemoteIP:   s.RemoteIP,
		TLS:        s.TLS,
		TLSCipher:  s.TLSCipher,
		SPF:        spf,
	}
}

// errorFormatFor is the error callback format SPEC §4 gives a URL.
func errorFormatFor(rawURL string) string { return string(payload.ErrorFormatFor(rawURL)) }

// stripMaskedUserinfo removes user info that is only the mask Mailhook
// stores ("****" or "****:****"); anything else is left alone.
func stripMaskedUserinfo(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	pass, hasPass := u.User.Password()
	if u.User.Username() != "****" || (hasPass && pass != "****") {
		return raw
	}
	u.User = nil
	return u.String()
}
