package engine

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"time"

	"github.com/mailhook/mailhook/engine/payload"
	"github.com/mailhook/mailhook/engine/spfcheck"
)

// Config is what the user sets: flags, saved settings, later the settings
// pane. A copy is taken at the start of each SMTP transaction, so a change
// applies to the next transaction, never to one in flight.
type Config struct {
	SMTPAddr     string         // SMTP listen address
	HTTPAddr     string         // built-in targets and local API
	TargetURL    string         // delivery webhook; may carry user:pass@
	Format       payload.Format // json+n, multipart+n or raw
	Timeout      time.Duration  // per HTTP exchange, redirects included
	MaxSize      int64          // message size limit in bytes
	SMTPUser     string         // when set, AUTH is required with these credentials
	SMTPPass     string
	SizeAsNumber bool // attachment size as a JSON number

	// AuthURL, when set, is asked at each RCPT TO (SPEC §3). AuthFormat ""
	// picks the format from the URL's ending.
	AuthURL    string
	AuthFormat payload.AuthFormat
	// ErrorURL, when set, is told of every delivery that was not 2xx (SPEC §4).
	ErrorURL string
	// SPFResult forces the SPF result for testing; "" evaluates it.
	SPFResult string
}

// Defaults from SPEC §7.
const (
	DefaultSMTPAddr  = "127.0.0.1:2525"
	DefaultHTTPAddr  = "127.0.0.1:2580"
	DefaultTargetURL = "http://127.0.0.1:2580/target/200"
	DefaultTimeout   = 30 * time.Second
	DefaultMaxSize   = 25 << 20
	// MaxRecipients per transaction; the 101st RCPT gets 452.
	MaxRecipients = 100
)

// DefaultConfig returns the configuration a fresh install runs with.
func DefaultConfig() Config {
	return Config{
		SMTPAddr:  DefaultSMTPAddr,
		HTTPAddr:  DefaultHTTPAddr,
		TargetURL: DefaultTargetURL,
		Format:    payload.JSONNormalized,
		Timeout:   DefaultTimeout,
		MaxSize:   DefaultMaxSize,
	}
}

// Validate reports every problem of c at once, each naming the setting.
func (c Config) Validate() error {
	var errs []error
	for name, addr := range map[string]string{"smtp address": c.SMTPAddr, "http address": c.HTTPAddr} {
		if _, _, err := net.SplitHostPort(addr); err != nil {
			errs = append(errs, fmt.Errorf("%s %q: %w", name, addr, err))
		}
	}
	if err := ValidateURL(c.TargetURL); err != nil {
		errs = append(errs, fmt.Errorf("target url: %w", err))
	}
	if _, err := payload.ParseFormat(string(c.Format)); err != nil {
		errs = append(errs, err)
	}
	for name, u := range map[string]string{"authorization url": c.AuthURL, "error url": c.ErrorURL} {
		if u == "" {
			continue
		}
		if err := ValidateURL(u); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
		}
	}
	if c.AuthFormat != "" {
		if _, err := payload.ParseAuthFormat(string(c.AuthFormat)); err != nil {
			errs = append(errs, err)
		}
	}
	if c.SPFResult != "" && !spfcheck.ValidResult(c.SPFResult) {
		errs = append(errs, fmt.Errorf("spf result %q: want one of none, neutral, pass, fail, softfail, temperror, permerror", c.SPFResult))
	}
	if c.Timeout <= 0 {
		errs = append(errs, fmt.Errorf("timeout %s: must be positive", c.Timeout))
	}
	if c.MaxSize <= 0 {
		errs = append(errs, fmt.Errorf("max size %d: must be positive", c.MaxSize))
	}
	if (c.SMTPUser == "") != (c.SMTPPass == "") {
		errs = append(errs, errors.New("smtp user and password: set both or neither"))
	}
	return errors.Join(errs...)
}

// ValidateURL accepts absolute http and https URLs only.
func ValidateURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%q is not a url: %w", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%q: scheme must be http or https", raw)
	}
	if u.Host == "" {
		return fmt.Errorf("%q: missing host", raw)
	}
	return nil
}

// IsLoopback reports whether a listen address stays on this machine.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// authFormat is the authorization format in force: the setting, or the one
// the URL's ending implies.
func (c Config) authFormat() payload.AuthFormat {
	if c.AuthFormat != "" {
		return c.AuthFormat
	}
	return payload.AuthFormatFor(c.AuthURL)
}
