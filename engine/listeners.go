package engine

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/emersion/go-smtp"
)

// smtpListener is one go-smtp server on one listener.
type smtpListener struct {
	srv *smtp.Server
	ln  net.Listener
}

// httpListener serves the built-in targets (and later the local API).
type httpListener struct {
	srv *http.Server
	ln  net.Listener
}

func (e *Engine) listenSMTP(addr string, maxSize int64) (*smtpListener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen smtp on %s: %w", addr, err)
	}
	srv := smtp.NewServer(e)
	srv.Domain = "mailhook.localhost"
	srv.MaxMessageBytes = maxSize
	srv.MaxRecipients = MaxRecipients
	srv.AllowInsecureAuth = true // loopback development is the point
	srv.EnableSMTPUTF8 = true
	srv.TLSConfig = e.tls
	srv.ReadTimeout = 5 * time.Minute
	srv.WriteTimeout = time.Minute
	srv.ErrorLog = slogLogger{e.log.With("component", "smtp")}
	go func() {
		err := srv.Serve(&trackedListener{Listener: ln, onAccept: e.connOpened, onClose: e.connClosed})
		if err != nil && !errors.Is(err, net.ErrClosed) && !errors.Is(err, smtp.ErrServerClosed) {
			e.log.Error("smtp server stopped", "err", err)
		}
	}()
	return &smtpListener{srv: srv, ln: ln}, nil
}

func (e *Engine) listenHTTP(addr string) (*httpListener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen http on %s: %w", addr, err)
	}
	// Shutdown waits for open requests and never cancels their contexts;
	// cancelling the base context ends long ones (the API's event stream).
	base, cancel := context.WithCancel(context.Background())
	srv := &http.Server{
		Handler:           e.mux,
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return base },
	}
	srv.RegisterOnShutdown(cancel)
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			e.log.Error("http server stopped", "err", err)
		}
	}()
	return &httpListener{srv: srv, ln: ln}, nil
}

// Handle adds a route to the HTTP listener beside the built-in targets (the
// local API mounts itself here). Call it before Start.
func (e *Engine) Handle(pattern string, h http.Handler) { e.mux.Handle(pattern, h) }
