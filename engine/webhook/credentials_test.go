package webhook

import (
	"strings"
	"testing"

	"github.com/mailhook/mailhook/storage"
)

func TestMaskURL(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"no credentials", "http://host:8080/a@b?x=c@d", "http://host:8080/a@b?x=c@d"},
		{"user and password", "https://user:pass@host/p", "https://****:****@host/p"},
		{"user only", "http://token@host/p", "http://****@host/p"},
		{"percent-encoded", "http://user%40x:p%3Ass@host/path", "http://****:****@host/path"},
		{"@ in password", "http://u:p@ss@host/x?y=a@b", "http://****:****@host/x?y=a@b"},
		{"@ in query only", "http://host/?to=a@b", "http://host/?to=a@b"},
		{"no scheme", "user:pass@host/path", "****:****@host/path"},
		{"scheme relative", "//user:pass@host/path", "//****:****@host/path"},
		{"unparsable", "http://u:se cret/x@ho st/", "http://****:****@ho st/"},
		{"bad port", "http://u:secret@host:port/", "http://****:****@host:port/"},
		{"empty", "", ""},
		{"garbage", "%%%", "%%%"},
		{"only at", "@", "@"},
		{"slash in password", "http://u:se/cret@host/", "http://****:****@host/"},
		{"control characters", "http://u:p\x00@h\n/", "http://****:****@h\n/"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := MaskURL(tc.in); got != tc.want {
				t.Errorf("MaskURL(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestSplitCredentials(t *testing.T) {
	for _, tc := range []struct {
		name, in, clean, user, pass string
		auth                        bool
		err                         string
	}{
		{"plain", "http://host/p?q=1", "http://host/p?q=1", "", "", false, ""},
		{"decoded", "http://user%40x:p%3Ass@host/path", "http://host/path", "user@x", "p:ss", true, ""},
		{"user only", "https://token@host", "https://host", "token", "", true, ""},
		{"bad scheme", "ftp://u:secret@host/", "", "", "", false, "scheme must be http or https"},
		{"relative", "/target/200", "", "", "", false, "scheme must be http or https"},
		{"no host", "http:///x", "", "", "", false, "no host"},
		{"parse error hides secret", "http://u:se/secret@host/", "", "", "", false, "cannot parse"},
		{"parse error without secret explains", "http://host:port/", "", "", "", false, "invalid port"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, user, pass, auth, err := SplitCredentials(tc.in)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) || strings.Contains(err.Error(), "secret") {
					t.Fatalf("err = %v, want one containing %q and no secret", err, tc.err)
				}
				return
			}
			if err != nil || u.String() != tc.clean || user != tc.user || pass != tc.pass || auth != tc.auth {
				t.Errorf("got %v %q %q %v %v", u, user, pass, auth, err)
			}
		})
	}
}

func TestFirstTextLine(t *testing.T) {
	long := strings.Repeat("é", 300)
	for _, tc := range []struct{ name, ct, body, want string }{
		{"first line", "text/plain", "Unknown recipient\nsecond", "Unknown recipient"},
		{"charset parameter", "text/plain; charset=utf-8", "ok", "ok"},
		{"upper case type", "TEXT/PLAIN", "ok", "ok"},
		{"skips blank lines and trims", "text/plain", "\r\n  \n\t mailbox full \r\nx", "mailbox full"},
		{"html is ignored", "text/html", "<p>nope</p>", ""},
		{"json is ignored", "application/json", `{"error":"x"}`, ""},
		{"no content type", "", "text", ""},
		{"empty body", "text/plain", "", ""},
		{"only blank", "text/plain", "\n\n  \n", ""},
		{"control characters", "text/plain", "a\x00b\rc", "a b c"},
		{"invalid utf-8 dropped", "text/plain", "bad\xffbyte", "badbyte"},
		{"cut to 200 runes", "text/plain", long, strings.Repeat("é", 200)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := Result{ResponseBody: []byte(tc.body)}
			if tc.ct != "" {
				res.ResponseHeaders = []storage.Header{{Name: "Content-Type", Value: tc.ct}}
			}
			if got := FirstTextLine(res); got != tc.want {
				t.Errorf("FirstTextLine = %q, want %q", got, tc.want)
			}
		})
	}
}
