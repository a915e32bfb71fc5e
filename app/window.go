// Package app is Mailhook's window. It only watches and asks: it reads
// history and events through engine methods and has no SMTP, HTTP or SQL of
// its own. Widgets are touched on the Fyne goroutine only; data is loaded in
// the background and applied with fyne.Do.
package app

import (
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"github.com/mailhook/mailhook/assets"
	"github.com/mailhook/mailhook/engine"
)

// Window is the main window: history on the left, the selected message's
// timeline and inspector on the right, the activity view and settings in
// their own tabs, the status bar below.
type Window struct {
	win       fyne.Window
	src       Source
	history   *historyPane
	timeline  *timelinePane
	inspector *inspectorPane
	activity  *activityView
	status    *statusBar
	notifier  *notifier
	tabs      *container.AppTabs
	actions   *replayActions // replay, compare, test fire, test mail, export
	selected  atomic.Int64   // the message shown on the right; read by watch
}

// New builds the main window for src on a; it starts watching events at once.
func New(a fyne.App, src Source) *Window {
	w := &Window{win: a.NewWindow("Mailhook"), src: src}
	w.win.SetIcon(assets.Icon())
	w.inspector = newInspectorPane(src, w.win)
	w.timeline = newTimelinePane(src, w.inspector.showExchange)
	w.history = newHistoryPane(src, w.showMessage)
	w.activity = newActivityView(src, w.openMessage)
	w.status = newStatusBar(a, src)
	w.notifier = newNotifier(a, a.Preferences())

	right := container.NewVSplit(w.timeline.object(), w.inspector.object())
	right.Offset = 0.45
	messages := container.NewHSplit(w.history.object(), right)
	messages.Offset = 0.42
	w.tabs = container.NewAppTabs(
		container.NewTabItem("Messages", messages),
		container.NewTabItem("Activity", w.activity.object()),
		container.NewTabItem("Settings", newSettingsForm(src, w.win, a.Preferences()).object()),
	)
	w.win.SetContent(container.NewBorder(nil, w.status.object(), nil, nil, w.tabs))
	w.win.Resize(fyne.NewSize(1280, 800))

	// Closing hides to the tray only where a tray can show the icon.
	if trayHostAvailable() && setupTray(a, w.win, src) {
		w.win.SetCloseIntercept(w.win.Hide)
	}
	addShortcuts(w.win, w.focusSearch, w.history.clearSelection)
	w.actions = replayWire(a, w) // File and Test menus, Ctrl/Cmd+R, .eml drops

	events, stop := src.Subscribe()
	go w.watch(events)
	w.win.SetOnClosed(func() {
		stop()
		w.activity.stop()
		w.actions.stop()
	})
	return w
}

// ShowAndRun shows the window and runs the app until it quits.
func (w *Window) ShowAndRun() { w.win.ShowAndRun() }

// Window exposes the Fyne window (tests).
func (w *Window) Window() fyne.Window { return w.win }

func (w *Window) focusSearch() {
	w.tabs.SelectIndex(0)
	w.win.Canvas().Focus(w.history.search)
}

// showMessage puts a message's timeline and the message itself on the right
// (0 clears them).
func (w *Window) showMessage(id int64) {
	w.selected.Store(id)
	if id == 0 {
		w.timeline.clear()
		w.inspector.clear()
		return
	}
	w.timeline.show(id)
	w.inspector.showMessage(id)
}

// openMessage is the activity view's click: switch to Messages and select.
func (w *Window) openMessage(id int64) {
	w.tabs.SelectIndex(0)
	w.history.selectMessage(id)
}

// watch turns the event stream into coalesced reloads: every pane reloads
// at most a few times a second however many events arrive.
func (w *Window) watch(events <-chan engine.Event) {
	for ev := range events {
		w.notifier.observe(ev)
		w.history.invalidate()
		w.activity.invalidate()
		// A redelivery of the shown message has another ID: any delivery
		// may belong on its timeline (refresh is coalesced).
		if w.selected.Load() != 0 && ev.Kind != engine.EventSessionOpened && ev.Kind != engine.EventSessionClosed {
			w.timeline.refresh()
		}
		if ev.Kind == engine.EventListenerChanged {
			fyne.Do(w.status.refresh)
		}
	}
}
