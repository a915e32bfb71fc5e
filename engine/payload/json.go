package payload

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// Ordered structs (not maps) so the body is byte-for-byte deterministic and
// its fields come in the order CloudMailin's documentation shows.
type jsonBody struct {
	Headers     jsonHeaders      `json:"headers"`
	Envelope    jsonEnvelope     `json:"envelope"`
	Plain       *string          `json:"plain"`
	HTML        *string          `json:"html"`
	ReplyPlain  *string          `json:"reply_plain"`
	Attachments []jsonAttachment `json:"attachments"`
}

type jsonEnvelope struct {
	To         string   `json:"to"`
	Recipients []string `json:"recipients"`
	From       string   `json:"from"`
	HeloDomain string   `json:"helo_domain"`
	RemoteIP   string   `json:"remote_ip"`
	TLS        bool     `json:"tls"`
	TLSCipher  *string  `json:"tls_cipher,omitempty"` // pointer: present (even "") only with TLS
	MD5        string   `json:"md5"`
	SPF        jsonSPF  `json:"spf"`
}

type jsonSPF struct {
	Result string `json:"result"`
	Domain string `json:"domain"`
}

type jsonAttachment struct {
	FileName    string          `json:"file_name"`
	ContentType string          `json:"content_type"`
	Size        json.RawMessage `json:"size"` // "123" by default, 123 with SizeAsNumber
	Disposition string          `json:"disposition"`
	ContentID   string          `json:"content_id,omitempty"` // left out when the part has none
	Content     []byte          `json:"content"`              // encoding/json writes std base64
}

// jsonHeaders writes the headers object in first-seen key order: a string
// for a header seen once, an array (top-most first) for one seen again.
type jsonHeaders []headerGroup

func (h jsonHeaders) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // the outer Encoder compacts this; newlines vanish
	buf.WriteByte('{')
	for i, g := range h {
		if i > 0 {
			buf.WriteByte(',')
		}
		var v any = g.values
		if len(g.values) == 1 {
			v = g.values[0]
		}
		if err := enc.Encode(g.key); err != nil {
			return nil, err
		}
		buf.WriteByte(':')
		if err := enc.Encode(v); err != nil {
			return nil, err
		}
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

func encodeJSON(raw []byte, msg *Message, env Envelope, opts Options) ([]byte, string, error) {
	body := jsonBody{
		Headers:     jsonHeaders(groupHeaders(msg.Headers)),
		Envelope:    newJSONEnvelope(raw, env),
		Plain:       msg.Plain,
		HTML:        msg.HTML,
		ReplyPlain:  msg.ReplyPlain,
		Attachments: make([]jsonAttachment, 0, len(msg.Attachments)),
	}
	for _, a := range msg.Attachments {
		size := strconv.Quote(strconv.Itoa(len(a.Content)))
		if opts.SizeAsNumber {
			size = strconv.Itoa(len(a.Content))
		}
		content := a.Content
		if content == nil {
			content = []byte{} // "" rather than null
		}
		body.Attachments = append(body.Attachments, jsonAttachment{
			FileName:    a.FileName,
			ContentType: a.ContentType,
			Size:        json.RawMessage(size),
			Disposition: a.Disposition,
			ContentID:   a.ContentID,
			Content:     content,
		})
	}
	var buf bytes.Buffer
	buf.Grow(estimateJSONSize(msg))
	enc := json.NewEncoder(&buf)
	// Message-IDs and HTML stay readable in the stored request: no \u003c.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(body); err != nil {
		return nil, "", fmt.Errorf("payload: encode json: %w", err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), "application/json", nil
}

func newJSONEnvelope(raw []byte, env Envelope) jsonEnvelope {
	recipients := env.Recipients
	if recipients == nil {
		recipients = []string{}
	}
	e := jsonEnvelope{
		To:         envelopeTo(env),
		Recipients: recipients,
		From:       env.From,
		HeloDomain: env.HeloDomain,
		RemoteIP:   env.RemoteIP,
		TLS:        env.TLS,
		MD5:        md5Hex(raw),
		SPF:        jsonSPF{Result: env.SPF.Result, Domain: env.SPF.Domain},
	}
	if env.TLS {
		cipher := env.TLSCipher
		e.TLSCipher = &cipher
	}
	return e
}

// estimateJSONSize avoids regrowing the buffer for large attachments.
func estimateJSONSize(msg *Message) int {
	n := 4096
	for _, a := range msg.Attachments {
		n += len(a.Content)*4/3 + 256
	}
	if msg.Plain != nil {
		n += len(*msg.Plain) * 2
	}
	if msg.HTML != nil {
		n += len(*msg.HTML) * 2
	}
	return n
}
