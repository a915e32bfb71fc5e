package app

import (
	"runtime"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// replayWire gives window w its actions: the File and Test menus, the
// inspector's action bar, Ctrl/Cmd+R and .eml drag-and-drop. Call it on the
// Fyne goroutine once the panes exist; stop the result when the window
// closes.
func replayWire(a fyne.App, w *Window) *replayActions {
	ra := newReplayActions(a, w)

	// The bar is rebuilt for every exchange the inspector shows.
	w.inspector.onExchangeView = ra.attachBar

	shortcut := "Ctrl+R"
	if runtime.GOOS == "darwin" {
		shortcut = "⌘R"
	}
	w.win.SetMainMenu(fyne.NewMainMenu(
		fyne.NewMenu("File",
			fyne.NewMenuItem("Export timeline as HAR…", ra.exportTimelineHAR),
			fyne.NewMenuItem("Export the listed messages as HAR…", ra.exportFilterHAR),
			fyne.NewMenuItemSeparator(),
			fyne.NewMenuItem("Clear history…", ra.clearHistoryDialog),
		),
		fyne.NewMenu("Test",
			fyne.NewMenuItem("Test fire…", func() { ra.fireDialog("", nil) }),
			fyne.NewMenuItem("Send test mail…", ra.testmailDialog),
			fyne.NewMenuItemSeparator(),
			fyne.NewMenuItem("Replay the exchange shown ("+shortcut+")", ra.replayShown),
			fyne.NewMenuItem("Replay failed…", ra.replayFailedDialog),
		),
	))

	// Like Ctrl+F in addShortcuts: the canvas sees it unless a focused
	// entry takes shortcuts itself.
	for _, mod := range []fyne.KeyModifier{fyne.KeyModifierControl, fyne.KeyModifierSuper} {
		w.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: mod}, func(fyne.Shortcut) { ra.replayShown() })
	}
	w.win.SetOnDropped(ra.dropped)
	return ra
}
