package payload

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/textproto"
	"strconv"
)

// boundary is CloudMailin's own (sic: "boundry"); webhooks in the wild have
// been seen to hard-code it, so it is reproduced exactly.
const boundary = "----cloudmailinboundry"

// field is one form field in the order it is written.
type field struct{ name, value string }

// formWriter wraps multipart.Writer, keeping the first error so the callers
// read as a plain list of fields.
type formWriter struct {
	buf bytes.Buffer
	w   *multipart.Writer
	err error
}

func newFormWriter(sizeHint int) (*formWriter, error) {
	f := &formWriter{}
	f.buf.Grow(sizeHint)
	f.w = multipart.NewWriter(&f.buf)
	if err := f.w.SetBoundary(boundary); err != nil {
		return nil, fmt.Errorf("payload: boundary: %w", err)
	}
	return f, nil
}

func (f *formWriter) field(name, value string) { f.fieldBytes(name, []byte(value)) }

func (f *formWriter) fieldBytes(name string, value []byte) {
	if f.err != nil {
		return
	}
	part, err := f.w.CreateFormField(name)
	if err == nil {
		_, err = part.Write(value)
	}
	f.err = err
}

func (f *formWriter) fields(list []field) {
	for _, fl := range list {
		f.field(fl.name, fl.value)
	}
}

func (f *formWriter) file(name, filename, contentType string, content []byte) {
	if f.err != nil {
		return
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", multipart.FileContentDisposition(name, filename))
	h.Set("Content-Type", contentType)
	part, err := f.w.CreatePart(h)
	if err == nil {
		_, err = part.Write(content)
	}
	f.err = err
}

func (f *formWriter) finish(what string) ([]byte, string, error) {
	if f.err == nil {
		f.err = f.w.Close()
	}
	if f.err != nil {
		return nil, "", fmt.Errorf("payload: encode %s: %w", what, f.err)
	}
	return f.buf.Bytes(), f.w.FormDataContentType(), nil
}

// encodeMultipart writes multipart+n: plain, html, reply_plain (those
// present), headers[...], envelope[...], then attachments[] file parts.
func encodeMultipart(raw []byte, msg *Message, env Envelope) ([]byte, string, error) {
	f, err := newFormWriter(estimateJSONSize(msg))
	if err != nil {
		return nil, "", err
	}
	for _, b := range []struct {
		name string
		v    *string
	}{{"plain", msg.Plain}, {"html", msg.HTML}, {"reply_plain", msg.ReplyPlain}} {
		if b.v != nil {
			f.field(b.name, *b.v)
		}
	}
	for _, g := range groupHeaders(msg.Headers) {
		if len(g.values) == 1 {
			f.field("headers["+g.key+"]", g.values[0])
			continue
		}
		for i, v := range g.values {
			f.field("headers["+g.key+"]["+strconv.Itoa(i)+"]", v)
		}
	}
	f.fields(envelopeFields(raw, env))
	for _, a := range msg.Attachments {
		name := a.FileName
		if name == "" {
			name = "noname" // an empty filename makes Rack and others drop the part
		}
		ctype := a.ContentType
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		f.file("attachments[]", name, ctype, a.Content)
	}
	return f.finish(string(MultipartNormalized))
}

// encodeRaw writes the raw format: the untouched message, then the envelope.
func encodeRaw(raw []byte, env Envelope) ([]byte, string, error) {
	f, err := newFormWriter(len(raw) + 2048)
	if err != nil {
		return nil, "", err
	}
	f.fieldBytes("message", raw)
	f.fields(envelopeFields(raw, env))
	return f.finish(string(Raw))
}

// envelopeFields flattens the envelope with Rack-style nested names, in the
// same order as the JSON envelope.
func envelopeFields(raw []byte, env Envelope) []field {
	list := []field{{"envelope[to]", envelopeTo(env)}}
	for i, r := range env.Recipients {
		list = append(list, field{"envelope[recipients][" + strconv.Itoa(i) + "]", r})
	}
	list = append(list,
		field{"envelope[from]", env.From},
		field{"envelope[helo_domain]", env.HeloDomain},
		field{"envelope[remote_ip]", env.RemoteIP},
		field{"envelope[tls]", strconv.FormatBool(env.TLS)},
	)
	if env.TLS {
		list = append(list, field{"envelope[tls_cipher]", env.TLSCipher})
	}
	return append(list,
		field{"envelope[md5]", md5Hex(raw)},
		field{"envelope[spf][result]", env.SPF.Result},
		field{"envelope[spf][domain]", env.SPF.Domain},
	)
}
