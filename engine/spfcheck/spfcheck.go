// Package spfcheck evaluates SPF (RFC 7208) for an SMTP client with
// blitiri.com.ar/go/spf, bounded so that it always answers quickly.
//
// Mailhook runs on a developer's machine, often offline or with slow DNS, and
// the answer feeds the authorization callback at RCPT time. So:
//   - loopback, private, link-local and unspecified clients are never looked
//     up: their answer is "none" (SPF says nothing about them);
//   - a domain that is not a multi-label name (an address literal, "localhost")
//     is "none" without a lookup, as RFC 7208 §4.3 says;
//   - the whole evaluation is bounded by Options.Timeout; each DNS lookup runs
//     under that deadline, and a lookup that overruns, even in a resolver that
//     ignores its context, is reported to the library as a DNS timeout, so
//     the answer is "temperror", never a stall.
package spfcheck

import (
	"context"
	"net"
	"strings"
	"time"

	"blitiri.com.ar/go/spf"
)

// DefaultTimeout bounds an evaluation when Options.Timeout is zero.
const DefaultTimeout = 2 * time.Second

// Options configure a Checker.
type Options struct {
	Timeout  time.Duration   // whole evaluation; 0 means DefaultTimeout
	Resolver spf.DNSResolver // nil means a fresh *net.Resolver (the system's)
}

// Checker evaluates SPF. It holds no per-check state, so one Checker serves
// concurrent SMTP sessions.
type Checker struct {
	timeout  time.Duration
	resolver spf.DNSResolver
}

// New returns a Checker for o.
func New(o Options) *Checker {
	c := &Checker{timeout: o.Timeout, resolver: o.Resolver}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	if c.resolver == nil {
		c.resolver = &net.Resolver{} // our own: net.DefaultResolver is never touched
	}
	return c
}

// Check evaluates SPF for the client IP and the MAIL FROM domain, or the HELO
// domain when MAIL FROM is empty (a bounce). Result is one of none, neutral,
// pass, fail, softfail, temperror, permerror; Domain the domain checked, in
// lower case ("" when there was none).
func (c *Checker) Check(ctx context.Context, ip net.IP, helo, mailFrom string) (result, domain string) {
	sender, domain := senderAndDomain(helo, mailFrom)
	if domain == "" || SkipsLookup(ip) || !multiLabel(domain) {
		return string(spf.None), domain
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	// The error only explains the result (it is non-nil even on a match).
	res, _ := spf.CheckHostWithSender(ip, helo, sender,
		spf.WithContext(ctx), spf.WithResolver(bounded{c.resolver}))
	return string(res), domain
}

// senderAndDomain picks the domain to check and the sender the library sees.
// RFC 7208 §2.4: a bounce is checked as postmaster@<HELO domain>. The domain
// is after the last "@"; the library splits at the first, so a local part
// holding "@" is replaced by postmaster too.
func senderAndDomain(helo, mailFrom string) (sender, domain string) {
	at := strings.LastIndexByte(mailFrom, '@')
	if at >= 0 && at < len(mailFrom)-1 {
		domain = strings.ToLower(mailFrom[at+1:])
		if strings.IndexByte(mailFrom, '@') == at {
			return mailFrom, domain
		}
		return "postmaster@" + domain, domain
	}
	domain = strings.ToLower(strings.TrimSpace(helo))
	if domain == "" {
		return "", ""
	}
	return "postmaster@" + domain, domain
}

// multiLabel reports whether d could be an SPF domain: at least two labels of
// 1 to 63 bytes (a final dot allowed), and not an address literal.
func multiLabel(d string) bool {
	d = strings.TrimSuffix(d, ".")
	if len(d) > 253 || strings.ContainsAny(d, "[]: ") || net.ParseIP(d) != nil {
		return false
	}
	labels := strings.Split(d, ".")
	for _, l := range labels {
		if l == "" || len(l) > 63 {
			return false
		}
	}
	return len(labels) >= 2
}

// ValidResult reports whether s is an SPF result name exactly as sent
// (lower case), for a forced --spf-result setting.
func ValidResult(s string) bool {
	switch spf.Result(s) {
	case spf.None, spf.Neutral, spf.Pass, spf.Fail, spf.SoftFail, spf.TempError, spf.PermError:
		return true
	}
	return false
}

// SkipsLookup reports whether a client at ip gets "none" without DNS:
// loopback, private (RFC 1918, fc00::/7), link-local, unspecified, or no
// valid address at all (nothing to evaluate).
func SkipsLookup(ip net.IP) bool {
	return ip.To16() == nil || ip.IsLoopback() || ip.IsPrivate() ||
		ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.IsUnspecified()
}

// bounded wraps a resolver so that no lookup outlives the context and a
// lookup cut short looks like a DNS timeout: the library only maps a
// *net.DNSError that is Temporary() to temperror (another error on the
// top-level TXT lookup would read as permerror).
type bounded struct{ r spf.DNSResolver }

func (b bounded) LookupTXT(ctx context.Context, name string) ([]string, error) {
	return lookup(ctx, name, b.r.LookupTXT)
}

func (b bounded) LookupMX(ctx context.Context, name string) ([]*net.MX, error) {
	return lookup(ctx, name, b.r.LookupMX)
}

func (b bounded) LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error) {
	return lookup(ctx, host, b.r.LookupIPAddr)
}

func (b bounded) LookupAddr(ctx context.Context, addr string) ([]string, error) {
	return lookup(ctx, addr, b.r.LookupAddr)
}

// lookup runs f in its own goroutine so a resolver that ignores ctx cannot
// hold the SMTP session; such a goroutine ends when the resolver returns.
func lookup[T any](ctx context.Context, name string, f func(context.Context, string) (T, error)) (T, error) {
	type answer struct {
		v   T
		err error
	}
	ch := make(chan answer, 1) // buffered: an abandoned lookup never blocks
	go func() {
		v, err := f(ctx, name)
		ch <- answer{v, err}
	}()
	select {
	case a := <-ch:
		if a.err != nil && ctx.Err() != nil {
			return a.v, timeout(ctx, name)
		}
		return a.v, a.err
	case <-ctx.Done():
		var zero T
		return zero, timeout(ctx, name)
	}
}

func timeout(ctx context.Context, name string) error {
	return &net.DNSError{Err: ctx.Err().Error(), Name: name, IsTimeout: true, IsTemporary: true}
}
