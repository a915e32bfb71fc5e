package export_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"testing"
	"time"

	"github.com/mailhook/mailhook/engine/export"
	"github.com/mailhook/mailhook/storage"
)

func TestHAR(t *testing.T) {
	at := time.Date(2026, 12, 4, 10, 0, 0, 123e6, time.UTC)
	binary := []byte{0xff, 0x00, 0xfe, 'x'}
	exs := []storage.Exchange{
		{
			ID: 1, MessageID: 7, Kind: storage.KindDelivery, Format: "json+n", StartedAt: at, DurationMS: 12,
			Method: "POST", URL: "http://****:****@127.0.0.1:2580/target/200?x=1&y=a%20b",
			RequestHeaders: []storage.Header{{Name: "Authorization", Value: "Basic ****"}, {Name: "Content-Type", Value: "application/json"}},
			RequestBody:    []byte(`{"plain":"hi"}`),
			Status:         200, ResponseHeaders: []storage.Header{{Name: "Content-Type", Value: "text/plain"}},
			ResponseBody: []byte("ok"), Outcome: storage.OutcomeAccepted, SMTPReply: "250 2.0.0 ok",
		},
		{
			ID: 2, MessageID: 7, ReplayOf: 1, Kind: storage.KindReplay, Format: "raw", StartedAt: at.Add(time.Second), DurationMS: 3,
			Method: "POST", URL: "http://127.0.0.1:9/hook",
			RequestHeaders: []storage.Header{{Name: "Content-Type", Value: "multipart/form-data; boundary=b"}},
			RequestBody:    binary, Status: 302,
			ResponseHeaders:   []storage.Header{{Name: "Location", Value: "/elsewhere"}, {Name: "Content-Type", Value: "application/octet-stream"}},
			ResponseBody:      binary,
			ResponseTruncated: true,
		},
		{
			ID: 3, Kind: storage.KindTest, Format: "form", StartedAt: at.Add(2 * time.Second),
			Method: "POST", URL: "http://127.0.0.1:1/auth", RequestBody: []byte("to=a"),
			Error: "connection refused: dial tcp", Outcome: storage.OutcomeDelayed,
		},
	}
	b, err := export.HAR(exs, "v1.2.3")
	if err != nil {
		t.Fatal(err)
	}
	var har struct {
		Log struct {
			Version string
			Creator struct{ Name, Version string }
			Entries []struct {
				StartedDateTime string
				Time            float64
				Request         struct {
					Method, URL, HTTPVersion string
					Headers                  []struct{ Name, Value string }
					QueryString              []struct{ Name, Value string }
					PostData                 *struct{ MimeType, Text, Encoding string }
					BodySize                 int
				}
				Response struct {
					Status      int
					StatusText  string
					RedirectURL string
					Content     struct {
						Size              int
						MimeType, Text    string
						Encoding, Comment string
					}
				}
				Timings  struct{ Send, Wait, Receive float64 }
				Mailhook struct {
					ID       int64
					ReplayOf int64 `json:"replay_of"`
					Kind     string
					Error    string
				} `json:"_mailhook"`
			}
		}
	}
	if err := json.Unmarshal(b, &har); err != nil {
		t.Fatalf("HAR is not JSON: %v", err)
	}
	if har.Log.Version != "1.2" || har.Log.Creator.Name != "Mailhook" || har.Log.Creator.Version != "v1.2.3" {
		t.Errorf("log header %+v", har.Log)
	}
	if len(har.Log.Entries) != len(exs) {
		t.Fatalf("%d entries, want %d", len(har.Log.Entries), len(exs))
	}
	for i, e := range har.Log.Entries {
		ex := exs[i]
		t.Run(ex.Kind, func(t *testing.T) {
			if when, err := time.Parse(time.RFC3339Nano, e.StartedDateTime); err != nil || !when.Equal(ex.StartedAt) {
				t.Errorf("startedDateTime %q (%v)", e.StartedDateTime, err)
			}
			if e.Request.Method != "POST" || e.Request.URL != ex.URL || e.Request.HTTPVersion == "" || len(e.Request.Headers) != len(ex.RequestHeaders) {
				t.Errorf("request %+v", e.Request)
			}
			if e.Request.PostData == nil {
				t.Fatal("no postData")
			}
			body := []byte(e.Request.PostData.Text)
			if e.Request.PostData.Encoding == "base64" {
				body, _ = base64.StdEncoding.DecodeString(e.Request.PostData.Text)
			}
			if !bytes.Equal(body, ex.RequestBody) {
				t.Errorf("postData %q, want %q", body, ex.RequestBody)
			}
			if e.Response.Status != ex.Status || e.Response.Content.Size != len(ex.ResponseBody) || e.Time != float64(ex.DurationMS) {
				t.Errorf("response %+v time %v", e.Response, e.Time)
			}
			if e.Mailhook.ID != ex.ID || e.Mailhook.Kind != ex.Kind || e.Mailhook.ReplayOf != ex.ReplayOf || e.Mailhook.Error != ex.Error {
				t.Errorf("_mailhook %+v", e.Mailhook)
			}
		})
	}
	first, second := har.Log.Entries[0], har.Log.Entries[1]
	if len(first.Request.QueryString) != 2 || first.Request.QueryString[1].Value != "a b" {
		t.Errorf("queryString %+v", first.Request.QueryString)
	}
	if first.Response.Content.Text != "ok" || first.Response.StatusText != "OK" {
		t.Errorf("response content %+v", first.Response)
	}
	if second.Response.Content.Encoding != "base64" || second.Response.Content.Comment == "" || second.Response.RedirectURL != "/elsewhere" {
		t.Errorf("binary, cut, redirected response %+v", second.Response)
	}
	if got, _ := base64.StdEncoding.DecodeString(second.Response.Content.Text); !bytes.Equal(got, binary) {
		t.Errorf("binary response text %q", second.Response.Content.Text)
	}

	t.Run("empty", func(t *testing.T) {
		b, err := export.HAR(nil, "")
		if err != nil {
			t.Fatal(err)
		}
		var v map[string]map[string]any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatal(err)
		}
		if entries, ok := v["log"]["entries"].([]any); !ok || len(entries) != 0 {
			t.Errorf("entries %v, want []", v["log"]["entries"])
		}
		if v["log"]["creator"].(map[string]any)["version"] != "dev" {
			t.Errorf("creator %v", v["log"]["creator"])
		}
	})
}
