package app

import (
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// A label's text is cut into chunks of at most this many lines and bytes.
// Fyne 2.7's RichText converts its whole text to runes once per row on every
// refresh, so one label's cost grows with lines × bytes: 256 KB of indented
// JSON in one label took 12 s to lay out.
const (
	inspectorChunkLines = 32
	inspectorChunkBytes = 4 << 10
)

// inspectorText is long, selectable, word-wrapped text (bodies, headers,
// sources) shown as a column of small labels that read as one. Callers cap
// the text (bodyTextLimit). A selection stays within one chunk; a body's
// Copy button takes everything.
type inspectorText struct {
	text string
	mono bool
	box  *fyne.Container
}

func newInspectorText(text string, mono bool) *inspectorText {
	// Each label pads its text above and below; overlap the padding so the
	// chunks' lines are spaced like the lines within a chunk.
	pad := -2 * theme.Size(theme.SizeNameInnerPadding)
	t := &inspectorText{text: text, mono: mono}
	t.box = container.New(layout.NewCustomPaddedVBoxLayout(pad), t.labels(text)...)
	return t
}

func (t *inspectorText) object() fyne.CanvasObject { return t.box }

// set replaces the text; Fyne goroutine only.
func (t *inspectorText) set(text string) {
	t.text = text
	t.box.Objects = t.labels(text)
	t.box.Refresh()
}

func (t *inspectorText) labels(text string) []fyne.CanvasObject {
	chunks := inspectorChunks(text, inspectorChunkLines, inspectorChunkBytes)
	objs := make([]fyne.CanvasObject, len(chunks))
	for i, c := range chunks {
		l := widget.NewLabelWithStyle(c, fyne.TextAlignLeading, fyne.TextStyle{Monospace: t.mono})
		l.Selectable = true
		l.Wrapping = fyne.TextWrapWord
		objs[i] = l
	}
	return objs
}

// inspectorChunks cuts text into pieces of at most maxLines lines and
// maxBytes bytes (a longer line is cut on a rune boundary and continues in
// the next piece). Each piece's final newline is dropped: stacked labels
// already start on a new line.
func inspectorChunks(text string, maxLines, maxBytes int) []string {
	var chunks []string
	var cur strings.Builder
	lines := 0
	flush := func() {
		chunks = append(chunks, strings.TrimSuffix(cur.String(), "\n"))
		cur.Reset()
		lines = 0
	}
	for line := range strings.Lines(text) {
		cutOne := len(line) > maxBytes
		for len(line) > maxBytes {
			if cur.Len() > 0 {
				flush()
			}
			cut := maxBytes
			for cut > 0 && !utf8.RuneStart(line[cut]) {
				cut--
			}
			chunks = append(chunks, line[:cut])
			line = line[cut:]
		}
		if cutOne && (line == "\n" || line == "") {
			continue // the next label starts a new line anyway
		}
		if lines == maxLines || cur.Len()+len(line) > maxBytes {
			flush()
		}
		cur.WriteString(line)
		lines++
	}
	if cur.Len() > 0 || len(chunks) == 0 {
		flush()
	}
	return chunks
}
