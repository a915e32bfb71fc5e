package api_test

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

func TestFire(t *testing.T) {
	e := newEnv(t, ok(200, "ok"), nil)
	hook := e.hook.srv.URL
	eml := base64.StdEncoding.EncodeToString(mail("from an eml"))

	for _, tc := range []struct {
		name  string
		body  map[string]any
		check func(t *testing.T, r recorded, got entry)
	}{
		{"delivery from a sample", map[string]any{"kind": "delivery", "url": hook + "/d", "sample": "plain"},
			func(t *testing.T, r recorded, got entry) {
				var body map[string]any
				if err := json.Unmarshal(r.Body, &body); err != nil || body["envelope"] == nil {
					t.Errorf("not a json+n delivery: %v %.200s", err, r.Body)
				}
				if got.Outcome != "accepted" || got.Format != "json+n" {
					t.Errorf("outcome %q format %q", got.Outcome, got.Format)
				}
			}},
		{"delivery from an eml, multipart", map[string]any{"url": hook + "/d", "eml": eml, "format": "multipart+n",
			"params": map[string]any{"recipients": []string{"x@example.com"}}},
			func(t *testing.T, r recorded, _ entry) {
				if !strings.Contains(string(r.Body), "from an eml") || !strings.Contains(string(r.Body), "x@example.com") ||
					!strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
					t.Errorf("multipart delivery: %.300s", r.Body)
				}
			}},
		{"authorization with params", map[string]any{"kind": "authorization", "url": hook + "/auth", "sample": "plain",
			"params": map[string]any{"to": "alice@example.com", "from": "bob@example.org", "size": 1234,
				"remote_ip": "192.0.2.7", "helo_domain": "mx.example.org", "spf": map[string]string{"result": "pass", "domain": "example.org"}}},
			func(t *testing.T, r recorded, got entry) {
				form, err := url.ParseQuery(string(r.Body))
				if err != nil || form.Get("to") != "alice@example.com" || form.Get("size") != "1234" ||
					form.Get("remote_ip") != "192.0.2.7" || form.Get("spf[result]") != "pass" {
					t.Errorf("authorization form: %v %s", err, r.Body)
				}
				if !strings.HasPrefix(got.SMTPReply, "250") {
					t.Errorf("smtp_reply %q", got.SMTPReply)
				}
			}},
		{"error callback with params", map[string]any{"kind": "error", "url": hook + "/error.json", "sample": "plain",
			"params": map[string]any{"status": 503, "response": "down"}},
			func(t *testing.T, r recorded, _ entry) {
				var body struct {
					Status   int    `json:"status"`
					Response string `json:"response"`
				}
				if err := json.Unmarshal(r.Body, &body); err != nil || body.Status != 503 || body.Response != "down" {
					t.Errorf("error callback: %v %s", err, r.Body)
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got entry
			e.call("POST", "/api/fire", tc.body, 200, &got)
			if got.Kind != "test" || got.Message != nil || got.Status != 200 || got.ID <= 0 || got.Request.Body == "" {
				t.Errorf("fired = %+v", got)
			}
			tc.check(t, e.hook.last(t), got)
		})
	}

	for _, tc := range []struct {
		name string
		body any
		want int
	}{
		{"unknown kind", map[string]any{"kind": "bounce", "url": hook}, 400},
		{"unknown sample", map[string]any{"sample": "nope", "url": hook}, 400},
		{"sample and eml", map[string]any{"sample": "plain", "eml": eml, "url": hook}, 400},
		{"eml not base64", `{"eml": "%%%", "url": "` + hook + `"}`, 400},
		{"eml not a message", map[string]any{"eml": base64.StdEncoding.EncodeToString([]byte("no headers at all")), "url": hook}, 400},
		{"param of another kind", map[string]any{"kind": "authorization", "url": hook, "params": map[string]any{"status": 500}}, 400},
		{"params not an object", map[string]any{"url": hook, "params": []int{1}}, 400},
		{"bad url", map[string]any{"url": "not a url"}, 400},
		{"bad format", map[string]any{"url": hook, "format": "xml"}, 400},
		{"bad JSON", "{", 400},
		{"unknown field", `{"knd": "delivery"}`, 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var ae apiError
			e.call("POST", "/api/fire", tc.body, tc.want, &ae)
			if ae.Error == "" {
				t.Error("no error text")
			}
		})
	}
}

func TestSamples(t *testing.T) {
	e := newEnv(t, ok(200, "ok"), nil)
	var got struct {
		Samples []struct {
			Name        string `json:"name"`
			Description string `json:"description"`
		} `json:"samples"`
	}
	e.call("GET", "/api/samples", nil, 200, &got)
	names := map[string]bool{}
	for _, s := range got.Samples {
		names[s.Name] = true
		if s.Description == "" {
			t.Errorf("sample %q has no description", s.Name)
		}
	}
	for _, want := range []string{"plain", "html-inline-image", "attachments", "reply-thread", "multiple-recipients", "non-ascii", "large-5mb"} {
		if !names[want] {
			t.Errorf("samples lack %q: %v", want, names)
		}
	}
}
