package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

func TestShortcuts(t *testing.T) {
	a := newSerialTestApp(t)
	var focused, cleared, other int
	got := onFyne(func() [3]int {
		w := a.NewWindow("keys")
		defer w.Close()
		w.Canvas().SetOnTypedKey(func(*fyne.KeyEvent) { other++ }) // an earlier handler
		addShortcuts(w, func() { focused++ }, func() { cleared++ })
		c := w.Canvas()
		for _, mod := range []fyne.KeyModifier{fyne.KeyModifierControl, fyne.KeyModifierSuper} {
			c.(fyne.Shortcutable).TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: mod})
		}
		c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
		c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyDown})

		// A focused list hands Escape over; arrows still move in it.
		l := newShortcutsList(func() int { return 2 }, func() fyne.CanvasObject { return widget.NewLabel("") },
			func(widget.ListItemID, fyne.CanvasObject) {}, func() { cleared++ })
		w.SetContent(l)
		c.Focus(l)
		test.Type(l, "x")
		l.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
		l.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
		return [3]int{focused, cleared, other}
	})
	if got != [3]int{2, 2, 1} {
		t.Errorf("search focused %d, selection cleared %d, other keys passed on %d; want 2, 2, 1", got[0], got[1], got[2])
	}
}
