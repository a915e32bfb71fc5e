package api

import (
	"encoding/base64"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mailhook/mailhook/storage"
)

// The JSON shapes. Names are part of the API: scripts depend on them.
// Times are RFC 3339 in UTC.

// messageJSON is one transaction in a list and at the top of a detail.
type messageJSON struct {
	ID         int64     `json:"id"`
	MessageID  string    `json:"message_id"` // the Message-ID header
	Subject    string    `json:"subject"`
	From       string    `json:"from"` // MAIL FROM
	Recipients []string  `json:"recipients"`
	ReceivedAt time.Time `json:"received_at"` // end of DATA, or MAIL FROM when no data arrived
	Outcome    string    `json:"outcome"`     // accepted, rejected, delayed; "" while pending
	Status     int       `json:"status"`      // last HTTP status, 0 when none
	// Beyond the list.
	FromHeader string `json:"from_header"`
	Size       int64  `json:"size"`
	SMTPReply  string `json:"smtp_reply"`
}

func toMessage(m storage.MessageSummary) messageJSON {
	at := m.ReceivedAt
	if at.IsZero() {
		at = m.CreatedAt
	}
	return messageJSON{
		ID: m.ID, MessageID: m.MessageID, Subject: m.Subject, From: m.MailFrom,
		Recipients: nonNil(m.Recipients), ReceivedAt: at.UTC(), Outcome: m.Outcome, Status: m.Status,
		FromHeader: m.FromHeader, Size: m.Size, SMTPReply: m.SMTPReply,
	}
}

// entryJSON is one step of a timeline: an SMTP command and its reply, or an
// HTTP exchange. Replay and fire answer with one of these too.
type entryJSON struct {
	ID         int64        `json:"id"`   // event id for kind smtp, exchange id otherwise
	Kind       string       `json:"kind"` // smtp, authorization, delivery, error_callback, replay, test
	At         time.Time    `json:"at"`
	DurationMS int64        `json:"duration_ms"`
	URL        string       `json:"url"`    // credentials masked; "" for smtp
	Status     int          `json:"status"` // HTTP status (0: no answer); for smtp the reply code
	Outcome    string       `json:"outcome"`
	SMTPReply  string       `json:"smtp_reply"`
	ReplayOf   *int64       `json:"replay_of"` // null unless kind is replay
	Request    requestJSON  `json:"request"`
	Response   responseJSON `json:"response"`
	Curl       string       `json:"curl"` // "" for smtp
	// Beyond the list.
	Message        *int64 `json:"message"` // the transaction (/api/messages/{id}); null for test fire and session-level commands
	Parent         *int64 `json:"parent"`  // error_callback: the failed delivery it reports
	Format         string `json:"format"`
	Recipient      string `json:"recipient"`       // authorization: the RCPT asked about
	TransportError string `json:"transport_error"` // why no answer arrived (refused, timeout...)
}

type requestJSON struct {
	Method       string           `json:"method"` // HTTP method, or the SMTP command
	Headers      []storage.Header `json:"headers"`
	Body         string           `json:"body"` // for smtp, the command's argument
	BodyEncoding string           `json:"body_encoding,omitempty"`
}

type responseJSON struct {
	Headers      []storage.Header `json:"headers"`
	Body         string           `json:"body"`
	BodyEncoding string           `json:"body_encoding,omitempty"`
	Truncated    bool             `json:"truncated"`
}

// encodeBody returns b as a string when it is valid UTF-8, else as base64
// with the encoding named.
func encodeBody(b []byte) (body, encoding string) {
	if utf8.Valid(b) {
		return string(b), ""
	}
	return base64.StdEncoding.EncodeToString(b), "base64"
}

func toExchangeEntry(x storage.Exchange, curl string) entryJSON {
	e := entryJSON{
		ID: x.ID, Kind: x.Kind, At: x.StartedAt.UTC(), DurationMS: x.DurationMS, URL: x.URL,
		Status: x.Status, Outcome: x.Outcome, SMTPReply: x.SMTPReply,
		ReplayOf: optional(x.ReplayOf), Curl: curl,
		Message: optional(x.MessageID), Parent: optional(x.ParentID),
		Format: x.Format, Recipient: x.Recipient, TransportError: x.Error,
		Request:  requestJSON{Method: x.Method, Headers: nonNil(x.RequestHeaders)},
		Response: responseJSON{Headers: nonNil(x.ResponseHeaders), Truncated: x.ResponseTruncated},
	}
	e.Request.Body, e.Request.BodyEncoding = encodeBody(x.RequestBody)
	e.Response.Body, e.Response.BodyEncoding = encodeBody(x.ResponseBody)
	return e
}

func toSMTPEntry(ev storage.SMTPEvent) entryJSON {
	e := entryJSON{
		ID: ev.ID, Kind: "smtp", At: ev.At.UTC(), DurationMS: ev.DurationMS,
		Status: ev.ReplyCode, SMTPReply: smtpReply(ev), Message: optional(ev.MessageID),
		Request:  requestJSON{Method: ev.Command, Headers: []storage.Header{}},
		Response: responseJSON{Headers: []storage.Header{}},
	}
	e.Request.Body, e.Request.BodyEncoding = encodeBody([]byte(ev.Argument))
	return e
}

// smtpReply formats a reply as it went on the wire ("250 2.0.0 OK"); "" when
// the library answered and the code is unknown.
func smtpReply(ev storage.SMTPEvent) string {
	if ev.ReplyCode == 0 {
		return ""
	}
	parts := []string{strconv.Itoa(ev.ReplyCode)}
	for _, p := range []string{ev.ReplyEnhanced, ev.ReplyText} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, " ")
}

func optional(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
