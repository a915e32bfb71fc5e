// Package targets serves Mailhook's built-in webhook endpoints, the local
// twins of CloudMailin's /target/200, /target/404...: a newcomer points the
// delivery at one of them and sees a full timeline (accepted, rejected,
// delayed, redirected) before writing any webhook code.
//
//	POST /target/{status}[?delay=2s]  answers status (200..599) with a
//	                                  text/plain line; 3xx redirect to /target/200
//	POST /errors                      accepts error callbacks with 200
//
// Other methods on those paths get 405 with Allow: POST (ServeMux does it).
package targets

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"
)

// DefaultMaxBody is read (and thrown away) of a request body: above a 25 MB
// message once base64 and JSON have grown it.
const DefaultMaxBody = 30 << 20

// MaxDelay caps ?delay= so a typo cannot park a connection for hours.
const MaxDelay = 5 * time.Minute

// Options configures Handler. Zero fields take defaults.
type Options struct {
	Logger  *slog.Logger // nil: discard
	MaxBody int64        // default DefaultMaxBody
}

type targets struct {
	log     *slog.Logger
	maxBody int64
}

// Handler returns the targets' routes, ready to be mounted at the root.
func Handler(o Options) http.Handler {
	t := &targets{log: o.Logger, maxBody: o.MaxBody}
	if t.log == nil {
		t.log = slog.New(slog.DiscardHandler)
	}
	t.log = t.log.With("component", "targets")
	if t.maxBody <= 0 {
		t.maxBody = DefaultMaxBody
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /target/{status}", t.target)
	mux.HandleFunc("POST /errors", t.errorCallback)
	return mux
}

func (t *targets) target(w http.ResponseWriter, r *http.Request) {
	status, err := strconv.Atoi(r.PathValue("status"))
	if err != nil || status < 200 || status > 599 {
		t.fail(w, r, fmt.Sprintf("bad status %q: want a number from 200 to 599", r.PathValue("status")))
		return
	}
	var delay time.Duration
	if d := r.URL.Query().Get("delay"); d != "" {
		delay, err = time.ParseDuration(d)
		if err != nil || delay < 0 || delay > MaxDelay {
			t.fail(w, r, fmt.Sprintf("bad delay %q: want a duration such as 500ms or 2s, at most %s", d, MaxDelay))
			return
		}
	}
	n := t.drain(r)
	if delay > 0 {
		timer := time.NewTimer(delay)
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-r.Context().Done():
			t.log.Debug("caller gave up during delay", "path", r.URL.Path, "delay", delay, "bytes", n)
			return
		}
	}
	if status/100 == 3 {
		w.Header().Set("Location", "/target/200")
	}
	t.reply(w, status, statusLine(status))
	t.log.Debug("target called", "path", r.URL.Path, "status", status, "delay", delay,
		"bytes", n, "content_type", r.Header.Get("Content-Type"), "remote", r.RemoteAddr)
}

func (t *targets) errorCallback(w http.ResponseWriter, r *http.Request) {
	n := t.drain(r)
	t.reply(w, http.StatusOK, "error callback received")
	t.log.Debug("error callback received", "bytes", n,
		"content_type", r.Header.Get("Content-Type"), "remote", r.RemoteAddr)
}

// statusLine is the body's first line; for a 4xx it becomes the SMTP reply text.
func statusLine(status int) string {
	text := http.StatusText(status)
	if text == "" {
		text = "Status"
	}
	var what string
	switch status / 100 {
	case 2:
		what = "accepted by Mailhook test target"
	case 3:
		what = "test target redirects to /target/200"
	case 4:
		what = "test target rejects this message"
	default:
		what = "test target failed, try again later"
	}
	return fmt.Sprintf("%d %s: %s", status, text, what)
}

// drain reads the body up to maxBody, the way a real webhook would before
// answering. A larger body is left unread: the server then closes the
// connection after the answer, and the status is still the one asked for.
func (t *targets) drain(r *http.Request) int64 {
	n, _ := io.Copy(io.Discard, io.LimitReader(r.Body, t.maxBody))
	return n
}

func (t *targets) fail(w http.ResponseWriter, r *http.Request, msg string) {
	t.drain(r)
	t.reply(w, http.StatusBadRequest, msg)
	t.log.Debug("bad target request", "path", r.URL.Path, "query", r.URL.RawQuery, "error", msg)
}

func (t *targets) reply(w http.ResponseWriter, status int, line string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	if status != http.StatusNoContent && status != http.StatusNotModified {
		io.WriteString(w, line+"\n")
	}
}
