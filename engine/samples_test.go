package engine_test

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/mailhook/mailhook/assets/samples"
	"github.com/mailhook/mailhook/engine"
	"github.com/mailhook/mailhook/engine/payload"
)

// TestSamples: every shipped sample parses cleanly, travels with CRLF, has a
// Message-ID and shows what its name promises.
func TestSamples(t *testing.T) {
	checks := map[string]func(t *testing.T, m *payload.Message){
		"plain": func(t *testing.T, m *payload.Message) {
			if m.Plain == nil || m.HTML != nil || len(m.Attachments) != 0 {
				t.Errorf("plain %v html %v attachments %d", m.Plain != nil, m.HTML != nil, len(m.Attachments))
			}
		},
		"html-inline-image": func(t *testing.T, m *payload.Message) {
			if m.HTML == nil || !strings.Contains(*m.HTML, "cid:square@mailhook.example") || m.Plain == nil {
				t.Error("no HTML part referring to the inline image")
			}
			if len(m.Attachments) != 1 {
				t.Fatalf("%d attachments, want the inline image", len(m.Attachments))
			}
			a := m.Attachments[0]
			if a.ContentID != "<square@mailhook.example>" || a.Disposition != "inline" || a.ContentType != "image/png" ||
				!bytes.HasPrefix(a.Content, []byte("\x89PNG")) {
				t.Errorf("inline image %+v", a)
			}
		},
		"attachments": func(t *testing.T, m *payload.Message) {
			var names []string
			for _, a := range m.Attachments {
				names = append(names, a.FileName+" "+a.ContentType)
			}
			want := []string{"invoice.pdf application/pdf", "report.csv text/csv", "photo.png image/png"}
			if !slices.Equal(names, want) {
				t.Errorf("attachments %q, want %q", names, want)
			}
			if len(m.Attachments) == 3 && !bytes.HasPrefix(m.Attachments[0].Content, []byte("%PDF-")) {
				t.Error("the PDF does not start like one")
			}
		},
		"reply-thread": func(t *testing.T, m *payload.Message) {
			want := "Thanks Alice, that works for me.\nSee you on Thursday."
			if m.ReplyPlain == nil || *m.ReplyPlain != want {
				t.Errorf("reply_plain %v, want %q", m.ReplyPlain, want)
			}
		},
		"multiple-recipients": func(t *testing.T, m *payload.Message) {
			var to, cc string
			for _, h := range m.Headers {
				switch h.Name {
				case "To":
					to = h.Value
				case "Cc":
					cc = h.Value
				}
			}
			if strings.Count(to, "@") != 3 || strings.Count(cc, "@") != 2 {
				t.Errorf("To %q Cc %q, want 3 and 2 addresses", to, cc)
			}
		},
		"non-ascii": func(t *testing.T, m *payload.Message) {
			if m.Subject != "Grüße aus Köln — 日本語 📎" {
				t.Errorf("subject %q", m.Subject)
			}
			if m.Plain == nil || !strings.Contains(*m.Plain, "日本語のテキスト") {
				t.Errorf("plain (UTF-8) %v", m.Plain)
			}
			if m.HTML == nil || !strings.Contains(*m.HTML, "Café crème") || !strings.Contains(*m.HTML, "Grüße aus Köln") {
				t.Errorf("html (ISO-8859-1) %v", m.HTML)
			}
			if len(m.Attachments) != 1 || m.Attachments[0].FileName != "résumé Köln.txt" {
				t.Errorf("attachments %+v", m.Attachments)
			}
		},
		"large-5mb": func(t *testing.T, m *payload.Message) {
			if len(m.Attachments) != 1 || len(m.Attachments[0].Content) < 3_500_000 {
				t.Errorf("attachments %d", len(m.Attachments))
			}
		},
	}
	var names []string
	for _, s := range engine.Samples() {
		names = append(names, s.Name)
		t.Run(s.Name, func(t *testing.T) {
			if s.Description == "" {
				t.Error("no description")
			}
			raw, err := engine.SampleMessage(s.Name)
			if err != nil {
				t.Fatal(err)
			}
			if n := bytes.Count(raw, []byte("\n")); n != bytes.Count(raw, []byte("\r\n")) {
				t.Error("bare LF in a sample")
			}
			m, err := payload.Parse(raw)
			if err != nil {
				t.Fatal(err)
			}
			if len(m.Warnings) != 0 {
				t.Errorf("parse warnings: %q", m.Warnings)
			}
			if !strings.HasPrefix(m.MessageID, "<sample-") {
				t.Errorf("Message-ID %q", m.MessageID)
			}
			check, ok := checks[s.Name]
			if !ok {
				t.Fatal("no check for this sample")
			}
			check(t, m)
		})
	}
	t.Run("every embedded file is listed", func(t *testing.T) {
		for _, n := range samples.Names() {
			if !slices.Contains(names, n) {
				t.Errorf("assets/samples/%s.eml is not in Samples()", n)
			}
		}
	})
	t.Run("large is about 5 MB and the same every time", func(t *testing.T) {
		a, _ := engine.SampleMessage("large-5mb")
		b, _ := engine.SampleMessage("large-5mb")
		if len(a) < 5_000_000 || len(a) > 5_500_000 || !bytes.Equal(a, b) {
			t.Errorf("large sample: %d bytes, deterministic %v", len(a), bytes.Equal(a, b))
		}
	})
	t.Run("unknown", func(t *testing.T) {
		if _, err := engine.SampleMessage("nope"); !errors.Is(err, engine.ErrInvalidRequest) {
			t.Errorf("err %v, want ErrInvalidRequest", err)
		}
	})
}
