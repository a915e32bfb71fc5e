package app

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

func TestStatusBarCopiesAddress(t *testing.T) {
	a := newSerialTestApp(t)
	eng := startEngine(t)
	addr := eng.SMTPAddr()

	var b *statusBar
	shown, copied, state := func() (string, bool, string) {
		var shown, state string
		var copied bool
		fyne.DoAndWait(func() {
			b = newStatusBar(a, eng)
			b.copiedFor = time.Hour // the hiding timer is not under test
			shown = b.smtp.Text
			test.Tap(b.smtp)
			copied = b.copied.Visible()
			state = b.state.Text
		})
		return shown, copied, state
	}()
	if shown != addr {
		t.Errorf("status bar shows %q, want %q", shown, addr)
	}
	if got := a.Clipboard().Content(); got != addr {
		t.Errorf("clipboard holds %q, want %q", got, addr)
	}
	if !copied {
		t.Error(`no "copied" feedback`)
	}
	if state != "listening" {
		t.Errorf("state %q, want listening", state)
	}

	cfg := eng.Config()
	cfg.TargetURL = "http://user:s3cret@127.0.0.1:9/hook"
	if err := eng.SetConfig(cfg); err != nil {
		t.Fatal(err)
	}
	eng.SetPaused(true)
	urls, state := func() (string, string) {
		var urls, state string
		fyne.DoAndWait(func() {
			b.refresh()
			urls, state = b.urls.Text, b.state.Text
		})
		return urls, state
	}()
	if strings.Contains(urls, "s3cret") || !strings.Contains(urls, "127.0.0.1:9/hook (json+n)") {
		t.Errorf("urls %q: want the target masked, with its format", urls)
	}
	if !strings.Contains(urls, "authorization off") || !strings.Contains(urls, "error callback off") {
		t.Errorf("urls %q: want unset callbacks shown as off", urls)
	}
	if state != "paused" {
		t.Errorf("state %q, want paused", state)
	}
}

func TestStatusBarState(t *testing.T) {
	for _, tt := range []struct {
		listening, paused bool
		want              string
		importance        widget.Importance
	}{
		{true, false, "listening", widget.SuccessImportance},
		{true, true, "paused", widget.WarningImportance},
		{false, false, "stopped", widget.DangerImportance},
		{false, true, "stopped", widget.DangerImportance},
	} {
		text, icon, imp := statusBarState(tt.listening, tt.paused)
		if text != tt.want || imp != tt.importance || icon == nil {
			t.Errorf("statusBarState(%v, %v) = %q, %v, %v", tt.listening, tt.paused, text, icon, imp)
		}
	}
}
