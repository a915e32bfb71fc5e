package app

import (
	"context"
	"net/smtp"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/mailhook/mailhook/storage"
)

func TestActivityLayout(t *testing.T) {
	now := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	ex := func(id int64, kind string, ago, dur time.Duration, outcome string) storage.ExchangeSummary {
		return storage.ExchangeSummary{ID: id, MessageID: id * 10, Kind: kind, StartedAt: now.Add(-ago),
			DurationMS: dur.Milliseconds(), Outcome: outcome}
	}
	type want struct {
		id   int64
		x, w float32
		lane int
	}
	// 300 px for 5 minutes: one pixel per second.
	tests := []struct {
		name string
		exs  []storage.ExchangeSummary
		want []want
	}{
		{"position and width from start and duration",
			[]storage.ExchangeSummary{ex(1, storage.KindDelivery, time.Minute, 10*time.Second, storage.OutcomeAccepted)},
			[]want{{1, 240, 10, 1}}},
		{"quick calls get the minimum width",
			[]storage.ExchangeSummary{ex(1, storage.KindAuthorization, 5*time.Second, 100*time.Millisecond, storage.OutcomeRejected)},
			[]want{{1, 295, activityMinWidth, 0}}},
		{"lanes by kind; replay and test share delivery's; unknown dropped",
			[]storage.ExchangeSummary{
				ex(1, storage.KindAuthorization, 100*time.Second, 5*time.Second, ""),
				ex(2, storage.KindDelivery, 90*time.Second, 5*time.Second, ""),
				ex(3, storage.KindErrorCallback, 80*time.Second, 5*time.Second, ""),
				ex(4, storage.KindReplay, 70*time.Second, 5*time.Second, ""),
				ex(5, storage.KindTest, 60*time.Second, 5*time.Second, ""),
				ex(6, "carrier_pigeon", 50*time.Second, 5*time.Second, ""),
			},
			[]want{{1, 200, 5, 0}, {2, 210, 5, 1}, {3, 220, 5, 2}, {4, 230, 5, 1}, {5, 240, 5, 1}}},
		{"ended before the window dropped, overlapping it clipped, future dropped",
			[]storage.ExchangeSummary{
				ex(1, storage.KindDelivery, 6*time.Minute, time.Second, ""),
				ex(2, storage.KindDelivery, 5*time.Minute+10*time.Second, 20*time.Second, ""),
				ex(3, storage.KindDelivery, -time.Second, time.Second, ""),
			},
			[]want{{2, 0, 10, 1}}},
		{"kept inside the right edge",
			[]storage.ExchangeSummary{ex(1, storage.KindDelivery, time.Second, 5*time.Second, "")},
			[]want{{1, 295, 5, 1}}},
		{"newest first in, oldest first out (newest drawn on top)",
			[]storage.ExchangeSummary{
				ex(2, storage.KindDelivery, 10*time.Second, time.Second, ""),
				ex(1, storage.KindDelivery, 20*time.Second, time.Second, ""),
			},
			[]want{{1, 280, activityMinWidth, 1}, {2, 290, activityMinWidth, 1}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			bars := activityLayout(tc.exs, now, 5*time.Minute, 300)
			if len(bars) != len(tc.want) {
				t.Fatalf("got %d bars %+v, want %d", len(bars), bars, len(tc.want))
			}
			for i, w := range tc.want {
				b := bars[i]
				if b.exchangeID != w.id || b.messageID != w.id*10 || b.lane != w.lane || !activityNear(b.x, w.x) || !activityNear(b.w, w.w) {
					t.Errorf("bar %d = {id %d msg %d x %.2f w %.2f lane %d}, want %+v", i, b.exchangeID, b.messageID, b.x, b.w, b.lane, w)
				}
			}
		})
	}

	t.Run("coloured by outcome", func(t *testing.T) {
		for _, outcome := range []string{storage.OutcomeAccepted, storage.OutcomeRejected, storage.OutcomeDelayed, storage.OutcomePending} {
			bars := activityLayout([]storage.ExchangeSummary{ex(1, storage.KindDelivery, time.Minute, time.Second, outcome)}, now, 5*time.Minute, 300)
			if _, col := outcomeLook(outcome); len(bars) != 1 || bars[0].fill != col {
				t.Errorf("%q: bars %+v, want one filled %v", outcome, bars, col)
			}
		}
	})
}

func activityNear(a, b float32) bool { return a-b < 0.01 && b-a < 0.01 }

func TestActivityViewShowsAndOpensRealTraffic(t *testing.T) {
	a := newSerialTestApp(t)
	eng := startEngine(t)
	opened := make(chan int64, 1)
	v := onFyne(func() *activityView {
		v := newActivityView(eng, func(id int64) { opened <- id })
		w := a.NewWindow("activity")
		w.SetContent(v.object())
		w.Resize(fyne.NewSize(800, 240))
		t.Cleanup(func() { fyne.DoAndWait(w.Close) })
		return v
	})
	t.Cleanup(v.stop)

	msg := "From: dev@example.org\r\nTo: hook@example.com\r\nSubject: hi\r\n\r\nHi\r\n"
	if err := smtp.SendMail(eng.SMTPAddr(), nil, "dev@example.org", []string{"hook@example.com"}, []byte(msg)); err != nil {
		t.Fatal(err)
	}
	page, err := eng.ListMessages(context.Background(), storage.ListQuery{Limit: 1})
	if err != nil || len(page.Messages) != 1 {
		t.Fatalf("list: %v, %d messages", err, len(page.Messages))
	}
	v.invalidate()

	deliveryBar := func() (activityBar, bool) {
		for _, b := range v.shown {
			if b.lane == 1 {
				return b, true
			}
		}
		return activityBar{}, false
	}
	waitFor(t, "a bar in the delivery lane", func() bool {
		return onFyne(func() bool { _, ok := deliveryBar(); return ok })
	})

	onFyne(func() bool {
		b, _ := deliveryBar()
		g := activityGeometryFor(v.Size())
		pos := fyne.NewPos(g.left+b.x+b.w/2, g.top+float32(b.lane)*g.laneH+g.laneH/2)
		v.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: pos}})
		test.TapAt(v, pos)
		return true
	})
	select {
	case id := <-opened:
		if id != page.Messages[0].ID {
			t.Errorf("tapping the bar opened message %d, want %d", id, page.Messages[0].ID)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("tapping the bar opened nothing")
	}
	if hover := onFyne(func() string { return v.hover }); !strings.Contains(hover, "Delivery  HTTP 200") {
		t.Errorf("hover caption = %q", hover)
	}
}
