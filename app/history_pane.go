package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/mailhook/mailhook/storage"
)

// historyPageSize is how many recent transactions the list holds; paging
// further back arrives with the full window.
const historyPageSize = 500

// historyPane lists transactions newest first, live.
type historyPane struct {
	src    Source
	list   *widget.List
	empty  *widget.Label
	stack  *fyne.Container
	reload *coalescer
	// rows and loadErr are read and written on the Fyne goroutine only.
	rows    []storage.MessageSummary
	loadErr string
}

func newHistoryPane(src Source) *historyPane {
	p := &historyPane{src: src}
	p.list = widget.NewList(p.length, newHistoryRow, p.updateRow)
	p.empty = widget.NewLabel("")
	p.empty.Wrapping = fyne.TextWrapWord
	p.empty.Selectable = true // the commands are there to be copied
	p.stack = container.NewStack(p.list, container.NewPadded(p.empty))
	p.reload = newCoalescer(250*time.Millisecond, p.load)
	p.reload.poke()
	return p
}

func (p *historyPane) object() fyne.CanvasObject { return p.stack }

// invalidate schedules a reload; safe from any goroutine.
func (p *historyPane) invalidate() { p.reload.poke() }

// load reads the newest page off the Fyne goroutine and applies it on it.
func (p *historyPane) load() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	page, err := p.src.ListMessages(ctx, storage.ListQuery{Limit: historyPageSize})
	fyne.Do(func() {
		if err != nil {
			p.loadErr = "History could not be read: " + err.Error()
		} else {
			p.rows, p.loadErr = page.Messages, ""
		}
		p.showEmptyState()
		p.list.Refresh()
	})
}

func (p *historyPane) showEmptyState() {
	msg, n := p.loadErr, len(p.rows)
	if msg == "" && n == 0 {
		addr := p.src.SMTPAddr()
		host, port := addr, "25"
		if i := strings.LastIndexByte(addr, ':'); i >= 0 {
			host, port = addr[:i], addr[i+1:]
		}
		msg = fmt.Sprintf("No mail yet. Send a first message:\n\n"+
			"swaks --to you@example.com --server %s\n\n"+
			"python3 -c \"import smtplib; smtplib.SMTP('%s', %s).sendmail('me@example.com', ['you@example.com'], 'Subject: hello\\n\\nhi')\"",
			addr, host, port)
	}
	p.empty.SetText(msg)
	if msg == "" {
		p.empty.Hide()
		p.list.Show()
	} else {
		p.empty.Show()
		if n == 0 {
			p.list.Hide()
		}
	}
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
