package engine

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/emersion/go-smtp"
)

// ApplyConfig validates cfg, saves it (when a settings folder is set) and
// applies it: a new address or size limit restarts that listener (open
// connections finish on the old one), the rest applies to the next
// transaction. On error nothing changes.
func (e *Engine) ApplyConfig(cfg Config) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	// One at a time: two restarts racing would leave a listener behind.
	e.applyMu.Lock()
	defer e.applyMu.Unlock()
	old := e.Config()
	e.mu.Lock()
	started := e.smtp != nil && !e.closing
	e.mu.Unlock()
	if started {
		if err := e.restartListeners(old, cfg); err != nil {
			return err
		}
	}
	if e.settingsDir != "" {
		if err := SaveSettings(e.settingsDir, cfg); err != nil {
			return err
		}
	}
	e.setConfig(cfg)
	e.publish(Event{Kind: EventListenerChanged})
	return nil
}

func (e *Engine) restartListeners(old, cfg Config) error {
	e.mu.Lock()
	boundSMTP, boundHTTP := e.smtp.ln.Addr(), e.http.ln.Addr()
	e.mu.Unlock()
	// "localhost:2525" and "127.0.0.1:2525" are one listener: rebinding
	// would fail with "address in use".
	if sameListener(cfg.HTTPAddr, boundHTTP) {
		cfg.HTTPAddr = old.HTTPAddr
	}
	if sameListener(cfg.SMTPAddr, boundSMTP) {
		cfg.SMTPAddr = old.SMTPAddr
	}
	if cfg.HTTPAddr != old.HTTPAddr {
		h, err := e.listenHTTP(cfg.HTTPAddr)
		if err != nil {
			return err
		}
		e.mu.Lock()
		prev, closing := e.http, e.closing
		if !closing {
			e.http = h
		}
		e.mu.Unlock()
		if closing { // Shutdown already took the listener it stops
			h.srv.Close()
			return errors.New("shutting down")
		}
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			prev.srv.Shutdown(ctx)
		}()
	}
	if cfg.SMTPAddr == old.SMTPAddr && cfg.MaxSize == old.MaxSize {
		return nil
	}
	e.mu.Lock()
	prev := e.smtp
	e.mu.Unlock()
	// The same address cannot be bound twice: free it first, and take it
	// back if the new listener fails.
	sameAddr := cfg.SMTPAddr == old.SMTPAddr
	if sameAddr {
		prev.ln.Close()
	}
	sm, err := e.listenSMTP(cfg.SMTPAddr, cfg.MaxSize)
	if err != nil {
		if sameAddr {
			if back, berr := e.listenSMTP(old.SMTPAddr, old.MaxSize); berr == nil {
				if serr := e.swapSMTP(back, prev); serr != nil {
					return serr
				}
			} else {
				return fmt.Errorf("%w (and the old listener could not be reopened: %v)", err, berr)
			}
		}
		return err
	}
	if !sameAddr {
		prev.ln.Close()
	}
	if err := e.swapSMTP(sm, prev); err != nil {
		return err
	}
	e.log.Info("smtp listener restarted", "addr", sm.ln.Addr().String(), "max_size", cfg.MaxSize)
	return nil
}

// sameListener reports whether addr names the address a listener is bound
// to (port 0 asks for a new port, so it never does).
func sameListener(addr string, bound net.Addr) bool {
	want, err := net.ResolveTCPAddr("tcp", addr)
	got, ok := bound.(*net.TCPAddr)
	if err != nil || !ok || want.Port == 0 {
		return false
	}
	return want.Port == got.Port && (want.IP.Equal(got.IP) || want.IP == nil && got.IP.IsUnspecified())
}

// swapSMTP installs sm in place of prev, which keeps serving its open
// connections; once shutting down, sm is closed instead, since Shutdown
// has already taken the servers it stops.
func (e *Engine) swapSMTP(sm, prev *smtpListener) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closing {
		sm.srv.Close()
		return errors.New("shutting down")
	}
	e.smtp, e.retired = sm, append(e.retired, prev.srv)
	return nil
}

// SetPaused stops (or resumes) accepting mail: while paused every MAIL FROM
// is answered 421, so senders queue and retry, as with a real outage.
func (e *Engine) SetPaused(paused bool) {
	e.paused.Store(paused)
	e.publish(Event{Kind: EventListenerChanged})
}

// Paused reports whether accepting is paused.
func (e *Engine) Paused() bool { return e.paused.Load() }

// Listening reports whether the SMTP listener is open.
func (e *Engine) Listening() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.smtp != nil && !e.closing
}

func replyPaused() *smtp.SMTPError {
	return reply(421, codeShutdown, "Mailhook is paused, try again later")
}
