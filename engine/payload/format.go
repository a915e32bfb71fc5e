package payload

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"strings"
)

// Format is a CloudMailin HTTP POST format.
type Format string

const (
	JSONNormalized      Format = "json+n"      // application/json, the default
	MultipartNormalized Format = "multipart+n" // multipart/form-data, attachments as file parts
	Raw                 Format = "raw"         // multipart/form-data: the untouched message + envelope
)

// formats lists the valid formats in the order shown to users.
func formats() []Format { return []Format{JSONNormalized, MultipartNormalized, Raw} }

// ParseFormat reads a format name as typed in settings or on the command
// line; case and surrounding spaces are forgiven.
func ParseFormat(s string) (Format, error) {
	want := strings.ToLower(strings.TrimSpace(s))
	names := make([]string, 0, len(formats()))
	for _, f := range formats() {
		if string(f) == want {
			return f, nil
		}
		names = append(names, string(f))
	}
	return "", fmt.Errorf("payload: unknown format %q (valid: %s)", s, strings.Join(names, ", "))
}

// SPF is the SPF check result sent in the envelope.
type SPF struct {
	Result, Domain string
}

// Envelope is what the SMTP transaction said, as opposed to the message.
type Envelope struct {
	Recipients []string // accepted recipients in RCPT order; "to" is Recipients[0]
	From       string
	HeloDomain string
	RemoteIP   string
	TLS        bool
	TLSCipher  string // written only when TLS
	SPF        SPF
}

// Options tune the encoders.
type Options struct {
	// SizeAsNumber writes attachment size as a JSON number instead of the
	// decimal string CloudMailin sends (its Go client rejects a number).
	SizeAsNumber bool
}

// Encode builds the POST body for f and returns it with its Content-Type.
// raw is the message exactly as received (for md5 and the raw format); msg is
// Parse's result for raw (it may be nil for the Raw format only).
func Encode(f Format, raw []byte, msg *Message, env Envelope, opts Options) (body []byte, contentType string, err error) {
	switch f {
	case JSONNormalized, MultipartNormalized:
		if msg == nil {
			return nil, "", fmt.Errorf("payload: encode %s: no parsed message", f)
		}
		if f == JSONNormalized {
			return encodeJSON(raw, msg, env, opts)
		}
		return encodeMultipart(raw, msg, env)
	case Raw:
		return encodeRaw(raw, env)
	}
	_, err = ParseFormat(string(f))
	return nil, "", err
}

// md5Hex is the envelope's md5: the hex MD5 of the raw message bytes.
func md5Hex(raw []byte) string {
	sum := md5.Sum(raw)
	return hex.EncodeToString(sum[:])
}

// envelopeTo is "to": the first accepted recipient.
func envelopeTo(env Envelope) string {
	if len(env.Recipients) == 0 {
		return ""
	}
	return env.Recipients[0]
}
