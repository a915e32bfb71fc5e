package engine

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"net/url"
	"strconv"
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
		p, err := decodeAuthParams(orig.Format, orig.RequestBody)
		if err != nil {
			return nil, "", invalid("read the authorization request back: %w", err)
		}
		body, ct, err := payload.EncodeAuthorization(payload.AuthFormat(format), p)
		if err != nil {
			return nil, "", fmt.Errorf("rebuild authorization: %w", err)
		}
		return body, ct, nil
	}
	p, err := decodeErrorParams(orig.Format, orig.RequestBody)
	if err != nil {
		return nil, "", invalid("read the error callback back: %w", err)
	}
	body, ct := encodeErrorAs(format, p)
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

// decodeAuthParams reads an authorization body (SPEC §3) back.
func decodeAuthParams(format string, body []byte) (payload.AuthParams, error) {
	var p payload.AuthParams
	switch format {
	case string(payload.AuthJSON):
		var v struct {
			To         string `json:"to"`
			From       string `json:"from"`
			Size       *int64 `json:"size"`
			HeloDomain string `json:"helo_domain"`
			RemoteIP   string `json:"remote_ip"`
			SPF        struct {
				Result string `json:"result"`
				Domain string `json:"domain"`
			} `json:"spf"`
		}
		if err := json.Unmarshal(body, &v); err != nil {
			return p, fmt.Errorf("json: %w", err)
		}
		p = payload.AuthParams{To: v.To, From: v.From, HeloDomain: v.HeloDomain, RemoteIP: v.RemoteIP,
			SPF: payload.SPF{Result: v.SPF.Result, Domain: v.SPF.Domain}}
		if v.Size != nil {
			p.Size, p.HasSize = *v.Size, true
		}
	case string(payload.AuthXML):
		var v struct {
			To         string `xml:"to"`
			From       string `xml:"from"`
			Size       *int64 `xml:"size"`
			HeloDomain string `xml:"helo-domain"`
			RemoteIP   string `xml:"remote-ip"`
			SPF        struct {
				Result string `xml:"result"`
				Domain string `xml:"domain"`
			} `xml:"spf"`
		}
		if err := xml.Unmarshal(body, &v); err != nil {
			return p, fmt.Errorf("xml: %w", err)
		}
		p = payload.AuthParams{To: v.To, From: v.From, HeloDomain: v.HeloDomain, RemoteIP: v.RemoteIP,
			SPF: payload.SPF{Result: v.SPF.Result, Domain: v.SPF.Domain}}
		if v.Size != nil {
			p.Size, p.HasSize = *v.Size, true
		}
	default:
		v, err := url.ParseQuery(string(body))
		if err != nil {
			return p, fmt.Errorf("form: %w", err)
		}
		p = payload.AuthParams{To: v.Get("to"), From: v.Get("from"), HeloDomain: v.Get("helo_domain"),
			RemoteIP: v.Get("remote_ip"), SPF: payload.SPF{Result: v.Get("spf[result]"), Domain: v.Get("spf[domain]")}}
		if v.Has("size") {
			if p.Size, err = strconv.ParseInt(v.Get("size"), 10, 64); err != nil {
				return p, fmt.Errorf("form: size: %w", err)
			}
			p.HasSize = true
		}
	}
	return p, nil
}

// decodeErrorParams reads an error callback body (SPEC §4) back.
func decodeErrorParams(format string, body []byte) (payload.ErrorParams, error) {
	var p payload.ErrorParams
	if format == "json" {
		var v struct {
			Status   int    `json:"status"`
			To       string `json:"to"`
			From     string `json:"from"`
			Response string `json:"response"`
		}
		if err := json.Unmarshal(body, &v); err != nil {
			return p, fmt.Errorf("json: %w", err)
		}
		return payload.ErrorParams{Status: v.Status, To: v.To, From: v.From, Response: v.Response}, nil
	}
	v, err := url.ParseQuery(string(body))
	if err != nil {
		return p, fmt.Errorf("form: %w", err)
	}
	p = payload.ErrorParams{To: v.Get("to"), From: v.Get("from"), Response: v.Get("response")}
	if s := v.Get("status"); s != "" {
		if p.Status, err = strconv.Atoi(s); err != nil {
			return p, fmt.Errorf("form: status: %w", err)
		}
	}
	return p, nil
}

// encodeErrorAs encodes an error callback in format. The encoder picks the
// format from a URL's ending (SPEC §4), so it is handed a URL that ends the
// way the format wants; the real URL is not affected.
func encodeErrorAs(format string, p payload.ErrorParams) ([]byte, string) {
	pick := "http://mailhook.invalid/errors"
	if format == "json" {
		pick += ".json"
	}
	return payload.EncodeErrorCallback(pick, p)
}

// errorFormatFor is the error callback format SPEC §4 gives a URL.
func errorFormatFor(rawURL string) string {
	if payload.AuthFormatFor(rawURL) == payload.AuthJSON {
		return "json"
	}
	return "form"
}

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
