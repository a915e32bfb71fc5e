package payload

import (
	"bytes"
	"strings"
	"testing"
)

func TestDecodeTransfer(t *testing.T) {
	tests := []struct {
		name, cte, in string
		want          string
		warn          string // substring of the only warning, "" for none
	}{
		{"identity 7bit", "7bit", "abc\r\n", "abc\r\n", ""},
		{"identity none", "", "abc", "abc", ""},
		{"base64 wrapped", "base64", "aGVs\r\nbG8=\r\n", "hello", ""},
		{"base64 upper case cte", " BASE64 ", "aGVsbG8=", "hello", ""},
		{"base64 junk skipped", "base64", "aGV*sb!G8=", "hello", "skipped 2 invalid"},
		{"base64 concatenated padded runs", "base64", "aGk=\r\naGk=", "hihi", ""},
		{"base64 truncated", "base64", "aGVsbG8h1", "hello!", "truncated"},
		{"base64 unpadded", "base64", "aGVsbG8", "hello", ""},
		{"qp soft break and escapes", "quoted-printable", "caf=C3=A9 =\r\nok\r\nend", "café ok\r\nend", ""},
		{"qp lower hex", "quoted-printable", "=c3=a9", "é", ""},
		{"qp trailing space dropped", "quoted-printable", "a  \r\nb", "a\r\nb", ""},
		{"qp LF only", "quoted-printable", "a=\nb\nc", "ab\nc", ""},
		{"qp bad escape literal", "quoted-printable", "1+1=2 =ZZ", "1+1=2 =ZZ", "2 \"=\" kept literally"},
		{"qp control bytes pass", "quoted-printable", "a\x01b", "a\x01b", ""},
		{"unknown cte", "x-uuencode", "begin", "begin", "unknown Content-Transfer-Encoding"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, warnings := decodeTransfer([]byte(tt.in), tt.cte)
			if !bytes.Equal(got, []byte(tt.want)) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			switch {
			case tt.warn == "" && len(warnings) > 0:
				t.Errorf("unexpected warnings %q", warnings)
			case tt.warn != "" && (len(warnings) != 1 || !strings.Contains(warnings[0], tt.warn)):
				t.Errorf("warnings %q, want one containing %q", warnings, tt.warn)
			}
		})
	}
}
