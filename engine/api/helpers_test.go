package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/smtp"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mailhook/mailhook/engine"
	"github.com/mailhook/mailhook/engine/api"
	"github.com/mailhook/mailhook/storage"
)

// env is a real engine on loopback ports with a temp-file store, a webhook
// that records what it gets, and the API on an httptest server.
type env struct {
	t    *testing.T
	eng  *engine.Engine
	hook *recorder
	api  *httptest.Server
}

// newEnv starts an engine whose target is a recorder answering with
// answer; mutate adjusts the config before Start.
func newEnv(t *testing.T, answer http.HandlerFunc, mutate func(*engine.Config, *recorder)) *env {
	t.Helper()
	dir := t.TempDir()
	store, err := storage.Open(filepath.Join(dir, "mailhook.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	hook := newRecorder(t, answer)
	cfg := engine.DefaultConfig()
	cfg.SMTPAddr, cfg.HTTPAddr = "127.0.0.1:0", "127.0.0.1:0"
	cfg.Timeout = 5 * time.Second
	cfg.TargetURL = hook.srv.URL + "/hook"
	cfg.SPFResult = "none" // no DNS in tests
	if mutate != nil {
		mutate(&cfg, hook)
	}
	logger := slog.New(slog.DiscardHandler)
	if testing.Verbose() {
		logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	eng, err := engine.New(engine.Params{Store: store, Logger: logger, SettingsDir: dir}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	eng.Handle("/api/", api.New(eng, logger)) // as the lead mounts it
	if err := eng.Start(); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.New(eng, logger))
	// Cleanups run last-in first-out: the API server closes before the engine.
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		eng.Shutdown(ctx)
	})
	t.Cleanup(srv.Close)
	return &env{t: t, eng: eng, hook: hook, api: srv}
}

func ok(code int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(code)
		io.WriteString(w, body)
	}
}

// mail builds a small message with CRLF line endings.
func mail(subject string) []byte {
	id := strings.ReplaceAll(subject, " ", "-")
	return []byte("From: Sender <sender@example.org>\r\nTo: rcpt@example.com\r\n" +
		"Message-ID: <" + id + "@example.org>\r\nSubject: " + subject + "\r\n\r\nHello.\r\n.dot line\r\n")
}

// send delivers msg over SMTP with net/smtp and returns its error (a 4xx or
// 5xx reply is an error).
func (e *env) send(from string, to []string, msg []byte) error {
	e.t.Helper()
	return smtp.SendMail(e.eng.SMTPAddr(), nil, from, to, msg)
}

// mustSend delivers a message that the webhook accepts.
func (e *env) mustSend(subject string) {
	e.t.Helper()
	if err := e.send("sender@example.org", []string{"rcpt@example.com"}, mail(subject)); err != nil {
		e.t.Fatalf("send %q: %v", subject, err)
	}
}

// do sends a request to the API and returns the status and body.
func (e *env) do(method, path string, body any) (int, []byte) {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, e.api.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp.StatusCode, b
}

// call is do that expects want and decodes the JSON answer into out.
func (e *env) call(method, path string, body any, want int, out any) {
	e.t.Helper()
	code, b := e.do(method, path, body)
	if code != want {
		e.t.Fatalf("%s %s = %d %s, want %d", method, path, code, b, want)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			e.t.Fatalf("%s %s: decode %s: %v", method, path, b, err)
		}
	}
}

// The API's shapes as a client reads them.
type (
	message struct {
		ID         int64     `json:"id"`
		MessageID  string    `json:"message_id"`
		Subject    string    `json:"subject"`
		From       string    `json:"from"`
		Recipients []string  `json:"recipients"`
		ReceivedAt time.Time `json:"received_at"`
		Outcome    string    `json:"outcome"`
		Status     int       `json:"status"`
	}
	list struct {
		Messages []message `json:"messages"`
		Next     *int64    `json:"next"`
	}
	detail struct {
		message
		Timeline []entry `json:"timeline"`
	}
	entry struct {
		ID         int64     `json:"id"`
		Kind       string    `json:"kind"`
		At         time.Time `json:"at"`
		DurationMS int64     `json:"duration_ms"`
		URL        string    `json:"url"`
		Status     int       `json:"status"`
		Outcome    string    `json:"outcome"`
		SMTPReply  string    `json:"smtp_reply"`
		ReplayOf   *int64    `json:"replay_of"`
		Message    *int64    `json:"message"`
		Format     string    `json:"format"`
		Request    struct {
			Method       string           `json:"method"`
			Headers      []storage.Header `json:"headers"`
			Body         string           `json:"body"`
			BodyEncoding string           `json:"body_encoding"`
		} `json:"request"`
		Response struct {
			Headers      []storage.Header `json:"headers"`
			Body         string           `json:"body"`
			BodyEncoding string           `json:"body_encoding"`
			Truncated    bool             `json:"truncated"`
		} `json:"response"`
		Curl string `json:"curl"`
	}
	apiError struct {
		Error string `json:"error"`
	}
)

func header(hs []storage.Header, name string) string {
	for _, h := range hs {
		if strings.EqualFold(h.Name, name) {
			return h.Value
		}
	}
	return ""
}

// recorder is a webhook that keeps what it received.
type recorder struct {
	mu   sync.Mutex
	reqs []recorded
	srv  *httptest.Server
}

type recorded struct {
	Path   string
	Header http.Header
	Body   []byte
}

func newRecorder(t *testing.T, answer http.HandlerFunc) *recorder {
	r := &recorder{}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.reqs = append(r.reqs, recorded{req.URL.Path, req.Header.Clone(), body})
		r.mu.Unlock()
		answer(w, req)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *recorder) requests() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recorded(nil), r.reqs...)
}

func (r *recorder) last(t *testing.T) recorded {
	t.Helper()
	reqs := r.requests()
	if len(reqs) == 0 {
		t.Fatal("the webhook received nothing")
	}
	return reqs[len(reqs)-1]
}
