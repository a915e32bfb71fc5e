package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// addShortcuts binds Ctrl+F and Cmd+F to focusSearch and Escape to
// clearSelection on win's canvas.
//
// Fyne hands keys to the focused widget first: the canvas sees Ctrl+F only
// when that widget does not take shortcuts itself (an Entry does), and
// Escape only when nothing is focused. A list focuses itself when a row is
// tapped, so use shortcutsList for the history list to keep Escape working.
func addShortcuts(win fyne.Window, focusSearch func(), clearSelection func()) {
	c := win.Canvas()
	for _, mod := range []fyne.KeyModifier{fyne.KeyModifierControl, fyne.KeyModifierSuper} {
		c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: mod}, func(fyne.Shortcut) { focusSearch() })
	}
	prev := c.OnTypedKey() // chain, so keys meant for an earlier handler still reach it
	c.SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if ev.Name == fyne.KeyEscape {
			clearSelection()
			return
		}
		if prev != nil {
			prev(ev)
		}
	})
}

// shortcutsList is a widget.List that passes Escape to onEscape: once a row
// is tapped the list holds the focus, and the canvas fallback in
// addShortcuts no longer sees the key.
type shortcutsList struct {
	widget.List
	onEscape func()
}

func newShortcutsList(length func() int, create func() fyne.CanvasObject, update func(widget.ListItemID, fyne.CanvasObject), onEscape func()) *shortcutsList {
	l := &shortcutsList{List: widget.List{Length: length, CreateItem: create, UpdateItem: update}, onEscape: onEscape}
	l.ExtendBaseWidget(l)
	return l
}

// TypedKey handles Escape and leaves every other key to the list.
func (l *shortcutsList) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape && l.onEscape != nil {
		l.onEscape()
		return
	}
	l.List.TypedKey(ev)
}
