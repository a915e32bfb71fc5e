package payload

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxErrorResponse is how many bytes of the webhook's response body an error
// callback carries (SPEC.md §4: at most 2 KB).
const MaxErrorResponse = 2048

// ErrorParams is what the error callback says about one failed delivery.
type ErrorParams struct {
	Status   int // the webhook's HTTP status, 0 when there was none
	To, From string
	Response string // the webhook's response body; cut to MaxErrorResponse
}

type errorJSON struct {
	Status   int    `json:"status"`
	To       string `json:"to"`
	From     string `json:"from"`
	Response string `json:"response"`
}

// ErrorFormatFor is the format SPEC §4 gives an error URL: JSON when its
// path ends in .json, else form.
func ErrorFormatFor(rawURL string) AuthFormat {
	if pathEndsWith(rawURL, ".json") {
		return AuthJSON
	}
	return AuthForm
}

// EncodeErrorCallback builds the error callback body for rawURL, in the
// format ErrorFormatFor gives it.
func EncodeErrorCallback(rawURL string, p ErrorParams) (body []byte, contentType string) {
	return EncodeErrorCallbackAs(ErrorFormatFor(rawURL), p)
}

// EncodeErrorCallbackAs builds the error callback body in f: JSON, or (for
// anything else) a form in the SPEC's field order.
func EncodeErrorCallbackAs(f AuthFormat, p ErrorParams) (body []byte, contentType string) {
	resp := cutResponse(p.Response)
	if f == AuthJSON {
		// Cannot fail: an int and valid UTF-8 strings.
		body, _ = marshalJSON(errorJSON{Status: p.Status, To: p.To, From: p.From, Response: resp})
		return body, "application/json"
	}
	return formBody("status", strconv.Itoa(p.Status), "to", p.To, "from", p.From, "response", resp),
		"application/x-www-form-urlencoded"
}

// DecodeErrorCallback reads an error callback body back (replay rebuilds
// it in another format from what was sent).
func DecodeErrorCallback(f AuthFormat, body []byte) (ErrorParams, error) {
	if f == AuthJSON {
		var v errorJSON
		if err := json.Unmarshal(body, &v); err != nil {
			return ErrorParams{}, fmt.Errorf("payload: read error callback json: %w", err)
		}
		return ErrorParams{Status: v.Status, To: v.To, From: v.From, Response: v.Response}, nil
	}
	v, err := url.ParseQuery(string(body))
	if err != nil {
		return ErrorParams{}, fmt.Errorf("payload: read error callback form: %w", err)
	}
	p := ErrorParams{To: v.Get("to"), From: v.Get("from"), Response: v.Get("response")}
	if s := v.Get("status"); s != "" {
		if p.Status, err = strconv.Atoi(s); err != nil {
			return p, fmt.Errorf("payload: read error callback form: status: %w", err)
		}
	}
	return p, nil
}

// cutResponse keeps at most MaxErrorResponse bytes of valid UTF-8. It cuts
// before sanitising so a huge body is not scanned whole, and again after,
// because each invalid byte becomes a 3-byte U+FFFD.
func cutResponse(s string) string {
	s = cutAtRune(s, MaxErrorResponse)
	s = strings.ToValidUTF8(s, "\uFFFD")
	return cutAtRune(s, MaxErrorResponse)
}

// cutAtRune cuts s to at most n bytes without splitting a UTF-8 sequence: it
// backs off at most UTFMax-1 continuation bytes, which is as far back as a
// valid rune can start.
func cutAtRune(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for i := 0; i < utf8.UTFMax-1 && n > 0 && !utf8.RuneStart(s[n]); i++ {
		n--
	}
	return s[:n]
}
