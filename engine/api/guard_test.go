package api_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mailhook/mailhook/engine/api"
)

func TestLoopbackOnly(t *testing.T) {
	e := newEnv(t, ok(200, "ok"), nil)
	h := api.New(e.eng, nil)
	for _, tc := range []struct {
		name, remote, origin string
		want                 int
	}{
		{"ipv4 loopback", "127.0.0.1:1234", "", 200},
		{"other loopback address", "127.0.1.1:1234", "", 200},
		{"ipv6 loopback", "[::1]:1234", "", 200},
		{"private network", "10.0.0.1:1234", "", 403},
		{"ipv6 remote", "[2001:db8::1]:1234", "", 403},
		{"no port", "10.0.0.1", "", 403},
		{"garbage", "nonsense", "", 403},
		{"loopback page origin", "127.0.0.1:1234", "http://localhost:2580", 200},
		{"foreign page origin", "127.0.0.1:1234", "https://evil.example", 403},
		{"opaque origin", "127.0.0.1:1234", "null", 403},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/api/messages", nil)
			req.RemoteAddr = tc.remote
			if tc.origin != "" {
				req.Header.Set("Origin", tc.origin)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tc.want {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.want, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			if tc.want == 403 {
				var ae apiError
				if err := json.Unmarshal(rec.Body.Bytes(), &ae); err != nil || ae.Error == "" {
					t.Errorf("body %q: %v", rec.Body, err)
				}
			}
		})
	}
}

func TestRouting(t *testing.T) {
	e := newEnv(t, ok(200, "ok"), nil)
	for _, tc := range []struct {
		method, path string
		want         int
		allow        string
	}{
		{"PUT", "/api/messages", 405, "GET, DELETE"},
		{"POST", "/api/messages", 405, "GET, DELETE"},
		{"DELETE", "/api/messages/1", 405, "GET"},
		{"POST", "/api/messages/1/raw", 405, "GET"},
		{"GET", "/api/messages/1/replay", 405, "POST"},
		{"PATCH", "/api/exchanges/1", 405, "GET"},
		{"GET", "/api/exchanges/1/replay", 405, "POST"},
		{"GET", "/api/fire", 405, "POST"},
		{"POST", "/api/samples", 405, "GET"},
		{"GET", "/api/nothing", 404, ""},
		{"GET", "/api/messages/1/nothing", 404, ""},
		{"GET", "/api/messages/0", 400, ""},
		{"GET", "/api/messages/-3", 400, ""},
		{"GET", "/api/messages/abc", 400, ""},
		{"GET", "/api/messages/99999999999999999999", 400, ""},
		{"GET", "/api/messages/424242", 404, ""},
		{"GET", "/api/messages/abc/raw", 400, ""},
		{"GET", "/api/messages/424242/raw", 404, ""},
		{"GET", "/api/messages?limit=abc", 400, ""},
		{"GET", "/api/messages?limit=0", 400, ""},
		{"GET", "/api/messages?limit=100000", 200, ""},
		{"GET", "/api/messages?before=-1", 400, ""},
		{"GET", "/api/messages?before=x", 400, ""},
		{"GET", "/api/messages?outcome=lost", 400, ""},
	} {
		t.Run(tc.method+" "+strings.TrimPrefix(tc.path, "/api/"), func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, e.api.URL+tc.path, nil)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, tc.want)
			}
			if got := resp.Header.Get("Allow"); got != tc.allow {
				t.Errorf("Allow %q, want %q", got, tc.allow)
			}
			if tc.want >= 400 {
				var ae apiError
				if err := json.NewDecoder(resp.Body).Decode(&ae); err != nil || ae.Error == "" {
					t.Errorf("error body: %v %+v", err, ae)
				}
			}
		})
	}
}

// TestMountedOnEngine checks the route the lead mounts on the engine's own
// HTTP listener, beside the built-in targets.
func TestMountedOnEngine(t *testing.T) {
	e := newEnv(t, ok(200, "ok"), nil)
	for _, tc := range []struct {
		method, path string
		want         int
	}{
		{"GET", "/api/samples", 200},
		{"GET", "/api/messages/abc", 400},
		{"POST", "/target/200", 200}, // a built-in target still answers
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, "http://"+e.eng.HTTPAddr()+tc.path, strings.NewReader("{}"))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Errorf("status %d, want %d", resp.StatusCode, tc.want)
			}
		})
	}
}
