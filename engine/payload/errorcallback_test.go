package payload

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEncodeErrorCallback(t *testing.T) {
	p := ErrorParams{Status: 422, To: "a+b&c=d@x.com", From: "sender@example.net", Response: `{"error":"<bad> & ünknown"}`}
	tests := []struct {
		name, url string
		p         ErrorParams
		ctype     string
		want      string
	}{
		{"json", "http://localhost:3000/errors.json", p, "application/json",
			`{"status":422,"to":"a+b&c=d@x.com","from":"sender@example.net","response":"{\"error\":\"<bad> & ünknown\"}"}`},
		{"json with query", "http://localhost:3000/errors.JSON?k=v", p, "application/json",
			`{"status":422,"to":"a+b&c=d@x.com","from":"sender@example.net","response":"{\"error\":\"<bad> & ünknown\"}"}`},
		{"form", "http://localhost:3000/errors", p, "application/x-www-form-urlencoded",
			"status=422&to=a%2Bb%26c%3Dd%40x.com&from=sender%40example.net" +
				"&response=%7B%22error%22%3A%22%3Cbad%3E+%26+%C3%BCnknown%22%7D"},
		{"form for xml url", "http://localhost:3000/errors.xml", p, "application/x-www-form-urlencoded",
			"status=422&to=a%2Bb%26c%3Dd%40x.com&from=sender%40example.net" +
				"&response=%7B%22error%22%3A%22%3Cbad%3E+%26+%C3%BCnknown%22%7D"},
		{"json status 0", "/e.json", ErrorParams{To: "t@x", From: ""}, "application/json",
			`{"status":0,"to":"t@x","from":"","response":""}`},
		{"form status 0", "/e", ErrorParams{To: "t@x", From: ""}, "application/x-www-form-urlencoded",
			"status=0&to=t%40x&from=&response="},
		{"json invalid utf-8", "/e.json", ErrorParams{Status: 500, Response: "a\xffb"}, "application/json",
			`{"status":500,"to":"","from":"","response":"a` + "\uFFFD" + `b"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, ctype := EncodeErrorCallback(tt.url, tt.p)
			if ctype != tt.ctype {
				t.Errorf("content type = %q, want %q", ctype, tt.ctype)
			}
			if string(body) != tt.want {
				t.Errorf("body:\n%s\nwant:\n%s", body, tt.want)
			}
		})
	}
}

func TestErrorCallbackResponseCut(t *testing.T) {
	euro := "€" // 3 bytes: 2048 is not a multiple of 3, so a byte cut would split one
	tests := []struct {
		name, in, want string
	}{
		{"short kept", "short", "short"},
		{"exactly max kept", strings.Repeat("a", MaxErrorResponse), strings.Repeat("a", MaxErrorResponse)},
		{"ascii cut", strings.Repeat("a", MaxErrorResponse+10), strings.Repeat("a", MaxErrorResponse)},
		{"multi-byte boundary", strings.Repeat(euro, 1000), strings.Repeat(euro, MaxErrorResponse/3)},
		{"4-byte rune straddling", strings.Repeat("a", MaxErrorResponse-1) + "😀", strings.Repeat("a", MaxErrorResponse-1)},
		{"invalid bytes grow", strings.Repeat("a\xff", MaxErrorResponse), strings.Repeat("a\uFFFD", MaxErrorResponse/4)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, _ := EncodeErrorCallback("/e.json", ErrorParams{Status: 502, Response: tt.in})
			var v errorJSON
			if err := json.Unmarshal(body, &v); err != nil {
				t.Fatalf("invalid JSON: %v", err)
			}
			if v.Response != tt.want {
				t.Errorf("response has %d bytes, want %d", len(v.Response), len(tt.want))
			}
			if len(v.Response) > MaxErrorResponse || !utf8.ValidString(v.Response) {
				t.Errorf("response: %d bytes, valid UTF-8 %v", len(v.Response), utf8.ValidString(v.Response))
			}
			form, _ := EncodeErrorCallback("/e", ErrorParams{Status: 502, Response: tt.in})
			q, err := url.ParseQuery(string(form))
			if err != nil || q.Get("response") != tt.want {
				t.Errorf("form response differs from JSON (%v)", err)
			}
		})
	}
}
