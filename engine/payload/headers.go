package payload

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"strings"
)

// rawField is a header field as read, before RFC 2047 decoding.
type rawField struct {
	name, value string // value unfolded, leading/trailing whitespace trimmed
}

// readHeaderBlock splits raw into header fields and the offset where the body
// starts. It is our own reader rather than net/textproto's because the JSON
// must keep message order and the exact whitespace of folded lines, and
// because real mail breaks the rules: junk lines are forgiven with a warning.
func readHeaderBlock(raw []byte) (fields []rawField, body int, warnings []string) {
	pos := 0
	for pos < len(raw) {
		end := bytes.IndexByte(raw[pos:], '\n')
		next := len(raw)
		if end >= 0 {
			end += pos
			next = end + 1
		} else {
			end = len(raw)
		}
		line := bytes.TrimSuffix(raw[pos:end], []byte("\r"))
		switch {
		case len(line) == 0:
			return fields, next, warnings
		case line[0] == ' ' || line[0] == '\t':
			if len(fields) == 0 {
				warnings = append(warnings, "message starts with an indented line: read as having no header block")
				return nil, pos, warnings
			}
			// Unfold by dropping the line break only: the whitespace stays.
			fields[len(fields)-1].value += string(line)
		default:
			name, value, ok := splitField(line)
			switch {
			case ok:
				fields = append(fields, rawField{name: name, value: string(value)})
			case len(fields) == 0 && pos == 0 && bytes.HasPrefix(line, []byte("From ")):
				warnings = append(warnings, "skipped mbox \"From \" line before the headers")
			case len(fields) == 0:
				warnings = append(warnings, "first line is not a header field: read as having no header block")
				return nil, pos, warnings
			default:
				// A continuation someone forgot to indent: keep its text.
				warnings = append(warnings, fmt.Sprintf("header line %q is not a field: joined to %s", clip(line), fields[len(fields)-1].name))
				fields[len(fields)-1].value += " " + string(line)
			}
		}
		pos = next
	}
	return fields, len(raw), warnings
}

// splitField splits "Name: value". A name is printable ASCII without colon
// (RFC 5322 ftext); whitespace before the colon is the obsolete syntax and
// is forgiven.
func splitField(line []byte) (name string, value []byte, ok bool) {
	colon := bytes.IndexByte(line, ':')
	if colon <= 0 {
		return "", nil, false
	}
	n := bytes.TrimRight(line[:colon], " \t")
	if len(n) == 0 {
		return "", nil, false
	}
	for _, c := range n {
		if c < 33 || c > 126 {
			return "", nil, false
		}
	}
	return string(n), bytes.TrimLeft(line[colon+1:], " \t"), true
}

// decodeHeaders turns raw fields into HeaderFields: trailing whitespace
// trimmed, RFC 2047 words decoded (any charset x/text knows), UTF-8 ensured.
func decodeHeaders(fields []rawField) ([]HeaderField, []string) {
	var warnings []string
	dec := &mime.WordDecoder{CharsetReader: func(label string, r io.Reader) (io.Reader, error) {
		if enc := lookupCharset(label); enc != nil {
			return enc.NewDecoder().Reader(r), nil
		}
		// Decode the word anyway rather than leave the whole field encoded.
		b, err := io.ReadAll(r)
		s, _ := textToUTF8(b, "")
		warnings = append(warnings, fmt.Sprintf("encoded word in unknown charset %s: bytes read as UTF-8 or windows-1252", quote(label)))
		return strings.NewReader(s), err
	}}
	out := make([]HeaderField, 0, len(fields))
	for _, f := range fields {
		// Raw 8-bit bytes first: encoded words are ASCII and survive this.
		v, w := textToUTF8([]byte(strings.TrimRight(f.value, " \t\r")), "")
		if w != "" {
			warnings = append(warnings, "header "+f.name+": "+w)
		}
		if strings.Contains(v, "=?") {
			if d, err := dec.DecodeHeader(v); err == nil {
				v = strings.ToValidUTF8(d, "\uFFFD")
			} else {
				warnings = append(warnings, fmt.Sprintf("header %s: encoded word not decoded: %v", f.name, err))
			}
		}
		out = append(out, HeaderField{Name: f.name, Value: v})
	}
	return out, warnings
}

// headerKey is CloudMailin's normalized name: lower case, "-" → "_".
func headerKey(name string) string {
	return strings.ReplaceAll(strings.ToLower(name), "-", "_")
}

// headerGroup is one key of the normalized headers object.
type headerGroup struct {
	key    string
	values []string // message order, top-most first
}

// groupHeaders groups fields by normalized key, keys in first-seen order, so
// both encoders write the same deterministic shape.
func groupHeaders(h []HeaderField) []headerGroup {
	index := make(map[string]int, len(h))
	var groups []headerGroup
	for _, f := range h {
		k := headerKey(f.Name)
		i, seen := index[k]
		if !seen {
			i = len(groups)
			index[k] = i
			groups = append(groups, headerGroup{key: k})
		}
		groups[i].values = append(groups[i].values, f.Value)
	}
	return groups
}

// firstHeader returns the first value of the named header, "" when absent.
func firstHeader(h []HeaderField, name string) string {
	for _, f := range h {
		if strings.EqualFold(f.Name, name) {
			return f.Value
		}
	}
	return ""
}

// clip shortens a line for a warning.
func clip(b []byte) string {
	const max = 60
	if len(b) > max {
		return string(b[:max]) + "…"
	}
	return string(b)
}
