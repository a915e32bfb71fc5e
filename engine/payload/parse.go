package payload

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/jhillyerd/enmime/v2"
)

// Parse reads a raw RFC 5322 message. Malformed mail gives a best-effort
// Message with Warnings; the error is kept for input with nothing in it.
func Parse(raw []byte) (*Message, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, errors.New("payload: empty message")
	}
	msg := &Message{Attachments: []Attachment{}}
	w := &warner{seen: map[string]bool{}}

	fields, bodyAt, hw := readHeaderBlock(raw)
	w.add("", hw...)
	var dw []string
	msg.Headers, dw = decodeHeaders(fields)
	w.add("", dw...)
	msg.Subject = firstHeader(msg.Headers, "Subject")
	msg.From = firstHeader(msg.Headers, "From")
	msg.MessageID = firstHeader(msg.Headers, "Message-ID")

	root, err := readParts(fields, raw[bodyAt:])
	if err != nil {
		// Nothing structural could be read: the body as plain text still
		// tells the developer what came in.
		w.add("", "MIME structure unreadable ("+err.Error()+"): whole body read as text/plain")
		root = &enmime.Part{ContentType: "text/plain", Content: raw[bodyAt:]}
	}
	(&walker{msg: msg, w: w, body: raw[bodyAt:]}).collect(root)
	if msg.Plain != nil {
		if r, ok := extractReply(*msg.Plain); ok {
			msg.ReplyPlain = &r
		}
	}
	msg.Warnings = w.list
	return msg, nil
}

// readParts hands enmime the MIME structure. It sees only our reading of
// the header block (the Content-* fields, unfolded) followed by the body, so
// both readers agree on where the body starts. RawContent keeps enmime from
// decoding: we decode ourselves so attachments keep their exact bytes.
func readParts(fields []rawField, body []byte) (root *enmime.Part, err error) {
	var hdr bytes.Buffer
	for _, f := range fields {
		n := strings.ToLower(f.name)
		if strings.HasPrefix(n, "content-") || n == "mime-version" {
			fmt.Fprintf(&hdr, "%s: %s\r\n", f.name, strings.NewReplacer("\r", " ", "\n", " ").Replace(f.value))
		}
	}
	hdr.WriteString("\r\n")
	p := enmime.NewParser(
		enmime.RawContent(true),
		enmime.SkipMalformedParts(true),
		enmime.MultipartWOBoundaryAsSinglePart(true),
	)
	// enmime is a third-party parser fed hostile input; a panic in it must
	// become a warning, not take the SMTP session down.
	defer func() {
		if r := recover(); r != nil {
			root, err = nil, fmt.Errorf("parser panic: %v", r)
		}
	}()
	return p.ReadParts(io.MultiReader(&hdr, bytes.NewReader(body)))
}

// walker fills a Message from the MIME tree.
type walker struct {
	msg  *Message
	w    *warner
	body []byte // the whole message body, for a multipart root enmime could not split
}

// collect walks the MIME tree depth first, in message order, picking the
// bodies and turning every other leaf into an attachment.
func (k *walker) collect(p *enmime.Part) {
	for ; p != nil; p = p.NextSibling {
		for _, e := range p.Errors {
			k.w.add(p.PartID, e.Error())
		}
		if p.FirstChild != nil {
			k.collect(p.FirstChild)
			continue
		}
		content := p.Content
		if strings.HasPrefix(p.ContentType, "multipart/") {
			// No boundary, or one that never occurs: rather than lose the
			// text, show it as plain text.
			if p.Parent == nil {
				content = k.body
			}
			if len(content) == 0 {
				k.w.add(p.PartID, p.ContentType+" part has no readable parts")
				continue
			}
			k.w.add(p.PartID, p.ContentType+" part has no readable parts: its text is read as text/plain")
			if k.msg.Plain == nil {
				k.text(p, content, "text/plain")
			} else {
				k.leaf(p, content)
			}
			continue
		}
		k.leaf(p, content)
	}
}

// leaf classifies and decodes one MIME leaf.
func (k *walker) leaf(p *enmime.Part, content []byte) {
	ctype := p.ContentType
	if ctype == "" {
		ctype = "text/plain" // RFC 2045 default
	}
	isBody := p.Disposition != "attachment" && p.FileName == ""
	if isBody && (ctype == "text/plain" && k.msg.Plain == nil || ctype == "text/html" && k.msg.HTML == nil) {
		k.text(p, content, ctype)
		return
	}
	content = k.decode(p, content)
	cid := strings.TrimSpace(p.Header.Get("Content-ID"))
	disp := "attachment"
	if p.Disposition == "inline" || p.Disposition == "" && cid != "" {
		disp = "inline"
	}
	k.msg.Attachments = append(k.msg.Attachments, Attachment{
		FileName:    strings.ToValidUTF8(p.FileName, "\uFFFD"),
		ContentType: ctype,
		Disposition: disp,
		ContentID:   strings.ToValidUTF8(cid, "\uFFFD"),
		Content:     content,
	})
}

// text sets the plain or html body; callers only call it while that slot
// is still empty, so the first part of each kind wins.
func (k *walker) text(p *enmime.Part, content []byte, ctype string) {
	content = k.decode(p, content)
	if ctype == "text/html" {
		s, cw := htmlToUTF8(content, p.Charset)
		k.w.add(p.PartID, cw)
		s = crlfToLF(s)
		k.msg.HTML = &s
		return
	}
	s, cw := textToUTF8(content, p.Charset)
	k.w.add(p.PartID, cw)
	s = crlfToLF(s)
	k.msg.Plain = &s
}

func (k *walker) decode(p *enmime.Part, content []byte) []byte {
	out, tw := decodeTransfer(content, p.Header.Get("Content-Transfer-Encoding"))
	k.w.add(p.PartID, tw...)
	return out
}

func crlfToLF(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

// warner collects warnings once each, prefixed with the MIME part they are
// about.
type warner struct {
	list []string
	seen map[string]bool
}

func (w *warner) add(partID string, msgs ...string) {
	for _, m := range msgs {
		if m == "" {
			continue
		}
		if partID != "" {
			m = "part " + partID + ": " + m
		}
		if !w.seen[m] {
			w.seen[m] = true
			w.list = append(w.list, m)
		}
	}
}
