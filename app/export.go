package app

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	fynestorage "fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"
)

// copyCurl puts a curl command that reproduces exchange id on the
// clipboard; btn, when set, says "Copied" for a moment.
func (a *replayActions) copyCurl(btn *widget.Button, id int64) {
	a.background("curl", "Copy as curl", nil, func() (func(), error) {
		cmd, err := a.src.CurlCommand(a.ctx, id)
		return func() {
			a.app.Clipboard().SetContent(cmd)
			if btn == nil {
				return
			}
			text := btn.Text
			btn.SetText("Copied")
			go func() {
				select {
				case <-time.After(1500 * time.Millisecond):
					fyne.Do(func() { btn.SetText(text) })
				case <-a.ctx.Done(): // the window closed
				}
			}()
		}, err
	})
}

// exportHAR asks where to save, then writes the HAR of exchanges ids there,
// read and written off the Fyne goroutine (a timeline of 5 MB deliveries
// is large).
func (a *replayActions) exportHAR(ids []int64, fileName string) {
	if len(ids) == 0 {
		dialog.ShowInformation("Export HAR", "There is no HTTP exchange to export.", a.w.win)
		return
	}
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			dialog.ShowError(err, a.w.win)
			return
		}
		if w == nil { // cancelled
			return
		}
		a.background("har", "Export HAR", nil, func() (func(), error) {
			har, err := a.src.HAR(a.ctx, ids)
			if err == nil {
				_, err = w.Write(har)
			}
			if cerr := w.Close(); err == nil {
				err = cerr
			}
			return nil, err
		})
	}, a.w.win)
	d.SetFileName(fileName)
	d.SetFilter(fynestorage.NewExtensionFileFilter([]string{".har"}))
	d.Show()
}

// exportTimelineHAR exports every exchange of the selected message's
// timeline (its redeliveries, callbacks and replays too).
func (a *replayActions) exportTimelineHAR() {
	id := a.w.selected.Load()
	if id == 0 {
		dialog.ShowInformation("Export HAR", "Select a message first: its whole timeline is exported.", a.w.win)
		return
	}
	a.exportMessagesHAR([]int64{id}, fmt.Sprintf("mailhook-message-%d.har", id))
}

// exportFilterHAR exports every exchange of the messages the history list
// shows (its search and outcome filter applied), with their timelines.
func (a *replayActions) exportFilterHAR() {
	shown := make([]int64, len(a.w.history.rows))
	for i, m := range a.w.history.rows {
		shown[i] = m.ID
	}
	a.exportMessagesHAR(shown, "mailhook-history.har")
}

// exportMessagesHAR collects the messages' exchanges off the Fyne goroutine,
// then asks where to save them.
func (a *replayActions) exportMessagesHAR(messageIDs []int64, fileName string) {
	a.background("open-har", "Export HAR", nil, func() (func(), error) {
		ids, err := exportExchangeIDs(a.ctx, a.src, messageIDs)
		if err != nil {
			return nil, err
		}
		return func() { a.exportHAR(ids, fileName) }, nil
	})
}

// exportExchangeIDs lists every exchange on the messages' timelines once
// (redeliveries share a timeline), in timeline order.
func exportExchangeIDs(ctx context.Context, src Source, messageIDs []int64) ([]int64, error) {
	seen := map[int64]bool{}
	var ids []int64
	for _, id := range messageIDs {
		tl, err := src.Timeline(ctx, id)
		if err != nil {
			return nil, err
		}
		for _, ex := range tl.Exchanges {
			if !seen[ex.ID] {
				seen[ex.ID] = true
				ids = append(ids, ex.ID)
			}
		}
	}
	return ids, nil
}

// clearHistoryDialog asks, then deletes every message, session and
// exchange.
func (a *replayActions) clearHistoryDialog() {
	dialog.ShowConfirm("Clear history",
		"Delete every recorded message, session and HTTP exchange? This cannot be undone.",
		func(ok bool) {
			if ok {
				a.clearHistory()
			}
		}, a.w.win)
}

func (a *replayActions) clearHistory() {
	a.background("clear", "Clear history", nil, func() (func(), error) {
		if err := a.src.DeleteHistory(a.ctx); err != nil {
			return nil, err
		}
		return func() {
			a.w.history.clearSelection()
			a.w.history.invalidate()
			a.w.activity.invalidate()
		}, nil
	})
}
