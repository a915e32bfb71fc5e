package app

import (
	"context"
	"encoding/json"
	"net/smtp"
	"strings"
	"testing"

	"github.com/mailhook/mailhook/storage"
)

// TestCopyAsCurl taps Copy as curl on a delivery and reads the clipboard.
func TestCopyAsCurl(t *testing.T) {
	rt := replayTestSetup(t)
	bar := rt.showExchange(t, rt.delivery)
	tap(bar.curl)
	rt.wait(t, "curl")
	got := onFyne(func() string { return rt.a.Clipboard().Content() })
	if !strings.HasPrefix(got, "curl ") || !strings.Contains(got, "/target/200") {
		t.Errorf("clipboard = %q, want a curl command to the target", got)
	}
	if text := onFyne(func() string { return bar.curl.Text }); text != "Copied" {
		t.Errorf("button says %q after copying", text)
	}
}

// TestClearHistory empties the list after the confirmation.
func TestClearHistory(t *testing.T) {
	rt := replayTestSetup(t)
	w := rt.w
	waitFor(t, "the message in the list", func() bool { return onFyne(func() int { return w.history.list.Length() }) == 1 })
	onFyne(func() bool { w.actions.clearHistory(); return true })
	rt.wait(t, "clear")
	waitFor(t, "an empty list", func() bool { return onFyne(func() int { return w.history.list.Length() }) == 0 })
}

// TestExportExchangeIDs: the HAR of listed messages holds each exchange of
// their timelines once, redeliveries included.
func TestExportExchangeIDs(t *testing.T) {
	eng := startEngine(t)
	msg := "From: a@example.org\r\nTo: b@example.com\r\nMessage-ID: <same@example.org>\r\nSubject: twice\r\n\r\nhi\r\n"
	for range 2 { // the same Message-ID twice: one timeline
		if err := smtp.SendMail(eng.SMTPAddr(), nil, "a@example.org", []string{"b@example.com"}, []byte(msg)); err != nil {
			t.Fatal(err)
		}
	}
	page, err := eng.ListMessages(context.Background(), storage.ListQuery{})
	if err != nil || len(page.Messages) != 2 {
		t.Fatalf("list: %v, %d messages", err, len(page.Messages))
	}
	ids, err := exportExchangeIDs(context.Background(), eng, []int64{page.Messages[0].ID, page.Messages[1].ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 2 {
		t.Fatalf("exchange ids %v, want the two deliveries once each", ids)
	}
	har, err := eng.HAR(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Log struct {
			Entries []json.RawMessage `json:"entries"`
		} `json:"log"`
	}
	if err := json.Unmarshal(har, &doc); err != nil || len(doc.Log.Entries) != 2 {
		t.Fatalf("HAR: %v, %d entries, want 2", err, len(doc.Log.Entries))
	}
}
