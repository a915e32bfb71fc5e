package engine_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mailhook/mailhook/engine"
	"github.com/mailhook/mailhook/storage"
)

// waitForRequests polls a recorder until it has n requests.
func waitForRequests(t *testing.T, r *recorder, n int) []recorded {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for {
		if reqs := r.requests(); len(reqs) >= n {
			return reqs
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %d requests, have %d", n, len(r.requests()))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitForErrorCallback waits until the error callback of a message is stored.
func (h *harness) waitForErrorCallback(id int64) storage.Exchange {
	h.t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for {
		if exs := h.exchangesOf(id, storage.KindErrorCallback); len(exs) > 0 {
			return exs[0]
		}
		if time.Now().After(deadline) {
			h.t.Fatal("error callback not recorded")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestErrorCallbacks: every non-2xx delivery is reported in the format the
// error URL's ending asks for; a 2xx is not.
func TestErrorCallbacks(t *testing.T) {
	hang := make(chan struct{})
	t.Cleanup(func() { close(hang) })
	tests := []struct {
		name         string
		delivery     http.HandlerFunc
		errorPath    string
		wantStatus   int
		wantResponse string // prefix
	}{
		{"422 as JSON", status(422, "bad payload"), "/errors.json", 422, "bad payload"},
		{"422 as form", status(422, "bad payload"), "/errors", 422, "bad payload"},
		{"500 as JSON", status(500, "it broke"), "/errors.json", 500, "it broke"},
		{"500 as form", status(500, "it broke"), "/errors", 500, "it broke"},
		{"timeout as JSON", func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-hang:
			case <-r.Context().Done():
			}
		}, "/errors.json", 0, "timeout"},
		{"timeout as form", func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-hang:
			case <-r.Context().Done():
			}
		}, "/errors", 0, "timeout"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			hook := newRecorder(t, tc.delivery)
			errs := newRecorder(t, status(200, "noted"))
			h := newHarness(t, func(c *engine.Config) {
				c.TargetURL = hook.srv.URL + "/hook"
				c.ErrorURL = errs.srv.URL + tc.errorPath
				c.Timeout = 300 * time.Millisecond
			})
			code, _, _ := h.send(h.dial(), "sender@example.org", []string{"rcpt@example.com", "b@example.com"}, simpleMessage(tc.name))
			if code/100 == 2 {
				t.Fatalf("delivery accepted (%d)", code)
			}
			r := waitForRequests(t, errs, 1)[0]
			var status, to, from, response string
			if strings.HasSuffix(tc.errorPath, ".json") {
				if r.ContentType != "application/json" {
					t.Errorf("Content-Type %q, want application/json", r.ContentType)
				}
				m := decodeJSON(t, r.Body)
				n, isNumber := m["status"].(float64)
				if !isNumber {
					t.Fatalf("status is %T, want a number", m["status"])
				}
				status, to, from, response = itoa(int(n)), m["to"].(string), m["from"].(string), m["response"].(string)
			} else {
				if r.ContentType != "application/x-www-form-urlencoded" {
					t.Errorf("Content-Type %q, want form", r.ContentType)
				}
				got, order := decodeOrderedForm(t, string(r.Body))
				if strings.Join(order, ",") != "status,to,from,response" {
					t.Errorf("form fields %v, want status,to,from,response", order)
				}
				status, to, from, response = got["status"], got["to"], got["from"], got["response"]
			}
			if status != itoa(tc.wantStatus) || to != "rcpt@example.com" || from != "sender@example.org" {
				t.Errorf("status/to/from = %s/%s/%s", status, to, from)
			}
			if !strings.Contains(response, tc.wantResponse) {
				t.Errorf("response %q lacks %q", response, tc.wantResponse)
			}

			m := h.lastMessage()
			ex := h.waitForErrorCallback(m.ID)
			delivery := h.deliveries(m.ID)[0]
			if ex.ParentID != delivery.ID || ex.Status != 200 || string(ex.ResponseBody) != "noted" || !strings.HasPrefix(ex.URL, errs.srv.URL) {
				t.Errorf("stored error callback: parent %d (want %d) status %d body %q url %q", ex.ParentID, delivery.ID, ex.Status, ex.ResponseBody, ex.URL)
			}
		})
	}
}

// TestNoErrorCallbackAfter2xx: an accepted delivery calls nothing else.
func TestNoErrorCallbackAfter2xx(t *testing.T) {
	hook := newRecorder(t, status(200, "ok"))
	errs := newRecorder(t, status(200, "noted"))
	h := newHarness(t, func(c *engine.Config) {
		c.TargetURL = hook.srv.URL + "/hook"
		c.ErrorURL = errs.srv.URL + "/errors"
	})
	if code, _, err := h.send(h.dial(), "s@example.org", []string{"r@example.com"}, simpleMessage("fine")); code != 250 {
		t.Fatal(code, err)
	}
	// A failing message after it proves the error URL works. A callback
	// wrongly sent for the first message would have started earlier and be
	// the first one received.
	hook2 := newRecorder(t, status(404, "gone"))
	h.eng.SetConfig(withTarget(h.eng.Config(), hook2.srv.URL+"/hook", errs.srv.URL+"/errors"))
	if code, _, _ := h.send(h.dial(), "s@example.org", []string{"r@example.com"}, simpleMessage("failing")); code != 554 {
		t.Fatalf("reply %d, want 554", code)
	}
	reqs := waitForRequests(t, errs, 1)
	if len(reqs) != 1 {
		t.Fatalf("%d error callbacks, want 1 (for the failing delivery only)", len(reqs))
	}
	if v, _ := url.ParseQuery(string(reqs[0].Body)); v.Get("status") != "404" {
		t.Errorf("error callback for status %q, want 404", v.Get("status"))
	}
}

func withTarget(c engine.Config, target, errorURL string) engine.Config {
	c.TargetURL, c.ErrorURL = target, errorURL
	return c
}

// TestErrorCallbackDoesNotDelayReply: the SMTP reply is written while the
// error callback is still waiting for its answer.
func TestErrorCallbackDoesNotDelayReply(t *testing.T) {
	release := make(chan struct{})
	hook := newRecorder(t, status(500, "down"))
	errs := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		<-release
		w.WriteHeader(200)
	})
	h := newHarness(t, func(c *engine.Config) {
		c.TargetURL = hook.srv.URL + "/hook"
		c.ErrorURL = errs.srv.URL + "/errors"
		c.Timeout = 2 * time.Second
	})
	code, _, _ := h.send(h.dial(), "s@example.org", []string{"r@example.com"}, simpleMessage("slow errors"))
	if code != 450 {
		t.Fatalf("reply %d, want 450", code)
	}
	// Had the reply waited for the callback, the callback would have timed
	// out (no release yet) and be stored with status 0.
	close(release)
	if ex := h.waitForErrorCallback(h.lastMessage().ID); ex.Status != 200 {
		t.Errorf("error callback status %d (%s), want 200: the reply waited for it", ex.Status, ex.Error)
	}
}
