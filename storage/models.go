package storage

import (
	"errors"
	"time"
)

// ErrNotFound is returned by lookups that match no row (it wraps nothing:
// callers compare with errors.Is).
var ErrNotFound = errors.New("storage: not found")

// Exchange kinds: every HTTP request the engine makes is one of these.
const (
	KindDelivery      = "delivery"
	KindAuthorization = "authorization"
	KindErrorCallback = "error_callback"
	KindReplay        = "replay"
	KindTest          = "test"
)

// Outcomes of a delivery attempt or authorization decision, as CloudMailin
// names them.
const (
	OutcomeAccepted = "accepted"
	OutcomeRejected = "rejected"
	OutcomeDelayed  = "delayed"
	// OutcomePending marks a transaction that has not reached a reply yet.
	OutcomePending = ""
)

// Session is one SMTP connection.
type Session struct {
	ID         int64
	StartedAt  time.Time
	EndedAt    time.Time // zero while the connection is open
	RemoteAddr string    // ip:port as seen by the listener
	RemoteIP   string
	HeloDomain string
	TLS        bool
	TLSCipher  string // e.g. "TLSv1.3" plus suite, empty without TLS
	AuthUser   string // the AUTH identity, empty when the client did not authenticate
}

// SMTPEvent is one command of a session and the reply Mailhook gave to it.
type SMTPEvent struct {
	ID            int64
	SessionID     int64
	MessageID     int64 // the transaction it belongs to, 0 for session-level commands
	At            time.Time
	Command       string // "CONNECT", "EHLO", "AUTH", "MAIL", "RCPT", "DATA", "RSET", "QUIT"...
	Argument      string // secrets already masked by the caller
	ReplyCode     int    // 0 when the library answered for us and we do not know it
	ReplyEnhanced string // "2.0.0"
	ReplyText     string
	DurationMS    int64
}

// Message is one SMTP transaction: it starts at MAIL FROM and may end without
// data (every recipient refused, RSET, disconnect), in which case Raw is nil.
type Message struct {
	ID         int64
	SessionID  int64
	CreatedAt  time.Time // MAIL FROM
	ReceivedAt time.Time // end of DATA; zero when no data arrived
	MailFrom   string
	SizeParam  int64    // MAIL FROM SIZE=, 0 when absent
	Recipients []string // accepted recipients, in RCPT order

	// Parsed summary, filled at the end of DATA.
	Subject    string
	FromHeader string
	MessageID  string // the Message-ID header, used to group redeliveries
	Size       int64
	MD5        string

	// Result of the transaction: outcome, last HTTP status (0 = none) and
	// the SMTP reply given to the end of DATA (or to the last RCPT).
	Outcome   string
	Status    int
	SMTPReply string

	// SPF result computed at MAIL FROM, as the envelope carried it; empty
	// for transactions recorded before version 2 of the schema.
	SPFResult string
	SPFDomain string
}

// MessageSummary is what lists need: no raw bytes.
type MessageSummary struct {
	ID         int64
	CreatedAt  time.Time
	ReceivedAt time.Time
	MailFrom   string
	Recipients []string
	Subject    string
	FromHeader string
	MessageID  string
	Size       int64
	Outcome    string
	Status     int
	SMTPReply  string
}

// Header is one HTTP header line; order and repeats are kept.
type Header struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Hop is one HTTP request/answer pair when redirects were followed.
type Hop struct {
	URL    string `json:"url"` // credentials masked
	Status int    `json:"status"`
}

// Exchange is one HTTP exchange the engine made: a delivery attempt, an
// authorization decision, an error callback, a replay or a test fire.
type Exchange struct {
	ID        int64
	MessageID int64 // 0 when not tied to a transaction (test fire)
	ReplayOf  int64 // the exchange this one replays, 0 otherwise
	ParentID  int64 // for an error callback: the failed delivery it reports
	Kind      string
	Recipient string // the RCPT being authorized (authorization kind)
	Format    string // json+n, multipart+n, raw, form, json, xml

	StartedAt  time.Time
	DurationMS int64

	Method         string
	URL            string // credentials masked
	RequestHeaders []Header
	RequestBody    []byte

	Status            int // 0 when no answer arrived
	ResponseHeaders   []Header
	ResponseBody      []byte
	ResponseTruncated bool
	Hops              []Hop // every request made, redirects included
	Error             string

	SMTPReply string // the SMTP reply this exchange decided, if any
	Outcome   string
}

// ExchangeSummary is an Exchange without bodies, for timelines and lists.
type ExchangeSummary struct {
	ID         int64
	MessageID  int64
	ReplayOf   int64
	ParentID   int64
	Kind       string
	Recipient  string
	Format     string
	StartedAt  time.Time
	DurationMS int64
	Method     string
	URL        string
	Status     int
	Error      string
	SMTPReply  string
	Outcome    string
}

// ListQuery selects a page of messages, newest first. Before is the cursor:
// the ID of the last row of the previous page (0 for the first page).
type ListQuery struct {
	Limit   int
	Before  int64
	Text    string // matches subject, addresses, Message-ID, status, outcome
	Outcome string // one of the Outcome constants; empty for all
}

// Page is one page of messages; Next is 0 when there are no more.
type Page struct {
	Messages []MessageSummary
	Next     int64
}

// Timeline is everything recorded for one message and for every other
// transaction that carried the same Message-ID header (redeliveries), oldest
// first.
type Timeline struct {
	Messages  []MessageSummary // the message and its redeliveries, oldest first
	Sessions  []Session
	Events    []SMTPEvent
	Exchanges []ExchangeSummary
}

// Counts is the number of transactions per outcome since a point in time.
type Counts struct {
	Accepted, Rejected, Delayed int
}
