package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/mailhook/mailhook/engine"
	"github.com/mailhook/mailhook/engine/payload"
	"github.com/mailhook/mailhook/storage"
)

// replayActions is what the window can do to the history besides reading
// it: replay (as is, to another URL or format, edited), compare two
// exchanges, replay failed deliveries in bulk, test fire, send test mail,
// export and clear. Every engine call runs off the Fyne goroutine and its
// result is applied with fyne.Do; the methods themselves answer clicks, on
// the Fyne goroutine.
type replayActions struct {
	app fyne.App
	w   *Window
	src Source

	// ctx ends when the window closes: it bounds replays, test fires and a
	// test mail's background retries.
	ctx    context.Context
	cancel context.CancelFunc

	// bar is the action bar of the exchange shown in the inspector (Fyne
	// goroutine only; tests tap its buttons).
	bar *replayBar

	// The dialogs last opened, kept for tests (Fyne goroutine only).
	edit     *replayEdit
	diff     *diffView
	failed   *replayFailed
	fire     *fireForm
	testmail *testmailForm

	// finished, when set, runs on the Fyne goroutine when an action started
	// in the background has been applied, with its name ("replay", "diff",
	// "fire", "testmail", "curl", "har", "replay-failed", "clear", "drop",
	// or "open-…" for a dialog that loads first) and its error. Tests wait
	// on it.
	finished func(action string, err error)
	inFlight atomic.Int32 // background actions running (tests, diagnostics)
}

// replayBar is the row of buttons under an exchange in the inspector.
type replayBar struct {
	ex                                            storage.Exchange
	replay, replayTo, edit, original, compareWith *widget.Button
	curl, har                                     *widget.Button
	obj                                           fyne.CanvasObject
}

func newReplayActions(a fyne.App, w *Window) *replayActions {
	ctx, cancel := context.WithCancel(context.Background())
	return &replayActions{app: a, w: w, src: w.src, ctx: ctx, cancel: cancel}
}

// stop cancels what is still running (a test mail's retries, a bulk replay).
func (a *replayActions) stop() { a.cancel() }

// background runs work off the Fyne goroutine, then on it: the apply
// work returned (on success), done (always, when set) and the finished
// hook. A failure is shown in a dialog titled by what failed; a cancelled
// context is no failure.
func (a *replayActions) background(action, what string, done func(), work func() (func(), error)) {
	a.inFlight.Add(1)
	go func() {
		apply, err := work()
		fyne.Do(func() {
			defer a.inFlight.Add(-1)
			switch {
			case err != nil && !errors.Is(err, context.Canceled):
				dialog.ShowError(fmt.Errorf("%s: %w", what, err), a.w.win)
			case err == nil && apply != nil:
				apply()
			}
			if done != nil {
				done()
			}
			if a.finished != nil {
				a.finished(action, err)
			}
		})
	}()
}

// attachBar gives the exchange shown in the inspector its action bar; it
// runs after every inspector load.
func (a *replayActions) attachBar() {
	v := a.w.inspector.exchange
	if v == nil {
		a.bar = nil
		return
	}
	a.bar = a.newBar(v.ex)
	v.setActions(a.bar.obj)
}

func (a *replayActions) newBar(ex storage.Exchange) *replayBar {
	b := &replayBar{ex: ex}
	b.replay = widget.NewButton("Replay", func() { a.replay(b.replay, ex.ID, engine.ReplayOptions{}) })
	b.replay.Importance = widget.HighImportance
	b.replayTo = widget.NewButton("Replay to…", func() { a.replayToDialog(ex) })
	b.edit = widget.NewButton("Edit and replay…", func() { a.editDialog(ex) })
	b.compareWith = widget.NewButton("Compare…", func() { a.compareWithDialog(ex) })
	b.curl = widget.NewButton("Copy as curl", func() { a.copyCurl(b.curl, ex.ID) })
	b.har = widget.NewButton("Export HAR…", func() {
		a.exportHAR([]int64{ex.ID}, fmt.Sprintf("mailhook-exchange-%d.har", ex.ID))
	})
	row := []fyne.CanvasObject{b.replay, b.replayTo, b.edit}
	if ex.ReplayOf != 0 {
		b.original = widget.NewButton("Compare with original", func() { a.compare(ex.ReplayOf, ex.ID) })
		row = append(row, b.original)
	}
	row = append(row, b.compareWith, b.curl, b.har)
	// Scrolls rather than widening the pane when it is narrow.
	b.obj = container.NewHScroll(container.NewHBox(row...))
	return b
}

// replayShown replays the exchange shown in the inspector (Ctrl/Cmd+R).
func (a *replayActions) replayShown() {
	if a.bar != nil && !a.bar.replay.Disabled() { // not while one is in flight
		a.replay(a.bar.replay, a.bar.ex.ID, engine.ReplayOptions{})
	}
}

// replay sends exchange id again and shows the new exchange; the engine's
// event brings it onto the timeline. btn, when set, is disabled meanwhile.
func (a *replayActions) replay(btn *widget.Button, id int64, o engine.ReplayOptions) {
	done := func() {}
	if btn != nil {
		btn.Disable()
		done = btn.Enable // harmless if the bar has left the screen meanwhile
	}
	a.background("replay", "Replay", done, func() (func(), error) {
		ex, err := a.src.Replay(a.ctx, id, o)
		return func() {
			a.w.timeline.refresh()
			a.w.inspector.showExchange(ex.ID)
		}, err
	})
}

// replayKind is the kind of callback an exchange is (or replays): replays
// are followed back to their original; a test fire is told by its format.
func replayKind(ctx context.Context, src Source, ex storage.Exchange) string {
	for hops := 0; ex.Kind == storage.KindReplay && ex.ReplayOf != 0 && hops < 32; hops++ {
		orig, err := src.Exchange(ctx, ex.ReplayOf)
		if err != nil {
			break
		}
		ex = orig
	}
	switch ex.Kind {
	case storage.KindDelivery, storage.KindAuthorization, storage.KindErrorCallback:
		return ex.Kind
	}
	switch ex.Format {
	case string(payload.JSONNormalized), string(payload.MultipartNormalized), string(payload.Raw):
		return storage.KindDelivery
	case string(payload.AuthXML):
		return storage.KindAuthorization
	}
	if ex.Recipient != "" {
		return storage.KindAuthorization
	}
	return "" // form or JSON: an authorization or an error callback
}

// replayFormats lists the formats a callback of kind can be sent in.
func replayFormats(kind string) []string {
	switch kind {
	case storage.KindDelivery:
		return []string{string(payload.JSONNormalized), string(payload.MultipartNormalized), string(payload.Raw)}
	case storage.KindAuthorization:
		return []string{string(payload.AuthForm), string(payload.AuthJSON), string(payload.AuthXML)}
	case storage.KindErrorCallback:
		return []string{string(payload.AuthForm), string(payload.AuthJSON)}
	}
	return []string{string(payload.AuthForm), string(payload.AuthJSON), string(payload.AuthXML)}
}

// replayParseHeaders reads "Name: value" lines; blank lines are skipped.
// The result is never nil, so an emptied editor sends no headers rather
// than the original ones.
func replayParseHeaders(text string) ([]storage.Header, error) {
	hs := []storage.Header{}
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		name = strings.TrimSpace(name)
		if !ok || name == "" || strings.ContainsAny(name, " \t") {
			return nil, fmt.Errorf("line %d: want \"Name: value\", got %q", i+1, line)
		}
		hs = append(hs, storage.Header{Name: name, Value: strings.TrimSpace(value)})
	}
	return hs, nil
}
