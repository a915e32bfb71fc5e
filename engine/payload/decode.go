package payload

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"
)

// decodeTransfer undoes a Content-Transfer-Encoding. It is lenient on purpose
// (enmime's own decoding is turned off so that attachments are never charset
// converted): whatever can be recovered is, and warnings say what was not.
func decodeTransfer(b []byte, cte string) ([]byte, []string) {
	switch cte = strings.ToLower(strings.TrimSpace(cte)); cte {
	case "base64":
		return decodeBase64(b)
	case "quoted-printable":
		return decodeQP(b)
	case "", "7bit", "8bit", "binary":
		return b, nil
	}
	return b, []string{fmt.Sprintf("unknown Content-Transfer-Encoding %q: content kept as is", cte)}
}

// decodeBase64 skips characters outside the alphabet and treats padding as
// the end of one encoded run, so concatenated padded blocks still decode.
func decodeBase64(b []byte) ([]byte, []string) {
	// Fast path for well-formed input (the decoder skips CR and LF itself);
	// the byte-by-byte repair below is only for what it rejects.
	out := make([]byte, 0, len(b)*3/4)
	if dec, err := base64.StdEncoding.AppendDecode(out, b); err == nil {
		return dec, nil
	}
	run := make([]byte, 0, 76)
	var junk, partial int
	flush := func() {
		if len(run)%4 == 1 { // six lone bits cannot form a byte
			run = run[:len(run)-1]
			partial++
		}
		out, _ = base64.RawStdEncoding.AppendDecode(out, run)
		run = run[:0]
	}
	for _, c := range b {
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '+', c == '/':
			run = append(run, c)
		case c == '=':
			flush()
		case c == ' ', c == '\t', c == '\r', c == '\n':
		default:
			junk++
		}
	}
	flush()
	var warnings []string
	if junk > 0 {
		warnings = append(warnings, fmt.Sprintf("malformed base64: skipped %d invalid characters", junk))
	}
	if partial > 0 {
		warnings = append(warnings, "malformed base64: truncated data, last bits dropped")
	}
	return out, warnings
}

// decodeQP decodes quoted-printable line by line: trailing whitespace is
// dropped (RFC 2045), "=" at the end of a line is a soft break, and an "="
// not followed by two hex digits is kept literally instead of failing, as
// most mail clients do. Line endings are kept as they were.
func decodeQP(b []byte) ([]byte, []string) {
	out := make([]byte, 0, len(b))
	var literal int
	for len(b) > 0 {
		line, rest, hasNL := bytes.Cut(b, []byte("\n"))
		b = rest
		eol := "\n"
		if bytes.HasSuffix(line, []byte("\r")) {
			line, eol = line[:len(line)-1], "\r\n"
		}
		line = bytes.TrimRight(line, " \t")
		soft := bytes.HasSuffix(line, []byte("="))
		if soft {
			line = line[:len(line)-1]
		}
		for i := 0; i < len(line); i++ {
			c := line[i]
			if c == '=' {
				if i+2 < len(line) && isHex(line[i+1]) && isHex(line[i+2]) {
					out = append(out, unhex(line[i+1])<<4|unhex(line[i+2]))
					i += 2
					continue
				}
				literal++
			}
			out = append(out, c)
		}
		if hasNL && !soft {
			out = append(out, eol...)
		}
	}
	var warnings []string
	if literal > 0 {
		warnings = append(warnings, fmt.Sprintf("malformed quoted-printable: %d \"=\" kept literally", literal))
	}
	return out, warnings
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}
