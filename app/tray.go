package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/mailhook/mailhook/assets"
	"github.com/mailhook/mailhook/engine"
)

// trayPauseLabel is the pause item's label for the current state.
func trayPauseLabel(paused bool) string {
	if paused {
		return "Resume accepting"
	}
	return "Pause accepting"
}

// setupTray puts Mailhook in the system tray when a is a desktop app and
// reports whether it did, so the caller can hide the window on close
// instead of quitting. The menu follows pauses made elsewhere too.
func setupTray(a fyne.App, win fyne.Window, src Source) bool {
	desk, ok := a.(desktop.App)
	if !ok {
		return false
	}
	show := fyne.NewMenuItem("Show window", func() {
		win.Show()
		win.RequestFocus()
	})
	pause := fyne.NewMenuItem(trayPauseLabel(src.Paused()), nil)
	copyAddr := fyne.NewMenuItem("Copy SMTP address", func() {
		a.Clipboard().SetContent(src.SMTPAddr())
	})
	// Our own Quit, marked IsQuit, so the driver does not append a second one.
	quit := fyne.NewMenuItem("Quit", a.Quit)
	quit.IsQuit = true
	menu := fyne.NewMenu("Mailhook", show, pause, copyAddr, fyne.NewMenuItemSeparator(), quit)

	// The driver copies labels when the menu is set, so a new label means
	// setting the menu again.
	setLabel := func(paused bool) {
		if label := trayPauseLabel(paused); label != pause.Label {
			pause.Label = label
			desk.SetSystemTrayMenu(menu)
		}
	}
	pause.Action = func() {
		paused := !src.Paused()
		setLabel(paused) // before SetPaused, whose event makes the watcher below look
		src.SetPaused(paused)
	}
	desk.SetSystemTrayMenu(menu)
	desk.SetSystemTrayIcon(assets.Icon())
	// Left-click on the icon shows the window where the platform allows it.
	desk.SetSystemTrayWindow(win)

	events, _ := src.Subscribe() // lives as long as the app
	go func() {
		for ev := range events {
			if ev.Kind == engine.EventListenerChanged || ev.Kind == engine.EventRefreshNeeded {
				fyne.Do(func() { setLabel(src.Paused()) })
			}
		}
	}()
	return true
}
