package payload

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/ianaindex"
)

// normLabel cleans a charset parameter as senders write it.
func normLabel(label string) string {
	return strings.ToLower(strings.Trim(strings.TrimSpace(label), `"'`))
}

// lookupCharset finds a decoder for a MIME charset label: the WHATWG names
// first (what mail clients really mean by "iso-8859-1" is windows-1252), then
// the IANA registry. nil when neither knows it.
func lookupCharset(label string) encoding.Encoding {
	label = normLabel(label)
	if label == "" {
		return nil
	}
	if e, _ := charset.Lookup(label); e != nil {
		return e
	}
	if e, err := ianaindex.MIME.Encoding(label); err == nil && e != nil {
		return e
	}
	return nil
}

// textToUTF8 converts text in the given charset to valid UTF-8. It never
// fails: an unknown charset or undeclared 8-bit bytes fall back to reading
// valid UTF-8 as such and anything else as windows-1252, and the returned
// warning says so ("" when nothing was guessed).
func textToUTF8(b []byte, label string) (string, string) {
	switch label = normLabel(label); label {
	case "", "us-ascii", "ascii", "ansi_x3.4-1968", "iso646-us", "us":
		// Parts promising 7-bit text often carry UTF-8 anyway (lazy
		// SMTPUTF8 senders): valid UTF-8 is kept as is.
		if utf8.Valid(b) {
			return string(b), ""
		}
		return decodeWith(charmap.Windows1252, b), "8-bit text without a charset: read as windows-1252"
	case "utf-8", "utf8":
		if utf8.Valid(b) {
			return string(b), ""
		}
		return strings.ToValidUTF8(string(b), "\uFFFD"), "invalid UTF-8 replaced with U+FFFD"
	}
	if enc := lookupCharset(label); enc != nil {
		return decodeWith(enc, b), ""
	}
	warning := "unknown charset " + quote(label)
	if utf8.Valid(b) {
		return string(b), warning + ": kept as UTF-8"
	}
	return decodeWith(charmap.Windows1252, b), warning + ": read as windows-1252"
}

// htmlToUTF8 is textToUTF8 for HTML: without a declared charset, a <meta>
// charset in the document is honoured before guessing.
func htmlToUTF8(b []byte, label string) (string, string) {
	if normLabel(label) == "" && !utf8.Valid(b) {
		if enc, name, _ := charset.DetermineEncoding(b, "text/html"); enc != nil {
			return decodeWith(enc, b), "HTML without a charset parameter: read as " + name
		}
	}
	return textToUTF8(b, label)
}

// decodeWith decodes b and guarantees valid UTF-8 whatever the decoder did.
func decodeWith(enc encoding.Encoding, b []byte) string {
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		out = b
	}
	return strings.ToValidUTF8(string(out), "\uFFFD")
}

func quote(s string) string { return `"` + strings.ToValidUTF8(s, "?") + `"` }
