package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/mailhook/mailhook/storage"
)

// Bodies recorded in exchanges are made readable here, chosen by
// Content-Type (sniffed when it is missing). These are pure functions: the
// inspector runs them off the Fyne goroutine and only puts the result into
// widgets.

// Kinds of bodyView.
const (
	bodyKindEmpty     = "empty"
	bodyKindJSON      = "json"
	bodyKindXML       = "xml"
	bodyKindForm      = "form"
	bodyKindMultipart = "multipart"
	bodyKindText      = "text"
	bodyKindBinary    = "binary"
)

const (
	// bodyTextLimit caps the text put into a widget: Fyne lays out every
	// line of a label, and a 25 MB message would freeze the window.
	bodyTextLimit = 256 << 10
	// bodyPrettyLimit is the largest body re-indented; larger ones are
	// shown as sent (cut at bodyTextLimit anyway).
	bodyPrettyLimit = 16 << 20
	// bodyValueLimit is the largest form value or multipart part whose text
	// is kept.
	bodyValueLimit = 64 << 10
	// bodyFieldLimit caps how many form fields or parts are listed.
	bodyFieldLimit = 10_000
)

// bodyPart is one part of a multipart body.
type bodyPart struct {
	Name, FileName, ContentType string
	Size                        int64
	Value                       string // the text of a small text part
	HasValue                    bool
}

// bodyView is a body made readable. Text is set for JSON, XML and text
// (already cut at bodyTextLimit), Fields for a form, Parts for multipart;
// Summary is one line for every kind.
type bodyView struct {
	Kind    string
	Summary string
	Text    string
	Fields  [][2]string
	Parts   []bodyPart
}

// bodyViewOf makes body readable according to contentType (a header value,
// parameters allowed, "" when absent).
func bodyViewOf(contentType string, body []byte) bodyView {
	if len(body) == 0 {
		return bodyView{Kind: bodyKindEmpty, Summary: "empty body"}
	}
	mt, params := bodyMediaType(contentType)
	note := ""
	// Multipart first: its file parts make the whole body look binary.
	if strings.HasPrefix(mt, "multipart/") {
		v, err := bodyMultipartView(mt, params["boundary"], body)
		if err == nil {
			return v
		}
		note = fmt.Sprintf("%s that does not parse (%v), shown as sent; ", mt, err)
	}
	if bodyIsBinary(body) {
		if mt == "" {
			mt, _ = bodyMediaType(http.DetectContentType(body))
		}
		return bodyView{Kind: bodyKindBinary, Summary: fmt.Sprintf("%sbinary, %d bytes, type %s", note, len(body), mt)}
	}
	switch {
	case note != "":
		return bodyTextView(note+mt, body)
	case bodyIsJSONType(mt):
		return bodyJSONView(mt, body)
	case bodyIsXMLType(mt):
		return bodyXMLView(mt, body)
	case mt == "application/x-www-form-urlencoded":
		return bodyFormView(body)
	case mt == "":
		return bodySniffView(body)
	}
	return bodyTextView(mt, body)
}

// bodyMediaType lower-cases the media type and keeps its parameters; a
// header that does not parse still yields its media type.
func bodyMediaType(contentType string) (string, map[string]string) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt, _, _ = strings.Cut(contentType, ";")
		mt = strings.ToLower(strings.TrimSpace(mt))
	}
	return mt, params
}

func bodyIsBinary(b []byte) bool {
	return bytes.IndexByte(b, 0) >= 0 || !utf8.Valid(b)
}

func bodyIsJSONType(mt string) bool {
	return mt == "application/json" || mt == "text/json" || strings.HasSuffix(mt, "+json")
}

func bodyIsXMLType(mt string) bool {
	return mt == "application/xml" || mt == "text/xml" || strings.HasSuffix(mt, "+xml")
}

func bodyJSONView(mt string, body []byte) bodyView {
	if len(body) > bodyPrettyLimit {
		return bodyTextView(fmt.Sprintf("JSON too large to indent, %s", mt), body)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, bytes.TrimSpace(body), "", "  "); err != nil {
		return bodyTextView(fmt.Sprintf("%s that does not parse (%v), shown as sent", mt, err), body)
	}
	return bodyView{Kind: bodyKindJSON, Summary: fmt.Sprintf("JSON, %d bytes", len(body)), Text: bodyCap(out.String())}
}

func bodyXMLView(mt string, body []byte) bodyView {
	if len(body) > bodyPrettyLimit {
		return bodyTextView(fmt.Sprintf("XML too large to indent, %s", mt), body)
	}
	text, err := bodyIndentXML(body)
	if err != nil {
		return bodyTextView(fmt.Sprintf("%s that does not parse (%v), shown as sent", mt, err), body)
	}
	return bodyView{Kind: bodyKindXML, Summary: fmt.Sprintf("XML, %d bytes", len(body)), Text: bodyCap(text)}
}

// bodySniffView guesses a body sent without Content-Type: JSON or XML when
// it parses as such, text otherwise.
func bodySniffView(body []byte) bodyView {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 && len(body) <= bodyPrettyLimit {
		switch trimmed[0] {
		case '{', '[':
			if json.Valid(trimmed) {
				return bodyJSONView("no Content-Type", body)
			}
		case '<':
			if text, err := bodyIndentXML(body); err == nil {
				return bodyView{Kind: bodyKindXML, Summary: fmt.Sprintf("XML (no Content-Type), %d bytes", len(body)), Text: bodyCap(text)}
			}
		}
	}
	return bodyTextView("text (no Content-Type)", body)
}

// bodyTextView shows body as sent; what says what it is.
func bodyTextView(what string, body []byte) bodyView {
	return bodyView{Kind: bodyKindText, Summary: fmt.Sprintf("%s, %d bytes", what, len(body)), Text: bodyCap(body)}
}

// bodyCap cuts s at bodyTextLimit on a rune boundary and says how much is
// left out. It takes bytes too, so a large body is never copied whole.
func bodyCap[T string | []byte](s T) string {
	return bodyCapAt(s, bodyTextLimit)
}

func bodyCapAt[T string | []byte](s T, limit int) string {
	if len(s) <= limit {
		return string(s)
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s\n… %d more bytes", s[:cut], len(s)-cut)
}

// bodyHeaderLines renders HTTP headers as "Name: value" lines, in order.
func bodyHeaderLines(h []storage.Header) string {
	var b strings.Builder
	for i, f := range h {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(f.Name)
		b.WriteString(": ")
		b.WriteString(f.Value)
	}
	return b.String()
}

// bodyHeader returns the first value of the named header, "" when absent.
func bodyHeader(h []storage.Header, name string) string {
	for _, f := range h {
		if strings.EqualFold(f.Name, name) {
			return f.Value
		}
	}
	return ""
}
