package api_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// delivered sends one accepted message and returns it with its delivery.
func (e *env) delivered(subject string) (msgID int64, delivery entry) {
	e.t.Helper()
	e.mustSend(subject)
	var l list
	e.call("GET", "/api/messages?limit=1", nil, 200, &l)
	msgID = l.Messages[0].ID
	var d detail
	e.call("GET", fmt.Sprintf("/api/messages/%d", msgID), nil, 200, &d)
	i := slices.IndexFunc(d.Timeline, func(en entry) bool { return en.Kind == "delivery" })
	if i < 0 {
		e.t.Fatalf("no delivery on the timeline of %d", msgID)
	}
	return msgID, d.Timeline[i]
}

func TestReplayMessage(t *testing.T) {
	e := newEnv(t, ok(200, "ok"), nil)
	other := newRecorder(t, ok(202, "elsewhere"))
	msgID, orig := e.delivered("replay me")
	path := fmt.Sprintf("/api/messages/%d/replay", msgID)

	t.Run("last delivery by default", func(t *testing.T) {
		var got entry
		e.call("POST", path, nil, 200, &got)
		if got.Kind != "replay" || got.ReplayOf == nil || *got.ReplayOf != orig.ID || got.ID == orig.ID ||
			got.Status != 200 || got.Outcome != "accepted" || got.Message == nil || *got.Message != msgID ||
			!strings.HasPrefix(got.Curl, "curl") {
			t.Errorf("replay = %+v", got)
		}
		reqs := e.hook.requests()
		if len(reqs) != 2 || !bytes.Equal(reqs[0].Body, reqs[1].Body) {
			t.Fatalf("the webhook got %d requests; bodies equal: %v", len(reqs), len(reqs) == 2 && bytes.Equal(reqs[0].Body, reqs[1].Body))
		}
		if got.Request.Body != orig.Request.Body {
			t.Error("the recorded replay body differs from the original")
		}
		// The replay is on the message's timeline, linked to the original.
		var d detail
		e.call("GET", fmt.Sprintf("/api/messages/%d", msgID), nil, 200, &d)
		if !slices.ContainsFunc(d.Timeline, func(en entry) bool { return en.ID == got.ID && en.Kind == "replay" }) {
			t.Error("the replay is not on the timeline")
		}
	})
	t.Run("explicit exchange, other url and format", func(t *testing.T) {
		var got entry
		e.call("POST", path, map[string]any{"exchange": orig.ID, "url": other.srv.URL + "/x", "format": "raw"}, 200, &got)
		if *got.ReplayOf != orig.ID || got.Status != 202 || !strings.HasSuffix(got.URL, "/x") {
			t.Errorf("replay = %+v", got)
		}
		r := other.last(t)
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "multipart/form-data") ||
			!bytes.Contains(r.Body, []byte("Subject: replay me")) {
			t.Errorf("raw replay arrived as %q: %.200s", ct, r.Body)
		}
	})
	for _, tc := range []struct {
		name, path string
		body       any
		want       int
	}{
		{"unknown message", "/api/messages/999999/replay", nil, 404},
		{"bad message id", "/api/messages/abc/replay", nil, 400},
		{"exchange of no such message", path, map[string]any{"exchange": 999999}, 404},
		{"negative exchange", path, map[string]any{"exchange": -1}, 400},
		{"bad JSON", path, "{", 400},
		{"unknown field", path, `{"exchnge": 1}`, 400},
		{"bad url", path, map[string]any{"url": "ftp://example.com"}, 400},
		{"bad format", path, map[string]any{"format": "yaml"}, 400},
		{"body too large", path, `{"url": "` + strings.Repeat("x", 2<<20) + `"}`, 413},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var ae apiError
			e.call("POST", tc.path, tc.body, tc.want, &ae)
			if ae.Error == "" {
				t.Error("no error text")
			}
		})
	}
}

func TestReplayExchange(t *testing.T) {
	e := newEnv(t, ok(200, "ok"), nil)
	_, orig := e.delivered("edit me")
	path := fmt.Sprintf("/api/exchanges/%d/replay", orig.ID)

	t.Run("edited body and headers arrive", func(t *testing.T) {
		var got entry
		e.call("POST", path, map[string]any{
			"body":    `{"edited":true}`,
			"headers": []map[string]string{{"name": "Content-Type", "value": "application/json"}, {"name": "X-Edited", "value": "yes"}},
		}, 200, &got)
		r := e.hook.last(t)
		if string(r.Body) != `{"edited":true}` || r.Header.Get("X-Edited") != "yes" {
			t.Errorf("the webhook got %q with X-Edited %q", r.Body, r.Header.Get("X-Edited"))
		}
		if got.Kind != "replay" || *got.ReplayOf != orig.ID || got.Request.Body != `{"edited":true}` {
			t.Errorf("replay = %+v", got)
		}
	})
	t.Run("base64 body", func(t *testing.T) {
		bin := []byte{0, 1, 2, 0xff}
		var got entry
		e.call("POST", path, map[string]any{"body": base64.StdEncoding.EncodeToString(bin), "body_encoding": "base64"}, 200, &got)
		if r := e.hook.last(t); !bytes.Equal(r.Body, bin) {
			t.Errorf("the webhook got %q, want %q", r.Body, bin)
		}
		if got.Request.BodyEncoding != "base64" {
			t.Errorf("recorded body encoding %q", got.Request.BodyEncoding)
		}
	})
	t.Run("original unchanged", func(t *testing.T) {
		var now entry
		e.call("GET", fmt.Sprintf("/api/exchanges/%d", orig.ID), nil, 200, &now)
		if now.Request.Body != orig.Request.Body || now.Kind != "delivery" || now.Status != orig.Status ||
			len(now.Request.Headers) != len(orig.Request.Headers) {
			t.Errorf("original changed: %+v", now)
		}
	})
	t.Run("replay of a replay", func(t *testing.T) {
		var first, second entry
		e.call("POST", path, nil, 200, &first)
		e.call("POST", fmt.Sprintf("/api/exchanges/%d/replay", first.ID), nil, 200, &second)
		if *second.ReplayOf != first.ID || second.Request.Body != orig.Request.Body {
			t.Errorf("second replay = %+v", second)
		}
	})
	for _, tc := range []struct {
		name, path string
		body       any
		want       int
	}{
		{"unknown exchange", "/api/exchanges/999999/replay", nil, 404},
		{"zero id", "/api/exchanges/0/replay", nil, 400},
		{"bad base64", path, map[string]any{"body": "%%%", "body_encoding": "base64"}, 400},
		{"unknown encoding", path, map[string]any{"body": "x", "body_encoding": "hex"}, 400},
		{"encoding without body", path, map[string]any{"body_encoding": "base64"}, 400},
		{"header without name", path, map[string]any{"headers": []map[string]string{{"value": "x"}}}, 400},
		{"headers not a list", path, `{"headers": {"a": "b"}}`, 400},
		{"trailing data", path, `{} {}`, 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e.call("POST", tc.path, tc.body, tc.want, &apiError{})
		})
	}
}

func TestGetExchange(t *testing.T) {
	e := newEnv(t, ok(200, "ok"), nil)
	msgID, orig := e.delivered("one exchange")
	var got entry
	e.call("GET", fmt.Sprintf("/api/exchanges/%d", orig.ID), nil, 200, &got)
	if got.ID != orig.ID || got.Kind != "delivery" || *got.Message != msgID || got.Curl == "" {
		t.Errorf("exchange = %+v", got)
	}
	e.call("GET", "/api/exchanges/999999", nil, 404, &apiError{})
	e.call("GET", "/api/exchanges/x", nil, 400, &apiError{})
}
