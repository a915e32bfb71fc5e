package payload

import (
	"reflect"
	"testing"
)

func TestReadHeaderBlock(t *testing.T) {
	tests := []struct {
		name     string
		raw      string
		want     []rawField
		body     string // what follows the header block
		warnings int
	}{
		{
			name: "crlf fold keeps whitespace",
			raw:  "Received: from a\r\n\tby b;\r\n  Mon\r\nSubject: x\r\n\r\nbody",
			want: []rawField{{"Received", "from a\tby b;  Mon"}, {"Subject", "x"}},
			body: "body",
		},
		{
			name: "lf only",
			raw:  "A: 1\nB: 2\n continued\n\nbody\n",
			want: []rawField{{"A", "1"}, {"B", "2 continued"}},
			body: "body\n",
		},
		{
			name: "name spelling kept, space before colon forgiven",
			raw:  "X-Mixed-CASE : v\r\n\r\n",
			want: []rawField{{"X-Mixed-CASE", "v"}},
		},
		{
			name: "empty value",
			raw:  "Cc:\r\nBcc: \r\n\r\n",
			want: []rawField{{"Cc", ""}, {"Bcc", ""}},
		},
		{
			name: "no blank line: all headers",
			raw:  "Subject: only",
			want: []rawField{{"Subject", "only"}},
		},
		{
			name:     "junk line joined to previous field",
			raw:      "Subject: a\r\nnot a field\r\nTo: b\r\n\r\n",
			want:     []rawField{{"Subject", "a not a field"}, {"To", "b"}},
			warnings: 1,
		},
		{
			name:     "headerless message is all body",
			raw:      "Hello there\r\nSubject: no\r\n",
			body:     "Hello there\r\nSubject: no\r\n",
			warnings: 1,
		},
		{
			name:     "leading indented line is all body",
			raw:      " Hello\r\n",
			body:     " Hello\r\n",
			warnings: 1,
		},
		{
			name:     "mbox From line skipped",
			raw:      "From a@b Mon Jan  1 00:00:00 2024\r\nSubject: s\r\n\r\nb",
			want:     []rawField{{"Subject", "s"}},
			body:     "b",
			warnings: 1,
		},
		{
			name:     "name with space is not a field",
			raw:      "Dear Bob: hi\r\n",
			body:     "Dear Bob: hi\r\n",
			warnings: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fields, at, warnings := readHeaderBlock([]byte(tt.raw))
			if !reflect.DeepEqual(fields, tt.want) {
				t.Errorf("fields = %q, want %q", fields, tt.want)
			}
			if got := tt.raw[at:]; got != tt.body {
				t.Errorf("body = %q, want %q", got, tt.body)
			}
			if len(warnings) != tt.warnings {
				t.Errorf("warnings = %q, want %d", warnings, tt.warnings)
			}
		})
	}
}

func TestDecodeHeaders(t *testing.T) {
	tests := []struct {
		name, value, want string
		warns             bool
	}{
		{"plain", "Hello", "Hello", false},
		{"b utf-8 split words", "=?UTF-8?B?SMOpbGxvIA==?= =?UTF-8?B?d8O2cmxk?=", "Héllo wörld", false},
		{"folded words", "=?UTF-8?B?SMOpbGxvIA==?=\t=?UTF-8?B?d8O2cmxk?= x", "Héllo wörld x", false},
		{"q latin1", "=?ISO-8859-1?Q?caf=E9_cr=E8me?=", "café crème", false},
		{"koi8-r", "=?KOI8-R?B?8NLJ18XU?=", "Привет", false},
		{"address display name", "=?UTF-8?Q?Ren=C3=A9e?= <r@example.com>", "Renée <r@example.com>", false},
		{"malformed word left as is", "=?UTF-8?B?not base64!?=", "=?UTF-8?B?not base64!?=", false},
		{"unknown charset still decoded", "=?x-unknown?Q?abc?= and =?utf-8?Q?ok?=", "abc and ok", true},
		{"raw latin1 bytes", "caf\xe9", "café", true},
		{"raw utf-8 kept", "naïve", "naïve", false},
		{"trailing space trimmed", "v  \t", "v", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, warnings := decodeHeaders([]rawField{{"Subject", tt.value}})
			if len(got) != 1 || got[0] != (HeaderField{"Subject", tt.want}) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if (len(warnings) > 0) != tt.warns {
				t.Errorf("warnings %q, want some: %v", warnings, tt.warns)
			}
		})
	}
}

func TestGroupHeaders(t *testing.T) {
	h := []HeaderField{
		{"Received", "top"}, {"Subject", "s"}, {"received", "older"},
		{"Message-ID", "<a@b>"}, {"X-Two-Words", "x"},
	}
	want := []headerGroup{
		{"received", []string{"top", "older"}},
		{"subject", []string{"s"}},
		{"message_id", []string{"<a@b>"}},
		{"x_two_words", []string{"x"}},
	}
	if got := groupHeaders(h); !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
