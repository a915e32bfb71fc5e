package app

import (
	"sync"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/mailhook/mailhook/assets"
	"github.com/mailhook/mailhook/engine"
)

// trayFakeApp is a desktop.App around the test app, recording the tray. The
// lock orders the tray watcher's writes before the test's reads.
type trayFakeApp struct {
	fyne.App
	mu      sync.Mutex
	menu    *fyne.Menu
	icon    fyne.Resource
	window  fyne.Window
	setMenu int
}

func (f *trayFakeApp) SetSystemTrayMenu(m *fyne.Menu) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.menu = m
	f.setMenu++
}
func (f *trayFakeApp) SetSystemTrayIcon(r fyne.Resource) { f.icon = r }
func (f *trayFakeApp) SetSystemTrayWindow(w fyne.Window) { f.window = w }

// sets is how often the menu was set. Poll this, not the labels: the
// watcher writes a label just before it sets the menu.
func (f *trayFakeApp) sets() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.setMenu
}

// labels is the menu as the tray shows it; read it once sets has moved.
func (f *trayFakeApp) labels() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, it := range f.menu.Items {
		out = append(out, it.Label)
	}
	return out
}

// traySource feeds the tray's event watcher from the test, not the engine,
// so the test decides when the watcher runs.
type traySource struct {
	Source
	events chan engine.Event
}

func (s traySource) Subscribe() (<-chan engine.Event, func()) { return s.events, func() {} }

func TestTrayPauseToggles(t *testing.T) {
	a := newSerialTestApp(t)
	eng := startEngine(t)
	if setupTray(a, nil, eng) {
		t.Fatal("the test app has no tray, yet setupTray reported one")
	}

	fake := &trayFakeApp{App: a}
	src := traySource{Source: eng, events: make(chan engine.Event)}
	defer close(src.events)
	win := onFyne(func() fyne.Window { return a.NewWindow("tray") })
	t.Cleanup(func() { fyne.DoAndWait(win.Close) })
	if !onFyne(func() bool { return setupTray(fake, win, src) }) {
		t.Fatal("setupTray reported no tray for a desktop app")
	}
	if fake.icon == nil || fake.icon.Name() != assets.Icon().Name() {
		t.Errorf("tray icon %v, want the app icon", fake.icon)
	}
	if fake.window != win {
		t.Error("tray not tied to the window")
	}
	item := func(label string) *fyne.MenuItem {
		for _, it := range fake.menu.Items {
			if it.Label == label {
				return it
			}
		}
		t.Fatalf("no %q in the tray menu", label)
		return nil
	}
	item("Show window")
	if quit := item("Quit"); !quit.IsQuit {
		t.Error("Quit is not marked IsQuit: the driver would add a second one")
	}

	onFyne(func() bool { item("Pause accepting").Action(); return true })
	if !eng.Paused() {
		t.Error("Pause accepting did not pause")
	}
	onFyne(func() bool { item("Resume accepting").Action(); return true })
	if eng.Paused() {
		t.Error("Resume accepting did not resume")
	}
	onFyne(func() bool { item("Copy SMTP address").Action(); return true })
	if got := a.Clipboard().Content(); got != eng.SMTPAddr() {
		t.Errorf("clipboard %q after Copy SMTP address", got)
	}

	// Paused elsewhere: the label follows on the next listener event.
	sets := fake.sets()
	eng.SetPaused(true)
	src.events <- engine.Event{Kind: engine.EventListenerChanged}
	waitFor(t, "the tray menu to be set again", func() bool { return fake.sets() > sets })
	if labels := fake.labels(); labels[1] != "Resume accepting" {
		t.Errorf("menu %q after an outside pause", labels)
	}
}
