// Package app is Mailhook's window. It only watches and asks: it reads
// history and events through engine methods and has no SMTP, HTTP or SQL of
// its own. Widgets are touched on the Fyne goroutine only; data is loaded in
// the background and applied with fyne.Do.
package app

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/mailhook/mailhook/engine"
	"github.com/mailhook/mailhook/engine/webhook"
)

// Window is the main window.
type Window struct {
	win     fyne.Window
	src     Source
	history *historyPane
	status  *widget.Label
	stop    func()
}

// New builds the main window for src on a; it starts watching events at once.
func New(a fyne.App, src Source) *Window {
	w := &Window{win: a.NewWindow("Mailhook"), src: src}
	w.history = newHistoryPane(src)
	w.status = widget.NewLabel("")
	copyAddr := widget.NewButton("Copy SMTP address", func() {
		a.Clipboard().SetContent(src.SMTPAddr())
	})
	top := container.NewBorder(nil, nil, nil, copyAddr, w.status)
	w.win.SetContent(container.NewBorder(top, nil, nil, nil, w.history.object()))
	w.win.Resize(fyne.NewSize(960, 600))
	w.refreshStatus()

	events, stop := src.Subscribe()
	w.stop = stop
	go w.watch(events)
	w.win.SetOnClosed(stop)
	return w
}

// ShowAndRun shows the window and runs the app until it quits.
func (w *Window) ShowAndRun() { w.win.ShowAndRun() }

// Window exposes the Fyne window (tests, later panes).
func (w *Window) Window() fyne.Window { return w.win }

func (w *Window) refreshStatus() {
	cfg := w.src.Config()
	w.status.SetText(fmt.Sprintf("SMTP %s  ·  target %s (%s)",
		w.src.SMTPAddr(), webhook.MaskURL(cfg.TargetURL), cfg.Format))
}

// watch turns the event stream into coalesced history reloads.
func (w *Window) watch(events <-chan engine.Event) {
	for ev := range events {
		if ev.Kind == engine.EventListenerChanged {
			fyne.Do(w.refreshStatus)
		}
		w.history.invalidate()
	}
}
