package webhook

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"syscall"
)

// Reasons a call got no usable answer. They are shown to the developer next
// to status 0, so they are short and plain.
const (
	ReasonTimeout          = "timeout"
	ReasonRefused          = "connection refused"
	ReasonReset            = "connection reset"
	ReasonBadResponse      = "bad response"
	ReasonTooManyRedirects = "too many redirects"
	ReasonInvalidURL       = "invalid url"
	ReasonUnreachable      = "unreachable" // DNS failure, no route, other dial errors
	ReasonTLS              = "tls error"   // handshake or certificate failure
	ReasonCanceled         = "canceled"    // the caller's context was canceled (shutdown)
)

// FailureError says why a call got no usable answer. Err never holds a URL
// with credentials: *url.Error wrappers are removed.
type FailureError struct {
	Reason string
	Err    error
}

func (e *FailureError) Error() string {
	if e.Err == nil {
		return e.Reason
	}
	if msg := e.Err.Error(); strings.HasPrefix(msg, e.Reason) { // "invalid url: invalid url" reads badly
		return msg
	}
	return e.Reason + ": " + e.Err.Error()
}

func (e *FailureError) Unwrap() error { return e.Err }

func errTooManyRedirects(n int) error {
	return fmt.Errorf("still redirected after %d redirects", n)
}

// Windows socket error numbers: syscall.ECONNREFUSED and ECONNRESET are not
// what Winsock returns, and these values are not errnos anywhere else.
const (
	wsaECONNRESET   syscall.Errno = 10054
	wsaECONNREFUSED syscall.Errno = 10061
)

// classify maps a transport error to a Reason. The context is checked first
// because a deadline surfaces as many different errors depending on where the
// exchange was when it fired.
func classify(ctx context.Context, err error) *FailureError {
	err = stripURL(err)
	var (
		errno  syscall.Errno
		netErr net.Error
		dnsErr *net.DNSError
		opErr  *net.OpError
		certEr *tls.CertificateVerificationError
		recEr  tls.RecordHeaderError
		alert  tls.AlertError
	)
	reason := ReasonBadResponse
	hasErrno := errors.As(err, &errno)
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded), errors.Is(err, context.DeadlineExceeded):
		reason = ReasonTimeout
	case ctx.Err() != nil, errors.Is(err, context.Canceled):
		reason = ReasonCanceled
	case errors.As(err, &netErr) && netErr.Timeout():
		reason = ReasonTimeout
	case hasErrno && (errno == syscall.ECONNREFUSED || errno == wsaECONNREFUSED):
		reason = ReasonRefused
	case hasErrno && (errno == syscall.ECONNRESET || errno == wsaECONNRESET || errno == syscall.EPIPE),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		reason = ReasonReset
	case errors.As(err, &certEr), errors.As(err, &recEr), errors.As(err, &alert):
		reason = ReasonTLS
	case errors.As(err, &dnsErr), errors.As(err, &opErr) && opErr.Op == "dial":
		reason = ReasonUnreachable
	}
	return &FailureError{Reason: reason, Err: err}
}

// stripURL drops the *url.Error wrapper net/http puts around every error:
// its text repeats the URL.
func stripURL(err error) error {
	for {
		ue, ok := err.(*url.Error)
		if !ok || ue.Err == nil {
			return err
		}
		err = ue.Err
	}
}
