package app

import (
	"bytes"
	"fmt"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mailhook/mailhook/storage"
)

// diffModel is two exchanges side by side, ready to draw: built off the
// Fyne goroutine by diffBuild.
type diffModel struct {
	leftTitle, rightTitle   string
	leftStatus, rightStatus string
	rows                    []diffRow // section title rows, then that section's lines
	changed                 int       // rows that differ
	requests                bool      // the requests differ, so they are shown too
	notes                   []string  // what was left out
}

// diffBuild compares a (left) with b (right): status and decision, the
// response headers and body, and the request's when the two requests are
// not the same (an edited replay, another URL or format).
func diffBuild(a, b storage.Exchange) diffModel {
	m := diffModel{
		leftTitle: diffTitle(a), rightTitle: diffTitle(b),
		leftStatus: inspectorStatusText(a), rightStatus: inspectorStatusText(b),
	}
	m.section("Status", diffDecision(a), diffDecision(b))
	m.section("Response headers", bodyHeaderLines(a.ResponseHeaders), bodyHeaderLines(b.ResponseHeaders))
	m.section("Response body", diffBodyText(a.ResponseHeaders, a.ResponseBody), diffBodyText(b.ResponseHeaders, b.ResponseBody))
	reqA := a.Method + " " + a.URL + "\n" + bodyHeaderLines(a.RequestHeaders)
	reqB := b.Method + " " + b.URL + "\n" + bodyHeaderLines(b.RequestHeaders)
	if reqA != reqB || !bytes.Equal(a.RequestBody, b.RequestBody) {
		m.requests = true
		m.section("Request", reqA, reqB)
		m.section("Request body", diffBodyText(a.RequestHeaders, a.RequestBody), diffBodyText(b.RequestHeaders, b.RequestBody))
	}
	return m
}

func (m *diffModel) section(name, left, right string) {
	l, cutL := diffSplit(left)
	r, cutR := diffSplit(right)
	if cutL || cutR {
		m.notes = append(m.notes, fmt.Sprintf("%s: only the first %d lines are compared.", name, diffMaxLines))
	}
	m.rows = append(m.rows, diffRow{Section: name})
	for _, row := range diffSideBySide(diffLines(l, r)) {
		if row.Changed {
			m.changed++
		}
		m.rows = append(m.rows, row)
	}
}

// summary is one line on what differs.
func (m *diffModel) summary() string {
	var s string
	switch m.changed {
	case 0:
		s = "No difference in status, headers or bodies."
	case 1:
		s = "1 line differs."
	default:
		s = fmt.Sprintf("%d lines differ.", m.changed)
	}
	if m.requests {
		s += " The requests differ too: they are compared below the responses."
	} else {
		s += " The requests are the same."
	}
	return strings.Join(append([]string{s}, m.notes...), " ")
}

func diffTitle(ex storage.Exchange) string {
	return fmt.Sprintf("#%d · %s · %s", ex.ID, inspectorKindText(ex), ex.StartedAt.Local().Format("15:04:05.000"))
}

// diffDecision is the status and what it decided, one item a line.
func diffDecision(ex storage.Exchange) string {
	lines := []string{inspectorStatusText(ex)}
	if ex.Outcome != "" {
		lines = append(lines, "outcome: "+ex.Outcome)
	}
	if ex.SMTPReply != "" {
		lines = append(lines, "SMTP reply: "+ex.SMTPReply)
	}
	return strings.Join(lines, "\n")
}

// diffBodyText is a body as lines worth comparing: JSON and XML indented,
// form fields and multipart parts one per line, binary as its summary.
func diffBodyText(headers []storage.Header, body []byte) string {
	v := bodyViewOf(bodyHeader(headers, "Content-Type"), body)
	var b strings.Builder
	switch v.Kind {
	case bodyKindEmpty:
		return ""
	case bodyKindJSON, bodyKindXML, bodyKindText:
		return v.Text
	case bodyKindForm:
		for _, f := range v.Fields {
			fmt.Fprintf(&b, "%s = %s\n", f[0], f[1])
		}
	case bodyKindMultipart:
		for _, p := range v.Parts {
			fmt.Fprintf(&b, "[%s]", p.Name)
			if p.FileName != "" {
				fmt.Fprintf(&b, " %q", p.FileName)
			}
			fmt.Fprintf(&b, " %s, %d bytes\n", inspectorOr(p.ContentType, "text/plain"), p.Size)
			if p.HasValue {
				for _, line := range strings.Split(p.Value, "\n") {
					b.WriteString("  " + line + "\n")
				}
			}
		}
	default:
		return "(" + v.Summary + ")"
	}
	return b.String()
}

// diffView shows a diffModel: both titles and statuses on top, then a
// virtualised list of side-by-side lines, changed ones tinted (red on the
// left, green on the right) and marked − and +. Selecting a row shows both
// lines in full underneath.
type diffView struct {
	model                   diffModel
	leftStatus, rightStatus *widget.Label
	summary                 *widget.Label
	list                    *widget.List
	detail                  *widget.Label
	obj                     fyne.CanvasObject
}

func newDiffView(m diffModel) *diffView {
	v := &diffView{model: m}
	v.leftStatus = diffStatusLabel(m.leftStatus)
	v.rightStatus = diffStatusLabel(m.rightStatus)
	side := func(title string, status *widget.Label) fyne.CanvasObject {
		t := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		t.Truncation = fyne.TextTruncateEllipsis
		return container.NewVBox(t, status)
	}
	v.summary = widget.NewLabel(m.summary())
	v.summary.Wrapping = fyne.TextWrapWord
	v.list = widget.NewList(func() int { return len(v.model.rows) }, newDiffRowView, func(i widget.ListItemID, o fyne.CanvasObject) {
		if i >= 0 && i < len(v.model.rows) {
			o.(*diffRowView).set(v.model.rows[i])
		}
	})
	v.detail = widget.NewLabel("Select a line to read it in full.")
	v.detail.Wrapping = fyne.TextWrapWord
	v.detail.Selectable = true
	v.detail.Importance = widget.LowImportance
	v.list.OnSelected = func(i widget.ListItemID) {
		if i < 0 || i >= len(v.model.rows) || v.model.rows[i].Section != "" {
			return
		}
		r := v.model.rows[i]
		v.detail.SetText("left:  " + diffOr(r.Left, r.HasLeft) + "\nright: " + diffOr(r.Right, r.HasRight))
	}
	top := container.NewVBox(container.NewGridWithColumns(2, side(m.leftTitle, v.leftStatus), side(m.rightTitle, v.rightStatus)), v.summary)
	v.obj = container.NewBorder(top, container.NewVScroll(v.detail), nil, nil, v.list)
	return v
}

func diffOr(s string, has bool) string {
	if !has {
		return "(no line)"
	}
	return s
}

func diffStatusLabel(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Selectable = true
	l.Truncation = fyne.TextTruncateEllipsis
	switch {
	case strings.HasPrefix(text, "no answer"), strings.HasPrefix(text, "4"):
		l.Importance = widget.DangerImportance
	case strings.HasPrefix(text, "5"):
		l.Importance = widget.WarningImportance
	case strings.HasPrefix(text, "2"):
		l.Importance = widget.SuccessImportance
	}
	return l
}

// diffRowView is one list row: two monospace cells over tints.
type diffRowView struct {
	widget.BaseWidget
	bg   [2]*canvas.Rectangle
	text [2]*widget.Label
}

func newDiffRowView() fyne.CanvasObject {
	r := &diffRowView{}
	for i := range r.bg {
		r.bg[i] = canvas.NewRectangle(color.Transparent)
		r.text[i] = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
		r.text[i].Truncation = fyne.TextTruncateEllipsis
	}
	r.ExtendBaseWidget(r)
	return r
}

func (r *diffRowView) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewGridWithColumns(2,
		container.NewStack(r.bg[0], r.text[0]), container.NewStack(r.bg[1], r.text[1])))
}

func (r *diffRowView) set(row diffRow) {
	if row.Section != "" {
		r.cell(0, row.Section, color.Transparent, fyne.TextStyle{Bold: true})
		r.cell(1, "", color.Transparent, fyne.TextStyle{})
		return
	}
	mono := fyne.TextStyle{Monospace: true}
	left, right := "  "+row.Left, "  "+row.Right
	var lc, rc color.Color = color.Transparent, color.Transparent
	if row.Changed {
		if row.HasLeft {
			left, lc = "− "+row.Left, diffTint(theme.ColorNameError)
		}
		if row.HasRight {
			right, rc = "+ "+row.Right, diffTint(theme.ColorNameSuccess)
		}
	}
	if !row.HasLeft {
		left = ""
	}
	if !row.HasRight {
		right = ""
	}
	r.cell(0, left, lc, mono)
	r.cell(1, right, rc, mono)
}

func (r *diffRowView) cell(i int, text string, tint color.Color, style fyne.TextStyle) {
	r.bg[i].FillColor = tint
	r.bg[i].Refresh()
	r.text[i].TextStyle = style
	r.text[i].SetText(strings.ReplaceAll(text, "\t", "    "))
}

// diffTint is a theme colour made light enough to read text over.
func diffTint(name fyne.ThemeColorName) color.Color {
	c := color.NRGBAModel.Convert(theme.Color(name)).(color.NRGBA)
	c.A = 0x48
	return c
}

// compare opens the diff view of exchanges left and right.
func (a *replayActions) compare(left, right int64) {
	a.background("diff", "Compare", nil, func() (func(), error) {
		l, err := a.src.Exchange(a.ctx, left)
		if err != nil {
			return nil, err
		}
		r, err := a.src.Exchange(a.ctx, right)
		if err != nil {
			return nil, err
		}
		m := diffBuild(l, r)
		return func() { a.showDiff(m) }, nil
	})
}

func (a *replayActions) showDiff(m diffModel) {
	v := newDiffView(m)
	d := dialog.NewCustom("Compare", "Close", v.obj, a.w.win)
	d.Resize(replayDialogSize(a.w.win, 1200, 760))
	d.Show()
	a.diff = v
}
