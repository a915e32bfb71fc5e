// Package engine is Mailhook's core: the SMTP receiver, the CloudMailin
// callback engine, the built-in test targets and the event stream the front
// ends watch. It knows nothing of windows: the GUI and the headless log are
// two subscribers of the same engine.
package engine

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/mailhook/mailhook/engine/spfcheck"
	"github.com/mailhook/mailhook/engine/targets"
	"github.com/mailhook/mailhook/engine/webhook"
	"github.com/mailhook/mailhook/storage"
)

// Params are the engine's collaborators. Store and Logger are required.
type Params struct {
	Store  *storage.Store
	Logger *slog.Logger
	// Clock returns the current time; nil means time.Now.
	Clock func() time.Time
	// Transport is the HTTP transport for webhooks; nil means a fresh one.
	Transport http.RoundTripper
	// TLS enables STARTTLS; nil disables it. See LoadOrCreateTLS.
	TLS *tls.Config
	// SPF evaluates SPF at MAIL FROM; nil means one on the system resolver.
	SPF *spfcheck.Checker
	// SettingsDir is where ApplyConfig saves settings; "" saves nothing.
	SettingsDir string
}

// Engine runs one SMTP listener and one HTTP listener. Several engines can
// run in one process: nothing here is global.
type Engine struct {
	store  *storage.Store
	log    *slog.Logger
	now    func() time.Time
	tls    *tls.Config
	spf    *spfcheck.Checker
	events *bus
	cfg    atomic.Pointer[Config]
	client atomic.Pointer[webhook.Client]

	transport http.RoundTripper
	mux       *http.ServeMux // the HTTP listener's routes; survives restarts

	settingsDir string     // where ApplyConfig saves; "" saves nothing
	applyMu     sync.Mutex // serialises ApplyConfig
	paused      atomic.Bool
	background  background // test mail retries; stopped by Shutdown

	mu       sync.Mutex
	smtp     *smtpListener
	http     *httpListener
	retired  []*smtp.Server // replaced by ApplyConfig, still serving old connections
	conns    map[*trackedConn]struct{}
	closing  bool
	inflight sync.WaitGroup // work a client waits for: authorization, DATA, error callbacks
}

// New checks its inputs and builds an engine; Start opens the listeners.
func New(p Params, cfg Config) (*Engine, error) {
	if p.Store == nil {
		return nil, errors.New("engine: params.Store is required")
	}
	if p.Logger == nil {
		return nil, errors.New("engine: params.Logger is required")
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("engine: invalid config: %w", err)
	}
	if p.Clock == nil {
		p.Clock = time.Now
	}
	if p.SPF == nil {
		p.SPF = spfcheck.New(spfcheck.Options{})
	}
	e := &Engine{
		store:       p.Store,
		log:         p.Logger.With("component", "engine"),
		now:         p.Clock,
		tls:         p.TLS,
		spf:         p.SPF,
		settingsDir: p.SettingsDir,
		events:      newBus(),
		transport:   p.Transport,
		conns:       map[*trackedConn]struct{}{},
		mux:         http.NewServeMux(),
	}
	e.mux.Handle("/", targets.Handler(targets.Options{Logger: e.log}))
	e.setConfig(cfg)
	return e, nil
}

func (e *Engine) setConfig(cfg Config) {
	e.cfg.Store(&cfg)
	e.client.Store(webhook.New(webhook.Options{Timeout: cfg.Timeout, Transport: e.transport}))
}

// Config returns the configuration in force.
func (e *Engine) Config() Config { return *e.cfg.Load() }

// Store is the history the engine writes; front ends read it.
func (e *Engine) Store() *storage.Store { return e.store }

// Subscribe returns a channel of events and a function to stop. A slow
// reader never blocks SMTP: it gets EventRefreshNeeded instead of what it missed.
func (e *Engine) Subscribe() (<-chan Event, func()) { return e.events.subscribe() }

func (e *Engine) publish(ev Event) {
	if ev.At.IsZero() {
		ev.At = e.now()
	}
	e.events.publish(ev)
}

// Start opens the SMTP and HTTP listeners and serves in the background.
func (e *Engine) Start() error {
	cfg := e.Config()
	h, err := e.listenHTTP(cfg.HTTPAddr)
	if err != nil {
		return err
	}
	sm, err := e.listenSMTP(cfg.SMTPAddr, cfg.MaxSize)
	if err != nil {
		h.srv.Close()
		return err
	}
	e.mu.Lock()
	e.smtp, e.http = sm, h
	e.mu.Unlock()
	e.log.Info("listening", "smtp", sm.ln.Addr().String(), "http", h.ln.Addr().String())
	e.publish(Event{Kind: EventListenerChanged})
	return nil
}

// SMTPAddr is the address the SMTP listener is bound to ("" before Start).
func (e *Engine) SMTPAddr() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.smtp == nil {
		return ""
	}
	return e.smtp.ln.Addr().String()
}

// HTTPAddr is the address of the built-in targets ("" before Start).
func (e *Engine) HTTPAddr() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.http == nil {
		return ""
	}
	return e.http.ln.Addr().String()
}

// Shutdown stops accepting, lets transactions in flight finish until ctx
// ends, answers every remaining connection 421 and closes it. The store is
// the caller's to close afterwards.
func (e *Engine) Shutdown(ctx context.Context) error {
	e.mu.Lock()
	if e.closing {
		e.mu.Unlock()
		return nil
	}
	e.closing = true
	sm, h, retired := e.smtp, e.http, e.retired
	e.mu.Unlock()
	e.background.stop(ctx)
	if sm == nil {
		return nil
	}
	sm.ln.Close()

	done := make(chan struct{})
	go func() { e.inflight.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		e.log.Warn("shutdown: transactions still in flight are cut off")
	}

	e.mu.Lock()
	conns := make([]*trackedConn, 0, len(e.conns))
	for c := range e.conns {
		conns = append(conns, c)
	}
	e.mu.Unlock()
	bye := []byte(formatReply(replyShuttingDown()) + "\r\n")
	for _, c := range conns {
		w := c.wire()
		w.SetWriteDeadline(time.Now().Add(time.Second))
		w.Write(bye) // best effort: the client may be gone already
	}
	for _, srv := range append(retired, sm.srv) {
		srv.Close()
	}
	return h.srv.Shutdown(ctx)
}

// beginWork counts a piece of work Shutdown must wait for; false once
// shutting down. The check and the Add share the lock so an Add never
// races Shutdown's Wait.
func (e *Engine) beginWork() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closing {
		return false
	}
	e.inflight.Add(1)
	return true
}

func (e *Engine) isClosing() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.closing
}

// slogLogger adapts go-smtp's Logger to slog.
type slogLogger struct{ l *slog.Logger }

func (s slogLogger) Printf(format string, v ...any) { s.l.Warn(fmt.Sprintf(format, v...)) }
func (s slogLogger) Println(v ...any)               { s.l.Warn(fmt.Sprint(v...)) }
