package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/mailhook/mailhook/storage"
)

// inspectorLoadTimeout bounds one load; SQLite answers in milliseconds, a
// stuck read should say so rather than leave the pane blank.
const inspectorLoadTimeout = 10 * time.Second

// inspectorPane shows one recorded step in full: an HTTP exchange (request
// and response) or a message (headers, bodies, attachments, raw source).
// showExchange, showMessage and clear run on the Fyne goroutine (they answer
// a click); the data is read and formatted in the background and applied
// with fyne.Do.
type inspectorPane struct {
	src   Source
	win   fyne.Window // parent of the save dialogs
	note  *widget.Label
	stack *fyne.Container

	// Fyne goroutine only. seq numbers the shows so a slow load never
	// replaces a later one; exchange and message are the view on screen
	// (at most one of them), kept for tests.
	seq      uint64
	exchange *inspectorExchangeView
	message  *inspectorMessageView

	// shown, when set, runs on the Fyne goroutine after each load is
	// applied. Tests wait on it: the test driver runs fyne.Do inline on the
	// calling goroutine, so polling widgets while a load applies would race.
	shown func()
	// onExchangeView, when set, runs on the Fyne goroutine once an exchange
	// view is on screen (p.exchange is set).
	onExchangeView func()
}

// newInspectorPane builds the pane; win is the parent of its dialogs.
func newInspectorPane(src Source, win fyne.Window) *inspectorPane {
	p := &inspectorPane{src: src, win: win}
	p.note = widget.NewLabel("")
	p.note.Wrapping = fyne.TextWrapWord
	p.stack = container.NewStack()
	p.clear()
	return p
}

func (p *inspectorPane) object() fyne.CanvasObject { return p.stack }

// clear shows the empty state and drops any load in flight.
func (p *inspectorPane) clear() {
	p.seq++
	p.showNote("Select a step of the timeline to see its request and response.")
}

// showExchange loads exchange id (a delivery attempt, an authorization, an
// error callback...) and shows its request and response.
func (p *inspectorPane) showExchange(id int64) {
	if id == 0 {
		p.clear()
		return
	}
	p.load("This step", func(ctx context.Context) (func(), error) {
		ex, err := p.src.Exchange(ctx, id)
		if err != nil {
			return nil, err
		}
		req := bodyViewOf(bodyHeader(ex.RequestHeaders, "Content-Type"), ex.RequestBody)
		resp := bodyViewOf(bodyHeader(ex.ResponseHeaders, "Content-Type"), ex.ResponseBody)
		ex.RequestBody, ex.ResponseBody = nil, nil // only the views are shown
		return func() {
			v := newInspectorExchangeView(ex, req, resp, p.showMessage)
			p.exchange, p.message = v, nil
			p.setView(v.obj)
			if p.onExchangeView != nil {
				p.onExchangeView() // the window adds its replay actions
			}
		}, nil
	})
}

// showMessage loads message messageID, parsed and raw, and shows it.
func (p *inspectorPane) showMessage(messageID int64) {
	if messageID == 0 {
		p.clear()
		return
	}
	p.load("This message", func(ctx context.Context) (func(), error) {
		data, err := inspectorLoadMessage(ctx, p.src, messageID)
		if err != nil {
			return nil, err
		}
		return func() {
			v := newInspectorMessageView(data, p.save)
			p.exchange, p.message = nil, v
			p.setView(v.obj)
		}, nil
	})
}

// load runs fetch off the Fyne goroutine and applies what it returns on
// it, unless a newer show started meanwhile; what names the thing in an
// error note. Call on the Fyne goroutine.
func (p *inspectorPane) load(what string, fetch func(context.Context) (apply func(), err error)) {
	seq := p.begin()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), inspectorLoadTimeout)
		defer cancel()
		apply, err := fetch(ctx)
		fyne.Do(func() {
			if seq != p.seq {
				return
			}
			if err != nil {
				p.showNote(inspectorLoadError(what, err))
			} else {
				apply()
			}
			p.done()
		})
	}()
}

// begin starts a show. The view on screen stays until the new one is
// ready (loads take milliseconds; a "Loading…" flash would flicker), except
// when there is none.
func (p *inspectorPane) begin() uint64 {
	p.seq++
	if p.exchange == nil && p.message == nil {
		p.showNote("Loading…")
	}
	return p.seq
}

func (p *inspectorPane) showNote(text string) {
	p.exchange, p.message = nil, nil
	p.note.SetText(text)
	p.setView(container.NewPadded(p.note))
}

func (p *inspectorPane) setView(o fyne.CanvasObject) {
	p.stack.Objects = []fyne.CanvasObject{o}
	p.stack.Refresh()
}

func (p *inspectorPane) done() {
	if p.shown != nil {
		p.shown()
	}
}

func inspectorLoadError(what string, err error) string {
	if errors.Is(err, storage.ErrNotFound) {
		return what + " is no longer in the history."
	}
	return what + " could not be read: " + err.Error()
}

// save asks where to write data (an attachment, the raw message) and writes
// it in the background: a 25 MB file must not stall the window.
func (p *inspectorPane) save(fileName string, data []byte) {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			dialog.ShowError(err, p.win)
			return
		}
		if w == nil { // cancelled
			return
		}
		go func() {
			_, err := w.Write(data)
			if cerr := w.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				fyne.Do(func() { dialog.ShowError(fmt.Errorf("saving %s: %w", fileName, err), p.win) })
			}
		}()
	}, p.win)
	d.SetFileName(fileName)
	d.Show()
}
