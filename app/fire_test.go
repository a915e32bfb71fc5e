package app

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	fynestorage "fyne.io/fyne/v2/storage"

	"github.com/mailhook/mailhook/engine"
	"github.com/mailhook/mailhook/storage"
)

// fireTestWindow is a window over a fresh engine with the completion hook.
func fireTestWindow(t *testing.T) *replayTest {
	t.Helper()
	rt := &replayTest{a: newSerialTestApp(t), eng: startEngine(t), finished: make(chan replayFinished, 32)}
	rt.open(t)
	return rt
}

// TestFireFromSample fires each kind from the first sample at the built-in
// targets and sees a test exchange in the history and the inspector.
func TestFireFromSample(t *testing.T) {
	rt := fireTestWindow(t)
	var prev int64
	for i, kind := range fireKinds {
		t.Run(kind, func(t *testing.T) {
			onFyne(func() bool { rt.w.actions.fireDialog("", nil); return true })
			f := onFyne(func() *fireForm { return rt.w.actions.fire })
			url, sample := "", ""
			onFyne(func() bool {
				f.kind.SetSelectedIndex(i)
				url, sample = f.url.Text, f.msg.sample.Selected
				return true
			})
			if !strings.HasPrefix(url, "http://"+rt.eng.HTTPAddr()+"/") {
				t.Errorf("default URL = %q, want the built-in target", url)
			}
			if !strings.HasPrefix(sample, "plain") {
				t.Errorf("default sample = %q", sample)
			}
			tap(f.fire)
			rt.wait(t, "fire")

			var ex storage.Exchange
			waitFor(t, "the test fire in the inspector", func() bool {
				ex = onFyne(func() storage.Exchange {
					if v := rt.w.inspector.exchange; v != nil {
						return v.ex
					}
					return storage.Exchange{}
				})
				return ex.Kind == storage.KindTest && ex.ID != prev
			})
			prev = ex.ID
			if ex.MessageID != 0 || ex.Status != 200 {
				t.Errorf("test fire = %+v, want a 200 not tied to a message", ex)
			}
			exs, err := rt.eng.RecentExchanges(context.Background(), time.Now().Add(-time.Minute), 50)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.ContainsFunc(exs, func(s storage.ExchangeSummary) bool { return s.ID == ex.ID && s.Kind == storage.KindTest }) {
				t.Errorf("test fire #%d not in the history: %+v", ex.ID, exs)
			}
		})
	}
}

// TestFireDroppedEML drops an .eml on the window: the dialog opens with it,
// and firing it sends that message.
func TestFireDroppedEML(t *testing.T) {
	rt := fireTestWindow(t)
	path := filepath.Join(t.TempDir(), "order.eml")
	eml := "From: shop@example.org\r\nTo: buyer@example.com\r\nSubject: Dropped order\r\n\r\nThanks\r\n"
	if err := os.WriteFile(path, []byte(eml), 0o600); err != nil {
		t.Fatal(err)
	}
	onFyne(func() bool {
		rt.w.actions.dropped(fyne.NewPos(10, 10), []fyne.URI{fynestorage.NewFileURI(path)})
		return true
	})
	rt.wait(t, "drop")
	f := onFyne(func() *fireForm { return rt.w.actions.fire })
	if f == nil || onFyne(func() string { return f.msg.emlName }) != "order.eml" {
		t.Fatal("the dropped file did not open the test fire dialog")
	}
	tap(f.fire)
	rt.wait(t, "fire")
	var id int64
	waitFor(t, "the test fire in the inspector", func() bool {
		id = onFyne(func() int64 {
			if v := rt.w.inspector.exchange; v != nil && v.ex.Kind == storage.KindTest {
				return v.ex.ID
			}
			return 0
		})
		return id != 0
	})
	ex, err := rt.eng.Exchange(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(ex.RequestBody), "Dropped order") {
		t.Errorf("the fire did not send the dropped message:\n%.400s", ex.RequestBody)
	}
}

func TestFireUnmask(t *testing.T) {
	cfg := engine.Config{TargetURL: "http://user:secret@hook.test/in", AuthURL: "http://a.test/auth"}
	tests := []struct{ shown, want string }{
		{"http://****:****@hook.test/in", "http://user:secret@hook.test/in"},
		{"http://a.test/auth", "http://a.test/auth"},
		{"http://****:****@other.test/in", "http://****:****@other.test/in"},
	}
	for _, tt := range tests {
		if got := fireUnmask(tt.shown, cfg); got != tt.want {
			t.Errorf("fireUnmask(%q) = %q, want %q", tt.shown, got, tt.want)
		}
	}
}

func TestTestmailParseSchedule(t *testing.T) {
	tests := []struct {
		name, in string
		want     []time.Duration
		wantErr  bool
	}{
		{name: "default", in: testmailSchedule, want: []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute}},
		{name: "spaces and empty items", in: " 100ms ,, 1s ", want: []time.Duration{100 * time.Millisecond, time.Second}},
		{name: "not a duration", in: "30s, soon", wantErr: true},
		{name: "zero", in: "0s", wantErr: true},
		{name: "empty", in: " , ", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := testmailParseSchedule(tt.in)
			if (err != nil) != tt.wantErr || !slices.Equal(got, tt.want) {
				t.Errorf("testmailParseSchedule(%q) = %v, %v; want %v (error %v)", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestReplayParseHeaders(t *testing.T) {
	tests := []struct {
		name, in string
		want     []storage.Header
		wantErr  bool
	}{
		{name: "lines", in: "Content-Type: application/json\r\nX-A:  b: c \n", want: []storage.Header{{Name: "Content-Type", Value: "application/json"}, {Name: "X-A", Value: "b: c"}}},
		{name: "emptied sends none", in: "\n \n", want: []storage.Header{}},
		{name: "no colon", in: "Content-Type application/json", wantErr: true},
		{name: "space in name", in: "Content Type: x", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := replayParseHeaders(tt.in)
			if (err != nil) != tt.wantErr || !slices.Equal(got, tt.want) || (!tt.wantErr && got == nil) {
				t.Errorf("replayParseHeaders(%q) = %#v, %v", tt.in, got, err)
			}
		})
	}
}
