package app

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mailhook/mailhook/engine"
	"github.com/mailhook/mailhook/engine/webhook"
)

// statusBarCopiedFor is how long "copied" stays after the address is copied.
const statusBarCopiedFor = 1500 * time.Millisecond

// statusBar is the line at the bottom of the window: whether mail is being
// accepted, where to send it, and where it goes. Touched on the Fyne
// goroutine only; the lead calls refresh on EventListenerChanged.
type statusBar struct {
	a   fyne.App
	src Source

	stateIcon *widget.Icon
	state     *widget.Label
	smtp      *widget.Button // tap copies the address
	copied    *widget.Label
	urls      *widget.Label
	box       fyne.CanvasObject

	copiedFor time.Duration
	copies    int // which copy the pending "copied" timer belongs to
}

func newStatusBar(a fyne.App, src Source) *statusBar {
	b := &statusBar{a: a, src: src, copiedFor: statusBarCopiedFor}
	b.stateIcon = widget.NewIcon(nil)
	b.state = widget.NewLabel("")
	b.smtp = widget.NewButtonWithIcon("", theme.ContentCopyIcon(), b.copyAddr)
	b.smtp.Importance = widget.LowImportance
	b.copied = widget.NewLabel("copied")
	b.copied.Importance = widget.SuccessImportance
	b.copied.Hide()
	b.urls = widget.NewLabel("")
	b.urls.Truncation = fyne.TextTruncateEllipsis // long URLs never widen the window
	left := container.NewHBox(b.stateIcon, b.state, widget.NewLabel("SMTP"), b.smtp, b.copied)
	b.box = container.NewBorder(widget.NewSeparator(), nil, left, nil, b.urls)
	b.refresh()
	return b
}

func (b *statusBar) object() fyne.CanvasObject { return b.box }

// refresh re-reads addresses, URLs and state from the engine.
func (b *statusBar) refresh() {
	b.smtp.SetText(b.src.SMTPAddr())
	b.urls.SetText(statusBarURLs(b.src.Config()))
	text, icon, importance := statusBarState(b.src.Listening(), b.src.Paused())
	b.state.Importance = importance
	b.state.SetText(text)
	b.stateIcon.SetResource(icon)
}

func (b *statusBar) copyAddr() {
	b.a.Clipboard().SetContent(b.src.SMTPAddr())
	b.copies++
	n := b.copies
	b.copied.Show()
	time.AfterFunc(b.copiedFor, func() {
		fyne.Do(func() {
			if n == b.copies { // a later copy restarts the feedback
				b.copied.Hide()
			}
		})
	})
}

// statusBarURLs is where mail goes, credentials masked.
func statusBarURLs(cfg engine.Config) string {
	return fmt.Sprintf("target %s (%s)  ·  authorization %s  ·  error callback %s",
		webhook.MaskURL(cfg.TargetURL), cfg.Format, statusBarOptionalURL(cfg.AuthURL), statusBarOptionalURL(cfg.ErrorURL))
}

func statusBarOptionalURL(u string) string {
	if u == "" {
		return "off"
	}
	return webhook.MaskURL(u)
}

// statusBarState is the listening indicator; theme colours, so it reads in
// both light and dark variants.
func statusBarState(listening, paused bool) (string, fyne.Resource, widget.Importance) {
	switch {
	case !listening:
		return "stopped", theme.NewErrorThemedResource(theme.MediaStopIcon()), widget.DangerImportance
	case paused:
		return "paused", theme.NewWarningThemedResource(theme.MediaPauseIcon()), widget.WarningImportance
	}
	return "listening", theme.NewSuccessThemedResource(theme.MediaRecordIcon()), widget.SuccessImportance
}
