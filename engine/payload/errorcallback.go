package payload

import (
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

// EncodeErrorCallback builds the error callback body for rawURL: JSON when
// its path ends in .json, else a form in the SPEC's field order.
func EncodeErrorCallback(rawURL string, p ErrorParams) (body []byte, contentType string) {
	resp := cutResponse(p.Response)
	if pathEndsWith(rawURL, ".json") {
		// Cannot fail: an int and valid UTF-8 strings.
		body, _ = marshalJSON(errorJSON{Status: p.Status, To: p.To, From: p.From, Response: resp})
		return body, "application/json"
	}
	return formBody("status", strconv.Itoa(p.Status), "to", p.To, "from", p.From, "response", resp),
		"application/x-www-form-urlencoded"
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
