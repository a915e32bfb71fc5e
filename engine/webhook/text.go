package webhook

import (
	"mime"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxTextLine bounds FirstTextLine: the line ends up in an SMTP reply.
const maxTextLine = 200

// FirstTextLine returns the first non-blank line of a text/plain response
// body, trimmed, made printable (control characters become spaces, invalid
// UTF-8 is dropped) and cut to maxTextLine runes; "" for any other content
// type. CloudMailin adds this line to the SMTP reply of a 4xx.
func FirstTextLine(res Result) string {
	ct := ""
	for _, h := range res.ResponseHeaders {
		if strings.EqualFold(h.Name, "Content-Type") {
			ct = h.Value
			break
		}
	}
	if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "text/plain" {
		return ""
	}
	for line := range strings.Lines(string(res.ResponseBody)) {
		line = strings.Map(func(r rune) rune {
			if unicode.IsControl(r) {
				return ' '
			}
			return r
		}, strings.ToValidUTF8(line, ""))
		if line = strings.TrimSpace(line); line == "" {
			continue
		}
		if utf8.RuneCountInString(line) > maxTextLine {
			line = strings.TrimSpace(string([]rune(line)[:maxTextLine]))
		}
		return line
	}
	return ""
}
