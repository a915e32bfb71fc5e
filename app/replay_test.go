package app

import (
	"context"
	"image/color"
	"net/smtp"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/mailhook/mailhook/engine"
	"github.com/mailhook/mailhook/storage"
)

// replayTest is a window over a real engine that has received one message,
// with the actions' completion hook turned into a channel.
type replayTest struct {
	a        fyne.App
	eng      *engine.Engine
	w        *Window
	msgID    int64
	delivery int64 // the message's delivery exchange
	finished chan replayFinished
}

type replayFinished struct {
	action string
	err    error
}

func replayTestSetup(t *testing.T) *replayTest {
	t.Helper()
	rt := &replayTest{a: newSerialTestApp(t), eng: startEngine(t), finished: make(chan replayFinished, 32)}
	rt.open(t)
	msg := "From: dev@example.org\r\nTo: hook@example.com\r\nSubject: Replay me\r\n\r\nHi\r\n"
	if err := smtp.SendMail(rt.eng.SMTPAddr(), nil, "dev@example.org", []string{"hook@example.com"}, []byte(msg)); err != nil {
		t.Fatal(err)
	}
	page, err := rt.eng.ListMessages(context.Background(), storage.ListQuery{Limit: 1})
	if err != nil || len(page.Messages) != 1 {
		t.Fatalf("ListMessages = %+v, %v; want one message", page, err)
	}
	rt.msgID = page.Messages[0].ID
	tl := rt.timeline(t)
	for _, ex := range tl.Exchanges {
		if ex.Kind == storage.KindDelivery {
			rt.delivery = ex.ID
		}
	}
	if rt.delivery == 0 {
		t.Fatalf("no delivery in %+v", tl.Exchanges)
	}
	return rt
}

// open opens the window with the completion hook. When the test ends, the
// window closes and then the test waits for the loads it set off (a
// replay's event reloads the history 250 ms later; the inspector loads the
// replay): finishing after the test, they would run inside the next test's
// app, racing with it.
func (rt *replayTest) open(t *testing.T) {
	t.Helper()
	t.Cleanup(func() {
		for deadline := time.Now().Add(5 * time.Second); rt.w.actions.inFlight.Load() > 0 && time.Now().Before(deadline); {
			time.Sleep(10 * time.Millisecond)
		}
		for range 2 {
			time.Sleep(300 * time.Millisecond)  // longer than the coalescers' 250 ms
			onFyne(func() bool { return true }) // and whatever they applied is done
		}
	})
	rt.w = openWindow(t, rt.a, rt.eng)
	onFyne(func() bool {
		rt.w.actions.finished = func(action string, err error) { rt.finished <- replayFinished{action, err} }
		return true
	})
}

func (rt *replayTest) timeline(t *testing.T) storage.Timeline {
	t.Helper()
	tl, err := rt.eng.Timeline(context.Background(), rt.msgID)
	if err != nil {
		t.Fatal(err)
	}
	return tl
}

// wait returns when action has finished, failing on its error.
func (rt *replayTest) wait(t *testing.T, action string) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case f := <-rt.finished:
			if f.action != action {
				continue
			}
			if f.err != nil {
				t.Fatalf("%s failed: %v", action, f.err)
			}
			return
		case <-deadline:
			t.Fatalf("timed out waiting for %s", action)
		}
	}
}

// showExchange puts exchange id in the inspector and waits for its bar.
func (rt *replayTest) showExchange(t *testing.T, id int64) *replayBar {
	t.Helper()
	onFyne(func() bool { rt.w.inspector.showExchange(id); return true })
	var bar *replayBar
	waitFor(t, "the action bar of the exchange", func() bool {
		bar = onFyne(func() *replayBar {
			if b := rt.w.actions.bar; b != nil && b.ex.ID == id {
				return b
			}
			return nil
		})
		return bar != nil
	})
	return bar
}

func tap(b *widget.Button) { onFyne(func() bool { test.Tap(b); return true }) }

// TestReplayButton follows a user: select the message, pick the delivery
// on the timeline, tap Replay, and see the replay on the timeline and in the
// inspector.
func TestReplayButton(t *testing.T) {
	rt := replayTestSetup(t)
	w := rt.w
	waitFor(t, "the message in the list", func() bool { return onFyne(func() int { return w.history.list.Length() }) == 1 })
	onFyne(func() bool { w.history.list.Select(0); return true })
	step := -1
	waitFor(t, "the delivery step", func() bool {
		step = onFyne(func() int {
			return slices.IndexFunc(w.timeline.steps, func(s timelineStep) bool { return s.exchangeID == rt.delivery })
		})
		return step >= 0
	})
	onFyne(func() bool { w.timeline.list.Select(step); return true })
	var bar *replayBar
	waitFor(t, "the delivery in the inspector with its action bar", func() bool {
		bar = onFyne(func() *replayBar { return w.actions.bar })
		return bar != nil && bar.ex.ID == rt.delivery
	})
	if bar.original != nil {
		t.Error("a delivery offers Compare with original")
	}

	tap(bar.replay)
	rt.wait(t, "replay")

	var replay storage.ExchangeSummary
	for _, ex := range rt.timeline(t).Exchanges {
		if ex.Kind == storage.KindReplay {
			replay = ex
		}
	}
	if replay.ID == 0 || replay.ReplayOf != rt.delivery || replay.MessageID != rt.msgID {
		t.Fatalf("replay = %+v, want a replay of #%d in message %d", replay, rt.delivery, rt.msgID)
	}
	waitFor(t, "the replay in the inspector", func() bool {
		return onFyne(func() bool { v := w.inspector.exchange; return v != nil && v.ex.ID == replay.ID })
	})
	if got := onFyne(func() string { return w.inspector.exchange.status.Text }); !strings.HasPrefix(got, "200 OK") {
		t.Errorf("replay status shown = %q", got)
	}
	waitFor(t, "the replay on the timeline, after the reply", func() bool {
		return onFyne(func() bool {
			reply := slices.IndexFunc(w.timeline.steps, func(s timelineStep) bool { return s.title == "Reply" })
			at := slices.IndexFunc(w.timeline.steps, func(s timelineStep) bool { return s.exchangeID == replay.ID })
			return reply >= 0 && at > reply && w.timeline.steps[at].title == "Replay"
		})
	})
	// The replay's own bar links back to the original.
	if b := onFyne(func() *replayBar { return w.actions.bar }); b == nil || b.original == nil {
		t.Error("a replay has no Compare with original button")
	}
}

// TestDiffViewOfReplay replays a delivery to another target, so the answers
// differ, and compares the two from the replay's Compare with original.
func TestDiffViewOfReplay(t *testing.T) {
	rt := replayTestSetup(t)
	replay, err := rt.eng.Replay(context.Background(), rt.delivery,
		engine.ReplayOptions{URL: "http://" + rt.eng.HTTPAddr() + "/target/422"})
	if err != nil {
		t.Fatal(err)
	}
	bar := rt.showExchange(t, replay.ID)
	if bar.original == nil {
		t.Fatal("no Compare with original on a replay")
	}
	tap(bar.original)
	rt.wait(t, "diff")

	type shown struct {
		left, right string
		model       diffModel
		changedTint color.Color
		sameTint    color.Color
	}
	got := onFyne(func() shown {
		v := rt.w.actions.diff
		s := shown{left: v.leftStatus.Text, right: v.rightStatus.Text, model: v.model}
		// Draw a changed row and an unchanged one as the list would.
		row := newDiffRowView().(*diffRowView)
		for i, r := range v.model.rows {
			if r.Section != "" {
				continue
			}
			v.list.UpdateItem(i, row)
			if r.Changed && r.HasLeft && s.changedTint == nil {
				s.changedTint = row.bg[0].FillColor
			}
			if !r.Changed && s.sameTint == nil {
				s.sameTint = row.bg[0].FillColor
			}
		}
		return s
	})
	if !strings.HasPrefix(got.left, "200 OK") || !strings.HasPrefix(got.right, "422 Unprocessable Entity") {
		t.Errorf("statuses shown = %q and %q", got.left, got.right)
	}
	var statusRow, bodyRow bool
	section := ""
	for _, r := range got.model.rows {
		if r.Section != "" {
			section = r.Section
			continue
		}
		if !r.Changed {
			continue
		}
		switch section {
		case "Status":
			statusRow = statusRow || (strings.HasPrefix(r.Left, "200") && strings.HasPrefix(r.Right, "422"))
		case "Response body":
			bodyRow = bodyRow || (strings.Contains(r.Left, "200") && strings.Contains(r.Right, "422"))
		}
	}
	if !statusRow || !bodyRow {
		t.Errorf("changed rows lack the status (%v) or the body line (%v): %+v", statusRow, bodyRow, got.model.rows)
	}
	if !got.model.requests {
		t.Error("requests to two URLs reported the same")
	}
	if got.changedTint == nil || got.changedTint == color.Color(color.Transparent) {
		t.Errorf("changed line not highlighted: %v", got.changedTint)
	}
	if got.sameTint != color.Color(color.Transparent) {
		t.Errorf("unchanged line highlighted: %v", got.sameTint)
	}
}

// TestEditAndReplay sends an edited copy and leaves the original as it was.
func TestEditAndReplay(t *testing.T) {
	rt := replayTestSetup(t)
	before, err := rt.eng.Exchange(context.Background(), rt.delivery)
	if err != nil {
		t.Fatal(err)
	}
	bar := rt.showExchange(t, rt.delivery)
	tap(bar.edit)
	rt.wait(t, "open-edit")
	e := onFyne(func() *replayEdit { return rt.w.actions.edit })
	if got := onFyne(func() string { return e.body.Text }); got != string(before.RequestBody) {
		t.Fatalf("editor body is not the stored request:\n%.300s", got)
	}
	onFyne(func() bool {
		e.body.SetText(`{"edited": true}`)
		e.headers.SetText("Content-Type: application/json\nX-Edited: yes")
		test.Tap(e.send)
		return true
	})
	rt.wait(t, "replay")

	var replay storage.Exchange
	for _, ex := range rt.timeline(t).Exchanges {
		if ex.Kind == storage.KindReplay && ex.ReplayOf == rt.delivery {
			replay, err = rt.eng.Exchange(context.Background(), ex.ID)
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	if string(replay.RequestBody) != `{"edited": true}` || bodyHeader(replay.RequestHeaders, "X-Edited") != "yes" {
		t.Errorf("replay sent body %q, headers %v", replay.RequestBody, replay.RequestHeaders)
	}
	after, err := rt.eng.Exchange(context.Background(), rt.delivery)
	if err != nil {
		t.Fatal(err)
	}
	if string(after.RequestBody) != string(before.RequestBody) || bodyHeaderLines(after.RequestHeaders) != bodyHeaderLines(before.RequestHeaders) {
		t.Error("edit and replay changed the original exchange")
	}
}

// TestReplayFailedBulk replays a delayed delivery from the dialog, with its
// progress bar.
func TestReplayFailedBulk(t *testing.T) {
	a := newSerialTestApp(t)
	eng := startEngine(t)
	cfg := eng.Config()
	cfg.TargetURL = "http://" + eng.HTTPAddr() + "/target/500"
	if err := eng.SetConfig(cfg); err != nil {
		t.Fatal(err)
	}
	msg := "From: dev@example.org\r\nTo: hook@example.com\r\nSubject: Fails\r\n\r\nHi\r\n"
	_ = smtp.SendMail(eng.SMTPAddr(), nil, "dev@example.org", []string{"hook@example.com"}, []byte(msg)) // 450: delayed
	rt := &replayTest{a: a, eng: eng, finished: make(chan replayFinished, 32)}
	rt.open(t)
	waitFor(t, "the message in the list", func() bool { return onFyne(func() int { return rt.w.history.list.Length() }) == 1 })

	onFyne(func() bool { rt.w.actions.replayFailedDialog(); return true })
	f := onFyne(func() *replayFailed { return rt.w.actions.failed })
	if got := onFyne(func() string { return f.scope.Selected }); got != replayScopeFilter {
		t.Errorf("with no message selected the scope is %q", got)
	}
	tap(f.start)
	rt.wait(t, "replay-failed")
	status, progress, stopOff := "", 0.0, false
	onFyne(func() bool {
		status, progress, stopOff = f.status.Text, f.progress.Value, f.stop.Disabled()
		return true
	})
	if !strings.Contains(status, "1 replayed") || progress != 1 || !stopOff {
		t.Errorf("after the run: status %q, progress %v, Stop disabled %v", status, progress, stopOff)
	}
	exs, err := eng.RecentExchanges(context.Background(), time.Now().Add(-time.Minute), 50)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(exs, func(ex storage.ExchangeSummary) bool { return ex.Kind == storage.KindReplay && ex.Status == 500 }) {
		t.Errorf("no replay of the failed delivery among %+v", exs)
	}
}
