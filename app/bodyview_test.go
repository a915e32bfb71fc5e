package app

import (
	"bytes"
	"mime/multipart"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"github.com/mailhook/mailhook/storage"
)

func TestBodyViewOf(t *testing.T) {
	mp, mpType := bodyTestMultipart(t)
	tests := []struct {
		name, contentType, body string
		kind                    string
		textHas                 []string // lines or fragments of Text
		summaryHas              string
		fields                  [][2]string
	}{
		{name: "empty", contentType: "application/json", body: "", kind: bodyKindEmpty, summaryHas: "empty body"},
		{
			name: "json indented", contentType: "application/json; charset=utf-8",
			body: `{"envelope":{"to":"a@b.c","recipients":["a@b.c"]},"plain":"hi"}`,
			kind: bodyKindJSON, textHas: []string{"{\n  \"envelope\": {\n    \"to\": \"a@b.c\",", "\n  \"plain\": \"hi\"\n}"},
		},
		{name: "problem+json", contentType: "application/problem+json", body: `{"title":"x"}`, kind: bodyKindJSON, textHas: []string{"  \"title\": \"x\""}},
		{
			name: "malformed json falls back to raw", contentType: "application/json", body: `{"a":1,`,
			kind: bodyKindText, textHas: []string{`{"a":1,`}, summaryHas: "does not parse",
		},
		{name: "json sniffed", body: ` [1,{"a":true}] `, kind: bodyKindJSON, textHas: []string{"[\n  1,\n  {\n    \"a\": true\n  }\n]"}},
		{
			name: "form keeps order and repeats", contentType: "application/x-www-form-urlencoded",
			body: "to=b%40example.com&tag=one&plain=Hello+world%21&tag=two&flag&bad=%zz\r\n",
			kind: bodyKindForm, summaryHas: "6 fields",
			fields: [][2]string{{"to", "b@example.com"}, {"tag", "one"}, {"plain", "Hello world!"}, {"tag", "two"}, {"flag", ""}, {"bad", "%zz"}},
		},
		{name: "multipart parts", contentType: mpType, body: mp, kind: bodyKindMultipart, summaryHas: "3 parts"},
		{name: "multipart without boundary falls back", contentType: "multipart/form-data", body: "hello", kind: bodyKindText, summaryHas: "does not parse"},
		{
			name: "xml indented with prefixes", contentType: "text/xml",
			body: `<?xml version="1.0"?><soap:Envelope xmlns:soap="urn:s"><soap:Body a="1 &amp; 2"><to>b@c</to><empty/></soap:Body></soap:Envelope>`,
			kind: bodyKindXML,
			textHas: []string{
				"<?xml version=\"1.0\"?>\n<soap:Envelope xmlns:soap=\"urn:s\">\n  <soap:Body a=\"1 &amp; 2\">\n    <to>b@c</to>\n    <empty></empty>\n  </soap:Body>\n</soap:Envelope>",
			},
		},
		{name: "malformed xml falls back to raw", contentType: "application/xml", body: "<a><b></a>", kind: bodyKindText, textHas: []string{"<a><b></a>"}, summaryHas: "does not parse"},
		{name: "unclosed xml falls back to raw", contentType: "application/xml", body: "<a><b></b>", kind: bodyKindText, summaryHas: "not closed"},
		{name: "xml sniffed", body: "<r><x>1</x></r>", kind: bodyKindXML, textHas: []string{"<r>\n  <x>1</x>\n</r>"}},
		{name: "html is text as is", contentType: "text/html", body: "<p>unclosed", kind: bodyKindText, textHas: []string{"<p>unclosed"}},
		{name: "plain text", contentType: "text/plain", body: "Mailbox full\r\nretry later", kind: bodyKindText, textHas: []string{"Mailbox full\r\nretry later"}},
		{name: "binary with NUL", contentType: "application/octet-stream", body: "ab\x00cd", kind: bodyKindBinary, summaryHas: "binary, 5 bytes, type application/octet-stream"},
		{name: "invalid utf-8 sniffed type", body: "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", kind: bodyKindBinary, summaryHas: "type image/png"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := bodyViewOf(tt.contentType, []byte(tt.body))
			if v.Kind != tt.kind {
				t.Fatalf("kind = %q, want %q (summary %q, text %q)", v.Kind, tt.kind, v.Summary, v.Text)
			}
			for _, want := range tt.textHas {
				if !strings.Contains(v.Text, want) {
					t.Errorf("text lacks %q:\n%s", want, v.Text)
				}
			}
			if !strings.Contains(v.Summary, tt.summaryHas) {
				t.Errorf("summary %q lacks %q", v.Summary, tt.summaryHas)
			}
			if tt.fields != nil && !equalFields(v.Fields, tt.fields) {
				t.Errorf("fields = %q, want %q", v.Fields, tt.fields)
			}
		})
	}
}

func equalFields(a, b [][2]string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// bodyTestMultipart builds a CloudMailin-like multipart body: two text
// fields and a binary file part.
func bodyTestMultipart(t *testing.T) (string, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, f := range [][2]string{{"envelope[to]", "hook@example.com"}, {"plain", "Hello\r\nthere"}} {
		if err := w.WriteField(f[0], f[1]); err != nil {
			t.Fatal(err)
		}
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="attachments[0]"; filename="logo.png"`)
	h.Set("Content-Type", "image/png")
	pw, err := w.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	pw.Write([]byte("\x89PNG\x00\x01\x02"))
	w.Close()
	return buf.String(), w.FormDataContentType()
}

func TestBodyViewMultipartParts(t *testing.T) {
	body, ct := bodyTestMultipart(t)
	v := bodyViewOf(ct, []byte(body))
	want := []bodyPart{
		{Name: "envelope[to]", Size: 16, Value: "hook@example.com", HasValue: true},
		{Name: "plain", Size: 12, Value: "Hello\r\nthere", HasValue: true},
		{Name: "attachments[0]", FileName: "logo.png", ContentType: "image/png", Size: 7},
	}
	if len(v.Parts) != len(want) {
		t.Fatalf("parts = %+v, want %+v", v.Parts, want)
	}
	for i := range want {
		if v.Parts[i] != want[i] {
			t.Errorf("part %d = %+v, want %+v", i, v.Parts[i], want[i])
		}
	}
}

func TestBodyViewLargeBodies(t *testing.T) {
	const size = 5 << 20
	big := bytes.Repeat([]byte("0123456789abcdé\n"), size/17)
	bigJSON := append(append([]byte(`{"plain":"`), bytes.Repeat([]byte("x"), size)...), `"}`...)
	tests := []struct {
		name, contentType string
		body              []byte
		kind              string
	}{
		{name: "text", contentType: "text/plain", body: big, kind: bodyKindText},
		{name: "json", contentType: "application/json", body: bigJSON, kind: bodyKindJSON},
		{name: "sniffed", body: big, kind: bodyKindText},
		{name: "binary", body: append(big, 0), kind: bodyKindBinary},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			v := bodyViewOf(tt.contentType, tt.body)
			if v.Kind != tt.kind {
				t.Fatalf("kind = %q, want %q", v.Kind, tt.kind)
			}
			if len(v.Text) > bodyTextLimit+64 {
				t.Errorf("text is %d bytes, want it cut near %d", len(v.Text), bodyTextLimit)
			}
			if tt.kind != bodyKindBinary && !strings.Contains(v.Text, " more bytes") {
				t.Errorf("cut text is not marked: ends %q", v.Text[len(v.Text)-40:])
			}
			if !strings.Contains(v.Summary, "bytes") {
				t.Errorf("summary %q does not give the size", v.Summary)
			}
			t.Logf("%s: %v", tt.name, time.Since(start))
		})
	}
}

func TestBodyCapKeepsRunes(t *testing.T) {
	s := strings.Repeat("é", 10) // 20 bytes
	got := bodyCapAt(s, 5)
	if want := "éé\n… 16 more bytes"; got != want {
		t.Errorf("bodyCapAt = %q, want %q", got, want)
	}
	if got := bodyCapAt("short", 5); got != "short" {
		t.Errorf("bodyCapAt short = %q", got)
	}
}

func TestBodyHeaderLines(t *testing.T) {
	h := []storage.Header{{Name: "Content-Type", Value: "application/json"}, {Name: "X-Tag", Value: "a"}, {Name: "X-Tag", Value: "b"}}
	if got, want := bodyHeaderLines(h), "Content-Type: application/json\nX-Tag: a\nX-Tag: b"; got != want {
		t.Errorf("bodyHeaderLines = %q, want %q", got, want)
	}
	if got := bodyHeader(h, "content-type"); got != "application/json" {
		t.Errorf("bodyHeader = %q", got)
	}
}
