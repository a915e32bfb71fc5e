package app

import (
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/mailhook/mailhook/engine"
	"github.com/mailhook/mailhook/engine/payload"
)

// settingsSpySource counts ApplyConfig calls on a real engine.
type settingsSpySource struct {
	Source
	applied atomic.Int32
}

func (s *settingsSpySource) ApplyConfig(cfg engine.Config) error {
	s.applied.Add(1)
	return s.Source.ApplyConfig(cfg)
}

// settingsShow puts a settings form for src in a test window and returns it
// with its Save button.
func settingsShow(t *testing.T, a fyne.App, src Source) (*settingsForm, *widget.Button, fyne.Window) {
	t.Helper()
	var s *settingsForm
	var save *widget.Button
	win := onFyne(func() fyne.Window {
		w := a.NewWindow("settings")
		s = newSettingsForm(src, w, a.Preferences())
		w.SetContent(s.object())
		w.Resize(fyne.NewSize(800, 900))
		save = s.saveButton
		return w
	})
	t.Cleanup(func() { fyne.DoAndWait(win.Close) })
	return s, save, win
}

func TestSettingsFromFields(t *testing.T) {
	valid := settingsFieldsFrom(engine.DefaultConfig())
	tests := []struct {
		name    string
		edit    func(*settingsFields)
		wantErr string
		check   func(*testing.T, engine.Config)
	}{
		{name: "defaults round-trip", edit: func(*settingsFields) {}, check: func(t *testing.T, c engine.Config) {
			if c != engine.DefaultConfig() {
				t.Errorf("got %+v, want the defaults", c)
			}
		}},
		{name: "every field", edit: func(f *settingsFields) {
			*f = settingsFields{SMTPAddr: " 127.0.0.1:2626 ", HTTPAddr: "localhost:0", TargetURL: "https://u:p@example.com/hook",
				Format: "raw", AuthURL: "http://127.0.0.1:2580/auth.json", AuthFormat: "xml", ErrorURL: "http://127.0.0.1/err",
				Timeout: "1m30s", MaxSize: "1024", SMTPUser: "dev", SMTPPass: " secret ", SizeAsNumber: true, SPFResult: "softfail"}
		}, check: func(t *testing.T, c engine.Config) {
			want := engine.Config{SMTPAddr: "127.0.0.1:2626", HTTPAddr: "localhost:0", TargetURL: "https://u:p@example.com/hook",
				Format: payload.Raw, AuthURL: "http://127.0.0.1:2580/auth.json", AuthFormat: payload.AuthXML, ErrorURL: "http://127.0.0.1/err",
				Timeout: 90 * time.Second, MaxSize: 1024, SMTPUser: "dev", SMTPPass: " secret ", SizeAsNumber: true, SPFResult: "softfail"}
			if c != want {
				t.Errorf("got %+v\nwant %+v", c, want)
			}
		}},
		{name: "choices that mean decide for me", edit: func(f *settingsFields) {
			f.AuthFormat, f.SPFResult = settingsAuthByURL, settingsSPFEvaluate
		}, check: func(t *testing.T, c engine.Config) {
			if c.AuthFormat != "" || c.SPFResult != "" {
				t.Errorf("auth format %q, spf %q: want both empty", c.AuthFormat, c.SPFResult)
			}
		}},
		{name: "ftp target", edit: func(f *settingsFields) { f.TargetURL = "ftp://x" }, wantErr: "scheme must be http or https"},
		{name: "not a url", edit: func(f *settingsFields) { f.TargetURL = "not a url" }, wantErr: "target url"},
		{name: "bad error url", edit: func(f *settingsFields) { f.ErrorURL = "mailto:x@y" }, wantErr: "error url"},
		{name: "address without port", edit: func(f *settingsFields) { f.SMTPAddr = "127.0.0.1" }, wantErr: "smtp address"},
		{name: "port out of range", edit: func(f *settingsFields) { f.HTTPAddr = "127.0.0.1:70000" }, wantErr: "http address"},
		{name: "timeout without unit", edit: func(f *settingsFields) { f.Timeout = "30" }, wantErr: "timeout"},
		{name: "negative size", edit: func(f *settingsFields) { f.MaxSize = "-1" }, wantErr: "size limit"},
		{name: "user without password", edit: func(f *settingsFields) { f.SMTPUser = "dev" }, wantErr: "set both or neither"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := valid
			tt.edit(&f)
			cfg, err := settingsFromFields(f)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, cfg)
		})
	}
}

func TestSettingsRefusesBadURL(t *testing.T) {
	a := newSerialTestApp(t)
	eng := startEngine(t)
	spy := &settingsSpySource{Source: eng}
	s, save, _ := settingsShow(t, a, spy)
	before := eng.Config()

	for _, bad := range []string{"ftp://x", "not a url"} {
		verr, problem, disabled := func() (error, string, bool) {
			var verr error
			var problem string
			var disabled bool
			fyne.DoAndWait(func() {
				s.target.SetText(bad)
				verr = s.target.Validate()
				problem = s.note.Text
				disabled = save.Disabled()
				test.Tap(save)
				s.save() // even if called directly, nothing is applied
			})
			return verr, problem, disabled
		}()
		if verr == nil {
			t.Errorf("%q: validator accepted it", bad)
		}
		if !strings.Contains(problem, "Target URL") {
			t.Errorf("%q: note %q does not name the field", bad, problem)
		}
		if !disabled {
			t.Errorf("%q: Save is enabled", bad)
		}
	}
	if n := spy.applied.Load(); n != 0 {
		t.Errorf("ApplyConfig called %d times for a bad URL", n)
	}
	if eng.Config() != before {
		t.Error("config changed after a refused URL")
	}

	// Empty is fine for the optional URLs, never for the target.
	onFyne(func() bool {
		s.target.SetText("")
		s.authURL.SetText("")
		return true
	})
	if onFyne(func() bool { return s.target.Validate() == nil }) {
		t.Error("empty target URL accepted")
	}
	if err := onFyne(s.authURL.Validate); err != nil {
		t.Errorf("empty authorization URL refused: %v", err)
	}
}

func TestSettingsAppliesChange(t *testing.T) {
	a := newSerialTestApp(t)
	eng := startEngine(t)
	spy := &settingsSpySource{Source: eng}
	s, save, win := settingsShow(t, a, spy)
	target := "http://" + eng.HTTPAddr() + "/target/500"

	note := onFyne(func() string {
		s.target.SetText(target)
		s.timeout.SetText("5s")
		s.errorURL.SetText("http://" + eng.HTTPAddr() + "/target/200")
		s.notifications.SetChecked(false)
		test.Tap(save)
		return s.note.Text
	})
	cfg := eng.Config()
	if cfg.TargetURL != target || cfg.Timeout != 5*time.Second || cfg.ErrorURL == "" {
		t.Errorf("config after save: target %q timeout %s error url %q", cfg.TargetURL, cfg.Timeout, cfg.ErrorURL)
	}
	if !strings.Contains(note, "Saved") {
		t.Errorf("note after save = %q", note)
	}
	if notifyEnabled(a.Preferences()) {
		t.Error("notifications preference not saved")
	}

	// Reset reloads what the engine has, discarding edits.
	got := onFyne(func() string {
		s.timeout.SetText("9s")
		s.load()
		return s.timeout.Text
	})
	if got != "5s" {
		t.Errorf("timeout after reset = %q, want 5s", got)
	}

	// An address already taken is refused by the engine: a dialog, no change.
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	overlay := onFyne(func() fyne.CanvasObject {
		s.smtpAddr.SetText(busy.Addr().String())
		test.Tap(save)
		return win.Canvas().Overlays().Top()
	})
	if overlay == nil {
		t.Error("no error dialog for an address in use")
	}
	if eng.Config().SMTPAddr == busy.Addr().String() {
		t.Error("config took an address that could not be bound")
	}
}
