package payload

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// addSeeds seeds a fuzz target with every testdata message.
func addSeeds(f *testing.F, extra ...any) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.eml"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no seeds: %v", err)
	}
	for _, name := range files {
		f.Add(append([]any{readTestdata(f, filepath.Base(name))}, extra...)...)
	}
}

func FuzzParse(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, raw []byte) {
		msg, err := Parse(raw)
		if err != nil {
			if len(bytes.TrimSpace(raw)) > 0 {
				t.Fatalf("Parse failed on non-empty input: %v", err)
			}
			return
		}
		for _, s := range []*string{msg.Plain, msg.HTML, msg.ReplyPlain} {
			if s != nil && !utf8.ValidString(*s) {
				t.Fatalf("body is not valid UTF-8: %q", *s)
			}
		}
		for _, h := range msg.Headers {
			if !utf8.ValidString(h.Value) {
				t.Fatalf("header %s is not valid UTF-8: %q", h.Name, h.Value)
			}
		}
		if msg.Attachments == nil {
			t.Fatal("Attachments is nil")
		}
		body, _, err := Encode(JSONNormalized, raw, msg, testEnvelope(), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !json.Valid(body) {
			t.Fatalf("invalid JSON: %s", body)
		}
	})
}

func FuzzEncode(f *testing.F) {
	addSeeds(f, false, true, "rcpt@example.com")
	f.Add([]byte("Subject: s\r\n\r\nbody"), true, false, "")
	f.Fuzz(func(t *testing.T, raw []byte, sizeAsNumber, tls bool, rcpt string) {
		msg, err := Parse(raw)
		if err != nil {
			return
		}
		env := testEnvelope()
		env.TLS = tls
		env.Recipients = []string{rcpt}
		opts := Options{SizeAsNumber: sizeAsNumber}

		body, _, err := Encode(JSONNormalized, raw, msg, env, opts)
		if err != nil {
			t.Fatal(err)
		}
		var decoded struct {
			Envelope    struct{ MD5 string }
			Attachments []struct {
				Size json.RawMessage
			}
		}
		if err := json.Unmarshal(body, &decoded); err != nil {
			t.Fatalf("invalid JSON: %v\n%s", err, body)
		}
		if decoded.Envelope.MD5 != md5Of(raw) {
			t.Fatalf("md5 = %q", decoded.Envelope.MD5)
		}
		for _, a := range decoded.Attachments {
			if isString := a.Size[0] == '"'; isString == sizeAsNumber {
				t.Fatalf("size %s with SizeAsNumber=%v", a.Size, sizeAsNumber)
			}
		}

		if _, _, err := Encode(MultipartNormalized, raw, msg, env, opts); err != nil {
			t.Fatal(err)
		}
		body, ctype, err := Encode(Raw, raw, msg, env, opts)
		if err != nil {
			t.Fatal(err)
		}
		// A message holding the boundary itself is the sender's risk (as
		// with CloudMailin); anything else must round-trip exactly.
		if bytes.Contains(raw, []byte(boundary)) || ctype == "" {
			return
		}
		part, err := multipart.NewReader(bytes.NewReader(body), boundary).NextRawPart()
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(part)
		if err != nil || !bytes.Equal(got, raw) {
			t.Fatalf("raw message field differs (err %v)", err)
		}
	})
}
