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
	"net"
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

	mu       sync.Mutex
	smtpSrv  *smtp.Server
	smtpLn   net.Listener
	httpSrv  *http.Server
	httpLn   net.Listener
	conns    map[*trackedConn]struct{}
	closing  bool
	inflight sync.WaitGroup // transactions between MAIL and their final reply
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
		store:     p.Store,
		log:       p.Logger.With("component", "engine"),
		now:       p.Clock,
		tls:       p.TLS,
		spf:       p.SPF,
		events:    newBus(),
		transport: p.Transport,
		conns:     map[*trackedConn]struct{}{},
	}
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
	httpLn, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("listen http on %s: %w", cfg.HTTPAddr, err)
	}
	smtpLn, err := net.Listen("tcp", cfg.SMTPAddr)
	if err != nil {
		httpLn.Close()
		return fmt.Errorf("listen smtp on %s: %w", cfg.SMTPAddr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("/", targets.Handler(targets.Options{Logger: e.log}))
	httpSrv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}

	srv := smtp.NewServer(e)
	srv.Domain = "mailhook.localhost"
	srv.MaxMessageBytes = cfg.MaxSize
	srv.MaxRecipients = MaxRecipients
	srv.AllowInsecureAuth = true // loopback development is the point
	srv.EnableSMTPUTF8 = true
	srv.TLSConfig = e.tls
	srv.ReadTimeout = 5 * time.Minute
	srv.WriteTimeout = time.Minute
	srv.ErrorLog = slogLogger{e.log.With("component", "smtp")}

	e.mu.Lock()
	e.smtpSrv, e.smtpLn, e.httpSrv, e.httpLn = srv, smtpLn, httpSrv, httpLn
	e.mu.Unlock()

	go func() {
		if err := httpSrv.Serve(httpLn); err != nil && !errors.Is(err, http.ErrServerClosed) {
			e.log.Error("http server stopped", "err", err)
		}
	}()
	go func() {
		err := srv.Serve(&trackedListener{Listener: smtpLn, onAccept: e.connOpened, onClose: e.connClosed})
		if err != nil && !errors.Is(err, net.ErrClosed) && !errors.Is(err, smtp.ErrServerClosed) {
			e.log.Error("smtp server stopped", "err", err)
		}
	}()
	e.log.Info("listening", "smtp", smtpLn.Addr().String(), "http", httpLn.Addr().String())
	e.publish(Event{Kind: EventListenerChanged})
	return nil
}

// SMTPAddr is the address the SMTP listener is bound to ("" before Start).
func (e *Engine) SMTPAddr() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.smtpLn == nil {
		return ""
	}
	return e.smtpLn.Addr().String()
}

// HTTPAddr is the address of the built-in targets ("" before Start).
func (e *Engine) HTTPAddr() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.httpLn == nil {
		return ""
	}
	return e.httpLn.Addr().String()
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
	smtpLn, smtpSrv, httpSrv := e.smtpLn, e.smtpSrv, e.httpSrv
	e.mu.Unlock()
	if smtpLn == nil {
		return nil
	}
	smtpLn.Close()

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
	smtpSrv.Close()
	return httpSrv.Shutdown(ctx)
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
