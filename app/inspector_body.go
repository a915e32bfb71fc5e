package app

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// inspectorBody shows one bodyView: its summary line, then the text (JSON,
// XML, text), a table of form fields or of multipart parts, or nothing more
// (empty, binary). Selecting a row shows its whole value underneath.
type inspectorBody struct {
	view    bodyView
	summary *widget.Label
	text    *inspectorText // JSON, XML, text; nil otherwise
	table   *widget.Table  // form fields or parts; nil otherwise
	detail  *inspectorText // the selected field or part in full
	obj     fyne.CanvasObject
}

func newInspectorBody(v bodyView) *inspectorBody {
	b := &inspectorBody{view: v}
	b.summary = widget.NewLabel(v.Summary)
	b.summary.Importance = widget.LowImportance
	b.summary.Truncation = fyne.TextTruncateEllipsis
	top := fyne.CanvasObject(b.summary)
	var center fyne.CanvasObject
	switch v.Kind {
	case bodyKindJSON, bodyKindXML, bodyKindText:
		b.text = newInspectorText(v.Text, true)
		center = container.NewVScroll(b.text.object())
		top = container.NewBorder(nil, nil, nil, inspectorCopyButton(v.Text), b.summary)
	case bodyKindForm:
		rows := make([][]string, len(v.Fields))
		for i, f := range v.Fields {
			rows[i] = []string{f[0], f[1]}
		}
		center = b.withTable([]string{"Name", "Value"}, []float32{180, 420}, rows, func(i int) string {
			return v.Fields[i][0] + " =\n" + v.Fields[i][1]
		})
	case bodyKindMultipart:
		rows := make([][]string, len(v.Parts))
		for i, p := range v.Parts {
			rows[i] = []string{p.Name, p.FileName, p.ContentType, fmt.Sprint(p.Size)}
		}
		center = b.withTable([]string{"Name", "File name", "Type", "Bytes"}, []float32{180, 160, 140, 80}, rows, func(i int) string {
			return inspectorPartDetail(v.Parts[i])
		})
	}
	if center == nil {
		b.obj = container.NewVBox(top)
	} else {
		b.obj = container.NewBorder(top, nil, nil, nil, center)
	}
	return b
}

// withTable builds a virtualised table of rows (a form can hold thousands
// of fields) with the selected row's full text below it.
func (b *inspectorBody) withTable(headers []string, widths []float32, rows [][]string, detail func(row int) string) fyne.CanvasObject {
	b.detail = newInspectorText("Select a row to see its value in full.", true)
	b.table = widget.NewTableWithHeaders(
		func() (int, int) { return len(rows), len(headers) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			if id.Row < len(rows) && id.Col < len(headers) {
				o.(*widget.Label).SetText(inspectorCell(rows[id.Row][id.Col]))
			}
		})
	b.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	b.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		l := o.(*widget.Label)
		switch {
		case id.Row < 0 && id.Col >= 0 && id.Col < len(headers):
			l.SetText(headers[id.Col])
		case id.Col < 0:
			l.SetText(fmt.Sprint(id.Row + 1)) // row numbers make repeats easy to count
		default:
			l.SetText("")
		}
	}
	for i, w := range widths {
		b.table.SetColumnWidth(i, w)
	}
	b.table.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(rows) {
			b.detail.set(detail(id.Row))
		}
	}
	split := container.NewVSplit(b.table, container.NewVScroll(b.detail.object()))
	split.Offset = 0.6
	return split
}

// inspectorCell is a value as one short line: the cell ellipsises it
// anyway, and the detail below shows it whole with its newlines.
func inspectorCell(s string) string {
	const max = 512
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
	return strings.ReplaceAll(s, "\n", "⏎")
}

func inspectorPartDetail(p bodyPart) string {
	head := p.Name
	if p.FileName != "" {
		head += " (" + p.FileName + ")"
	}
	switch {
	case p.HasValue:
		return head + " =\n" + p.Value
	case p.FileName != "":
		return fmt.Sprintf("%s: file part, %d bytes, type %s", head, p.Size, p.ContentType)
	}
	return fmt.Sprintf("%s: %d bytes, type %s, not shown (too large or not text)", head, p.Size, p.ContentType)
}

// inspectorCopyButton copies text whole: a selection stays within one
// chunk of an inspectorText.
func inspectorCopyButton(text string) *widget.Button {
	return widget.NewButton("Copy", func() { fyne.CurrentApp().Clipboard().SetContent(text) })
}
