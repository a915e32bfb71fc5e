package engine_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/mailhook/mailhook/engine"
	"github.com/mailhook/mailhook/storage"
)

// wire is a webhook that keeps every request whole, every header included,
// and answers with a handler that a test can change between requests.
type wire struct {
	mu     sync.Mutex
	reqs   []wireReq
	answer http.HandlerFunc
	srv    *httptest.Server
}

type wireReq struct {
	Method, Path, RawQuery, Host string
	Header                       http.Header
	Body                         []byte
}

func newWire(t *testing.T, answer http.HandlerFunc) *wire {
	w := &wire{answer: answer}
	w.srv = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.mu.Lock()
		w.reqs = append(w.reqs, wireReq{r.Method, r.URL.Path, r.URL.RawQuery, r.Host, r.Header.Clone(), body})
		answer := w.answer
		w.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		answer(rw, r)
	}))
	t.Cleanup(w.srv.Close)
	return w
}

func (w *wire) setAnswer(h http.HandlerFunc) {
	w.mu.Lock()
	w.answer = h
	w.mu.Unlock()
}

func (w *wire) requests() []wireReq {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]wireReq(nil), w.reqs...)
}

// last is the latest request; the test fails when there is none.
func (w *wire) last(t *testing.T) wireReq {
	t.Helper()
	reqs := w.requests()
	if len(reqs) == 0 {
		t.Fatal("the webhook received nothing")
	}
	return reqs[len(reqs)-1]
}

// deliver sends one message over SMTP and returns its transaction and the
// delivery exchange stored for it.
func (h *harness) deliver(msg []byte, to ...string) (storage.MessageSummary, storage.Exchange) {
	h.t.Helper()
	if len(to) == 0 {
		to = []string{"rcpt@example.com"}
	}
	c := h.dial()
	if _, _, err := h.send(c, "sender@example.org", to, msg); err != nil && smtpCode(err) == 0 {
		h.t.Fatal(err)
	}
	m := h.lastMessage()
	exs := h.deliveries(m.ID)
	if len(exs) != 1 {
		h.t.Fatalf("%d deliveries stored, want 1", len(exs))
	}
	return m, exs[0]
}

// nextEvent waits for the next event of a kind.
func nextEvent(t *testing.T, events <-chan engine.Event, kind engine.EventKind) engine.Event {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case ev, ok := <-events:
			if !ok {
				t.Fatalf("event stream closed waiting for %s", kind)
			}
			if ev.Kind == kind {
				return ev
			}
		case <-timeout:
			t.Fatalf("no %s event", kind)
		}
	}
}
