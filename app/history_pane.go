package app

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/mailhook/mailhook/storage"
)

// historyPageSize is one page of the list; "Load older" appends the next.
// A live reload re-reads at most historyMaxReload rows (the storage limit).
const (
	historyPageSize  = 200
	historyMaxReload = 500
)

// historyFilter is what the search box and outcome select ask for. It is
// written on the Fyne goroutine and read by the loader, hence the lock.
type historyFilter struct {
	mu      sync.Mutex
	text    string
	outcome string
}

func (f *historyFilter) set(text, outcome string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.text, f.outcome = text, outcome
}

func (f *historyFilter) query(limit int, before int64) storage.ListQuery {
	f.mu.Lock()
	defer f.mu.Unlock()
	return storage.ListQuery{Limit: limit, Before: before, Text: f.text, Outcome: f.outcome}
}

func (f *historyFilter) active() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.text != "" || f.outcome != ""
}

// historyPane lists transactions newest first, live, with search, an
// outcome filter and today's counters.
type historyPane struct {
	src      Source
	onSelect func(messageID int64) // 0 when the selection is cleared

	search   *widget.Entry
	outcome  *widget.Select
	counters *widget.Label
	list     *widget.List
	empty    *widget.Label
	older    *widget.Button
	box      fyne.CanvasObject

	filter historyFilter
	reload *coalescer

	// Read and written on the Fyne goroutine only.
	rows     []storage.MessageSummary
	next     int64 // cursor of the next older page, 0 when none
	loadErr  string
	selected int64
}

var historyOutcomes = []string{"all outcomes", storage.OutcomeAccepted, storage.OutcomeDelayed, storage.OutcomeRejected}

func newHistoryPane(src Source, onSelect func(messageID int64)) *historyPane {
	p := &historyPane{src: src, onSelect: onSelect}
	p.reload = newCoalescer(250*time.Millisecond, p.load)
	list := newShortcutsList(p.length, newHistoryRow, p.updateRow, p.clearSelection)
	list.OnSelected = p.selectRow
	p.list = &list.List

	p.search = widget.NewEntry()
	p.search.SetPlaceHolder("Search subject, address, Message-ID, status…  (Ctrl+F)")
	p.outcome = widget.NewSelect(historyOutcomes, nil)
	p.outcome.SetSelectedIndex(0)
	p.counters = widget.NewLabel("")
	p.empty = widget.NewLabel("")
	p.empty.Wrapping = fyne.TextWrapWord
	p.empty.Selectable = true // the commands are there to be copied
	p.older = widget.NewButton("Load older", p.loadOlder)
	p.older.Hide()

	top := container.NewBorder(nil, nil, nil, p.outcome, p.search)
	body := container.NewStack(list, container.NewPadded(p.empty))
	p.box = container.NewBorder(container.NewVBox(top, p.counters), p.older, nil, nil, body)

	// Handlers last: they may load at once, and everything must exist.
	p.search.OnChanged = func(string) { p.applyFilter() }
	p.outcome.OnChanged = func(string) { p.applyFilter() }
	p.reload.poke()
	return p
}

func (p *historyPane) object() fyne.CanvasObject { return p.box }

// invalidate schedules a reload; safe from any goroutine.
func (p *historyPane) invalidate() { p.reload.poke() }

func (p *historyPane) applyFilter() {
	outcome := p.outcome.Selected
	if outcome == historyOutcomes[0] {
		outcome = ""
	}
	p.filter.set(strings.TrimSpace(p.search.Text), outcome)
	p.invalidate()
}

// load re-reads the newest rows (as many as are shown, within limits) and
// today's counters off the Fyne goroutine, then applies them on it.
func (p *historyPane) load() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	limit := onFyne(func() int { return min(max(historyPageSize, len(p.rows)), historyMaxReload) })
	page, err := p.src.ListMessages(ctx, p.filter.query(limit, 0))
	counts, cerr := p.src.CountSince(ctx, startOfDay(time.Now()))
	fyne.Do(func() {
		if err != nil {
			p.loadErr = "History could not be read: " + err.Error()
		} else {
			p.rows, p.next, p.loadErr = page.Messages, page.Next, ""
		}
		if cerr == nil {
			p.counters.SetText(fmt.Sprintf("Today: %d accepted · %d delayed · %d rejected", counts.Accepted, counts.Delayed, counts.Rejected))
		}
		p.afterRowsChanged()
	})
}

// loadOlder appends the next page below the current rows.
func (p *historyPane) loadOlder() {
	before := p.next
	if before == 0 {
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		page, err := p.src.ListMessages(ctx, p.filter.query(historyPageSize, before))
		fyne.Do(func() {
			if err != nil {
				p.loadErr = "History could not be read: " + err.Error()
			} else if p.next == before { // no reload replaced the rows meanwhile
				p.rows, p.next = append(p.rows, page.Messages...), page.Next
			}
			p.afterRowsChanged()
		})
	}()
}

func (p *historyPane) afterRowsChanged() {
	p.showEmptyState()
	if p.next != 0 {
		p.older.Show()
	} else {
		p.older.Hide()
	}
	p.list.Refresh()
	p.keepSelection()
}

// keepSelection re-selects the selected message after rows moved.
func (p *historyPane) keepSelection() {
	if p.selected == 0 {
		return
	}
	for i, m := range p.rows {
		if m.ID == p.selected {
			p.list.Select(i)
			return
		}
	}
}

func (p *historyPane) selectRow(i widget.ListItemID) {
	m, ok := p.row(i)
	if !ok || m.ID == p.selected {
		return
	}
	p.selected = m.ID
	if p.onSelect != nil {
		p.onSelect(m.ID)
	}
}

// clearSelection unselects the row and tells the window.
func (p *historyPane) clearSelection() {
	p.selected = 0
	p.list.UnselectAll()
	if p.onSelect != nil {
		p.onSelect(0)
	}
}

// selectMessage selects a message by ID if it is in the list (the activity
// view opens messages this way).
func (p *historyPane) selectMessage(id int64) {
	for i, m := range p.rows {
		if m.ID == id {
			p.list.Select(i)
			p.list.ScrollTo(i)
			return
		}
	}
	p.selected = id
	if p.onSelect != nil {
		p.onSelect(id)
	}
}

func (p *historyPane) showEmptyState() {
	msg, n := p.loadErr, len(p.rows)
	if msg == "" && n == 0 {
		msg = p.firstRunText()
		if p.filter.active() {
			msg = "No message matches this search."
		}
	}
	p.empty.SetText(msg)
	if msg == "" {
		p.empty.Hide()
		p.list.Show()
		return
	}
	p.empty.Show()
	if n == 0 {
		p.list.Hide()
	}
}

func (p *historyPane) firstRunText() string {
	addr := p.src.SMTPAddr()
	host, port := addr, "25"
	if i := strings.LastIndexByte(addr, ':'); i >= 0 {
		host, port = addr[:i], addr[i+1:]
	}
	return fmt.Sprintf("No mail yet. Send a first message:\n\n"+
		"swaks --to you@example.com --server %s\n\n"+
		"python3 -c \"import smtplib; smtplib.SMTP('%s', %s).sendmail('me@example.com', ['you@example.com'], 'Subject: hello\\n\\nhi')\"",
		addr, host, port)
}

func (p *historyPane) length() int { return len(p.rows) }

func (p *historyPane) row(i int) (storage.MessageSummary, bool) {
	if i < 0 || i >= len(p.rows) {
		return storage.MessageSummary{}, false
	}
	return p.rows[i], true
}

func (p *historyPane) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	m, ok := p.row(id)
	if !ok {
		return
	}
	o.(*historyRow).set(m)
}

func startOfDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// onFyne runs fn on the Fyne goroutine and returns its value: background
// work reads UI state this way.
func onFyne[T any](fn func() T) T {
	var v T
	fyne.DoAndWait(func() { v = fn() })
	return v
}
