package export_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mailhook/mailhook/engine/export"
	"github.com/mailhook/mailhook/engine/webhook"
	"github.com/mailhook/mailhook/storage"
)

// seen is one request as the server received it.
type seen struct {
	Method, Path, RawQuery string
	Header                 http.Header
	Body                   []byte
}

type server struct {
	mu   sync.Mutex
	reqs []seen
	srv  *httptest.Server
}

func newServer(t *testing.T) *server {
	s := &server{}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.reqs = append(s.reqs, seen{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Clone(), body})
		s.mu.Unlock()
		w.Write([]byte("ok"))
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *server) last(t *testing.T) seen {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.reqs) == 0 {
		t.Fatal("no request arrived")
	}
	return s.reqs[len(s.reqs)-1]
}

// needTools skips when the shell tools the command relies on are missing.
func needTools(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"bash", "curl", "base64"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed: %v", tool, err)
		}
	}
}

// runCurl runs the command the way a user pasting it would: in bash, with
// bash -c, or from a script file when it is longer than one argument of a
// program may be on Linux (128 KiB).
func runCurl(t *testing.T, cmd string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	script := "set -o pipefail\n" + cmd + " -sS -o /dev/null\n"
	args := []string{"-c", script}
	if len(script) > 100_000 {
		file := filepath.Join(t.TempDir(), "curl.sh")
		if err := os.WriteFile(file, []byte(script), 0o600); err != nil {
			t.Fatal(err)
		}
		args = []string{file}
	}
	out, err := exec.CommandContext(ctx, "bash", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("bash: %v\n%s\ncommand:\n%s", err, out, clip(cmd))
	}
}

func clip(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "…"
	}
	return s
}

// TestCurlReproducesRequest sends a request with the webhook client, turns
// what it recorded into a curl command, runs it, and compares what the
// server received both times: method, path, query, every header, body.
func TestCurlReproducesRequest(t *testing.T) {
	needTools(t)
	binary := make([]byte, 300)
	for i := range binary {
		binary[i] = byte(i * 7)
	}
	multipartBody := "------cloudmailinboundry\r\nContent-Disposition: form-data; name=\"plain\"\r\n\r\nHi 'you'\r\n------cloudmailinboundry--\r\n"
	tests := []struct {
		name string
		path string // appended to the server URL (may carry user info marker)
		req  webhook.Request
	}{
		{"json text with quotes and unicode", "/hook", webhook.Request{ContentType: "application/json",
			Body: []byte(`{"plain":"it's \"quoted\"\nnext line with $HOME and ` + "`cmd`" + ` and ünïcødé ✓","html":null}`)}},
		{"multipart as base64", "/hook", webhook.Request{ContentType: "multipart/form-data; boundary=----cloudmailinboundry",
			Body: []byte(multipartBody)}},
		{"binary body", "/bin", webhook.Request{ContentType: "application/octet-stream", Body: binary}},
		{"body starting with @", "/at", webhook.Request{ContentType: "text/plain", Body: []byte("@/etc/passwd is not a file here")}},
		{"form with brackets in the query", "/auth?list[0]=a&q={x}", webhook.Request{ContentType: "application/x-www-form-urlencoded",
			Body: []byte("to=a%40b.c&spf[result]=none")}},
		{"credentials in the URL", "CREDS/secure", webhook.Request{ContentType: "application/json", Body: []byte(`{}`)}},
		{"edited headers, one empty", "/edited", webhook.Request{ContentType: "text/plain", Body: []byte("x"),
			Header: []storage.Header{{Name: "X-Edited", Value: "it's me"}, {Name: "X-Empty", Value: ""}, {Name: "User-Agent", Value: "mine/1.0"}}}},
		{"no content type", "/bare", webhook.Request{Body: []byte("raw words")}},
		{"empty post", "/empty", webhook.Request{}},
		{"put", "/put", webhook.Request{Method: http.MethodPut, ContentType: "text/plain", Body: []byte("put me")}},
		{"get", "/get?x=1", webhook.Request{Method: http.MethodGet}},
		{"large text piped", "/large", webhook.Request{ContentType: "application/json",
			Body: []byte(`{"plain":"` + strings.Repeat("a'b ", 20_000) + `"}`)}},
	}
	srv := newServer(t)
	client := webhook.New(webhook.Options{Timeout: 5 * time.Second})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			url := srv.srv.URL + tc.path
			if strings.HasPrefix(tc.path, "CREDS") {
				url = strings.Replace(srv.srv.URL, "http://", "http://us%40er:p'a%3Ass@", 1) + strings.TrimPrefix(tc.path, "CREDS")
			}
			req := tc.req
			req.URL = url
			res := client.Do(context.Background(), req)
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			orig := srv.last(t)
			ex := storage.Exchange{Method: res.Method, URL: res.URL, RequestHeaders: res.RequestHeaders, RequestBody: res.RequestBody}

			cmd := export.Curl(ex, url)
			runCurl(t, cmd)
			got := srv.last(t)
			if got.Method != orig.Method || got.Path != orig.Path || got.RawQuery != orig.RawQuery {
				t.Errorf("curl sent %s %s?%s, original %s %s?%s", got.Method, got.Path, got.RawQuery, orig.Method, orig.Path, orig.RawQuery)
			}
			if !reflect.DeepEqual(got.Header, orig.Header) {
				t.Errorf("curl headers:\n%v\noriginal:\n%v\ncommand:\n%s", got.Header, orig.Header, clip(cmd))
			}
			if !bytes.Equal(got.Body, orig.Body) {
				t.Errorf("curl body (%d bytes) differs from the original (%d bytes)\ncommand:\n%s", len(got.Body), len(orig.Body), clip(cmd))
			}
		})
	}
}

func TestCurlShape(t *testing.T) {
	ex := storage.Exchange{
		Method: "POST", URL: "http://****:****@127.0.0.1:1/hook",
		RequestHeaders: []storage.Header{
			{Name: "Authorization", Value: "Basic ****"}, {Name: "Content-Length", Value: "2"},
			{Name: "Content-Type", Value: "application/json"}, {Name: "User-Agent", Value: "CloudMailin Server"},
		},
		RequestBody: []byte("{}"),
	}
	want := "curl 'http://u:p@127.0.0.1:1/hook' \\\n" +
		"  -H 'Content-Type: application/json' \\\n" +
		"  -H 'User-Agent: CloudMailin Server' \\\n" +
		"  -H 'Accept:' \\\n" +
		"  -H 'Expect:' \\\n" +
		"  --data-binary '{}'"
	if got := export.Curl(ex, "http://u:p@127.0.0.1:1/hook"); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if got := export.Curl(ex, ""); !strings.HasPrefix(got, "curl 'http://****:****@127.0.0.1:1/hook'") {
		t.Errorf("without a URL the stored one is used: %s", got)
	}
}
