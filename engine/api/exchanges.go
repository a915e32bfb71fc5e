package api

import (
	"encoding/base64"
	"fmt"
	"net/http"

	"github.com/mailhook/mailhook/engine"
	"github.com/mailhook/mailhook/storage"
)

// getExchange: GET /api/exchanges/{id}, one exchange in the timeline shape
// (handy after an event names it).
func (s *server) getExchange(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	e, err := s.exchangeEntry(r, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, e)
}

// exchangeReplayJSON edits a copy of the request: every field optional.
// Body is text, or base64 with "body_encoding": "base64" (the shape the
// timeline gives, so a script can send back what it read).
type exchangeReplayJSON struct {
	URL          string           `json:"url"`
	Format       string           `json:"format"`
	Headers      []storage.Header `json:"headers"` // null or absent: the original's
	Body         *string          `json:"body"`    // null or absent: the original's
	BodyEncoding string           `json:"body_encoding"`
}

// replayExchange: POST /api/exchanges/{id}/replay (edit and replay).
func (s *server) replayExchange(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	var req exchangeReplayJSON
	if !decodeBody(w, r, maxLargeBody, &req) {
		return
	}
	o := engine.ReplayOptions{URL: req.URL, Format: req.Format, Headers: req.Headers}
	if req.Body != nil {
		switch req.BodyEncoding {
		case "":
			o.Body = []byte(*req.Body)
		case "base64":
			b, err := base64.StdEncoding.DecodeString(*req.Body)
			if err != nil {
				writeError(w, http.StatusBadRequest, "body: bad base64: "+err.Error())
				return
			}
			o.Body = b
		default:
			writeError(w, http.StatusBadRequest, fmt.Sprintf("body_encoding %q: want base64 or nothing", req.BodyEncoding))
			return
		}
	} else if req.BodyEncoding != "" {
		writeError(w, http.StatusBadRequest, "body_encoding without a body")
		return
	}
	for _, h := range o.Headers {
		if h.Name == "" {
			writeError(w, http.StatusBadRequest, "headers: every header needs a name")
			return
		}
	}
	s.replay(w, r, id, o)
}

// replay runs the engine's Replay and answers with the new exchange.
func (s *server) replay(w http.ResponseWriter, r *http.Request, id int64, o engine.ReplayOptions) {
	if o.URL != "" {
		if err := engine.ValidateURL(o.URL); err != nil {
			writeError(w, http.StatusBadRequest, "url: "+err.Error())
			return
		}
	}
	x, err := s.eng.Replay(r.Context(), id, o)
	if err != nil {
		s.commandFailed(w, r, err)
		return
	}
	s.answerExchange(w, r, x)
}

// answerExchange writes a fresh exchange (replay, fire).
func (s *server) answerExchange(w http.ResponseWriter, r *http.Request, x storage.Exchange) {
	e, err := s.entry(r, x)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, e)
}
