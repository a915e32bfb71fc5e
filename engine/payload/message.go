package payload

// HeaderField is one header field of the message. Name is spelled as in the
// message; Value is unfolded (CRLF removed, the whitespace after it kept) and
// RFC 2047 decoded to UTF-8.
type HeaderField struct {
	Name, Value string
}

// Attachment is a non-body MIME leaf: an attachment or an inline part such as
// an image referenced by Content-ID. Content is transfer-decoded but never
// charset-converted, so it is byte for byte the file the sender attached.
type Attachment struct {
	FileName    string // "" when the part names no file
	ContentType string // media type without parameters, e.g. "image/png"
	Disposition string // "attachment" or "inline"
	ContentID   string // header value with its <>, "" when none
	Content     []byte
}

// Message is what Parse read out of a raw message.
type Message struct {
	Headers     []HeaderField // message order, top-most first
	Plain       *string       // first text/plain body, nil when absent
	HTML        *string       // first text/html body, nil when absent
	ReplyPlain  *string       // new text of a reply, nil when nothing was cut
	Attachments []Attachment

	// Decoded values for summaries (first occurrence of each header).
	Subject, From, MessageID string

	// Warnings lists what the parser had to forgive (malformed parts, bad
	// base64, unknown charsets...). Empty for well-formed mail.
	Warnings []string
}
