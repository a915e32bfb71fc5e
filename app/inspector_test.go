package app

import (
	"context"
	"net/smtp"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/mailhook/mailhook/engine"
	"github.com/mailhook/mailhook/engine/payload"
	"github.com/mailhook/mailhook/storage"
)

// inspectorTestMail has a plain body and a small attachment.
const inspectorTestMail = "From: dev@example.org\r\n" +
	"To: hook@example.com\r\n" +
	"Subject: Order #42 shipped\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: multipart/mixed; boundary=b1\r\n" +
	"\r\n" +
	"--b1\r\n" +
	"Content-Type: text/plain; charset=utf-8\r\n" +
	"\r\n" +
	"Hi there, your order is on its way.\r\n" +
	"--b1\r\n" +
	"Content-Type: text/csv\r\n" +
	"Content-Disposition: attachment; filename=\"../order.csv\"\r\n" +
	"\r\n" +
	"sku,qty\r\nA1,2\r\n" +
	"--b1--\r\n"

// inspectorTest is a pane in a window (so its widgets are laid out) over a
// real engine that has received inspectorTestMail.
type inspectorTest struct {
	p     *inspectorPane
	eng   *engine.Engine
	win   fyne.Window
	msgID int64
	shown chan struct{}
}

// show runs fn (a show… call or a tap) on the Fyne goroutine and waits for
// the load it starts to be applied. It waits on the pane's shown hook, not
// by polling: the test driver runs fyne.Do inline on the loading goroutine,
// so reading widgets while a load applies would race.
func (it *inspectorTest) show(t *testing.T, fn func()) {
	t.Helper()
	fyne.DoAndWait(fn)
	select {
	case <-it.shown:
	case <-time.After(5 * time.Second):
		t.Fatal("timed out waiting for the inspector to show a load")
	}
}

func inspectorTestSetup(t *testing.T) *inspectorTest {
	t.Helper()
	a := newSerialTestApp(t)
	eng := startEngine(t)
	if err := smtp.SendMail(eng.SMTPAddr(), nil, "dev@example.org", []string{"hook@example.com"}, []byte(inspectorTestMail)); err != nil {
		t.Fatal(err)
	}
	page, err := eng.ListMessages(context.Background(), storage.ListQuery{Limit: 1})
	if err != nil || len(page.Messages) != 1 {
		t.Fatalf("ListMessages = %+v, %v; want one message", page, err)
	}
	it := &inspectorTest{eng: eng, msgID: page.Messages[0].ID, shown: make(chan struct{}, 1)}
	fyne.DoAndWait(func() {
		it.win = a.NewWindow("inspector")
		it.p = newInspectorPane(eng, it.win)
		it.p.shown = func() { it.shown <- struct{}{} }
		it.win.SetContent(it.p.object())
		it.win.Resize(fyne.NewSize(900, 700))
	})
	t.Cleanup(func() { fyne.DoAndWait(it.win.Close) })
	return it
}

func TestInspectorShowsDeliveryExchange(t *testing.T) {
	it := inspectorTestSetup(t)
	p := it.p
	tl, err := it.eng.Timeline(context.Background(), it.msgID)
	if err != nil {
		t.Fatal(err)
	}
	var exID int64
	for _, ex := range tl.Exchanges {
		if ex.Kind == storage.KindDelivery {
			exID = ex.ID
		}
	}
	if exID == 0 {
		t.Fatalf("no delivery exchange in timeline %+v", tl.Exchanges)
	}

	it.show(t, func() { p.showExchange(exID) })
	got := onFyne(func() map[string]string {
		v := p.exchange
		return map[string]string{
			"status":  v.status.Text,
			"reqHead": v.reqHead.text,
			"reqKind": v.req.view.Kind,
			"reqBody": v.req.text.text,
			"resHead": v.resHead.text,
		}
	})
	if !strings.HasPrefix(got["status"], "200 OK") {
		t.Errorf("status shown = %q, want 200 OK", got["status"])
	}
	if got["reqKind"] != bodyKindJSON || !strings.Contains(got["reqBody"], "\n  \"envelope\": {\n") {
		t.Errorf("request body (%s) is not indented JSON:\n%.400s", got["reqKind"], got["reqBody"])
	}
	if !strings.Contains(got["reqBody"], `"plain": "Hi there, your order is on its way.`) {
		t.Errorf("request body lacks the plain text:\n%.2000s", got["reqBody"])
	}
	if !strings.Contains(strings.ToLower(got["reqHead"]), "content-type: application/json") {
		t.Errorf("request headers lack the Content-Type:\n%s", got["reqHead"])
	}
	if got["resHead"] == "" {
		t.Error("response headers are empty")
	}

	// The Message button opens the message the exchange belongs to.
	it.show(t, func() { test.Tap(p.exchange.open) })
	if onFyne(func() bool { return p.message == nil || p.exchange != nil }) {
		t.Error("the Message button did not show the message")
	}
}

func TestInspectorShowsMessage(t *testing.T) {
	it := inspectorTestSetup(t)
	p := it.p
	it.show(t, func() { p.showMessage(it.msgID) })
	if onFyne(func() bool { return p.message == nil }) {
		t.Fatalf("no message view; note %q", onFyne(func() string { return p.note.Text }))
	}
	texts := onFyne(func() [4]string {
		v := p.message
		return [4]string{v.headers.text, v.plain.text, v.html.text, v.raw.text}
	})
	headers, plain, html, raw := texts[0], texts[1], texts[2], texts[3]
	if !strings.Contains(headers, "\nSubject: Order #42 shipped\n") || !strings.HasPrefix(headers, "From: dev@example.org\nTo: hook@example.com\n") {
		t.Errorf("headers not shown in order:\n%s", headers)
	}
	if !strings.Contains(plain, "Hi there, your order is on its way.") {
		t.Errorf("plain body = %q", plain)
	}
	if !strings.Contains(html, "no text/html part") {
		t.Errorf("HTML tab = %q, want it to say there is none", html)
	}
	if !strings.HasPrefix(raw, "From: dev@example.org\r\n") {
		t.Errorf("raw source starts %q", raw[:min(len(raw), 60)])
	}

	// One attachment, listed with a safe file name; Save… opens a dialog.
	row := onFyne(func() *fyne.Container {
		if p.message.files == nil || p.message.files.Length() != 1 {
			return nil
		}
		o := p.message.files.CreateItem().(*fyne.Container)
		p.message.files.UpdateItem(0, o)
		return o
	})
	if row == nil {
		t.Fatal("attachment list does not hold one row")
	}
	label := onFyne(func() string { return row.Objects[0].(*widget.Label).Text })
	if !strings.HasPrefix(label, "order.csv · text/csv · 13 bytes") {
		t.Errorf("attachment row = %q", label)
	}
	fyne.DoAndWait(func() { test.Tap(row.Objects[1].(*widget.Button)) })
	if onFyne(func() fyne.CanvasObject { return it.win.Canvas().Overlays().Top() }) == nil {
		t.Error("Save… opened no dialog")
	}
}

func TestInspectorMissingAndClear(t *testing.T) {
	it := inspectorTestSetup(t)
	p := it.p
	it.show(t, func() { p.showExchange(987654) })
	if note := onFyne(func() string { return p.note.Text }); !strings.Contains(note, "no longer in the history") {
		t.Errorf("a missing exchange shows %q", note)
	}
	fyne.DoAndWait(p.clear)
	if note := onFyne(func() string { return p.note.Text }); !strings.HasPrefix(note, "Select a step") {
		t.Errorf("after clear the note is %q", note)
	}
}

func TestInspectorBodyTables(t *testing.T) {
	newSerialTestApp(t)
	mp, mpType := bodyTestMultipart(t)
	tests := []struct {
		name, contentType, body string
		rows                    int
		detail                  string // shown after selecting the first row
	}{
		{name: "form", contentType: "application/x-www-form-urlencoded", body: "to=a%40b.c&tag=1&tag=2", rows: 3, detail: "to =\na@b.c"},
		{name: "multipart", contentType: mpType, body: mp, rows: 3, detail: "envelope[to] =\nhook@example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rows int
			var detail string
			fyne.DoAndWait(func() {
				b := newInspectorBody(bodyViewOf(tt.contentType, []byte(tt.body)))
				rows, _ = b.table.Length()
				b.table.Select(widget.TableCellID{Row: 0, Col: 1})
				detail = b.detail.text
			})
			if rows != tt.rows {
				t.Errorf("table rows = %d, want %d", rows, tt.rows)
			}
			if detail != tt.detail {
				t.Errorf("detail = %q, want %q", detail, tt.detail)
			}
		})
	}
}

func TestInspectorChunks(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{name: "empty", text: "", want: []string{""}},
		{name: "one line", text: "abc", want: []string{"abc"}},
		{name: "by lines", text: "1\n2\n3\n4\n5", want: []string{"1\n2", "3\n4", "5"}},
		{name: "trailing blank line kept", text: "1\n\n", want: []string{"1\n"}},
		{name: "by bytes", text: "aaaa\nbbbb\ncc", want: []string{"aaaa", "bbbb\ncc"}},
		{name: "long line cut", text: "x\n0123456789\ny", want: []string{"x", "01234567", "89\ny"}},
		{name: "long line cut at its end", text: "0123456789abcdef\ny", want: []string{"01234567", "89abcdef", "y"}},
		{name: "runes kept whole", text: "aéééé", want: []string{"aééé", "é"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := inspectorChunks(tt.text, 2, 8)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
				t.Errorf("inspectorChunks(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestInspectorExchangeNotes(t *testing.T) {
	newSerialTestApp(t)
	tests := []struct {
		name   string
		ex     storage.Exchange
		status string
		notes  []string // lines of the response notes; nil for none
	}{
		{
			name:   "no answer shows the error",
			ex:     storage.Exchange{Kind: storage.KindDelivery, Error: "dial tcp 127.0.0.1:9: connection refused"},
			status: "no answer: dial tcp 127.0.0.1:9: connection refused",
		},
		{
			name:   "truncated and redirected",
			ex:     storage.Exchange{Kind: storage.KindErrorCallback, Status: 500, ResponseTruncated: true, Hops: []storage.Hop{{URL: "http://h/a", Status: 302}, {URL: "http://h/b", Status: 500}}},
			status: "500 Internal Server Error",
			notes:  []string{"Body truncated at 1 MiB: only the start was recorded.", "Redirects followed:", "  1. 302  http://h/a", "  2. 500  http://h/b"},
		},
		{name: "plain success", ex: storage.Exchange{Kind: storage.KindTest, Status: 204}, status: "204 No Content"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var status string
			var notes fyne.CanvasObject
			fyne.DoAndWait(func() {
				v := newInspectorExchangeView(tt.ex, bodyView{}, bodyView{}, nil)
				status = v.status.Text
				notes = inspectorResponseNotes(tt.ex)
			})
			if status != tt.status {
				t.Errorf("status = %q, want %q", status, tt.status)
			}
			switch {
			case tt.notes == nil && notes != nil:
				t.Errorf("unexpected notes %q", notes.(*widget.Label).Text)
			case tt.notes != nil && (notes == nil || notes.(*widget.Label).Text != strings.Join(tt.notes, "\n")):
				t.Errorf("notes = %v, want %q", notes, tt.notes)
			}
		})
	}
}

func TestInspectorFileName(t *testing.T) {
	tests := []struct {
		name, fileName, contentType string
		want                        string
	}{
		{name: "as sent", fileName: "report.pdf", want: "report.pdf"},
		{name: "no directories", fileName: "../../etc/passwd", want: "passwd"},
		{name: "no windows directories", fileName: `C:\Users\x\a.txt`, want: "a.txt"},
		{name: "made up with extension", contentType: "image/png", want: "attachment-3.png"},
		{name: "made up for unknown type", contentType: "application/x-unknown-thing", want: "attachment-3"},
		{name: "dot dot only", fileName: "..", contentType: "application/x-unknown-thing", want: "attachment-3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := inspectorFileName(payload.Attachment{FileName: tt.fileName, ContentType: tt.contentType}, 2)
			if got != tt.want {
				t.Errorf("inspectorFileName = %q, want %q", got, tt.want)
			}
		})
	}
}
