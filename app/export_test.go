package app

import (
	"strings"
	"testing"
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
