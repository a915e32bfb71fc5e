package engine

import (
	"strings"

	"github.com/mailhook/mailhook/engine/payload"
)

// offlineSPF is the honest answer without DNS: "none", for the MAIL FROM
// domain, or the HELO domain when MAIL FROM is empty (a bounce). Real
// evaluation arrives with the authorization callback.
func offlineSPF(mailFrom, helo string) payload.SPF {
	domain := helo
	if at := strings.LastIndexByte(mailFrom, '@'); at >= 0 {
		domain = mailFrom[at+1:]
	}
	return payload.SPF{Result: "none", Domain: strings.ToLower(domain)}
}
