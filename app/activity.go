package app

import (
	"context"
	"fmt"
	"image/color"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mailhook/mailhook/storage"
)

const (
	// activityLimit is how many recent calls are drawn; the store caps a
	// page at 500. In a burst the newest win: that is where the action is.
	activityLimit  = 500
	activityGutter = float32(100) // room for the lane titles
)

// activityView draws all recent HTTP traffic as swimlanes. Engine events
// reload the data (coalesced, via invalidate); a 1 s ticker only lays the
// same data out again, so the axis moves without a query per second.
type activityView struct {
	widget.BaseWidget
	src      Source
	onOpen   func(messageID int64)
	reload   *coalescer
	now      func() time.Time
	stopTick chan struct{}
	stopOnce sync.Once

	// Fyne goroutine only.
	exs     []storage.ExchangeSummary
	shown   []activityBar // as last drawn: what a tap or the pointer hits
	hover   string
	loadErr string
}

var _ desktop.Hoverable = (*activityView)(nil)

func newActivityView(src Source, onOpenMessage func(id int64)) *activityView {
	v := &activityView{src: src, onOpen: onOpenMessage, now: time.Now, stopTick: make(chan struct{})}
	v.ExtendBaseWidget(v)
	v.reload = newCoalescer(250*time.Millisecond, v.load)
	v.reload.poke()
	go v.tick()
	return v
}

func (v *activityView) object() fyne.CanvasObject { return v }

// invalidate schedules a reload; safe from any goroutine.
func (v *activityView) invalidate() { v.reload.poke() }

// stop ends the ticker that moves the axis (call when the window closes).
func (v *activityView) stop() { v.stopOnce.Do(func() { close(v.stopTick) }) }

func (v *activityView) tick() {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-v.stopTick:
			return
		case <-t.C:
			fyne.Do(v.Refresh)
		}
	}
}

func (v *activityView) load() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	exs, err := v.src.RecentExchanges(ctx, v.now().Add(-activityWindow), activityLimit)
	fyne.Do(func() {
		if err != nil {
			v.loadErr = "Activity could not be read: " + err.Error()
		} else {
			v.exs, v.loadErr = exs, ""
		}
		v.Refresh()
	})
}

// Tapped opens the message of the bar under the pointer.
func (v *activityView) Tapped(ev *fyne.PointEvent) {
	if b, ok := v.barAt(ev.Position); ok && b.messageID != 0 && v.onOpen != nil {
		v.onOpen(b.messageID)
	}
}

func (v *activityView) MouseIn(ev *desktop.MouseEvent)    { v.MouseMoved(ev) }
func (v *activityView) MouseMoved(ev *desktop.MouseEvent) { v.setHover(ev.Position) }
func (v *activityView) MouseOut()                         { v.setHover(fyne.NewPos(-1, -1)) }

func (v *activityView) setHover(p fyne.Position) {
	b, _ := v.barAt(p)
	if b.caption != v.hover {
		v.hover = b.caption
		v.Refresh()
	}
}

// barAt finds the topmost bar at p, with a little slack either side since
// most bars are a few pixels wide.
func (v *activityView) barAt(p fyne.Position) (activityBar, bool) {
	g := activityGeometryFor(v.Size())
	const slack = 2
	for i := len(v.shown) - 1; i >= 0; i-- {
		b := v.shown[i]
		x0, y0 := g.left+b.x-slack, g.top+float32(b.lane)*g.laneH
		if p.X >= x0 && p.X <= x0+b.w+2*slack && p.Y >= y0 && p.Y < y0+g.laneH {
			return b, true
		}
	}
	return activityBar{}, false
}

func (v *activityView) CreateRenderer() fyne.WidgetRenderer {
	r := &activityRenderer{v: v, caption: canvas.NewText("", color.Transparent), now: canvas.NewText("now", color.Transparent)}
	for i := range activityLanes {
		r.lanes[i] = canvas.NewRectangle(color.Transparent)
		r.titles[i] = canvas.NewText(activityLaneTitle(i), color.Transparent)
	}
	return r
}

// activityGeometry is where the plot sits inside the widget.
type activityGeometry struct {
	left, top, laneH, plotW float32
}

func activityGeometryFor(size fyne.Size) activityGeometry {
	pad, text := theme.Padding(), theme.CaptionTextSize()
	top := text + 2*pad    // caption row
	bottom := text + 2*pad // axis labels
	return activityGeometry{
		left:  activityGutter,
		top:   top,
		laneH: max(0, (size.Height-top-bottom)/activityLanes),
		plotW: max(0, size.Width-activityGutter-pad),
	}
}

type activityRenderer struct {
	v       *activityView
	caption *canvas.Text
	now     *canvas.Text
	lanes   [activityLanes]*canvas.Rectangle
	titles  [activityLanes]*canvas.Text
	// Pools, grown on demand; only the first n of each are in objects.
	ticks    []*canvas.Line
	tickText []*canvas.Text
	bars     []*canvas.Rectangle
	objects  []fyne.CanvasObject
}

func (r *activityRenderer) Destroy()                     {}
func (r *activityRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *activityRenderer) Layout(size fyne.Size)        { r.build(size) }

func (r *activityRenderer) MinSize() fyne.Size {
	// Top and bottom rows are the same height: caption above, axis below.
	g := activityGeometryFor(fyne.Size{})
	return fyne.NewSize(activityGutter+240, 2*g.top+activityLanes*24)
}

func (r *activityRenderer) Refresh() {
	r.build(r.v.Size())
	canvas.Refresh(r.v)
}

// build lays the current data out for size; objects is rebuilt each time
// (a few hundred rectangles at most) from pooled canvas objects.
func (r *activityRenderer) build(size fyne.Size) {
	v := r.v
	g := activityGeometryFor(size)
	now := v.now()
	fg, muted := theme.Color(theme.ColorNameForeground), theme.Color(theme.ColorNamePlaceHolder)
	textSize, pad := theme.CaptionTextSize(), theme.Padding()
	r.objects = r.objects[:0]

	for i := range activityLanes {
		y := g.top + float32(i)*g.laneH
		r.lanes[i].FillColor = theme.Color(theme.ColorNameInputBackground)
		r.lanes[i].Move(fyne.NewPos(g.left, y))
		r.lanes[i].Resize(fyne.NewSize(g.plotW, max(0, g.laneH-1)))
		r.titles[i].Color, r.titles[i].TextSize = fg, textSize
		r.titles[i].Move(fyne.NewPos(pad, y+(g.laneH-textSize)/2-2))
		r.objects = append(r.objects, r.lanes[i], r.titles[i])
	}

	// A tick per minute, labelled with the clock, so the axis visibly moves.
	axisY := g.top + activityLanes*g.laneH
	scale := g.plotW / float32(activityWindow)
	n := 0
	for t := now.Truncate(time.Minute); t.After(now.Add(-activityWindow)); t = t.Add(-time.Minute) {
		x := g.left + float32(activityWindow-now.Sub(t))*scale
		line, label := r.tick(n)
		line.StrokeColor = theme.Color(theme.ColorNameSeparator)
		line.Position1, line.Position2 = fyne.NewPos(x, g.top), fyne.NewPos(x, axisY)
		label.Text, label.Color, label.TextSize = t.Local().Format("15:04"), muted, textSize
		label.Move(fyne.NewPos(x-label.MinSize().Width/2, axisY+pad/2))
		r.objects = append(r.objects, line)
		if x < g.left+g.plotW-40 { // leave room for "now"
			r.objects = append(r.objects, label)
		}
		n++
	}
	r.now.Color, r.now.TextSize = muted, textSize
	r.now.Move(fyne.NewPos(g.left+g.plotW-r.now.MinSize().Width, axisY+pad/2))
	r.objects = append(r.objects, r.now)

	v.shown = activityLayout(v.exs, now, activityWindow, g.plotW)
	for i, b := range v.shown {
		rect := r.bar(i)
		rect.FillColor = b.fill
		rect.Move(fyne.NewPos(g.left+b.x, g.top+float32(b.lane)*g.laneH+g.laneH*0.2))
		rect.Resize(fyne.NewSize(b.w, g.laneH*0.6))
		r.objects = append(r.objects, rect)
	}

	r.caption.Text = v.caption(len(v.shown))
	r.caption.Color, r.caption.TextSize = fg, textSize
	r.caption.Move(fyne.NewPos(g.left, pad/2))
	r.objects = append(r.objects, r.caption)
}

func (v *activityView) caption(bars int) string {
	switch {
	case v.hover != "":
		return v.hover
	case v.loadErr != "":
		return v.loadErr
	case bars == 0:
		return fmt.Sprintf("No HTTP calls in the last %d minutes", int(activityWindow.Minutes()))
	}
	return fmt.Sprintf("%d HTTP calls in the last %d minutes · tap a bar to open its message",
		bars, int(activityWindow.Minutes()))
}

func (r *activityRenderer) tick(i int) (*canvas.Line, *canvas.Text) {
	for len(r.ticks) <= i {
		r.ticks = append(r.ticks, canvas.NewLine(color.Transparent))
		r.tickText = append(r.tickText, canvas.NewText("", color.Transparent))
	}
	return r.ticks[i], r.tickText[i]
}

func (r *activityRenderer) bar(i int) *canvas.Rectangle {
	for len(r.bars) <= i {
		rect := canvas.NewRectangle(color.Transparent)
		rect.CornerRadius = 2
		r.bars = append(r.bars, rect)
	}
	return r.bars[i]
}
