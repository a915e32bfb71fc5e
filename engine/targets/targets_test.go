package targets_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mailhook/mailhook/engine/targets"
	"github.com/mailhook/mailhook/engine/webhook"
	"github.com/mailhook/mailhook/storage"
)

func serve(t *testing.T, o targets.Options) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(targets.Handler(o))
	t.Cleanup(srv.Close)
	return srv
}

func post(t *testing.T, url string, body string) (*http.Response, string) {
	t.Helper()
	// A client that does not follow redirects, to see the 3xx itself.
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestTargetStatus(t *testing.T) {
	srv := serve(t, targets.Options{})
	for _, tc := range []struct {
		status   int
		line     string
		location string
	}{
		{200, "200 OK: accepted by Mailhook test target", ""},
		{201, "201 Created: accepted by Mailhook test target", ""},
		{204, "", ""},
		{299, "299 Status: accepted by Mailhook test target", ""},
		{301, "301 Moved Permanently: test target redirects to /target/200", "/target/200"},
		{302, "302 Found: test target redirects to /target/200", "/target/200"},
		{307, "307 Temporary Redirect: test target redirects to /target/200", "/target/200"},
		{404, "404 Not Found: test target rejects this message", ""},
		{422, "422 Unprocessable Entity: test target rejects this message", ""},
		{500, "500 Internal Server Error: test target failed, try again later", ""},
		{503, "503 Service Unavailable: test target failed, try again later", ""},
		{599, "599 Status: test target failed, try again later", ""},
	} {
		t.Run(strconv.Itoa(tc.status), func(t *testing.T) {
			resp, body := post(t, srv.URL+"/target/"+strconv.Itoa(tc.status), `{"plain":"hi"}`)
			if resp.StatusCode != tc.status {
				t.Errorf("status %d", resp.StatusCode)
			}
			if first, _, _ := strings.Cut(body, "\n"); first != tc.line {
				t.Errorf("first line %q, want %q", first, tc.line)
			}
			if tc.line != "" && resp.Header.Get("Content-Type") != "text/plain; charset=utf-8" {
				t.Errorf("Content-Type %q", resp.Header.Get("Content-Type"))
			}
			if got := resp.Header.Get("Location"); got != tc.location {
				t.Errorf("Location %q, want %q", got, tc.location)
			}
		})
	}
}

func TestTargetDelay(t *testing.T) {
	srv := serve(t, targets.Options{})
	start := time.Now()
	resp, _ := post(t, srv.URL+"/target/200?delay=50ms", "")
	if elapsed := time.Since(start); resp.StatusCode != 200 || elapsed < 50*time.Millisecond {
		t.Errorf("status %d after %v", resp.StatusCode, elapsed)
	}

	// The caller giving up ends the wait: Close below would hang otherwise.
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", srv.URL+"/target/200?delay=5m", nil)
	if _, err := http.DefaultTransport.RoundTrip(req); err == nil {
		t.Error("want the caller's timeout")
	}
	done := make(chan struct{})
	go func() { srv.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Error("handler still waiting after the caller left")
	}
}

func TestTargetBadInput(t *testing.T) {
	srv := serve(t, targets.Options{})
	for _, tc := range []struct{ name, path, want string }{
		{"not a number", "/target/abc", `bad status "abc"`},
		{"below 200", "/target/199", `bad status "199"`},
		{"above 599", "/target/600", `bad status "600"`},
		{"bad delay", "/target/200?delay=soon", `bad delay "soon"`},
		{"delay without unit", "/target/200?delay=2", `bad delay "2"`},
		{"negative delay", "/target/200?delay=-1s", `bad delay "-1s"`},
		{"delay over the cap", "/target/200?delay=6m", `bad delay "6m"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := post(t, srv.URL+tc.path, "x")
			if resp.StatusCode != 400 || !strings.HasPrefix(body, tc.want) || resp.Header.Get("Content-Type") != "text/plain; charset=utf-8" {
				t.Errorf("got %d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), body)
			}
		})
	}
}

func TestMethodNotAllowed(t *testing.T) {
	srv := serve(t, targets.Options{})
	for _, path := range []string{"/target/200", "/errors"} {
		t.Run(path, func(t *testing.T) {
			resp, err := http.Get(srv.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 405 || resp.Header.Get("Allow") != "POST" {
				t.Errorf("got %d, Allow %q", resp.StatusCode, resp.Header.Get("Allow"))
			}
		})
	}
}

func TestErrorCallback(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv := serve(t, targets.Options{Logger: log})
	resp, body := post(t, srv.URL+"/errors", `{"status":422}`)
	if resp.StatusCode != 200 || body != "error callback received\n" {
		t.Errorf("got %d %q", resp.StatusCode, body)
	}
	if !strings.Contains(logs.String(), "component=targets") || !strings.Contains(logs.String(), "bytes=14") {
		t.Errorf("log %q", logs.String())
	}
}

// A body over MaxBody is not read to the end, yet the asked status comes back.
func TestLargeBody(t *testing.T) {
	srv := serve(t, targets.Options{MaxBody: 1 << 10})
	resp, _ := post(t, srv.URL+"/target/404", strings.Repeat("x", 4<<10))
	if resp.StatusCode != 404 {
		t.Errorf("status %d", resp.StatusCode)
	}
}

// The redirect targets work with Mailhook's own client: the body is re-POSTed
// to /target/200, which decides.
func TestRedirectEndToEnd(t *testing.T) {
	srv := serve(t, targets.Options{})
	c := webhook.New(webhook.Options{})
	defer c.CloseIdleConnections()
	for _, code := range []string{"301", "302", "303", "307", "308"} {
		t.Run(code, func(t *testing.T) {
			res := c.Do(context.Background(), webhook.Request{URL: srv.URL + "/target/" + code, ContentType: "application/json", Body: []byte(`{}`)})
			want := []storage.Hop{{URL: srv.URL + "/target/" + code}, {URL: srv.URL + "/target/200", Status: 200}}
			want[0].Status, _ = strconv.Atoi(code)
			if res.Err != nil || res.Status != 200 || len(res.Hops) != 2 || res.Hops[0] != want[0] || res.Hops[1] != want[1] {
				t.Fatalf("got %d %v %v", res.Status, res.Hops, res.Err)
			}
			if got := webhook.FirstTextLine(res); got != "200 OK: accepted by Mailhook test target" {
				t.Errorf("FirstTextLine %q", got)
			}
		})
	}
	t.Run("404 text becomes the reply line", func(t *testing.T) {
		res := c.Do(context.Background(), webhook.Request{URL: srv.URL + "/target/404"})
		if got := webhook.FirstTextLine(res); res.Status != 404 || got != "404 Not Found: test target rejects this message" {
			t.Errorf("got %d %q", res.Status, got)
		}
	})
}
