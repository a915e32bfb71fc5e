// Package api is Mailhook's local JSON API: the history, replay, test fire
// and the live event stream, for scripts and CI. It is the second front end
// of the engine: every handler calls the same engine method the window
// calls, and holds no state of its own.
//
// The API answers loopback clients only (403 otherwise, whatever address
// the listener is bound to) and refuses browser requests from a page that
// is not itself on a loopback origin, so a web page cannot drive it.
//
// Conventions: JSON in and out; errors are {"error": "..."} with a 4xx or
// 5xx status; unknown JSON fields are a 400; ids are positive integers;
// times are RFC 3339 in UTC. The message list pages with a cursor: "next"
// is the before= of the following page, null on the last. Bodies are
// strings when they are valid UTF-8, else base64 with a sibling
// "body_encoding": "base64", in answers and in edit-and-replay alike.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/mailhook/mailhook/engine"
	"github.com/mailhook/mailhook/storage"
)

// Engine is what the API needs of *engine.Engine.
type Engine interface {
	ListMessages(ctx context.Context, q storage.ListQuery) (storage.Page, error)
	Timeline(ctx context.Context, messageID int64) (storage.Timeline, error)
	Exchange(ctx context.Context, id int64) (storage.Exchange, error)
	RawMessage(ctx context.Context, messageID int64) ([]byte, error)
	CurlCommand(ctx context.Context, exchangeID int64) (string, error)
	Replay(ctx context.Context, exchangeID int64, o engine.ReplayOptions) (storage.Exchange, error)
	Fire(ctx context.Context, r engine.FireRequest) (storage.Exchange, error)
	DeleteHistory(ctx context.Context) error
	Subscribe() (<-chan engine.Event, func())
}

var _ Engine = (*engine.Engine)(nil)

// Request body limits.
const (
	maxSmallBody = 1 << 20  // message replay: a few fields
	maxLargeBody = 50 << 20 // fire with an .eml, edit-and-replay with a body (base64 of a 25 MB message fits)
)

// server routes the API; one per New, nothing shared.
type server struct {
	eng  Engine
	log  *slog.Logger
	ping time.Duration // SSE keep-alive comment interval
	mux  *http.ServeMux
}

// New returns the API handler. Mount it at /api/:
//
//	eng.Handle("/api/", api.New(eng, logger))
func New(eng Engine, log *slog.Logger) http.Handler {
	return newServer(eng, log, 15*time.Second)
}

func newServer(eng Engine, log *slog.Logger, ping time.Duration) *server {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &server{eng: eng, log: log.With("component", "api"), ping: ping, mux: http.NewServeMux()}
	s.routes()
	return s
}

// routes registers paths without methods so a wrong method gets a JSON 405
// (the mux's own 405 is plain text).
func (s *server) routes() {
	s.mux.Handle("/api/messages", methods{
		http.MethodGet: s.listMessages, http.MethodDelete: s.deleteHistory})
	s.mux.Handle("/api/messages/{id}", methods{http.MethodGet: s.getMessage})
	s.mux.Handle("/api/messages/{id}/raw", methods{http.MethodGet: s.rawMessage})
	s.mux.Handle("/api/messages/{id}/replay", methods{http.MethodPost: s.replayMessage})
	s.mux.Handle("/api/exchanges/{id}", methods{http.MethodGet: s.getExchange})
	s.mux.Handle("/api/exchanges/{id}/replay", methods{http.MethodPost: s.replayExchange})
	s.mux.Handle("/api/fire", methods{http.MethodPost: s.fire})
	s.mux.Handle("/api/samples", methods{http.MethodGet: s.samples})
	s.mux.Handle("/api/events", methods{http.MethodGet: s.events})
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such endpoint: "+r.URL.Path)
	})
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !isLoopback(r.RemoteAddr) {
		writeError(w, http.StatusForbidden, "the local API answers loopback clients only")
		return
	}
	if !loopbackOrigin(r.Header.Get("Origin")) {
		writeError(w, http.StatusForbidden, "cross-origin requests are refused")
		return
	}
	s.mux.ServeHTTP(w, r)
}

// methods dispatches on the request method; others get 405 with Allow.
type methods map[string]http.HandlerFunc

func (m methods) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h, ok := m[r.Method]; ok {
		h(w, r)
		return
	}
	allow := ""
	for _, name := range []string{http.MethodGet, http.MethodPost, http.MethodDelete} {
		if _, ok := m[name]; ok {
			if allow != "" {
				allow += ", "
			}
			allow += name
		}
	}
	w.Header().Set("Allow", allow)
	writeError(w, http.StatusMethodNotAllowed, "method "+r.Method+" not allowed (allowed: "+allow+")")
}
