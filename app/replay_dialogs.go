package app

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/mailhook/mailhook/engine"
	"github.com/mailhook/mailhook/storage"
)

// replayEditLimit is the largest body the editor takes: an Entry lays out
// all its text on every change, and a multi-megabyte body would freeze the
// window. Larger or binary bodies are sent unchanged.
const replayEditLimit = 32 << 10

const replayMaskedNote = "Stored URLs hide their credentials (****): a URL left as it is " +
	"goes out with the credentials of the setting it came from."

// replayToDialog asks for a URL and a format and replays ex with them.
func (a *replayActions) replayToDialog(ex storage.Exchange) {
	a.background("open-replay-to", "Replay to", nil, func() (func(), error) {
		kind := replayKind(a.ctx, a.src, ex)
		return func() { a.showReplayTo(ex, kind) }, nil
	})
}

func (a *replayActions) showReplayTo(ex storage.Exchange, kind string) {
	url := widget.NewEntry()
	url.SetText(ex.URL)
	url.Validator = func(s string) error { return engine.ValidateURL(strings.TrimSpace(s)) }
	formats := replayFormats(kind)
	format := widget.NewSelect(formats, nil)
	if slices.Contains(formats, ex.Format) {
		format.SetSelected(ex.Format)
	} else {
		format.SetSelectedIndex(0)
	}
	note := widget.NewLabel(replayMaskedNote)
	note.Wrapping = fyne.TextWrapWord
	note.Importance = widget.LowImportance
	items := []*widget.FormItem{
		widget.NewFormItem("URL", url),
		widget.NewFormItem("Format", format),
		widget.NewFormItem("", note),
	}
	d := dialog.NewForm(fmt.Sprintf("Replay #%d to…", ex.ID), "Replay", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		o := engine.ReplayOptions{}
		if u := strings.TrimSpace(url.Text); u != ex.URL {
			o.URL = u
		}
		if format.Selected != ex.Format {
			o.Format = format.Selected
		}
		a.replay(nil, ex.ID, o)
	}, a.w.win)
	d.Resize(fyne.NewSize(640, d.MinSize().Height))
	d.Show()
}

// replayEdit is the edit-and-replay dialog; fields are kept for tests.
type replayEdit struct {
	url, headers, body *widget.Entry
	bodyEditable       bool
	note               *widget.Label
	send               *widget.Button
	d                  *dialog.CustomDialog
}

// editDialog loads ex's request and opens it in an editor; Send replays the
// edited copy. The stored exchange is never changed.
func (a *replayActions) editDialog(ex storage.Exchange) {
	a.background("open-edit", "Edit and replay", nil, func() (func(), error) {
		full, err := a.src.Exchange(a.ctx, ex.ID)
		return func() { a.showEdit(full) }, err
	})
}

func (a *replayActions) showEdit(ex storage.Exchange) {
	e := &replayEdit{}
	e.url = widget.NewEntry()
	e.url.SetText(ex.URL)
	e.url.Validator = func(s string) error { return engine.ValidateURL(strings.TrimSpace(s)) }

	headerText := bodyHeaderLines(ex.RequestHeaders)
	e.headers = widget.NewMultiLineEntry()
	e.headers.TextStyle = fyne.TextStyle{Monospace: true}
	e.headers.SetText(headerText)
	e.headers.SetMinRowsVisible(6)

	bodyText := string(ex.RequestBody)
	e.body = widget.NewMultiLineEntry()
	e.body.TextStyle = fyne.TextStyle{Monospace: true}
	e.body.SetMinRowsVisible(12)
	e.bodyEditable = len(ex.RequestBody) <= replayEditLimit && utf8.Valid(ex.RequestBody) && !strings.ContainsRune(bodyText, 0)
	if e.bodyEditable {
		e.body.SetText(bodyText)
	} else {
		what := fmt.Sprintf("%d bytes", len(ex.RequestBody))
		if !utf8.Valid(ex.RequestBody) || strings.ContainsRune(bodyText, 0) {
			what += ", binary"
		}
		e.body.SetText("(" + what + ": too large or binary to edit here; sent unchanged)")
		e.body.Disable()
	}

	e.note = widget.NewLabel(replayMaskedNote + " Headers are \"Name: value\" lines; left unchanged, " +
		"they are sent as recorded with a fresh Date.")
	e.note.Wrapping = fyne.TextWrapWord
	e.note.Importance = widget.LowImportance

	form := widget.NewForm(widget.NewFormItem("URL", e.url), widget.NewFormItem("Headers", e.headers))
	content := container.NewBorder(container.NewVBox(form, widget.NewLabel("Body")), e.note, nil, nil, e.body)
	e.d = dialog.NewCustomWithoutButtons(fmt.Sprintf("Edit and replay #%d", ex.ID), content, a.w.win)
	cancel := widget.NewButton("Cancel", e.d.Hide)
	e.send = widget.NewButton("Send", func() {
		o, err := e.options(ex, headerText, bodyText)
		if err != nil {
			e.note.SetText(err.Error())
			e.note.Importance = widget.DangerImportance
			e.note.Refresh()
			return
		}
		e.d.Hide()
		a.replay(nil, ex.ID, o)
	})
	e.send.Importance = widget.HighImportance
	e.d.SetButtons([]fyne.CanvasObject{cancel, e.send})
	e.d.Resize(replayDialogSize(a.w.win, 820, 640))
	e.d.Show()
	a.edit = e
}

// options turns the editor into ReplayOptions: what was left as loaded is
// left to the engine (nil), so an untouched editor replays byte for byte.
func (e *replayEdit) options(ex storage.Exchange, headerText, bodyText string) (engine.ReplayOptions, error) {
	var o engine.ReplayOptions
	u := strings.TrimSpace(e.url.Text)
	if err := engine.ValidateURL(u); err != nil {
		return o, fmt.Errorf("URL: %w", err)
	}
	if u != ex.URL {
		o.URL = u
	}
	if e.headers.Text != headerText {
		hs, err := replayParseHeaders(e.headers.Text)
		if err != nil {
			return o, fmt.Errorf("headers: %w", err)
		}
		o.Headers = hs
	}
	if e.bodyEditable && e.body.Text != bodyText {
		o.Body = []byte(e.body.Text)
		if o.Body == nil {
			o.Body = []byte{} // emptied: send no body, not the original
		}
	}
	return o, nil
}

// compareWithDialog offers the other exchanges of ex's message (or, for a
// test fire, the recent test fires) and compares the one picked with ex.
func (a *replayActions) compareWithDialog(ex storage.Exchange) {
	a.background("open-compare", "Compare", nil, func() (func(), error) {
		var others []storage.ExchangeSummary
		if ex.MessageID != 0 {
			tl, err := a.src.Timeline(a.ctx, ex.MessageID)
			if err != nil {
				return nil, err
			}
			others = tl.Exchanges
		} else {
			recent, err := a.src.RecentExchanges(a.ctx, time.Now().Add(-7*24*time.Hour), 500)
			if err != nil {
				return nil, err
			}
			for _, o := range recent {
				if o.MessageID == 0 {
					others = append(others, o)
				}
			}
		}
		others = slices.DeleteFunc(others, func(o storage.ExchangeSummary) bool { return o.ID == ex.ID })
		return func() { a.showCompareWith(ex, others) }, nil
	})
}

func (a *replayActions) showCompareWith(ex storage.Exchange, others []storage.ExchangeSummary) {
	if len(others) == 0 {
		dialog.ShowInformation("Compare", "There is no other exchange to compare this one with.", a.w.win)
		return
	}
	labels := make([]string, len(others))
	for i, o := range others {
		labels[i] = replaySummaryLine(o)
	}
	pick := widget.NewSelect(labels, nil)
	pick.SetSelectedIndex(len(labels) - 1)
	d := dialog.NewCustomConfirm(fmt.Sprintf("Compare #%d with…", ex.ID), "Compare", "Cancel", pick, func(ok bool) {
		i := pick.SelectedIndex()
		if !ok || i < 0 {
			return
		}
		// The older one on the left, as a diff reads.
		first, second := others[i].ID, ex.ID
		if first > second {
			first, second = second, first
		}
		a.compare(first, second)
	}, a.w.win)
	d.Resize(fyne.NewSize(560, d.MinSize().Height))
	d.Show()
}

// replaySummaryLine names an exchange in a picker.
func replaySummaryLine(o storage.ExchangeSummary) string {
	status := "no answer"
	if o.Status != 0 {
		status = fmt.Sprintf("HTTP %d", o.Status)
	}
	s := fmt.Sprintf("#%d · %s · %s · %s", o.ID, timelineKindTitle(o.Kind), o.StartedAt.Local().Format("15:04:05"), status)
	if o.Recipient != "" {
		s += " · " + o.Recipient
	}
	return s
}

// replayDialogSize is w×h, shrunk to fit the window.
func replayDialogSize(win fyne.Window, w, h float32) fyne.Size {
	c := win.Canvas().Size()
	if c.Width > 0 {
		w = min(w, c.Width*0.95)
	}
	if c.Height > 0 {
		h = min(h, c.Height*0.9)
	}
	return fyne.NewSize(w, h)
}
