package api

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mailhook/mailhook/engine"
	"github.com/mailhook/mailhook/storage"
)

// fake is an Engine for what a real one cannot be made to do on demand:
// fail in a chosen way, or hand out a subscription the test controls.
// Methods a test does not set panic through the nil embedded interface.
type fake struct {
	Engine
	err      error // returned by Replay and Fire
	events   chan engine.Event
	stopped  chan struct{}
	timeline storage.Timeline
}

func (f *fake) Replay(context.Context, int64, engine.ReplayOptions) (storage.Exchange, error) {
	return storage.Exchange{}, f.err
}

func (f *fake) Fire(context.Context, engine.FireRequest) (storage.Exchange, error) {
	return storage.Exchange{}, f.err
}

func (f *fake) Subscribe() (<-chan engine.Event, func()) {
	return f.events, func() { close(f.stopped) }
}

func (f *fake) Timeline(context.Context, int64) (storage.Timeline, error) { return f.timeline, nil }

func (f *fake) Exchange(_ context.Context, id int64) (storage.Exchange, error) {
	for _, x := range f.timeline.Exchanges {
		if x.ID == id {
			return storage.Exchange{ID: x.ID, Kind: x.Kind, StartedAt: x.StartedAt, RequestBody: []byte{0xc3, 0x28}}, nil
		}
	}
	return storage.Exchange{}, storage.ErrNotFound
}

func (f *fake) CurlCommand(context.Context, int64) (string, error) { return "curl …", nil }

func TestCommandErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want int
	}{
		{"invalid request", fmt.Errorf("replay: %w: format %q", engine.ErrInvalidRequest, "yaml"), 400},
		{"not found", fmt.Errorf("replay: %w", storage.ErrNotFound), 404},
		{"deadline", context.DeadlineExceeded, 504},
		{"engine failure", errors.New("disk full"), 500},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(newServer(&fake{err: tc.err}, nil, time.Hour))
			defer srv.Close()
			for _, path := range []string{"/api/exchanges/1/replay", "/api/fire"} {
				resp, err := http.Post(srv.URL+path, "application/json", strings.NewReader("{}"))
				if err != nil {
					t.Fatal(err)
				}
				var body errorBody
				json.NewDecoder(resp.Body).Decode(&body)
				resp.Body.Close()
				if resp.StatusCode != tc.want || !strings.Contains(body.Error, tc.err.Error()) {
					t.Errorf("%s = %d %q, want %d", path, resp.StatusCode, body.Error, tc.want)
				}
			}
		})
	}
}

func TestTimelineOrder(t *testing.T) {
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	f := &fake{timeline: storage.Timeline{
		Messages: []storage.MessageSummary{{ID: 7, CreatedAt: t0}},
		Events: []storage.SMTPEvent{
			{ID: 1, At: t0, Command: "MAIL", ReplyCode: 250, ReplyText: "OK"},
			{ID: 2, At: t0.Add(2 * time.Second), Command: "DATA", ReplyCode: 250, ReplyEnhanced: "2.0.0", ReplyText: "Thanks"},
		},
		Exchanges: []storage.ExchangeSummary{{ID: 9, Kind: "delivery", StartedAt: t0}},
	}}
	srv := httptest.NewServer(newServer(f, nil, time.Hour))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/api/messages/7")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var d detailJSON
	if err := json.NewDecoder(resp.Body).Decode(&d); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range d.Timeline {
		got = append(got, fmt.Sprintf("%s %d %s", e.Kind, e.ID, e.SMTPReply))
	}
	want := []string{"smtp 1 250 OK", "delivery 9 ", "smtp 2 250 2.0.0 Thanks"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("timeline %q, want %q", got, want)
	}
	if !d.ReceivedAt.Equal(t0) {
		t.Errorf("received_at %v, want the creation time %v", d.ReceivedAt, t0)
	}
	if b := d.Timeline[1].Request; b.BodyEncoding != "base64" || b.Body != "wyg=" {
		t.Errorf("invalid UTF-8 body = %+v, want base64", b)
	}
}

func TestEventStream(t *testing.T) {
	f := &fake{events: make(chan engine.Event, 1), stopped: make(chan struct{})}
	srv := httptest.NewServer(newServer(f, nil, 20*time.Millisecond))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/api/events", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	lines := bufio.NewScanner(resp.Body)
	next := func() string {
		t.Helper()
		if !lines.Scan() {
			t.Fatalf("stream ended: %v", lines.Err())
		}
		return lines.Text()
	}
	waitFor := func(want string) {
		t.Helper()
		for range 100 {
			if next() == want {
				return
			}
		}
		t.Fatalf("no %q line", want)
	}

	t.Run("ping", func(t *testing.T) { waitFor(": ping") })
	t.Run("event", func(t *testing.T) {
		f.events <- engine.Event{Kind: engine.EventReplayed, ExchangeID: 12, ReplayOf: 5, Status: 200, Duration: 1500 * time.Millisecond}
		waitFor("event: replayed")
		data := strings.TrimPrefix(next(), "data: ")
		var ev eventJSON
		if err := json.Unmarshal([]byte(data), &ev); err != nil || ev.Exchange != 12 || ev.ReplayOf != 5 || ev.DurationMS != 1500 {
			t.Errorf("data %s: %v", data, err)
		}
	})
	t.Run("client gone ends the subscription", func(t *testing.T) {
		cancel()
		select {
		case <-f.stopped:
		case <-time.After(5 * time.Second):
			t.Fatal("the subscription outlived the client")
		}
	})
}
