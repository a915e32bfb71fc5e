package app

import (
	"context"
	"errors"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/mailhook/mailhook/storage"
)

// replayFailedMax caps how many messages one bulk replay takes from the
// history filter.
const replayFailedMax = 5000

const (
	replayScopeSelected = "The selected message (and its redeliveries)"
	replayScopeFilter   = "Every message the history list shows (its search and filter)"
)

// replayFailed is the bulk replay dialog; fields are kept for tests.
type replayFailed struct {
	scope    *widget.RadioGroup
	progress *widget.ProgressBar
	status   *widget.Label
	start    *widget.Button
	stop     *widget.Button
	d        *dialog.CustomDialog
	cancel   context.CancelFunc // set while running
}

// replayFailedDialog replays the last failed delivery of each message, for
// the selected message or for the history's current filter, with progress
// and a Stop button.
func (a *replayActions) replayFailedDialog() {
	f := &replayFailed{}
	selected := a.w.selected.Load()
	options := []string{replayScopeFilter}
	if selected != 0 {
		options = []string{replayScopeSelected, replayScopeFilter}
	}
	f.scope = widget.NewRadioGroup(options, nil)
	f.scope.SetSelected(options[0])
	f.scope.Required = true
	f.progress = widget.NewProgressBar()
	f.status = widget.NewLabel("Each message's last delivery that was not accepted is sent again, one after the other.")
	f.status.Wrapping = fyne.TextWrapWord

	f.d = dialog.NewCustomWithoutButtons("Replay failed deliveries", container.NewVBox(f.scope, f.progress, f.status), a.w.win)
	closeBtn := widget.NewButton("Close", func() {
		if f.cancel != nil {
			f.cancel()
		}
		f.d.Hide()
	})
	f.stop = widget.NewButton("Stop", func() {
		if f.cancel != nil {
			f.cancel()
			f.status.SetText("Stopping after the replay in flight…")
		}
	})
	f.stop.Disable()
	f.start = widget.NewButton("Replay", func() { a.runReplayFailed(f, selected) })
	f.start.Importance = widget.HighImportance
	f.d.SetButtons([]fyne.CanvasObject{closeBtn, f.stop, f.start})
	f.d.Resize(fyne.NewSize(520, f.d.MinSize().Height))
	f.d.Show()
	a.failed = f
}

func (a *replayActions) runReplayFailed(f *replayFailed, selected int64) {
	ctx, cancel := context.WithCancel(a.ctx)
	f.cancel = cancel
	f.start.Disable()
	f.scope.Disable()
	f.stop.Enable()
	f.progress.SetValue(0)
	f.status.SetText("Finding failed deliveries…")
	useFilter := f.scope.Selected != replayScopeSelected

	done := func() {
		cancel()
		f.cancel = nil
		f.stop.Disable()
		f.start.Enable()
		f.scope.Enable()
	}
	a.background("replay-failed", "Replay failed deliveries", done, func() (func(), error) {
		var ids []int64
		var err error
		if useFilter {
			ids, err = a.failedInFilter(ctx)
		} else {
			ids, err = a.failedInTimeline(ctx, selected)
		}
		if err != nil {
			return nil, err
		}
		if len(ids) == 0 {
			return func() { f.status.SetText("No failed delivery to replay.") }, nil
		}
		fyne.Do(func() { f.status.SetText(fmt.Sprintf("Replaying 0 of %d messages…", len(ids))) })
		exs, err := a.src.ReplayFailed(ctx, ids, func(done, total int) {
			fyne.Do(func() {
				if total > 0 {
					f.progress.SetValue(float64(done) / float64(total))
				}
				f.status.SetText(fmt.Sprintf("Replaying %d of %d messages…", done, total))
			})
		})
		text := replayFailedSummary(exs)
		switch {
		case errors.Is(err, context.Canceled):
			text = "Stopped. " + text
			err = nil
		case err != nil:
			text = "Failed: " + err.Error() + ". " + text
		}
		return func() { f.status.SetText(text) }, err
	})
}

// failedInTimeline is the selected message and its redeliveries that did
// not end accepted.
func (a *replayActions) failedInTimeline(ctx context.Context, id int64) ([]int64, error) {
	tl, err := a.src.Timeline(ctx, id)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, m := range tl.Messages {
		if replayFailedOutcome(m.Outcome) {
			ids = append(ids, m.ID)
		}
	}
	return ids, nil
}

// failedInFilter pages through the history with the list's own query.
func (a *replayActions) failedInFilter(ctx context.Context) ([]int64, error) {
	var ids []int64
	var before int64
	for seen := 0; seen < replayFailedMax; {
		page, err := a.src.ListMessages(ctx, a.w.history.filter.query(historyMaxReload, before))
		if err != nil {
			return nil, err
		}
		for _, m := range page.Messages {
			if replayFailedOutcome(m.Outcome) {
				ids = append(ids, m.ID)
			}
		}
		seen += len(page.Messages)
		if page.Next == 0 || len(page.Messages) == 0 {
			break
		}
		before = page.Next
	}
	// Oldest first, as the mail came in.
	for i, j := 0, len(ids)-1; i < j; i, j = i+1, j-1 {
		ids[i], ids[j] = ids[j], ids[i]
	}
	return ids, nil
}

func replayFailedOutcome(outcome string) bool {
	return outcome == storage.OutcomeRejected || outcome == storage.OutcomeDelayed
}

// replayFailedSummary counts the replays' outcomes.
func replayFailedSummary(exs []storage.Exchange) string {
	var ok, rejected, delayed int
	for _, ex := range exs {
		switch ex.Outcome {
		case storage.OutcomeAccepted:
			ok++
		case storage.OutcomeRejected:
			rejected++
		default:
			delayed++
		}
	}
	return fmt.Sprintf("%d replayed: %d accepted, %d rejected, %d delayed.", len(exs), ok, rejected, delayed)
}
