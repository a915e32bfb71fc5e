package engine

import (
	"bytes"
	"net/mail"
	"regexp"
	"strings"

	"github.com/mailhook/mailhook/engine/payload"
)

// loadMessage is the message a test fire or test mail sends: the .eml
// given, else the named sample, else the plain sample.
func loadMessage(sample string, eml []byte) ([]byte, *payload.Message, error) {
	raw := eml
	if len(raw) == 0 {
		if sample == "" {
			sample = "plain"
		}
		var err error
		if raw, err = SampleMessage(sample); err != nil {
			return nil, nil, err
		}
	}
	msg, err := payload.Parse(raw)
	if err != nil {
		return nil, nil, invalid("message does not parse: %w", err)
	}
	return raw, msg, nil
}

// headerAddresses returns the bare addresses of a header field (To, Cc,
// From) of raw. net/mail reads the field with its RFC 2047 names; when it
// refuses (a malformed field, as real mail has), anything shaped like an
// address in the decoded value is taken instead.
func headerAddresses(raw []byte, msg *payload.Message, field string) []string {
	if m, err := mail.ReadMessage(bytes.NewReader(raw)); err == nil {
		if list, err := m.Header.AddressList(field); err == nil {
			out := make([]string, len(list))
			for i, a := range list {
				out[i] = a.Address
			}
			return out
		}
	}
	addr := regexp.MustCompile(`[^\s<>,;:"()\[\]]+@[^\s<>,;:"()\[\]]+`)
	var out []string
	for _, h := range msg.Headers {
		if strings.EqualFold(h.Name, field) {
			out = append(out, addr.FindAllString(h.Value, -1)...)
		}
	}
	return out
}

// firstOr is the first element of list, or def when list is empty.
func firstOr(list []string, def string) string {
	if len(list) > 0 {
		return list[0]
	}
	return def
}
