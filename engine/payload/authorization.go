package payload

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// AuthFormat is the body format of the authorization callback (SPEC.md §3).
//
// Choices where SPEC.md is silent:
//   - form keeps the SPEC's field order and writes the keys spf[result] and
//     spf[domain] with literal brackets, as the SPEC and CloudMailin show them;
//     values are url.QueryEscape'd (space as "+", "@" as %40).
//   - xml is served as application/xml, indented by 2 spaces with a final
//     newline, as Rails' to_xml writes it.
//   - json, like the delivery encoder, leaves <, > and & unescaped.
type AuthFormat string

const (
	AuthForm AuthFormat = "form" // application/x-www-form-urlencoded, the default
	AuthJSON AuthFormat = "json" // application/json
	AuthXML  AuthFormat = "xml"  // application/xml
)

// ParseAuthFormat reads an authorization format name as typed in settings or
// on the command line; case and surrounding spaces are forgiven.
func ParseAuthFormat(s string) (AuthFormat, error) {
	switch f := AuthFormat(strings.ToLower(strings.TrimSpace(s))); f {
	case AuthForm, AuthJSON, AuthXML:
		return f, nil
	}
	return "", fmt.Errorf("payload: unknown authorization format %q (valid: form, json, xml)", s)
}

// AuthFormatFor is the default format for an authorization URL: chosen by
// the ending of its path, so a query string does not hide it.
func AuthFormatFor(rawURL string) AuthFormat {
	switch {
	case pathEndsWith(rawURL, ".json"):
		return AuthJSON
	case pathEndsWith(rawURL, ".xml"):
		return AuthXML
	}
	return AuthForm
}

// pathEndsWith reports whether the URL's path ends with ext, ignoring case;
// an unparsable URL ends with nothing.
func pathEndsWith(rawURL, ext string) bool {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	return err == nil && strings.HasSuffix(strings.ToLower(u.Path), ext)
}

// AuthParams is what the authorization callback says about one recipient.
type AuthParams struct {
	To, From   string
	Size       int64
	HasSize    bool // size is sent only when MAIL FROM carried SIZE=
	HeloDomain string
	RemoteIP   string
	SPF        SPF
}

// EncodeAuthorization builds the authorization callback body for f and
// returns it with its Content-Type.
func EncodeAuthorization(f AuthFormat, p AuthParams) (body []byte, contentType string, err error) {
	switch f {
	case AuthForm:
		return encodeAuthForm(p), "application/x-www-form-urlencoded", nil
	case AuthJSON:
		body, err = encodeAuthJSON(p)
		return body, "application/json", err
	case AuthXML:
		body, err = encodeAuthXML(p)
		return body, "application/xml", err
	}
	_, err = ParseAuthFormat(string(f))
	return nil, "", err
}

// formBody writes key=value pairs in the given order: url.Values.Encode
// would sort them. Keys are written as given (brackets stay literal).
func formBody(kv ...string) []byte {
	var b strings.Builder
	for i := 0; i+1 < len(kv); i += 2 {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(kv[i])
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(kv[i+1]))
	}
	return []byte(b.String())
}

func encodeAuthForm(p AuthParams) []byte {
	kv := []string{"to", p.To, "from", p.From}
	if p.HasSize {
		kv = append(kv, "size", strconv.FormatInt(p.Size, 10))
	}
	kv = append(kv,
		"helo_domain", p.HeloDomain,
		"remote_ip", p.RemoteIP,
		"spf[result]", p.SPF.Result,
		"spf[domain]", p.SPF.Domain)
	return formBody(kv...)
}

// Ordered structs so fields come in the SPEC's order.
type authJSON struct {
	To         string  `json:"to"`
	From       string  `json:"from"`
	Size       *int64  `json:"size,omitempty"` // nil without SIZE=; 0 is still sent
	HeloDomain string  `json:"helo_domain"`
	RemoteIP   string  `json:"remote_ip"`
	SPF        jsonSPF `json:"spf"`
}

func encodeAuthJSON(p AuthParams) ([]byte, error) {
	v := authJSON{
		To: p.To, From: p.From, HeloDomain: p.HeloDomain, RemoteIP: p.RemoteIP,
		SPF: jsonSPF{Result: p.SPF.Result, Domain: p.SPF.Domain},
	}
	if p.HasSize {
		v.Size = &p.Size
	}
	body, err := marshalJSON(v)
	if err != nil {
		return nil, fmt.Errorf("payload: encode authorization json: %w", err)
	}
	return body, nil
}

// marshalJSON is json.Marshal without HTML escaping or a final newline.
func marshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

type authXML struct {
	XMLName    xml.Name `xml:"parameters"`
	To         string   `xml:"to"`
	From       string   `xml:"from"`
	Size       *xmlSize `xml:"size,omitempty"`
	HeloDomain string   `xml:"helo-domain"`
	RemoteIP   string   `xml:"remote-ip"`
	SPF        struct {
		Result string `xml:"result"`
		Domain string `xml:"domain"`
	} `xml:"spf"`
}

// xmlSize is Rails' typed integer: <size type="integer">102400</size>.
type xmlSize struct {
	Type  string `xml:"type,attr"`
	Value int64  `xml:",chardata"`
}

func encodeAuthXML(p AuthParams) ([]byte, error) {
	v := authXML{To: p.To, From: p.From, HeloDomain: p.HeloDomain, RemoteIP: p.RemoteIP}
	v.SPF.Result, v.SPF.Domain = p.SPF.Result, p.SPF.Domain
	if p.HasSize {
		v.Size = &xmlSize{Type: "integer", Value: p.Size}
	}
	body, err := xml.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("payload: encode authorization xml: %w", err)
	}
	out := make([]byte, 0, len(xml.Header)+len(body)+1)
	out = append(out, xml.Header...)
	out = append(out, body...)
	return append(out, '\n'), nil
}

// DecodeAuthorization reads an authorization body back (replay rebuilds it
// in another format from what was sent).
func DecodeAuthorization(f AuthFormat, body []byte) (AuthParams, error) {
	var p AuthParams
	switch f {
	case AuthJSON:
		var v authJSON
		if err := json.Unmarshal(body, &v); err != nil {
			return p, fmt.Errorf("payload: read authorization json: %w", err)
		}
		p = AuthParams{To: v.To, From: v.From, HeloDomain: v.HeloDomain, RemoteIP: v.RemoteIP,
			SPF: SPF{Result: v.SPF.Result, Domain: v.SPF.Domain}}
		if v.Size != nil {
			p.Size, p.HasSize = *v.Size, true
		}
	case AuthXML:
		var v authXML
		if err := xml.Unmarshal(body, &v); err != nil {
			return p, fmt.Errorf("payload: read authorization xml: %w", err)
		}
		p = AuthParams{To: v.To, From: v.From, HeloDomain: v.HeloDomain, RemoteIP: v.RemoteIP,
			SPF: SPF{Result: v.SPF.Result, Domain: v.SPF.Domain}}
		if v.Size != nil {
			p.Size, p.HasSize = v.Size.Value, true
		}
	default:
		v, err := url.ParseQuery(string(body))
		if err != nil {
			return p, fmt.Errorf("payload: read authorization form: %w", err)
		}
		p = AuthParams{To: v.Get("to"), From: v.Get("from"), HeloDomain: v.Get("helo_domain"),
			RemoteIP: v.Get("remote_ip"), SPF: SPF{Result: v.Get("spf[result]"), Domain: v.Get("spf[domain]")}}
		if v.Has("size") {
			if p.Size, err = strconv.ParseInt(v.Get("size"), 10, 64); err != nil {
				return p, fmt.Errorf("payload: read authorization form: size: %w", err)
			}
			p.HasSize = true
		}
	}
	return p, nil
}
