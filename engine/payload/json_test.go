package payload

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"reflect"
	"testing"
)

func TestEncodeJSONRich(t *testing.T) {
	raw, msg := mustParse(t, "rich.eml")
	body, ctype, err := Encode(JSONNormalized, raw, msg, testEnvelope(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "application/json" {
		t.Errorf("content type = %q", ctype)
	}
	sum := md5.Sum(raw)
	want := map[string]any{
		"headers": map[string]any{
			"received": []any{
				"from client.example (client.example [127.0.0.1])\tby mx.mailhook.test with ESMTP id 1A2B3C;\tMon, 01 Jan 2024 10:00:02 +0000",
				"by client.example with SMTP id zz9; Mon, 01 Jan 2024 10:00:01 +0000",
			},
			"from":            "Renée Sender <renee@example.com>",
			"to":              "Rcpt <rcpt@example.com>",
			"subject":         "Héllo wörld from café",
			"message_id":      "<rich-1@example.com>",
			"date":            "Mon, 01 Jan 2024 10:00:00 +0000",
			"x_mailhook_test": []any{"first", "second"},
			"mime_version":    "1.0",
			"content_type":    `multipart/mixed; boundary="mixed-b"`,
		},
		"envelope": map[string]any{
			"to":          "rcpt@example.com",
			"recipients":  []any{"rcpt@example.com", "b@example.com"},
			"from":        "sender@example.com",
			"helo_domain": "client.example",
			"remote_ip":   "127.0.0.1",
			"tls":         true,
			"tls_cipher":  "TLSv1.3",
			"md5":         hex.EncodeToString(sum[:]),
			"spf":         map[string]any{"result": "none", "domain": "example.com"},
		},
		"plain":       "Hello ☃ world, this line is long enough to need a soft line break in quoted-printable.\n\nBye",
		"html":        `<html><body><p>Hello ☃ world</p><img src="cid:logo@mailhook"></body></html>`,
		"reply_plain": nil,
		"attachments": []any{
			map[string]any{
				"file_name":    "logo.png",
				"content_type": "image/png",
				"size":         "70",
				"disposition":  "inline",
				"content_id":   "<logo@mailhook>",
				"content":      base64.StdEncoding.EncodeToString(readTestdata(t, "pixel.png")),
			},
			map[string]any{
				"file_name":    "data.bin",
				"content_type": "application/octet-stream",
				"size":         "300",
				"disposition":  "attachment",
				"content":      base64.StdEncoding.EncodeToString(readTestdata(t, "data.bin")),
			},
		},
	}
	if got := decodeJSON(t, body); !reflect.DeepEqual(got, want) {
		t.Errorf("JSON mismatch\ngot:  %s\nwant: %s", show(got), show(want))
	}
}

func TestEncodeJSONCases(t *testing.T) {
	plainEnv := testEnvelope()
	plainEnv.TLS, plainEnv.TLSCipher = false, "ignored"
	noRcpt := testEnvelope()
	noRcpt.Recipients = nil
	tests := []struct {
		name  string
		file  string
		env   Envelope
		opts  Options
		check func(t *testing.T, m map[string]any)
	}{
		{"no attachments is an empty array", "plain.eml", testEnvelope(), Options{}, func(t *testing.T, m map[string]any) {
			if a, ok := m["attachments"].([]any); !ok || len(a) != 0 {
				t.Errorf("attachments = %#v, want []", m["attachments"])
			}
			if m["html"] != nil || m["reply_plain"] != nil {
				t.Errorf("html, reply_plain = %#v, %#v, want null", m["html"], m["reply_plain"])
			}
		}},
		{"html only has null plain", "html_only.eml", testEnvelope(), Options{}, func(t *testing.T, m map[string]any) {
			if v, ok := m["plain"]; !ok || v != nil {
				t.Errorf("plain = %#v (present %v), want null", v, ok)
			}
			if _, ok := m["html"].(string); !ok {
				t.Errorf("html = %#v", m["html"])
			}
		}},
		{"reply_plain", "reply.eml", testEnvelope(), Options{}, func(t *testing.T, m map[string]any) {
			if m["reply_plain"] != "Thanks, that works for me.\n\nSee you Monday." {
				t.Errorf("reply_plain = %#v", m["reply_plain"])
			}
		}},
		{"size string by default", "malformed.eml", testEnvelope(), Options{}, func(t *testing.T, m map[string]any) {
			if got := attachmentField(t, m, 0, "size"); got != "10" {
				t.Errorf("size = %#v, want \"10\"", got)
			}
		}},
		{"size number with SizeAsNumber", "malformed.eml", testEnvelope(), Options{SizeAsNumber: true}, func(t *testing.T, m map[string]any) {
			if got := attachmentField(t, m, 0, "size"); got != float64(10) {
				t.Errorf("size = %#v, want 10", got)
			}
		}},
		{"content_id omitted when none", "malformed.eml", testEnvelope(), Options{}, func(t *testing.T, m map[string]any) {
			if _, ok := m["attachments"].([]any)[0].(map[string]any)["content_id"]; ok {
				t.Error("content_id present for a part without Content-ID")
			}
		}},
		{"no tls_cipher without TLS", "plain.eml", plainEnv, Options{}, func(t *testing.T, m map[string]any) {
			env := m["envelope"].(map[string]any)
			if _, ok := env["tls_cipher"]; ok || env["tls"] != false {
				t.Errorf("envelope = %v", env)
			}
		}},
		{"no recipients", "plain.eml", noRcpt, Options{}, func(t *testing.T, m map[string]any) {
			env := m["envelope"].(map[string]any)
			if r, ok := env["recipients"].([]any); !ok || len(r) != 0 || env["to"] != "" {
				t.Errorf("envelope = %v, want recipients [] and to \"\"", env)
			}
		}},
		{"single header is a string", "plain.eml", testEnvelope(), Options{}, func(t *testing.T, m map[string]any) {
			if got := m["headers"].(map[string]any)["received"]; got != "by mx.mailhook.test; Mon, 01 Jan 2024 11:00:00 +0000" {
				t.Errorf("received = %#v", got)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw, msg := mustParse(t, tt.file)
			body, _, err := Encode(JSONNormalized, raw, msg, tt.env, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, decodeJSON(t, body))
		})
	}
}

func attachmentField(t *testing.T, m map[string]any, i int, key string) any {
	t.Helper()
	list, ok := m["attachments"].([]any)
	if !ok || len(list) <= i {
		t.Fatalf("attachments = %#v", m["attachments"])
	}
	return list[i].(map[string]any)[key]
}

// TestEncodeJSONOrder checks the byte layout a map comparison cannot see:
// key order, first-seen header order, no HTML escaping, determinism.
func TestEncodeJSONOrder(t *testing.T) {
	raw, msg := mustParse(t, "rich.eml")
	body, _, err := Encode(JSONNormalized, raw, msg, testEnvelope(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	again, _, _ := Encode(JSONNormalized, raw, msg, testEnvelope(), Options{})
	if !bytes.Equal(body, again) {
		t.Error("two encodings differ")
	}
	if bytes.Contains(body, []byte(`\u003c`)) || !bytes.Contains(body, []byte(`"<rich-1@example.com>"`)) {
		t.Error("angle brackets are escaped")
	}
	tests := []struct {
		path []string
		want []string
	}{
		{nil, []string{"headers", "envelope", "plain", "html", "reply_plain", "attachments"}},
		{[]string{"headers"}, []string{"received", "from", "to", "subject", "message_id", "date", "x_mailhook_test", "mime_version", "content_type"}},
		{[]string{"envelope"}, []string{"to", "recipients", "from", "helo_domain", "remote_ip", "tls", "tls_cipher", "md5", "spf"}},
		{[]string{"attachments", "0"}, []string{"file_name", "content_type", "size", "disposition", "content_id", "content"}},
	}
	for _, tt := range tests {
		t.Run(fmtPath(tt.path), func(t *testing.T) {
			if got := objectKeys(t, body, tt.path); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("keys = %q, want %q", got, tt.want)
			}
		})
	}
}

func fmtPath(p []string) string {
	if len(p) == 0 {
		return "top"
	}
	s := p[0]
	for _, e := range p[1:] {
		s += "." + e
	}
	return s
}

// objectKeys lists, in order, the keys of the object found by following
// path (object keys or array indexes) from the top of body.
func objectKeys(t *testing.T, body []byte, path []string) []string {
	t.Helper()
	var v json.RawMessage = body
	for _, step := range path {
		var obj map[string]json.RawMessage
		if json.Unmarshal(v, &obj) == nil {
			v = obj[step]
			continue
		}
		var arr []json.RawMessage
		if err := json.Unmarshal(v, &arr); err != nil {
			t.Fatal(err)
		}
		i := int(step[0] - '0')
		v = arr[i]
	}
	dec := json.NewDecoder(bytes.NewReader(v))
	if _, err := dec.Token(); err != nil { // {
		t.Fatal(err)
	}
	var keys []string
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}
