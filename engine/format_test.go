package engine_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"mime"
	"slices"
	"strings"
	"testing"

	"github.com/mailhook/mailhook/engine"
	"github.com/mailhook/mailhook/engine/payload"
)

// What testdata/full.eml carries, decoded.
const (
	fullSubject     = "Hello wörld from Mailhook"
	fullFrom        = "André <andre@example.org>"
	fullMessageID   = "<full-1@example.org>"
	fullReceived0   = "from mx2.example.net (mx2.example.net [192.0.2.2])\tby mx.example.com; Fri, 4 Dec 2026 10:00:02 +0000"
	fullReceived1   = "from client.example.org (client.example.org [192.0.2.1])\tby mx2.example.net; Fri, 4 Dec 2026 10:00:01 +0000"
	fullPlain       = "Hello wörld, plain part."
	fullLogoBase64  = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgAAACAAFUok9dAAAAAElFTkSuQmCC"
	fullMailFrom    = "andre@example.org"
	fullFirstRcpt   = "rcpt@example.com"
	fullSecondRcpt  = "second@example.com"
	cloudmailinMIME = "----cloudmailinboundry"
)

var fullRecipients = []string{fullFirstRcpt, fullSecondRcpt}

func fullLogo(t *testing.T) []byte {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(fullLogoBase64)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func bytes0to255() []byte {
	b := make([]byte, 256)
	for i := range b {
		b[i] = byte(i)
	}
	return b
}

// delivered is what one SMTP transaction of full.eml produced.
type delivered struct {
	req recorded // what the webhook received
	raw []byte   // what the server stored as received
}

// deliverFull sends testdata/full.eml over SMTP to a recording webhook in
// the given configuration, checks the 250, that the stored raw message is
// the fixture, and that the stored attempt holds the exact body the webhook
// got.
func deliverFull(t *testing.T, mutate func(*engine.Config)) delivered {
	t.Helper()
	rec := newRecorder(t, status(200, "ok"))
	h := newHarness(t, func(c *engine.Config) {
		c.TargetURL = rec.srv.URL + "/hook"
		if mutate != nil {
			mutate(c)
		}
	})
	fixture := readFixture(t, "full.eml")
	code, text, err := h.send(h.dial(), fullMailFrom, fullRecipients, fixture)
	if code != 250 {
		t.Fatalf("reply %d %q %v", code, text, err)
	}
	reqs := rec.requests()
	if len(reqs) != 1 {
		t.Fatalf("webhook got %d requests, want 1", len(reqs))
	}
	m := h.lastMessage()
	raw, err := h.eng.RawMessage(context.Background(), m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(raw, fixture) {
		t.Fatalf("stored raw message (%d bytes) differs from the %d bytes sent", len(raw), len(fixture))
	}
	exs := h.deliveries(m.ID)
	if len(exs) != 1 {
		t.Fatalf("%d delivery attempts stored, want 1", len(exs))
	}
	if !bytes.Equal(exs[0].RequestBody, reqs[0].Body) {
		t.Errorf("stored request body (%d bytes) differs from the body the webhook received (%d bytes)",
			len(exs[0].RequestBody), len(reqs[0].Body))
	}
	if reqs[0].Method != "POST" {
		t.Errorf("method %s, want POST", reqs[0].Method)
	}
	return delivered{req: reqs[0], raw: raw}
}

func md5Hex(b []byte) string {
	sum := md5.Sum(b)
	return hex.EncodeToString(sum[:])
}

// TestDeliveryFormats sends one rich message over SMTP and checks, field by
// field, what the webhook receives in each CloudMailin format.
func TestDeliveryFormats(t *testing.T) {
	t.Run("json+n", func(t *testing.T) {
		d := deliverFull(t, func(c *engine.Config) { c.Format = payload.JSONNormalized })
		checkJSONBody(t, d, `"`)
	})
	t.Run("json+n size as number", func(t *testing.T) {
		d := deliverFull(t, func(c *engine.Config) {
			c.Format = payload.JSONNormalized
			c.SizeAsNumber = true
		})
		checkJSONBody(t, d, "")
	})
	t.Run("multipart+n", func(t *testing.T) {
		d := deliverFull(t, func(c *engine.Config) { c.Format = payload.MultipartNormalized })
		checkBoundary(t, d.req.ContentType)
		parts := readForm(t, d.req.ContentType, d.req.Body)

		wantNames := []string{
			"plain", "html", // no reply_plain: nothing was cut
			"headers[received][0]", "headers[received][1]", "headers[message_id]", "headers[date]",
			"headers[from]", "headers[to]", "headers[subject]", "headers[mime_version]", "headers[content_type]",
			"envelope[to]", "envelope[recipients][0]", "envelope[recipients][1]", "envelope[from]",
			"envelope[helo_domain]", "envelope[remote_ip]", "envelope[tls]", "envelope[md5]",
			"envelope[spf][result]", "envelope[spf][domain]",
			"attachments[]", "attachments[]",
		}
		if got := formNames(parts); !slices.Equal(got, wantNames) {
			t.Fatalf("field order:\n got %q\nwant %q", got, wantNames)
		}
		wantValues := map[string]string{
			"plain":                   fullPlain,
			"headers[received][0]":    fullReceived0,
			"headers[received][1]":    fullReceived1,
			"headers[message_id]":     fullMessageID,
			"headers[from]":           fullFrom,
			"headers[to]":             fullFirstRcpt,
			"headers[subject]":        fullSubject,
			"envelope[to]":            fullFirstRcpt,
			"envelope[recipients][0]": fullFirstRcpt,
			"envelope[recipients][1]": fullSecondRcpt,
			"envelope[from]":          fullMailFrom,
			"envelope[helo_domain]":   "client.example",
			"envelope[remote_ip]":     "127.0.0.1",
			"envelope[tls]":           "false",
			"envelope[md5]":           md5Hex(d.raw),
			"envelope[spf][result]":   "none",
			"envelope[spf][domain]":   "example.org",
		}
		for name, want := range wantValues {
			if got, _ := formValue(parts, name); got != want {
				t.Errorf("%s = %q, want %q", name, got, want)
			}
		}
		if html, _ := formValue(parts, "html"); !strings.Contains(html, "cid:logo@example.org") {
			t.Errorf("html = %q, want the cid: reference", html)
		}

		files := parts[len(parts)-2:]
		wantFiles := []formPart{
			{Name: "attachments[]", FileName: "logo.png", ContentType: "image/png", Data: fullLogo(t)},
			{Name: "attachments[]", FileName: "bytes.bin", ContentType: "application/octet-stream", Data: bytes0to255()},
		}
		for i, want := range wantFiles {
			got := files[i]
			if got.FileName != want.FileName || got.ContentType != want.ContentType || !bytes.Equal(got.Data, want.Data) {
				t.Errorf("file part %d = {%q %q %d bytes}, want {%q %q %d bytes}", i,
					got.FileName, got.ContentType, len(got.Data), want.FileName, want.ContentType, len(want.Data))
			}
		}
		// Fields are plain fields, files are file parts.
		for _, p := range parts[:len(parts)-2] {
			if p.FileName != "" {
				t.Errorf("field %s carries a filename %q", p.Name, p.FileName)
			}
		}
	})
	t.Run("raw", func(t *testing.T) {
		d := deliverFull(t, func(c *engine.Config) { c.Format = payload.Raw })
		checkBoundary(t, d.req.ContentType)
		parts := readForm(t, d.req.ContentType, d.req.Body)

		wantNames := []string{
			"message",
			"envelope[to]", "envelope[recipients][0]", "envelope[recipients][1]", "envelope[from]",
			"envelope[helo_domain]", "envelope[remote_ip]", "envelope[tls]", "envelope[md5]",
			"envelope[spf][result]", "envelope[spf][domain]",
		}
		if got := formNames(parts); !slices.Equal(got, wantNames) {
			t.Fatalf("field order:\n got %q\nwant %q", got, wantNames)
		}
		if !bytes.Equal(parts[0].Data, readFixture(t, "full.eml")) {
			t.Errorf("message field (%d bytes) is not the message sent", len(parts[0].Data))
		}
		for name, want := range map[string]string{
			"envelope[to]":          fullFirstRcpt,
			"envelope[from]":        fullMailFrom,
			"envelope[helo_domain]": "client.example",
			"envelope[remote_ip]":   "127.0.0.1",
			"envelope[tls]":         "false",
			"envelope[md5]":         md5Hex(d.raw),
			"envelope[spf][result]": "none",
			"envelope[spf][domain]": "example.org",
		} {
			if got, _ := formValue(parts, name); got != want {
				t.Errorf("%s = %q, want %q", name, got, want)
			}
		}
	})
}

// checkBoundary: CloudMailin's boundary, spelling included.
func checkBoundary(t *testing.T, contentType string) {
	t.Helper()
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "multipart/form-data" || params["boundary"] != cloudmailinMIME {
		t.Fatalf("Content-Type = %q, want multipart/form-data; boundary=%s", contentType, cloudmailinMIME)
	}
}

// checkJSONBody checks a json+n delivery of full.eml. sizeQuote is `"` when
// attachment sizes are strings, "" when they are numbers.
func checkJSONBody(t *testing.T, d delivered, sizeQuote string) {
	t.Helper()
	if d.req.ContentType != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", d.req.ContentType)
	}
	body := decodeJSON(t, d.req.Body)

	headers, _ := body["headers"].(map[string]any)
	for key, want := range map[string]string{
		"subject":    fullSubject,
		"message_id": fullMessageID,
		"from":       fullFrom,
		"to":         fullFirstRcpt,
	} {
		if headers[key] != want {
			t.Errorf("headers.%s = %#v, want %q", key, headers[key], want)
		}
	}
	if !equalAny(headers["received"], []string{fullReceived0, fullReceived1}) {
		t.Errorf("headers.received = %#v, want [top-most, older] unfolded", headers["received"])
	}

	env, _ := body["envelope"].(map[string]any)
	for key, want := range map[string]any{
		"to":          fullFirstRcpt,
		"from":        fullMailFrom,
		"helo_domain": "client.example",
		"remote_ip":   "127.0.0.1",
		"tls":         false,
		"md5":         md5Hex(d.raw),
	} {
		if env[key] != want {
			t.Errorf("envelope.%s = %#v, want %#v", key, env[key], want)
		}
	}
	if !equalAny(env["recipients"], fullRecipients) {
		t.Errorf("envelope.recipients = %#v, want %q", env["recipients"], fullRecipients)
	}
	if v, ok := env["tls_cipher"]; ok {
		t.Errorf("envelope.tls_cipher = %#v, want no such key without TLS", v)
	}
	spf, _ := env["spf"].(map[string]any)
	if spf["result"] != "none" || spf["domain"] != "example.org" || len(spf) != 2 {
		t.Errorf("envelope.spf = %#v, want {result none, domain example.org}", env["spf"])
	}

	if body["plain"] != fullPlain {
		t.Errorf("plain = %#v, want %q", body["plain"], fullPlain)
	}
	if html, _ := body["html"].(string); !strings.Contains(html, "cid:logo@example.org") {
		t.Errorf("html = %#v, want a string with the cid: reference", body["html"])
	}
	if v, ok := body["reply_plain"]; !ok || v != nil {
		t.Errorf("reply_plain = %#v (present %v), want null", v, ok)
	}

	atts, _ := body["attachments"].([]any)
	if len(atts) != 2 {
		t.Fatalf("attachments = %#v, want 2 entries", body["attachments"])
	}
	logo := fullLogo(t)
	want := []struct {
		fileName, contentType, disposition, contentID string
		content                                       []byte
	}{
		{"logo.png", "image/png", "inline", "<logo@example.org>", logo},
		{"bytes.bin", "application/octet-stream", "attachment", "", bytes0to255()},
	}
	// Sizes are compared as the JSON text the webhook parses.
	rawAtts := struct {
		Attachments []struct{ Size json.RawMessage } `json:"attachments"`
	}{}
	if err := json.Unmarshal(d.req.Body, &rawAtts); err != nil || len(rawAtts.Attachments) != len(want) {
		t.Fatalf("attachments: %v", err)
	}
	for i, w := range want {
		a, _ := atts[i].(map[string]any)
		if a["file_name"] != w.fileName || a["content_type"] != w.contentType || a["disposition"] != w.disposition {
			t.Errorf("attachment %d = %v, want %s %s %s", i, a, w.fileName, w.contentType, w.disposition)
		}
		cid, hasCID := a["content_id"]
		switch {
		case w.contentID == "" && hasCID:
			t.Errorf("attachment %d content_id = %#v, want the key left out", i, cid)
		case w.contentID != "" && cid != w.contentID:
			t.Errorf("attachment %d content_id = %#v, want %q", i, cid, w.contentID)
		}
		s, _ := a["content"].(string)
		content, err := base64.StdEncoding.DecodeString(s)
		if err != nil || !bytes.Equal(content, w.content) {
			t.Errorf("attachment %d content decodes to %d bytes (%v), want the %d bytes sent", i, len(content), err, len(w.content))
		}
		wantSize := sizeQuote + itoa(len(w.content)) + sizeQuote
		if got := string(rawAtts.Attachments[i].Size); got != wantSize {
			t.Errorf("attachment %d size = %s, want %s", i, got, wantSize)
		}
	}
}
