package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"github.com/mailhook/mailhook/storage"
)

// TestSendTestMail sends the plain sample through the engine's own SMTP
// listener from the dialog: the reply is shown and the message is listed.
func TestSendTestMail(t *testing.T) {
	rt := fireTestWindow(t)
	onFyne(func() bool { rt.w.actions.testmailDialog(); return true })
	f := onFyne(func() *testmailForm { return rt.w.actions.testmail })
	if onFyne(func() bool { return !f.schedule.Disabled() || f.schedule.Text != testmailSchedule }) {
		t.Error("the schedule is not the default, disabled until Retry is checked")
	}
	tap(f.send)
	rt.wait(t, "testmail")
	text, imp := "", widget.MediumImportance
	onFyne(func() bool { text, imp = f.result.Text, f.result.Importance; return true })
	if !strings.HasPrefix(text, "Attempt 1: 250") || imp != widget.SuccessImportance {
		t.Errorf("result = %q (importance %v), want the 250 of the first attempt", text, imp)
	}
	waitFor(t, "the test mail in the list", func() bool { return onFyne(func() int { return rt.w.history.list.Length() }) == 1 })
	page, err := rt.eng.ListMessages(context.Background(), storage.ListQuery{Limit: 1})
	if err != nil || len(page.Messages) != 1 || page.Messages[0].Outcome != storage.OutcomeAccepted {
		t.Errorf("history = %+v, %v; want one accepted message", page.Messages, err)
	}
}

// TestReplayShortcut replays the exchange shown with Ctrl+R.
func TestReplayShortcut(t *testing.T) {
	rt := replayTestSetup(t)
	rt.showExchange(t, rt.delivery)
	onFyne(func() bool {
		rt.w.win.Canvas().(fyne.Shortcutable).TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: fyne.KeyModifierControl})
		return true
	})
	rt.wait(t, "replay")
	exs, err := rt.eng.RecentExchanges(context.Background(), time.Now().Add(-time.Minute), 50)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, ex := range exs {
		if ex.Kind == storage.KindReplay && ex.ReplayOf == rt.delivery {
			n++
		}
	}
	if n != 1 {
		t.Errorf("Ctrl+R made %d replays of #%d, want 1", n, rt.delivery)
	}
}

// TestWindowMenus finds the actions in the File and Test menus, and Clear
// history asks before deleting anything.
func TestWindowMenus(t *testing.T) {
	rt := fireTestWindow(t)
	menu := onFyne(func() *fyne.MainMenu {
		return rt.w.win.(interface{ MainMenu() *fyne.MainMenu }).MainMenu()
	})
	items := map[string]*fyne.MenuItem{}
	for _, m := range menu.Items {
		for _, it := range m.Items {
			items[m.Label+" > "+it.Label] = it
		}
	}
	for _, want := range []string{"File > Clear history…", "File > Export timeline as HAR…", "Test > Test fire…", "Test > Send test mail…", "Test > Replay failed…"} {
		if items[want] == nil {
			t.Errorf("no menu item %q among %v", want, items)
		}
	}
	clear := items["File > Clear history…"]
	if clear == nil {
		return
	}
	top := onFyne(func() fyne.CanvasObject { clear.Action(); return rt.w.win.Canvas().Overlays().Top() })
	if top == nil {
		t.Fatal("Clear history… did not ask first")
	}
	onFyne(func() bool { top.Hide(); return true })
}
