package app

import (
	"image/color"

	"fyne.io/fyne/v2/theme"

	"github.com/mailhook/mailhook/storage"
)

// outcomeLook is the label and chip colour of an outcome, as CloudMailin's
// dashboard shows them: green accepted, red rejected, amber delayed.
func outcomeLook(outcome string) (string, color.Color) {
	switch outcome {
	case storage.OutcomeAccepted:
		return "accepted", color.NRGBA{R: 0x2e, G: 0x9d, B: 0x4f, A: 0x90}
	case storage.OutcomeRejected:
		return "rejected", color.NRGBA{R: 0xd6, G: 0x3a, B: 0x3a, A: 0x90}
	case storage.OutcomeDelayed:
		return "delayed", color.NRGBA{R: 0xe8, G: 0xa3, B: 0x17, A: 0x90}
	}
	return "no data", theme.Color(theme.ColorNameDisabled)
}
