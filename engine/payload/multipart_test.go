package payload

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"io"
	"mime"
	"mime/multipart"
	"reflect"
	"testing"
)

// formPart is one part as a webhook's form parser sees it.
type formPart struct {
	name, filename, ctype, value string
}

// readForm checks the envelope of a multipart body and returns its parts in
// order.
func readForm(t *testing.T, body []byte, ctype string) []formPart {
	t.Helper()
	if ctype != "multipart/form-data; boundary=----cloudmailinboundry" {
		t.Errorf("content type = %q", ctype)
	}
	if !bytes.HasPrefix(body, []byte("------cloudmailinboundry\r\n")) ||
		!bytes.HasSuffix(body, []byte("\r\n------cloudmailinboundry--\r\n")) {
		t.Errorf("body does not start and end with the CloudMailin boundary")
	}
	_, params, err := mime.ParseMediaType(ctype)
	if err != nil {
		t.Fatal(err)
	}
	r := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	var parts []formPart
	for {
		p, err := r.NextRawPart() // raw: no quoted-printable magic
		if err == io.EOF {
			return parts
		}
		if err != nil {
			t.Fatal(err)
		}
		v, err := io.ReadAll(p)
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, formPart{p.FormName(), p.FileName(), p.Header.Get("Content-Type"), string(v)})
	}
}

func md5Of(raw []byte) string {
	sum := md5.Sum(raw)
	return hex.EncodeToString(sum[:])
}

func envelopeParts(raw []byte) []formPart {
	return []formPart{
		{name: "envelope[to]", value: "rcpt@example.com"},
		{name: "envelope[recipients][0]", value: "rcpt@example.com"},
		{name: "envelope[recipients][1]", value: "b@example.com"},
		{name: "envelope[from]", value: "sender@example.com"},
		{name: "envelope[helo_domain]", value: "client.example"},
		{name: "envelope[remote_ip]", value: "127.0.0.1"},
		{name: "envelope[tls]", value: "true"},
		{name: "envelope[tls_cipher]", value: "TLSv1.3"},
		{name: "envelope[md5]", value: md5Of(raw)},
		{name: "envelope[spf][result]", value: "none"},
		{name: "envelope[spf][domain]", value: "example.com"},
	}
}

func TestEncodeMultipart(t *testing.T) {
	tests := []struct {
		file string
		want func(raw []byte) []formPart
	}{
		{"rich.eml", func(raw []byte) []formPart {
			parts := []formPart{
				{name: "plain", value: "Hello ☃ world, this line is long enough to need a soft line break in quoted-printable.\n\nBye"},
				{name: "html", value: `<html><body><p>Hello ☃ world</p><img src="cid:logo@mailhook"></body></html>`},
				{name: "headers[received][0]", value: "from client.example (client.example [127.0.0.1])\tby mx.mailhook.test with ESMTP id 1A2B3C;\tMon, 01 Jan 2024 10:00:02 +0000"},
				{name: "headers[received][1]", value: "by client.example with SMTP id zz9; Mon, 01 Jan 2024 10:00:01 +0000"},
				{name: "headers[from]", value: "Renée Sender <renee@example.com>"},
				{name: "headers[to]", value: "Rcpt <rcpt@example.com>"},
				{name: "headers[subject]", value: "Héllo wörld from café"},
				{name: "headers[message_id]", value: "<rich-1@example.com>"},
				{name: "headers[date]", value: "Mon, 01 Jan 2024 10:00:00 +0000"},
				{name: "headers[x_mailhook_test][0]", value: "first"},
				{name: "headers[x_mailhook_test][1]", value: "second"},
				{name: "headers[mime_version]", value: "1.0"},
				{name: "headers[content_type]", value: `multipart/mixed; boundary="mixed-b"`},
			}
			parts = append(parts, envelopeParts(raw)...)
			return append(parts,
				formPart{"attachments[]", "logo.png", "image/png", string(readTestdata(t, "pixel.png"))},
				formPart{"attachments[]", "data.bin", "application/octet-stream", string(readTestdata(t, "data.bin"))},
			)
		}},
		{"reply.eml", func(raw []byte) []formPart {
			parts := []formPart{
				{name: "plain", value: "Thanks, that works for me.\n\nSee you Monday.\n\nOn Mon, 1 Jan 2024 at 10:00, Alex Example <alex@example.com>\nwrote:\n> Can we meet on Monday?\n>\n> Alex\n"},
				{name: "reply_plain", value: "Thanks, that works for me.\n\nSee you Monday."},
				{name: "headers[from]", value: "Sam <sam@example.com>"},
				{name: "headers[to]", value: "Alex Example <alex@example.com>"},
				{name: "headers[subject]", value: "Re: Meeting"},
				{name: "headers[message_id]", value: "<reply-1@example.com>"},
				{name: "headers[in_reply_to]", value: "<meeting-1@example.com>"},
				{name: "headers[mime_version]", value: "1.0"},
				{name: "headers[content_type]", value: "text/plain; charset=UTF-8"},
			}
			return append(parts, envelopeParts(raw)...)
		}},
		{"html_only.eml", func(raw []byte) []formPart {
			parts := []formPart{
				{name: "html", value: "<html><body><h1>Only HTML</h1><p>No plain part — plain must be null.</p></body></html>\n"},
				{name: "headers[from]", value: "a@example.com"},
				{name: "headers[to]", value: "b@example.com"},
				{name: "headers[subject]", value: "HTML only"},
				{name: "headers[message_id]", value: "<html-1@example.com>"},
				{name: "headers[mime_version]", value: "1.0"},
				{name: "headers[content_type]", value: "text/html; charset=UTF-8"},
				{name: "headers[content_transfer_encoding]", value: "quoted-printable"},
			}
			return append(parts, envelopeParts(raw)...)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			raw, msg := mustParse(t, tt.file)
			body, ctype, err := Encode(MultipartNormalized, raw, msg, testEnvelope(), Options{})
			if err != nil {
				t.Fatal(err)
			}
			got, want := readForm(t, body, ctype), tt.want(raw)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("parts mismatch\ngot:  %q\nwant: %q", got, want)
			}
		})
	}
}

func TestEncodeMultipartUnnamedAttachment(t *testing.T) {
	raw := []byte("Content-Type: image/gif\r\nContent-Transfer-Encoding: base64\r\n\r\nR0lGODlh\r\n")
	msg, err := Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	body, ctype, err := Encode(MultipartNormalized, raw, msg, Envelope{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	parts := readForm(t, body, ctype)
	last := parts[len(parts)-1]
	if want := (formPart{"attachments[]", "noname", "image/gif", "GIF89a"}); last != want {
		t.Errorf("last part = %q, want %q", last, want)
	}
}

func TestEncodeRaw(t *testing.T) {
	for _, file := range []string{"rich.eml", "plain.eml", "latin1.eml", "malformed.eml"} {
		t.Run(file, func(t *testing.T) {
			raw := readTestdata(t, file)
			body, ctype, err := Encode(Raw, raw, nil, testEnvelope(), Options{})
			if err != nil {
				t.Fatal(err)
			}
			got := readForm(t, body, ctype)
			want := append([]formPart{{name: "message", value: string(raw)}}, envelopeParts(raw)...)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("parts mismatch\ngot:  %q\nwant: %q", got, want)
			}
			if got[0].value != string(raw) {
				t.Error("message field differs from the raw bytes")
			}
		})
	}
}

func TestEnvelopeFieldsWithoutTLS(t *testing.T) {
	env := testEnvelope()
	env.TLS = false
	for _, f := range envelopeFields([]byte("x"), env) {
		if f.name == "envelope[tls_cipher]" {
			t.Error("tls_cipher written without TLS")
		}
		if f.name == "envelope[tls]" && f.value != "false" {
			t.Errorf("tls = %q", f.value)
		}
	}
}
