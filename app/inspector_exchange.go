package app

import (
	"fmt"
	"net/http"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/mailhook/mailhook/storage"
)

// inspectorExchangeView shows one HTTP exchange: a summary grid (what, when,
// how long, where to, the answer and what it decided), then the request and
// the response in tabs.
type inspectorExchangeView struct {
	status  *widget.Label  // "200 OK", or the error when no answer came
	open    *widget.Button // shows the message; nil for a test fire
	reqHead *inspectorText
	req     *inspectorBody
	resHead *inspectorText
	res     *inspectorBody
	tabs    *container.AppTabs
	obj     fyne.CanvasObject

	ex      storage.Exchange // as shown (bodies dropped); the actions act on it
	actions *fyne.Container  // replay, compare and export buttons; see setActions
}

// setActions puts the action bar (replay, compare, export) under the
// summary; the window fills it after each load. Fyne goroutine only.
func (v *inspectorExchangeView) setActions(o fyne.CanvasObject) {
	v.actions.Objects = []fyne.CanvasObject{o}
	v.actions.Show()
	v.obj.Refresh() // lays the summary out again with the bar's height
}

// newInspectorExchangeView builds the view; the bodies are already made
// readable off the Fyne goroutine. openMessage shows the message the
// exchange belongs to.
func newInspectorExchangeView(ex storage.Exchange, req, res bodyView, openMessage func(id int64)) *inspectorExchangeView {
	v := &inspectorExchangeView{ex: ex, actions: container.NewStack()}
	v.actions.Hide() // until setActions: a bare pane has no actions
	v.status = widget.NewLabel(inspectorStatusText(ex))
	v.status.Selectable = true
	v.status.Wrapping = fyne.TextWrapWord
	switch {
	case ex.Status == 0:
		v.status.Importance = widget.DangerImportance
	case ex.Status >= 500:
		v.status.Importance = widget.WarningImportance
	case ex.Status >= 400:
		v.status.Importance = widget.DangerImportance
	}
	outcome := widget.NewLabel("no decision")
	outcome.Importance = widget.LowImportance
	if ex.Outcome != "" {
		outcome.SetText(inspectorOutcomeText(ex.Outcome))
		outcome.Importance = inspectorOutcomeImportance(ex.Outcome)
	}
	reply := widget.NewLabel(ex.SMTPReply)
	reply.Selectable = true
	reply.Wrapping = fyne.TextWrapWord
	url := widget.NewLabel(ex.Method + " " + ex.URL) // masked by the engine
	url.Selectable = true
	url.Truncation = fyne.TextTruncateEllipsis

	var step fyne.CanvasObject = widget.NewLabel(fmt.Sprintf("%s · %s · took %d ms", inspectorKindText(ex),
		ex.StartedAt.Local().Format("2006-01-02 15:04:05.000"), ex.DurationMS))
	if ex.MessageID != 0 && openMessage != nil {
		v.open = widget.NewButton("Message", func() { openMessage(ex.MessageID) })
		step = container.NewBorder(nil, nil, nil, v.open, step)
	}
	// Four rows: the pane sits under the timeline and height is scarce.
	grid := container.New(layout.NewFormLayout(),
		inspectorKey("Step"), step,
		inspectorKey("Request"), url,
		inspectorKey("Response"), v.status,
		inspectorKey("Decided"), container.NewBorder(nil, nil, outcome, nil, reply),
	)

	v.reqHead = newInspectorText(inspectorOr(bodyHeaderLines(ex.RequestHeaders), "(no headers)"), true)
	v.req = newInspectorBody(req)
	v.resHead = newInspectorText(inspectorOr(bodyHeaderLines(ex.ResponseHeaders), "(no headers)"), true)
	v.res = newInspectorBody(res)

	v.tabs = container.NewAppTabs(
		container.NewTabItem("Request", inspectorHeadersAndBody(v.reqHead, v.req)),
		container.NewTabItem("Response", container.NewBorder(inspectorResponseNotes(ex), nil, nil, nil,
			inspectorHeadersAndBody(v.resHead, v.res))),
	)
	v.obj = container.NewBorder(container.NewVBox(grid, v.actions), nil, nil, nil, v.tabs)
	return v
}

// inspectorHeadersAndBody puts headers above the body; the split lets a
// long header list give way to the body.
func inspectorHeadersAndBody(headers *inspectorText, body *inspectorBody) fyne.CanvasObject {
	split := container.NewVSplit(container.NewVScroll(headers.object()), body.obj)
	split.Offset = 0.3
	return split
}

// inspectorResponseNotes says what is special about the answer: cut at the
// size limit, redirects followed. Nil when nothing is.
func inspectorResponseNotes(ex storage.Exchange) fyne.CanvasObject {
	var lines []string
	if ex.ResponseTruncated {
		lines = append(lines, "Body truncated at 1 MiB: only the start was recorded.")
	}
	if len(ex.Hops) > 1 {
		lines = append(lines, "Redirects followed:")
		for i, h := range ex.Hops {
			status := "no answer"
			if h.Status != 0 {
				status = fmt.Sprint(h.Status)
			}
			lines = append(lines, fmt.Sprintf("  %d. %s  %s", i+1, status, h.URL))
		}
	}
	if len(lines) == 0 {
		return nil
	}
	l := widget.NewLabel(strings.Join(lines, "\n"))
	l.Selectable = true
	l.Importance = widget.WarningImportance
	return l
}

func inspectorStatusText(ex storage.Exchange) string {
	if ex.Status == 0 {
		return "no answer: " + inspectorOr(ex.Error, "unknown error")
	}
	s := fmt.Sprintf("%d %s", ex.Status, http.StatusText(ex.Status))
	if ex.Error != "" {
		s += " · " + ex.Error
	}
	return s
}

func inspectorKindText(ex storage.Exchange) string {
	s := ex.Kind
	switch ex.Kind {
	case storage.KindDelivery:
		s = "Delivery attempt"
	case storage.KindAuthorization:
		s = "Authorization of " + ex.Recipient
	case storage.KindErrorCallback:
		s = "Error callback"
	case storage.KindReplay:
		s = "Replay"
	case storage.KindTest:
		s = "Test fire"
	}
	if ex.Format != "" {
		s += " · " + ex.Format
	}
	if ex.ReplayOf != 0 {
		s += fmt.Sprintf(" · replays #%d", ex.ReplayOf)
	}
	if ex.ParentID != 0 {
		s += fmt.Sprintf(" · reports #%d", ex.ParentID)
	}
	return s
}

func inspectorOutcomeText(outcome string) string {
	text, _ := outcomeLook(outcome)
	return text
}

// inspectorOutcomeImportance colours an outcome like the history chips:
// green accepted, red rejected, amber delayed.
func inspectorOutcomeImportance(outcome string) widget.Importance {
	switch outcome {
	case storage.OutcomeAccepted:
		return widget.SuccessImportance
	case storage.OutcomeRejected:
		return widget.DangerImportance
	case storage.OutcomeDelayed:
		return widget.WarningImportance
	}
	return widget.MediumImportance
}

func inspectorKey(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
}

func inspectorOr(s, empty string) string {
	if s == "" {
		return empty
	}
	return s
}
