package payload

import (
	"strings"
	"testing"
)

func TestParseFormat(t *testing.T) {
	tests := []struct {
		in   string
		want Format
		err  bool
	}{
		{"json+n", JSONNormalized, false},
		{"multipart+n", MultipartNormalized, false},
		{"raw", Raw, false},
		{" JSON+N ", JSONNormalized, false},
		{"json", "", true},
		{"", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseFormat(tt.in)
			if got != tt.want || (err != nil) != tt.err {
				t.Fatalf("ParseFormat(%q) = %q, %v", tt.in, got, err)
			}
			if err != nil && !strings.Contains(err.Error(), "json+n, multipart+n, raw") {
				t.Errorf("error %q does not list the valid formats", err)
			}
		})
	}
}

func TestEncodeErrors(t *testing.T) {
	raw, msg := mustParse(t, "plain.eml")
	tests := []struct {
		name string
		f    Format
		msg  *Message
		want string
	}{
		{"unknown format", "xml", msg, "unknown format"},
		{"json without message", JSONNormalized, nil, "no parsed message"},
		{"multipart without message", MultipartNormalized, nil, "no parsed message"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Encode(tt.f, raw, tt.msg, testEnvelope(), Options{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
	if _, _, err := Encode(Raw, raw, nil, testEnvelope(), Options{}); err != nil {
		t.Errorf("raw needs no parsed message: %v", err)
	}
}
