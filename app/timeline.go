package app

import (
	"context"
	"fmt"
	"image/color"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// timelinePane shows the selected message's timeline: one virtualised row
// per step, coloured by outcome. show and clear run on the Fyne goroutine
// (they answer a click); refresh is safe from any goroutine.
type timelinePane struct {
	src      Source
	onSelect func(exchangeID int64)
	list     *widget.List
	note     *widget.Label
	stack    *fyne.Container
	reload   *coalescer

	// current is the message shown (0 for none); loads read it on any
	// goroutine. seq numbers loads so an old slow one never wins.
	current atomic.Int64
	seq     atomic.Uint64

	// Fyne goroutine only.
	steps   []timelineStep
	applied uint64
}

func newTimelinePane(src Source, onSelectExchange func(id int64)) *timelinePane {
	p := &timelinePane{src: src, onSelect: onSelectExchange}
	p.list = widget.NewList(func() int { return len(p.steps) }, newTimelineRow, p.updateRow)
	p.list.OnSelected = p.selected
	p.note = widget.NewLabel("")
	p.note.Wrapping = fyne.TextWrapWord
	p.stack = container.NewStack(p.list, container.NewPadded(p.note))
	// Events for one message come in bursts (RCPT, delivery, callback):
	// a few reloads a second are enough.
	p.reload = newCoalescer(250*time.Millisecond, func() {
		if id := p.current.Load(); id != 0 {
			p.load(id)
		}
	})
	p.clear()
	return p
}

func (p *timelinePane) object() fyne.CanvasObject { return p.stack }

// show loads messageID's timeline in the background; call on the Fyne goroutine.
func (p *timelinePane) show(messageID int64) {
	if messageID == 0 {
		p.clear()
		return
	}
	p.current.Store(messageID)
	p.setSteps(nil, "")
	go p.load(messageID)
}

// clear empties the pane; call on the Fyne goroutine.
func (p *timelinePane) clear() {
	p.current.Store(0)
	p.setSteps(nil, "Select a message to see what happened to it.")
}

// refresh re-reads the shown message, coalesced; safe from any goroutine.
// Call it on every engine event: a redelivery of the shown
// message has another ID, so filtering by event.MessageID would miss it.
func (p *timelinePane) refresh() { p.reload.poke() }

func (p *timelinePane) load(id int64) {
	seq := p.seq.Add(1)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	tl, err := p.src.Timeline(ctx, id)
	steps := timelineSteps(tl) // built here, not on the UI goroutine
	fyne.Do(func() {
		if p.current.Load() != id || seq < p.applied {
			return // the user moved on, or a newer load already landed
		}
		p.applied = seq
		if err != nil {
			p.setSteps(nil, "Timeline could not be read: "+err.Error())
			return
		}
		p.setSteps(steps, "")
	})
}

func (p *timelinePane) setSteps(steps []timelineStep, note string) {
	if steps == nil {
		p.list.UnselectAll() // another message: the old selection means nothing
	}
	p.steps = steps
	p.note.SetText(note)
	if note == "" {
		p.note.Hide()
		p.list.Show()
	} else {
		p.list.Hide()
		p.note.Show()
	}
	p.list.Refresh()
}

func (p *timelinePane) selected(id widget.ListItemID) {
	if id < 0 || id >= len(p.steps) || p.steps[id].exchangeID == 0 {
		p.list.Unselect(id) // SMTP steps have nothing more to open
		return
	}
	if p.onSelect != nil {
		p.onSelect(p.steps[id].exchangeID)
	}
}

func (p *timelinePane) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id >= 0 && id < len(p.steps) {
		o.(*timelineRow).set(p.steps[id])
	}
}

// timelineRow is one step: outcome bar, time, title, detail, duration.
type timelineRow struct {
	widget.BaseWidget
	bar    *canvas.Rectangle
	when   *widget.Label
	title  *widget.Label
	detail *widget.Label
	dur    *widget.Label
}

func newTimelineRow() fyne.CanvasObject {
	r := &timelineRow{
		bar:    canvas.NewRectangle(theme.Color(theme.ColorNameDisabled)),
		when:   widget.NewLabel("00:00:00.000"),
		title:  widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		detail: widget.NewLabel(""),
		dur:    widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{}),
	}
	r.bar.SetMinSize(fyne.NewSize(6, 0))
	r.bar.CornerRadius = 3
	r.detail.Truncation = fyne.TextTruncateEllipsis
	r.ExtendBaseWidget(r)
	return r
}

func (r *timelineRow) CreateRenderer() fyne.WidgetRenderer {
	// Fixed-width columns: list rows are not laid out again when a label's
	// text grows, and they keep the details aligned down the list.
	left := container.NewHBox(r.bar, timelineColumn(r.when, 100), timelineColumn(r.title, 120))
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, left, timelineColumn(r.dur, 72), r.detail))
}

func timelineColumn(o fyne.CanvasObject, width float32) fyne.CanvasObject {
	min := canvas.NewRectangle(color.Transparent)
	min.SetMinSize(fyne.NewSize(width, 0))
	return container.NewStack(min, o)
}

func (r *timelineRow) set(s timelineStep) {
	r.title.TextStyle = fyne.TextStyle{Bold: !s.header, Italic: s.header}
	r.title.SetText(s.title)
	r.detail.SetText(s.detail)
	when, dur := s.at.Local().Format("15:04:05.000"), ""
	_, col := outcomeLook(s.outcome)
	if s.header {
		// Transparent rather than hidden, so the columns stay aligned.
		when, col = "", color.Transparent
	}
	if s.timed {
		dur = timelineDuration(s.duration)
	}
	r.bar.FillColor = col
	r.bar.Refresh()
	r.when.SetText(when)
	r.dur.SetText(dur)
}

// timelineDuration reads like a stopwatch; durations are stored in whole
// milliseconds, so 0 means "under one".
func timelineDuration(d time.Duration) string {
	if d < time.Millisecond {
		return "<1 ms"
	}
	if d < 10*time.Second {
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}
