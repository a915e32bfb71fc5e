package payload

import (
	"bytes"
	"strings"
	"testing"
)

// wantAttachment describes an expected attachment; file names its content
// in testdata when the bytes are not given inline.
type wantAttachment struct {
	name, ctype, disp, cid string
	content                string
	file                   string
}

func TestParse(t *testing.T) {
	tests := []struct {
		file               string
		plain, html, reply *string
		attachments        []wantAttachment
		headers            map[string]string // name (as in message) → first value
		subject, from, id  string
		warnings           []string // substrings, one per warning, in order; nil for none
	}{
		{
			file:  "rich.eml",
			plain: ptr("Hello ☃ world, this line is long enough to need a soft line break in quoted-printable.\n\nBye"),
			html:  ptr(`<html><body><p>Hello ☃ world</p><img src="cid:logo@mailhook"></body></html>`),
			attachments: []wantAttachment{
				{name: "logo.png", ctype: "image/png", disp: "inline", cid: "<logo@mailhook>", file: "pixel.png"},
				{name: "data.bin", ctype: "application/octet-stream", disp: "attachment", file: "data.bin"},
			},
			headers: map[string]string{
				"Received":        "from client.example (client.example [127.0.0.1])\tby mx.mailhook.test with ESMTP id 1A2B3C;\tMon, 01 Jan 2024 10:00:02 +0000",
				"x-mailhook-test": "second",
			},
			subject: "Héllo wörld from café",
			from:    "Renée Sender <renee@example.com>",
			id:      "<rich-1@example.com>",
		},
		{
			file:    "plain.eml",
			plain:   ptr("Just plain text, naïve café.\nSecond line.\n"),
			subject: "Plain only", from: "a@example.com", id: "<plain-1@example.com>",
		},
		{
			file:    "html_only.eml",
			html:    ptr("<html><body><h1>Only HTML</h1><p>No plain part — plain must be null.</p></body></html>\n"),
			subject: "HTML only", from: "a@example.com", id: "<html-1@example.com>",
		},
		{
			file:    "reply.eml",
			plain:   ptr("Thanks, that works for me.\n\nSee you Monday.\n\nOn Mon, 1 Jan 2024 at 10:00, Alex Example <alex@example.com>\nwrote:\n> Can we meet on Monday?\n>\n> Alex\n"),
			reply:   ptr("Thanks, that works for me.\n\nSee you Monday."),
			subject: "Re: Meeting", from: "Sam <sam@example.com>", id: "<reply-1@example.com>",
		},
		{
			file:    "reply_quoted.eml",
			plain:   ptr("  Sure, noon is fine.\n> Lunch tomorrow?\nGreat.\n"),
			reply:   ptr("Sure, noon is fine."),
			subject: "Re: Lunch", from: "Sam <sam@example.com>", id: "<reply-2@example.com>",
		},
		{
			file:  "latin1.eml",
			plain: ptr("Café crème brûlée"),
			html:  ptr("<p>Prix : 5 €</p>"),
			attachments: []wantAttachment{
				// A text attachment keeps its own charset: bytes, not text.
				{name: "menu.txt", ctype: "text/plain", disp: "attachment", content: "Cr\xe8me\r\n"},
			},
			headers: map[string]string{"X-Greeting": "Привет"},
			subject: "Café crème", from: "André <andre@example.fr>", id: "<latin1-1@example.fr>",
		},
		{
			file:  "malformed.eml",
			plain: ptr("Body survives."),
			attachments: []wantAttachment{
				{name: "doc.pdf", ctype: "application/pdf", disp: "attachment", content: "%PDF-1.4\n%"},
			},
			subject: "Broken This line has no colon", from: "x@example.com", id: "<broken-1@example.com>",
			warnings: []string{
				`header line "This line has no colon" is not a field`,
				`part 0: [W] Missing Boundary: Boundary "brk" was not closed correctly`,
				"part 2: malformed base64: skipped 5 invalid characters",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			_, msg := mustParse(t, tt.file)
			checkText(t, "plain", msg.Plain, tt.plain)
			checkText(t, "html", msg.HTML, tt.html)
			checkText(t, "reply_plain", msg.ReplyPlain, tt.reply)
			if msg.Subject != tt.subject || msg.From != tt.from || msg.MessageID != tt.id {
				t.Errorf("summary = %q / %q / %q, want %q / %q / %q",
					msg.Subject, msg.From, msg.MessageID, tt.subject, tt.from, tt.id)
			}
			for name, want := range tt.headers {
				var got string
				for _, h := range msg.Headers {
					if h.Name == name {
						got = h.Value
						break
					}
				}
				if got != want {
					t.Errorf("header %s = %q, want %q", name, got, want)
				}
			}
			if msg.Attachments == nil || len(msg.Attachments) != len(tt.attachments) {
				t.Fatalf("attachments = %d (%v), want %d", len(msg.Attachments), msg.Attachments == nil, len(tt.attachments))
			}
			for i, w := range tt.attachments {
				a := msg.Attachments[i]
				content := []byte(w.content)
				if w.file != "" {
					content = readTestdata(t, w.file)
				}
				if a.FileName != w.name || a.ContentType != w.ctype || a.Disposition != w.disp || a.ContentID != w.cid {
					t.Errorf("attachment %d = %q %q %q %q, want %q %q %q %q", i,
						a.FileName, a.ContentType, a.Disposition, a.ContentID, w.name, w.ctype, w.disp, w.cid)
				}
				if !bytes.Equal(a.Content, content) {
					t.Errorf("attachment %d content = %q, want %q", i, a.Content, content)
				}
			}
			if len(msg.Warnings) != len(tt.warnings) {
				t.Fatalf("warnings = %q, want %d", msg.Warnings, len(tt.warnings))
			}
			for i, w := range tt.warnings {
				if !strings.Contains(msg.Warnings[i], w) {
					t.Errorf("warning %d = %q, want it to contain %q", i, msg.Warnings[i], w)
				}
			}
		})
	}
}

func checkText(t *testing.T, what string, got, want *string) {
	t.Helper()
	switch {
	case got == nil && want == nil:
	case got == nil || want == nil:
		t.Errorf("%s = %v, want %v (nil means null)", what, deref(got), deref(want))
	case *got != *want:
		t.Errorf("%s = %q, want %q", what, *got, *want)
	}
}

func deref(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

func TestParseLenient(t *testing.T) {
	tests := []struct {
		name, raw string
		plain     *string
		warning   string // substring of some warning; "" for none
	}{
		{"boundary never present", "Content-Type: multipart/mixed; boundary=nope\r\n\r\nHello\r\n", ptr("Hello\n"), "no readable parts"},
		{"multipart without boundary", "Content-Type: multipart/mixed\r\n\r\nHello\r\n", ptr("Hello\n"), "no readable parts"},
		{"headerless", "Just a body\r\n", ptr("Just a body\n"), "no header block"},
		{"headers only", "Subject: s", ptr(""), ""},
		{"part without content type is text", "Content-Type: multipart/mixed; boundary=a\r\n\r\n--a\r\n\r\nno ct\r\n--a--\r\n", ptr("no ct"), "Missing Content-Type"},
		{"unknown charset", "Content-Type: text/plain; charset=x-nope\r\n\r\nhi", ptr("hi"), `unknown charset "x-nope"`},
		{"binary root is an attachment", "Content-Type: image/gif\r\nContent-Transfer-Encoding: base64\r\n\r\nR0lGODlh\r\n", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg, err := Parse([]byte(tt.raw))
			if err != nil {
				t.Fatal(err)
			}
			checkText(t, "plain", msg.Plain, tt.plain)
			if tt.warning == "" && len(msg.Warnings) > 0 {
				t.Errorf("unexpected warnings %q", msg.Warnings)
			}
			if tt.warning != "" && !strings.Contains(strings.Join(msg.Warnings, "\n"), tt.warning) {
				t.Errorf("warnings %q, want one containing %q", msg.Warnings, tt.warning)
			}
		})
	}
}

func TestParseEmpty(t *testing.T) {
	for _, raw := range []string{"", "\r\n \t\n"} {
		if _, err := Parse([]byte(raw)); err == nil {
			t.Errorf("Parse(%q): want an error", raw)
		}
	}
}
