package api

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/mailhook/mailhook/engine"
	"github.com/mailhook/mailhook/storage"
)

// Page sizes: storage clamps too; the API states it.
const (
	defaultLimit = 50
	maxLimit     = 500
)

type listJSON struct {
	Messages []messageJSON `json:"messages"`
	Next     *int64        `json:"next"` // the before= of the next page; null on the last page
}

// listMessages: GET /api/messages?limit=N&before=CURSOR&q=TEXT&outcome=O.
func (s *server) listMessages(w http.ResponseWriter, r *http.Request) {
	q := storage.ListQuery{Text: r.URL.Query().Get("q")}
	limit, err := queryInt(r, "limit", defaultLimit)
	if err != nil || limit < 1 {
		writeError(w, http.StatusBadRequest, "limit: want a positive integer (at most "+strconv.Itoa(maxLimit)+" are returned)")
		return
	}
	q.Limit = int(min(limit, maxLimit))
	if q.Before, err = queryInt(r, "before", 0); err != nil || q.Before < 0 {
		writeError(w, http.StatusBadRequest, "before: want the next cursor of a previous page")
		return
	}
	switch o := r.URL.Query().Get("outcome"); o {
	case "", storage.OutcomeAccepted, storage.OutcomeRejected, storage.OutcomeDelayed:
		q.Outcome = o
	default:
		writeError(w, http.StatusBadRequest, fmt.Sprintf("outcome %q: want accepted, rejected or delayed", o))
		return
	}
	page, err := s.eng.ListMessages(r.Context(), q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := listJSON{Messages: make([]messageJSON, 0, len(page.Messages)), Next: optional(page.Next)}
	for _, m := range page.Messages {
		out.Messages = append(out.Messages, toMessage(m))
	}
	writeJSON(w, http.StatusOK, out)
}

// queryInt reads an integer query parameter; absent or empty gives def.
func queryInt(r *http.Request, name string, def int64) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	return strconv.ParseInt(v, 10, 64)
}

type detailJSON struct {
	messageJSON
	Timeline []entryJSON `json:"timeline"`
}

// getMessage: GET /api/messages/{id}. The timeline is the window's: the
// transaction, its redeliveries (same Message-ID header), their SMTP
// commands and every HTTP exchange with full bodies, oldest first.
func (s *server) getMessage(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	tl, err := s.eng.Timeline(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	i := slices.IndexFunc(tl.Messages, func(m storage.MessageSummary) bool { return m.ID == id })
	if i < 0 { // cannot happen: the timeline of id holds id
		s.fail(w, r, fmt.Errorf("message %d: %w", id, storage.ErrNotFound))
		return
	}
	out := detailJSON{messageJSON: toMessage(tl.Messages[i])}
	out.Timeline = make([]entryJSON, 0, len(tl.Events)+len(tl.Exchanges))
	for _, ev := range tl.Events {
		out.Timeline = append(out.Timeline, toSMTPEntry(ev))
	}
	for _, sum := range tl.Exchanges {
		e, err := s.exchangeEntry(r, sum.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		out.Timeline = append(out.Timeline, e)
	}
	// Stable: at equal times SMTP commands stay before the exchanges they caused.
	slices.SortStableFunc(out.Timeline, func(a, b entryJSON) int { return a.At.Compare(b.At) })
	writeJSON(w, http.StatusOK, out)
}

// exchangeEntry loads one exchange with its bodies and curl command.
func (s *server) exchangeEntry(r *http.Request, id int64) (entryJSON, error) {
	x, err := s.eng.Exchange(r.Context(), id)
	if err != nil {
		return entryJSON{}, err
	}
	return s.entry(r, x)
}

func (s *server) entry(r *http.Request, x storage.Exchange) (entryJSON, error) {
	curl, err := s.eng.CurlCommand(r.Context(), x.ID)
	if err != nil {
		return entryJSON{}, fmt.Errorf("curl command of exchange %d: %w", x.ID, err)
	}
	return toExchangeEntry(x, curl), nil
}

// rawMessage: GET /api/messages/{id}/raw, the .eml exactly as received.
func (s *server) rawMessage(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	raw, err := s.eng.RawMessage(r.Context(), id)
	if errors.Is(err, storage.ErrNotFound) {
		writeError(w, http.StatusNotFound, fmt.Sprintf("message %d not found, or no data arrived for it", id))
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "message/rfc822")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="message-%d.eml"`, id))
	w.Header().Set("Content-Length", strconv.Itoa(len(raw)))
	w.Write(raw) //nolint:errcheck // the client may be gone
}

// deleteHistory: DELETE /api/messages clears all history.
func (s *server) deleteHistory(w http.ResponseWriter, r *http.Request) {
	if err := s.eng.DeleteHistory(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type messageReplayJSON struct {
	Exchange int64  `json:"exchange"` // 0: the message's last delivery
	URL      string `json:"url"`
	Format   string `json:"format"`
}

// replayMessage: POST /api/messages/{id}/replay replays one exchange of
// the message's timeline, by default its last delivery.
func (s *server) replayMessage(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	var req messageReplayJSON
	if !decodeBody(w, r, maxSmallBody, &req) {
		return
	}
	if req.Exchange < 0 {
		writeError(w, http.StatusBadRequest, "exchange: want a positive id")
		return
	}
	tl, err := s.eng.Timeline(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	target := req.Exchange
	if target == 0 {
		for _, x := range tl.Exchanges {
			if x.Kind == storage.KindDelivery && x.MessageID == id {
				target = x.ID // oldest first: the last one wins
			}
		}
		if target == 0 {
			writeError(w, http.StatusConflict, fmt.Sprintf("message %d has no delivery to replay", id))
			return
		}
	} else if !slices.ContainsFunc(tl.Exchanges, func(x storage.ExchangeSummary) bool { return x.ID == target }) {
		writeError(w, http.StatusNotFound, fmt.Sprintf("exchange %d is not on the timeline of message %d", target, id))
		return
	}
	s.replay(w, r, target, engine.ReplayOptions{URL: req.URL, Format: req.Format})
}
