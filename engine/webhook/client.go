// Package webhook is the HTTP client Mailhook uses to call a developer's
// webhooks the way CloudMailin does, and to write down exactly what happened.
//
// It never asks the caller to interpret transport errors: every call returns a
// Result holding the request as sent (credentials masked), every hop of a
// redirect chain, the last answer (body kept up to a limit) and, when no
// usable answer arrived, a *FailureError whose Reason is one short word the
// SMTP side maps to a reply.
//
// Redirects are followed by hand rather than by net/http, because CloudMailin
// re-POSTs the same body for every 3xx (net/http turns 301/302/303 into GET)
// and because each hop has to be recorded.
package webhook

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mailhook/mailhook/storage"
)

// Defaults applied by New to zero Options fields.
const (
	DefaultTimeout         = 30 * time.Second
	DefaultMaxResponseBody = 1 << 20
	DefaultMaxRedirects    = 3
	DefaultUserAgent       = "CloudMailin Server"
)

// discardCap bounds how much of a response body beyond MaxResponseBody is
// drained (so the server finishes its write and the connection can be
// reused); past it the connection is simply closed.
const discardCap = 16 << 20

// Options configures a Client. Zero fields take the defaults above.
type Options struct {
	Timeout         time.Duration // whole exchange, redirects and body included
	MaxResponseBody int64         // bytes of a response body kept
	MaxRedirects    int           // redirects followed; negative: none
	UserAgent       string        // sent unless Request.Header names one
	// Transport is used as is; nil means a fresh *http.Transport that ignores
	// proxy environment variables and does not ask for gzip, so the recorded
	// headers and body are what went over the wire.
	Transport http.RoundTripper
}

// Client calls webhooks. It is safe for concurrent use.
type Client struct {
	hc           *http.Client
	timeout      time.Duration
	maxBody      int64
	maxRedirects int
	userAgent    string
}

// New returns a Client with o's defaults filled in.
func New(o Options) *Client {
	c := &Client{timeout: o.Timeout, maxBody: o.MaxResponseBody, maxRedirects: o.MaxRedirects, userAgent: o.UserAgent}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	if c.maxBody <= 0 {
		c.maxBody = DefaultMaxResponseBody
	}
	switch {
	case c.maxRedirects == 0:
		c.maxRedirects = DefaultMaxRedirects
	case c.maxRedirects < 0:
		c.maxRedirects = 0
	}
	if c.userAgent == "" {
		c.userAgent = DefaultUserAgent
	}
	rt := o.Transport
	if rt == nil {
		rt = &http.Transport{
			Proxy:               nil, // a local webhook must not go through $HTTP_PROXY
			DialContext:         (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			ForceAttemptHTTP2:   true,
			MaxIdleConns:        10,
			IdleConnTimeout:     90 * time.Second,
			TLSHandshakeTimeout: 10 * time.Second,
			DisableCompression:  true,
		}
	}
	c.hc = &http.Client{
		Transport: rt,
		// Every 3xx comes back to Do, which follows it itself.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return c
}

// CloseIdleConnections closes kept-alive connections (on shutdown, in tests).
func (c *Client) CloseIdleConnections() { c.hc.CloseIdleConnections() }

// Request is one webhook call.
type Request struct {
	Method      string // default POST
	URL         string // may carry user:pass@, sent as Authorization: Basic
	ContentType string
	Header      []storage.Header // extra headers, added in order
	Body        []byte
}

// Result is everything recorded about one call.
type Result struct {
	Method string
	// URL is the URL asked for, with any user info shown as ****:**** (or
	// **** when there was no password): user names are often API keys.
	URL string
	// RequestHeaders are the headers of the first request, sorted by name,
	// Content-Length included, Authorization's value masked. Host is the URL's.
	RequestHeaders []storage.Header
	RequestBody    []byte
	StartedAt      time.Time
	Duration       time.Duration
	// Status is the last answer's status, 0 when no answer arrived. It may
	// be set while Err is not nil (a body cut short, too many redirects):
	// Err decides.
	Status          int
	ResponseHeaders []storage.Header // sorted by name
	ResponseBody    []byte
	Truncated       bool
	// Hops is every request made, in order; their URLs are the ones called,
	// which never carry credentials (those travel in Authorization).
	Hops []storage.Hop
	// Err is nil when an HTTP answer arrived (any status, including a 3xx
	// without Location), else a *FailureError.
	Err error
}

// Do makes the call, following redirects, within the client's Timeout.
func (c *Client) Do(ctx context.Context, r Request) (res Result) {
	start := time.Now()
	res = Result{Method: r.Method, URL: MaskURL(r.URL), RequestBody: r.Body, StartedAt: start}
	if res.Method == "" {
		res.Method = http.MethodPost
	}
	defer func() { res.Duration = time.Since(start) }()

	cur, user, pass, hasAuth, err := SplitCredentials(r.URL)
	h := c.header(r, res.Method)
	if hasAuth {
		h.Set("Authorization", basicAuth(user, pass))
	}
	res.RequestHeaders = headerList(h)
	if err != nil {
		res.Err = &FailureError{Reason: ReasonInvalidURL, Err: err}
		return res
	}
	h.Del("Content-Length") // listed for the record; net/http writes its own

	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	for follows := 0; ; follows++ {
		res.Status, res.ResponseHeaders, res.ResponseBody, res.Truncated = 0, nil, nil, false
		loc, err := c.send(ctx, res.Method, cur, h, r.Body, &res)
		res.Hops = append(res.Hops, storage.Hop{URL: cur.String(), Status: res.Status})
		if err != nil || loc == "" {
			res.Err = err
			return res
		}
		if follows >= c.maxRedirects {
			res.Err = &FailureError{Reason: ReasonTooManyRedirects, Err: errTooManyRedirects(c.maxRedirects)}
			return res
		}
		next, err := redirectTarget(cur, loc)
		if err != nil {
			res.Err = &FailureError{Reason: ReasonBadResponse, Err: err}
			return res
		}
		// Like net/http and curl: credentials go only where they were meant
		// to, unless the Location names its own.
		if next.user != "" || next.pass != "" {
			h.Set("Authorization", basicAuth(next.user, next.pass))
		} else if next.u.Hostname() != cur.Hostname() {
			h.Del("Authorization")
		}
		cur = next.u
	}
}

// send makes one request, fills res with its answer and returns the Location
// to follow ("" when the answer is final).
func (c *Client) send(ctx context.Context, method string, u *url.URL, h http.Header, body []byte, res *Result) (string, error) {
	req, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(body))
	if err != nil {
		return "", &FailureError{Reason: ReasonInvalidURL, Err: stripURL(err)}
	}
	req.Header = h.Clone()
	resp, err := c.hc.Do(req)
	if err != nil {
		return "", classify(ctx, err)
	}
	defer resp.Body.Close()
	res.Status = resp.StatusCode
	res.ResponseHeaders = headerList(resp.Header)
	res.ResponseBody, res.Truncated, err = readBody(resp.Body, c.maxBody)
	if err != nil {
		return "", classify(ctx, err)
	}
	if resp.StatusCode/100 == 3 {
		return resp.Header.Get("Location"), nil
	}
	return "", nil
}

// header builds the request headers: extras first, then what Mailhook owns.
func (c *Client) header(r Request, method string) http.Header {
	h := http.Header{}
	for _, x := range r.Header {
		h.Add(x.Name, x.Value)
	}
	if h.Get("User-Agent") == "" {
		h.Set("User-Agent", c.userAgent)
	}
	if r.ContentType != "" {
		h.Set("Content-Type", r.ContentType)
	}
	// net/http sends a length for any body, and 0 for empty POST/PUT/PATCH.
	switch {
	case len(r.Body) > 0, method == http.MethodPost, method == http.MethodPut, method == http.MethodPatch:
		h.Set("Content-Length", strconv.Itoa(len(r.Body)))
	default:
		h.Del("Content-Length")
	}
	return h
}

// readBody keeps at most max bytes and drains (a bounded amount of) the rest.
// A read error past the kept part is ignored: the answer is already decided.
func readBody(body io.Reader, max int64) ([]byte, bool, error) {
	kept, err := io.ReadAll(io.LimitReader(body, max))
	if err != nil {
		return kept, false, err
	}
	n, _ := io.Copy(io.Discard, io.LimitReader(body, discardCap))
	return kept, n > 0, nil
}

func basicAuth(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

// headerList flattens h sorted by name, values in order, secrets masked.
func headerList(h http.Header) []storage.Header {
	names := slices.Sorted(func(yield func(string) bool) {
		for k := range h {
			if !yield(k) {
				return
			}
		}
	})
	var out []storage.Header
	for _, k := range names {
		for _, v := range h[k] {
			switch http.CanonicalHeaderKey(k) {
			case "Authorization", "Proxy-Authorization":
				v = maskAuthorization(v)
			case "Location", "Content-Location":
				v = MaskURL(v) // a redirect may carry user:pass@
			}
			out = append(out, storage.Header{Name: k, Value: v})
		}
	}
	return out
}

// maskAuthorization keeps the scheme ("Basic ****") so the record still says
// which kind of credentials went out.
func maskAuthorization(v string) string {
	if scheme, _, ok := strings.Cut(v, " "); ok {
		return scheme + " ****"
	}
	return "****"
}
