// Package assets holds Mailhook's bundled resources.
package assets

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

//go:embed icon.png
var iconPNG []byte

// Icon is the app icon used by the window, the tray and FyneApp.toml.
func Icon() fyne.Resource { return fyne.NewStaticResource("icon.png", iconPNG) }
