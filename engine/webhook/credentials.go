package webhook

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// SplitCredentials parses a webhook URL and takes its user info out: clean is
// the URL to call, user and pass are percent-decoded, hasAuth says user info
// was present. Only absolute http and https URLs are accepted. Errors show
// the URL masked and never quote a part of it that may hold a secret.
func SplitCredentials(raw string) (clean *url.URL, user, pass string, hasAuth bool, err error) {
	u, perr := url.Parse(raw)
	if perr != nil {
		// url.Parse's own message can quote a piece of the password
		// (`invalid port ":secret"`), so it is kept only without user info.
		reason := errors.New("cannot parse")
		var ue *url.Error
		if !strings.Contains(raw, "@") && errors.As(perr, &ue) {
			reason = ue.Err
		}
		return nil, "", "", false, fmt.Errorf("invalid url %q: %w", MaskURL(raw), reason)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, "", "", false, fmt.Errorf("invalid url %q: scheme must be http or https", MaskURL(raw))
	}
	if u.Host == "" {
		return nil, "", "", false, fmt.Errorf("invalid url %q: no host", MaskURL(raw))
	}
	if u.User != nil {
		user = u.User.Username()
		pass, _ = u.User.Password()
		hasAuth = true
		u.User = nil
	}
	return u, user, pass, hasAuth, nil
}

// MaskURL replaces the user info of raw with ****:**** (or **** when it has
// no password) and changes nothing else. Input that does not parse is masked
// up to its last '@', erring on the side of hiding too much.
func MaskURL(raw string) string {
	start := 0
	if i := strings.Index(raw, "://"); i >= 0 {
		start = i + 3
	} else if strings.HasPrefix(raw, "//") {
		start = 2
	}
	rest := raw[start:]
	u, err := url.Parse(raw)
	switch {
	case err == nil && u.Opaque == "" && u.User == nil:
		return raw
	case err == nil && u.Opaque == "":
		// Parsed: the authority ends at the first '/', '?' or '#', as
		// url.Parse has it, and the user info at its last '@'.
		if end := strings.IndexAny(rest, "/?#"); end >= 0 {
			rest = rest[:end]
		}
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return raw
	}
	mask := "****"
	if strings.Contains(rest[:at], ":") {
		mask = "****:****"
	}
	return raw[:start] + mask + raw[start+at:]
}

// target is a redirect destination with its own credentials, if any.
type target struct {
	u          *url.URL
	user, pass string
}

// redirectTarget resolves a Location against the URL that answered it.
func redirectTarget(base *url.URL, loc string) (target, error) {
	ref, err := url.Parse(loc)
	if err != nil {
		return target{}, fmt.Errorf("redirect to invalid Location %q", MaskURL(loc))
	}
	u, user, pass, _, err := SplitCredentials(base.ResolveReference(ref).String())
	if err != nil {
		return target{}, fmt.Errorf("redirect: %w", err)
	}
	return target{u: u, user: user, pass: pass}, nil
}
