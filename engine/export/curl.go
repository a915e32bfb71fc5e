package export

import (
	"encoding/base64"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/mailhook/mailhook/storage"
)

// maxInlineBody is the largest text body written inline as an argument;
// a larger one is piped in through the printf builtin, because Linux caps
// one argument of a program at 128 KiB.
const maxInlineBody = 64 << 10

// Curl returns a bash command that sends ex's request again as it was
// recorded: method, url (pass the real one, credentials included; "" uses
// the stored, masked URL), headers and body byte for byte. Text bodies are
// single-quoted inline; binary and multipart bodies travel as base64
// through `base64 -d` into `--data-binary @-`. Headers curl would add on
// its own (Accept, a default Content-Type, Expect) are switched off, and
// the ones it computes itself (Host, Content-Length) are left to it.
func Curl(ex storage.Exchange, url string) string {
	if url == "" {
		url = ex.URL
	}
	method := ex.Method
	if method == "" {
		method = http.MethodPost
	}
	body := ex.RequestBody
	hasData := len(body) > 0 || method == http.MethodPost || method == http.MethodPut || method == http.MethodPatch

	args := []string{"curl"}
	if strings.ContainsAny(url, "[]{}") {
		args = append(args, "--globoff") // brackets are curl's URL globbing
	}
	args = append(args, quote(url))
	inferred := http.MethodGet // what curl sends unless told
	if hasData {
		inferred = http.MethodPost
	}
	if method != inferred {
		args = append(args, "-X", quote(method))
	}

	seen := map[string]bool{}
	for _, h := range ex.RequestHeaders {
		name := http.CanonicalHeaderKey(h.Name)
		switch name {
		case "Host", "Content-Length", "Connection", "Transfer-Encoding":
			continue
		case "Authorization", "Proxy-Authorization":
			if strings.HasSuffix(h.Value, "****") {
				continue // masked: curl derives it from the URL's credentials
			}
		}
		seen[name] = true
		if h.Value == "" {
			args = append(args, "-H", quote(h.Name+";")) // curl's syntax for an empty header
			continue
		}
		args = append(args, "-H", quote(h.Name+": "+h.Value))
	}
	for _, name := range []string{"Accept", "User-Agent"} {
		if !seen[name] {
			args = append(args, "-H", quote(name+":"))
		}
	}
	if hasData && !seen["Content-Type"] {
		args = append(args, "-H", quote("Content-Type:"))
	}
	if hasData {
		args = append(args, "-H", quote("Expect:"))
	}

	var pipe string
	switch {
	case !hasData:
	case isBinary(body, contentType(ex.RequestHeaders)):
		pipe = "printf %s " + quote(base64.StdEncoding.EncodeToString(body)) + " | base64 -d | "
		args = append(args, "--data-binary", "@-")
	case len(body) > maxInlineBody || strings.HasPrefix(string(body), "@"):
		// A leading @ would make curl read a file of that name.
		pipe = "printf %s " + quote(string(body)) + " | "
		args = append(args, "--data-binary", "@-")
	default:
		args = append(args, "--data-binary", quote(string(body)))
	}
	return pipe + joinArgs(args)
}

// joinArgs puts each option on its own line, as devtools' "copy as curl" does.
func joinArgs(args []string) string {
	var b strings.Builder
	b.WriteString(args[0])
	b.WriteByte(' ')
	b.WriteString(args[1])
	for i := 2; i < len(args); i++ {
		if strings.HasPrefix(args[i], "-") {
			b.WriteString(" \\\n  ")
		} else {
			b.WriteByte(' ')
		}
		b.WriteString(args[i])
	}
	return b.String()
}

// quote single-quotes s for bash: nothing inside is special but the quote
// itself, which is closed, escaped and reopened.
func quote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// isBinary reports whether a body must travel as base64: multipart (its
// CRLFs do not survive a clipboard), not UTF-8, or holding control
// characters other than newline and tab.
func isBinary(body []byte, ct string) bool {
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(ct)), "multipart/") || !utf8.Valid(body) {
		return true
	}
	for _, c := range body {
		if c < 0x20 && c != '\n' && c != '\t' || c == 0x7f {
			return true
		}
	}
	return false
}

func contentType(h []storage.Header) string {
	for _, x := range h {
		if strings.EqualFold(x.Name, "Content-Type") {
			return x.Value
		}
	}
	return ""
}
