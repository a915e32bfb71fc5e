package api_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestEvents(t *testing.T) {
	e := newEnv(t, ok(200, "ok"), nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", e.api.URL+"/api/events", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || ct != "text/event-stream" {
		t.Fatalf("GET /api/events = %d %q", resp.StatusCode, ct)
	}

	// Headers arrive once subscribed: the delivery below is seen.
	sent := make(chan error, 1)
	go func() { sent <- e.send("sender@example.org", []string{"rcpt@example.com"}, mail("watched")) }()

	type event struct {
		Kind     string `json:"kind"`
		Message  int64  `json:"message"`
		Exchange int64  `json:"exchange"`
		Status   int    `json:"status"`
		Subject  string `json:"subject"`
	}
	deadline := time.AfterFunc(5*time.Second, cancel)
	defer deadline.Stop()
	sc := bufio.NewScanner(resp.Body)
	var name string
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			var ev event
			if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &ev); err != nil {
				t.Fatalf("data %q: %v", line, err)
			}
			if ev.Kind != name {
				t.Errorf("event: %s carries kind %q", name, ev.Kind)
			}
			if name == "delivery_attempted" {
				if ev.Message <= 0 || ev.Exchange <= 0 || ev.Status != 200 || ev.Subject != "watched" {
					t.Errorf("delivery event = %+v", ev)
				}
				if err := <-sent; err != nil {
					t.Errorf("send: %v", err)
				}
				return
			}
		}
	}
	t.Fatalf("no delivery_attempted event within the wait: %v", sc.Err())
}

func TestEventsMethod(t *testing.T) {
	e := newEnv(t, ok(200, "ok"), nil)
	e.call("POST", "/api/events", nil, http.StatusMethodNotAllowed, &apiError{})
}
