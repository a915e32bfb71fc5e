package app

import (
	"context"
	"fmt"
	"mime"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/mailhook/mailhook/engine/payload"
)

// inspectorMessage is a message made ready to show, off the Fyne goroutine:
// texts are cut at bodyTextLimit, the bytes to save are kept whole.
type inspectorMessage struct {
	id          int64
	subject     string
	headers     string
	warnings    []string
	plain, html string // "" with has… false when the part is absent
	hasPlain    bool
	hasHTML     bool
	attachments []payload.Attachment
	raw         []byte
	rawText     string
}

func inspectorLoadMessage(ctx context.Context, src Source, id int64) (inspectorMessage, error) {
	msg, err := src.ParsedMessage(ctx, id)
	if err != nil {
		return inspectorMessage{}, err
	}
	raw, err := src.RawMessage(ctx, id)
	if err != nil {
		return inspectorMessage{}, err
	}
	m := inspectorMessage{id: id, subject: msg.Subject, warnings: msg.Warnings, attachments: msg.Attachments, raw: raw}
	var h strings.Builder
	for i, f := range msg.Headers {
		if i > 0 {
			h.WriteByte('\n')
		}
		h.WriteString(f.Name + ": " + f.Value)
	}
	m.headers = bodyCap(h.String())
	if msg.Plain != nil {
		m.plain, m.hasPlain = bodyCap(*msg.Plain), true
	}
	if msg.HTML != nil {
		m.html, m.hasHTML = bodyCap(*msg.HTML), true
	}
	// Raw mail may carry 8-bit bytes in any charset; show them replaced,
	// save them untouched.
	m.rawText = strings.ToValidUTF8(bodyCap(raw), "\uFFFD")
	return m, nil
}

// inspectorMessageView shows a message in tabs: headers in order, the plain
// and HTML bodies, the attachments (each can be saved) and the raw source
// (can be saved as .eml).
type inspectorMessageView struct {
	headers *inspectorText
	plain   *inspectorText
	html    *inspectorText
	raw     *inspectorText
	files   *widget.List
	tabs    *container.AppTabs
	obj     fyne.CanvasObject
}

// newInspectorMessageView builds the view; save asks where to write bytes.
func newInspectorMessageView(m inspectorMessage, save func(fileName string, data []byte)) *inspectorMessageView {
	v := &inspectorMessageView{}
	title := widget.NewLabelWithStyle(fmt.Sprintf("Message #%d · %s · %d bytes", m.id, inspectorOr(m.subject, "(no subject)"), len(m.raw)),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Truncation = fyne.TextTruncateEllipsis

	headerText := m.headers
	if len(m.warnings) > 0 {
		headerText += "\n\nThe parser forgave:\n  " + strings.Join(m.warnings, "\n  ")
	}
	v.headers = newInspectorText(headerText, true)
	v.plain = inspectorProse(m.plain, m.hasPlain, "This message has no text/plain part.")
	v.html = inspectorProse(m.html, m.hasHTML, "This message has no text/html part.")
	v.raw = newInspectorText(m.rawText, true)
	saveRaw := widget.NewButton("Save as .eml…", func() { save(fmt.Sprintf("message-%d.eml", m.id), m.raw) })

	v.tabs = container.NewAppTabs(
		container.NewTabItem("Headers", container.NewVScroll(v.headers.object())),
		container.NewTabItem("Plain", container.NewVScroll(v.plain.object())),
		container.NewTabItem("HTML source", container.NewVScroll(v.html.object())),
		container.NewTabItem(fmt.Sprintf("Attachments (%d)", len(m.attachments)), v.attachmentList(m.attachments, save)),
		container.NewTabItem("Raw", container.NewBorder(
			container.NewBorder(nil, nil, nil, saveRaw, widget.NewLabel(fmt.Sprintf("%d bytes as received", len(m.raw)))),
			nil, nil, nil, container.NewVScroll(v.raw.object()))),
	)
	v.obj = container.NewBorder(title, nil, nil, nil, v.tabs)
	return v
}

// attachmentList lists name, type and size with a Save… button each.
func (v *inspectorMessageView) attachmentList(files []payload.Attachment, save func(string, []byte)) fyne.CanvasObject {
	if len(files) == 0 {
		return container.NewPadded(widget.NewLabel("No attachments."))
	}
	v.files = widget.NewList(
		func() int { return len(files) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, nil, widget.NewButton("Save…", nil), l)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < 0 || i >= len(files) {
				return
			}
			a, name := files[i], inspectorFileName(files[i], i)
			c := o.(*fyne.Container)
			text := fmt.Sprintf("%s · %s · %d bytes · %s", name, a.ContentType, len(a.Content), a.Disposition)
			if a.ContentID != "" {
				text += " " + a.ContentID
			}
			c.Objects[0].(*widget.Label).SetText(text)
			c.Objects[1].(*widget.Button).OnTapped = func() { save(name, a.Content) }
		})
	return v.files
}

// inspectorFileName is the name to suggest when saving an attachment: the
// sender's file name without any directory, or a made-up one with an
// extension matching its type.
func inspectorFileName(a payload.Attachment, i int) string {
	name := filepath.Base(strings.ReplaceAll(a.FileName, `\`, "/"))
	if name != "" && name != "." && name != "/" && name != ".." {
		return name
	}
	name = fmt.Sprintf("attachment-%d", i+1)
	if exts, _ := mime.ExtensionsByType(a.ContentType); len(exts) > 0 {
		name += exts[0]
	}
	return name
}

// inspectorProse is the text of a body part, or a note that there is none.
func inspectorProse(text string, present bool, absent string) *inspectorText {
	if !present {
		return newInspectorText(absent, false)
	}
	return newInspectorText(text, false)
}
