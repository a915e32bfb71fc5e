package app

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mailhook/mailhook/storage"
)

// historyRow is one transaction in the list: outcome chip, HTTP status,
// time, subject, and from → recipients.
type historyRow struct {
	widget.BaseWidget
	chip    *canvas.Rectangle
	outcome *widget.Label
	status  *widget.Label
	when    *widget.Label
	subject *widget.Label
	route   *widget.Label
}

func newHistoryRow() fyne.CanvasObject {
	r := &historyRow{
		chip:    canvas.NewRectangle(theme.Color(theme.ColorNameDisabled)),
		outcome: widget.NewLabel("accepted"),
		status:  widget.NewLabel("000"),
		when:    widget.NewLabel("00:00:00"),
		subject: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		route:   widget.NewLabel(""),
	}
	r.subject.Truncation = fyne.TextTruncateEllipsis
	r.route.Truncation = fyne.TextTruncateEllipsis
	r.chip.CornerRadius = 6
	r.chip.SetMinSize(fyne.NewSize(90, 0))
	r.ExtendBaseWidget(r)
	return r
}

func (r *historyRow) CreateRenderer() fyne.WidgetRenderer {
	chip := container.NewStack(r.chip, r.outcome)
	left := container.NewHBox(chip, r.status, r.when)
	text := container.NewGridWithColumns(2, r.subject, r.route)
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, left, nil, text))
}

func (r *historyRow) set(m storage.MessageSummary) {
	label, col := outcomeLook(m.Outcome)
	r.outcome.SetText(label)
	r.chip.FillColor = col
	r.chip.Refresh()
	status := "—"
	if m.Status != 0 {
		status = fmt.Sprintf("%d", m.Status)
	}
	r.status.SetText(status)
	r.when.SetText(m.CreatedAt.Local().Format("15:04:05"))
	subject := m.Subject
	if subject == "" {
		subject = "(no subject)"
	}
	r.subject.SetText(subject)
	from := m.MailFrom
	if from == "" {
		from = "<>"
	}
	r.route.SetText(from + " → " + strings.Join(m.Recipients, ", "))
}
