package export

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/mailhook/mailhook/storage"
)

// The HAR 1.2 structures (http://www.softwareishard.com/blog/har-12-spec/).
// Fields the format requires are always written; Mailhook's own record of
// an exchange goes in the custom "_mailhook" field, as the format allows.
type (
	harFile struct {
		Log harLog `json:"log"`
	}
	harLog struct {
		Version string     `json:"version"`
		Creator harCreator `json:"creator"`
		Entries []harEntry `json:"entries"`
	}
	harCreator struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	}
	harEntry struct {
		StartedDateTime string      `json:"startedDateTime"`
		Time            float64     `json:"time"`
		Request         harRequest  `json:"request"`
		Response        harResponse `json:"response"`
		Cache           struct{}    `json:"cache"`
		Timings         harTimings  `json:"timings"`
		Comment         string      `json:"comment,omitempty"`
		Mailhook        harMailhook `json:"_mailhook"`
	}
	harRequest struct {
		Method      string     `json:"method"`
		URL         string     `json:"url"`
		HTTPVersion string     `json:"httpVersion"`
		Cookies     []struct{} `json:"cookies"`
		Headers     []harNV    `json:"headers"`
		QueryString []harNV    `json:"queryString"`
		PostData    *harPost   `json:"postData,omitempty"`
		HeadersSize int        `json:"headersSize"`
		BodySize    int        `json:"bodySize"`
	}
	harPost struct {
		MimeType string `json:"mimeType"`
		Text     string `json:"text"`
		// Encoding "base64" marks a body that is not UTF-8 (an extension
		// HAR 1.2 has for response content only; tools that ignore it see
		// the base64 text).
		Encoding string `json:"encoding,omitempty"`
	}
	harResponse struct {
		Status      int        `json:"status"`
		StatusText  string     `json:"statusText"`
		HTTPVersion string     `json:"httpVersion"`
		Cookies     []struct{} `json:"cookies"`
		Headers     []harNV    `json:"headers"`
		Content     harContent `json:"content"`
		RedirectURL string     `json:"redirectURL"`
		HeadersSize int        `json:"headersSize"`
		BodySize    int        `json:"bodySize"`
	}
	harContent struct {
		Size     int    `json:"size"`
		MimeType string `json:"mimeType"`
		Text     string `json:"text,omitempty"`
		Encoding string `json:"encoding,omitempty"`
		Comment  string `json:"comment,omitempty"`
	}
	harTimings struct {
		Send    float64 `json:"send"`
		Wait    float64 `json:"wait"`
		Receive float64 `json:"receive"`
	}
	harNV struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	}
	harMailhook struct {
		ID        int64         `json:"id"`
		MessageID int64         `json:"message_id,omitempty"`
		ReplayOf  int64         `json:"replay_of,omitempty"`
		ParentID  int64         `json:"parent_id,omitempty"`
		Kind      string        `json:"kind"`
		Format    string        `json:"format,omitempty"`
		Recipient string        `json:"recipient,omitempty"`
		Outcome   string        `json:"outcome,omitempty"`
		SMTPReply string        `json:"smtp_reply,omitempty"`
		Error     string        `json:"error,omitempty"`
		Hops      []storage.Hop `json:"hops,omitempty"`
	}
)

// harTime is ISO 8601 with milliseconds, as HAR asks.
const harTime = "2006-01-02T15:04:05.000Z07:00"

// HAR returns exs as an HTTP Archive 1.2 whose creator is Mailhook at
// version ("" reads "dev"). URLs and Authorization stay masked as stored. A
// call that got no answer has status 0 and its reason in _mailhook.error.
func HAR(exs []storage.Exchange, version string) ([]byte, error) {
	if version == "" {
		version = "dev"
	}
	f := harFile{Log: harLog{Version: "1.2", Creator: harCreator{Name: "Mailhook", Version: version}, Entries: []harEntry{}}}
	for _, ex := range exs {
		f.Log.Entries = append(f.Log.Entries, harEntryOf(ex))
	}
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode har: %w", err)
	}
	return b, nil
}

func harEntryOf(ex storage.Exchange) harEntry {
	method := ex.Method
	if method == "" {
		method = http.MethodPost
	}
	e := harEntry{
		StartedDateTime: ex.StartedAt.Format(harTime),
		Time:            float64(ex.DurationMS),
		Request: harRequest{
			Method: method, URL: ex.URL, HTTPVersion: "HTTP/1.1", Cookies: []struct{}{},
			Headers: harHeaders(ex.RequestHeaders), QueryString: harQuery(ex.URL),
			HeadersSize: -1, BodySize: len(ex.RequestBody),
		},
		Response: harResponse{
			Status: ex.Status, StatusText: http.StatusText(ex.Status), HTTPVersion: "HTTP/1.1",
			Cookies: []struct{}{}, Headers: harHeaders(ex.ResponseHeaders),
			RedirectURL: header(ex.ResponseHeaders, "Location"), HeadersSize: -1, BodySize: len(ex.ResponseBody),
		},
		Timings: harTimings{Wait: float64(ex.DurationMS)},
		Comment: ex.Kind,
		Mailhook: harMailhook{
			ID: ex.ID, MessageID: ex.MessageID, ReplayOf: ex.ReplayOf, ParentID: ex.ParentID,
			Kind: ex.Kind, Format: ex.Format, Recipient: ex.Recipient, Outcome: ex.Outcome,
			SMTPReply: ex.SMTPReply, Error: ex.Error, Hops: ex.Hops,
		},
	}
	if ex.Status == 0 {
		e.Response.HTTPVersion, e.Response.BodySize = "", -1
	}
	if len(ex.RequestBody) > 0 || method == http.MethodPost || method == http.MethodPut || method == http.MethodPatch {
		text, enc := bodyText(ex.RequestBody)
		e.Request.PostData = &harPost{MimeType: header(ex.RequestHeaders, "Content-Type"), Text: text, Encoding: enc}
	}
	text, enc := bodyText(ex.ResponseBody)
	e.Response.Content = harContent{
		Size: len(ex.ResponseBody), MimeType: header(ex.ResponseHeaders, "Content-Type"), Text: text, Encoding: enc,
	}
	if ex.ResponseTruncated {
		e.Response.Content.Comment = "body cut at Mailhook's response size limit"
	}
	return e
}

// bodyText is a body as HAR text: as is when UTF-8, else base64.
func bodyText(b []byte) (text, encoding string) {
	if utf8.Valid(b) {
		return string(b), ""
	}
	return base64.StdEncoding.EncodeToString(b), "base64"
}

func harHeaders(h []storage.Header) []harNV {
	out := make([]harNV, len(h))
	for i, x := range h {
		out[i] = harNV(x)
	}
	return out
}

// harQuery lists the URL's query parameters in order.
func harQuery(raw string) []harNV {
	out := []harNV{}
	u, err := url.Parse(raw)
	if err != nil || u.RawQuery == "" {
		return out
	}
	for _, pair := range strings.Split(u.RawQuery, "&") {
		name, value, _ := strings.Cut(pair, "=")
		n, err1 := url.QueryUnescape(name)
		v, err2 := url.QueryUnescape(value)
		if err1 != nil || err2 != nil {
			n, v = name, value
		}
		out = append(out, harNV{Name: n, Value: v})
	}
	return out
}

func header(h []storage.Header, name string) string {
	for _, x := range h {
		if http.CanonicalHeaderKey(x.Name) == name {
			return x.Value
		}
	}
	return ""
}
