package payload

import (
	"encoding/json"
	"encoding/xml"
	"net/url"
	"strings"
	"testing"
)

func authParams(hasSize bool) AuthParams {
	return AuthParams{
		To: "rcpt@example.com", From: "sender@example.net",
		Size: 102400, HasSize: hasSize,
		HeloDomain: "client.example", RemoteIP: "192.0.2.7",
		SPF: SPF{Result: "pass", Domain: "example.net"},
	}
}

func TestEncodeAuthorization(t *testing.T) {
	odd := AuthParams{
		To: "a+b&c=d@x.com", From: `"Quoted <Name>"@x.com`,
		Size: 0, HasSize: true,
		HeloDomain: "café.example", RemoteIP: "2001:db8::1",
		SPF: SPF{Result: "none", Domain: "x.com"},
	}
	tests := []struct {
		name  string
		f     AuthFormat
		p     AuthParams
		ctype string
		want  string
	}{
		{"form with size", AuthForm, authParams(true), "application/x-www-form-urlencoded",
			"to=rcpt%40example.com&from=sender%40example.net&size=102400&helo_domain=client.example" +
				"&remote_ip=192.0.2.7&spf[result]=pass&spf[domain]=example.net"},
		{"form without size", AuthForm, authParams(false), "application/x-www-form-urlencoded",
			"to=rcpt%40example.com&from=sender%40example.net&helo_domain=client.example" +
				"&remote_ip=192.0.2.7&spf[result]=pass&spf[domain]=example.net"},
		{"form odd addresses", AuthForm, odd, "application/x-www-form-urlencoded",
			"to=a%2Bb%26c%3Dd%40x.com&from=%22Quoted+%3CName%3E%22%40x.com&size=0" +
				"&helo_domain=caf%C3%A9.example&remote_ip=2001%3Adb8%3A%3A1&spf[result]=none&spf[domain]=x.com"},
		{"json with size", AuthJSON, authParams(true), "application/json",
			`{"to":"rcpt@example.com","from":"sender@example.net","size":102400,"helo_domain":"client.example",` +
				`"remote_ip":"192.0.2.7","spf":{"result":"pass","domain":"example.net"}}`},
		{"json without size", AuthJSON, authParams(false), "application/json",
			`{"to":"rcpt@example.com","from":"sender@example.net","helo_domain":"client.example",` +
				`"remote_ip":"192.0.2.7","spf":{"result":"pass","domain":"example.net"}}`},
		{"json odd addresses", AuthJSON, odd, "application/json",
			`{"to":"a+b&c=d@x.com","from":"\"Quoted <Name>\"@x.com","size":0,"helo_domain":"café.example",` +
				`"remote_ip":"2001:db8::1","spf":{"result":"none","domain":"x.com"}}`},
		{"xml with size", AuthXML, authParams(true), "application/xml", `<?xml version="1.0" encoding="UTF-8"?>
<parameters>
  <to>rcpt@example.com</to>
  <from>sender@example.net</from>
  <size type="integer">102400</size>
  <helo-domain>client.example</helo-domain>
  <remote-ip>192.0.2.7</remote-ip>
  <spf>
    <result>pass</result>
    <domain>example.net</domain>
  </spf>
</parameters>
`},
		{"xml without size", AuthXML, authParams(false), "application/xml", `<?xml version="1.0" encoding="UTF-8"?>
<parameters>
  <to>rcpt@example.com</to>
  <from>sender@example.net</from>
  <helo-domain>client.example</helo-domain>
  <remote-ip>192.0.2.7</remote-ip>
  <spf>
    <result>pass</result>
    <domain>example.net</domain>
  </spf>
</parameters>
`},
		{"xml odd addresses", AuthXML, odd, "application/xml", `<?xml version="1.0" encoding="UTF-8"?>
<parameters>
  <to>a+b&amp;c=d@x.com</to>
  <from>&#34;Quoted &lt;Name&gt;&#34;@x.com</from>
  <size type="integer">0</size>
  <helo-domain>café.example</helo-domain>
  <remote-ip>2001:db8::1</remote-ip>
  <spf>
    <result>none</result>
    <domain>x.com</domain>
  </spf>
</parameters>
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, ctype, err := EncodeAuthorization(tt.f, tt.p)
			if err != nil {
				t.Fatal(err)
			}
			if ctype != tt.ctype {
				t.Errorf("content type = %q, want %q", ctype, tt.ctype)
			}
			if string(body) != tt.want {
				t.Errorf("body:\n%s\nwant:\n%s", body, tt.want)
			}
		})
	}
}

// TestEncodeAuthorizationRoundTrip reads each body back the way a webhook
// would, so the escaping is right and not merely as written above.
func TestEncodeAuthorizationRoundTrip(t *testing.T) {
	p := AuthParams{To: "a+b&c=d@x.com", From: `"q<'>"@ü.example`, HasSize: true, Size: 7,
		HeloDomain: "h", RemoteIP: "1.2.3.4", SPF: SPF{Result: "fail", Domain: "ü.example"}}
	t.Run("form", func(t *testing.T) {
		body, _, _ := EncodeAuthorization(AuthForm, p)
		v, err := url.ParseQuery(string(body))
		if err != nil {
			t.Fatal(err)
		}
		if v.Get("to") != p.To || v.Get("from") != p.From || v.Get("spf[domain]") != p.SPF.Domain || v.Get("size") != "7" {
			t.Errorf("decoded %v", v)
		}
	})
	t.Run("json", func(t *testing.T) {
		body, _, _ := EncodeAuthorization(AuthJSON, p)
		var v authJSON
		if err := json.Unmarshal(body, &v); err != nil {
			t.Fatal(err)
		}
		if v.To != p.To || v.From != p.From || v.Size == nil || *v.Size != 7 {
			t.Errorf("decoded %+v", v)
		}
	})
	t.Run("xml", func(t *testing.T) {
		body, _, _ := EncodeAuthorization(AuthXML, p)
		var v authXML
		if err := xml.Unmarshal(body, &v); err != nil {
			t.Fatal(err)
		}
		if v.To != p.To || v.From != p.From || v.Size == nil || v.Size.Value != 7 || v.SPF.Domain != p.SPF.Domain {
			t.Errorf("decoded %+v", v)
		}
	})
}

func TestEncodeAuthorizationUnknownFormat(t *testing.T) {
	if _, _, err := EncodeAuthorization("yaml", authParams(true)); err == nil {
		t.Fatal("no error for an unknown format")
	}
}

func TestAuthFormatFor(t *testing.T) {
	tests := []struct {
		name, url string
		want      AuthFormat
	}{
		{"json", "http://localhost:3000/auth.json", AuthJSON},
		{"json with query", "http://localhost:3000/auth.json?x=1", AuthJSON},
		{"json in query only", "http://localhost:3000/auth?f=a.json", AuthForm},
		{"xml upper case", "http://localhost:3000/AUTH.XML", AuthXML},
		{"path only", "/auth.json", AuthJSON},
		{"no ending", "http://localhost:3000/auth", AuthForm},
		{"empty", "", AuthForm},
		{"bad url", "http://[::1/auth.json", AuthForm},
		{"bad escape", "http://localhost/%zz.json", AuthForm},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := AuthFormatFor(tt.url); got != tt.want {
				t.Errorf("AuthFormatFor(%q) = %q, want %q", tt.url, got, tt.want)
			}
		})
	}
}

func TestParseAuthFormat(t *testing.T) {
	tests := []struct {
		in      string
		want    AuthFormat
		wantErr bool
	}{
		{"form", AuthForm, false},
		{" JSON ", AuthJSON, false},
		{"Xml", AuthXML, false},
		{"", "", true},
		{"json+n", "", true},
		{"urlencoded", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseAuthFormat(tt.in)
			if got != tt.want || (err != nil) != tt.wantErr {
				t.Fatalf("ParseAuthFormat(%q) = %q, %v", tt.in, got, err)
			}
			if err != nil && !strings.Contains(err.Error(), "form, json, xml") {
				t.Errorf("error does not list the valid formats: %v", err)
			}
		})
	}
}
