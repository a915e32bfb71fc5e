package engine_test

import (
	"net"
	"strings"
	"testing"

	"github.com/mailhook/mailhook/engine"
)

// TestApplyConfig: settings apply live, are saved, and a bad one changes
// nothing.
func TestApplyConfig(t *testing.T) {
	t.Run("bad config is refused and nothing changes", func(t *testing.T) {
		h := newHarness(t, nil)
		before := h.eng.Config()
		bad := before
		bad.TargetURL = "ftp://example.com/hook"
		if err := h.eng.ApplyConfig(bad); err == nil || !strings.Contains(err.Error(), "scheme") {
			t.Fatalf("ApplyConfig(bad) = %v, want a scheme error", err)
		}
		if h.eng.Config() != before {
			t.Error("config changed after a refused ApplyConfig")
		}
	})

	t.Run("target applies to the next transaction and is saved", func(t *testing.T) {
		h := newHarness(t, nil)
		hook := newRecorder(t, status(200, "ok"))
		cfg := h.eng.Config()
		cfg.TargetURL = hook.srv.URL + "/new"
		if err := h.eng.ApplyConfig(cfg); err != nil {
			t.Fatal(err)
		}
		mustDeliver(t, h, h.dial())
		if reqs := hook.requests(); len(reqs) != 1 || reqs[0].Path != "/new" {
			t.Fatalf("webhook requests %v, want one to /new", reqs)
		}
		saved, err := engine.LoadSettings(h.dir)
		if err != nil || saved.TargetURL != cfg.TargetURL {
			t.Errorf("saved settings %+v (%v), want target %s", saved, err, cfg.TargetURL)
		}
	})

	t.Run("new SMTP address restarts the listener", func(t *testing.T) {
		h := newHarness(t, nil)
		oldAddr := h.eng.SMTPAddr()
		idle := h.dial() // an open connection on the old listener
		cfg := h.eng.Config()
		cfg.SMTPAddr = "127.0.0.1:0"
		cfg.MaxSize = 4096
		if err := h.eng.ApplyConfig(cfg); err != nil {
			t.Fatal(err)
		}
		newAddr := h.eng.SMTPAddr()
		if newAddr == oldAddr {
			t.Fatalf("SMTP address still %s", oldAddr)
		}
		if c, err := net.Dial("tcp", oldAddr); err == nil {
			c.Close()
			t.Errorf("old address %s still accepts connections", oldAddr)
		}
		// The connection opened before the change still works.
		if err := idle.Noop(); err != nil {
			t.Errorf("open connection broken by the restart: %v", err)
		}
		c := h.dial()
		if ok, size := c.Extension("SIZE"); !ok || size != "4096" {
			t.Errorf("new listener advertises SIZE %q, want 4096", size)
		}
	})
}

// TestPause: while paused MAIL FROM gets 421; after resume mail flows.
func TestPause(t *testing.T) {
	hook := newRecorder(t, status(200, "ok"))
	h := newHarness(t, func(c *engine.Config) { c.TargetURL = hook.srv.URL + "/hook" })
	h.eng.SetPaused(true)
	if !h.eng.Paused() {
		t.Fatal("Paused() = false after SetPaused(true)")
	}
	c := h.dial()
	if code := smtpCode(c.Mail("s@example.org", nil)); code != 421 {
		t.Fatalf("MAIL while paused: %d, want 421", code)
	}
	h.eng.SetPaused(false)
	mustDeliver(t, h, h.dial())
	if n := len(hook.requests()); n != 1 {
		t.Errorf("%d deliveries after resume, want 1", n)
	}
}

// TestApplyConfigSameListenerSpelledDifferently: "localhost:N" for a
// listener bound to 127.0.0.1:N is no restart, not "address in use".
func TestApplyConfigSameListenerSpelledDifferently(t *testing.T) {
	h := newHarness(t, nil)
	_, port, _ := net.SplitHostPort(h.eng.SMTPAddr())
	_, httpPort, _ := net.SplitHostPort(h.eng.HTTPAddr())
	cfg := h.eng.Config()
	cfg.SMTPAddr, cfg.HTTPAddr = "localhost:"+port, "localhost:"+httpPort
	if err := h.eng.ApplyConfig(cfg); err != nil {
		t.Fatalf("ApplyConfig: %v", err)
	}
	if got := h.eng.SMTPAddr(); !strings.HasSuffix(got, ":"+port) {
		t.Errorf("SMTP listener now on %s, want port %s kept", got, port)
	}
	h.dial() // still accepting
}
