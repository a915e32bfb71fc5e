package engine

import (
	"context"
	"net"
	"strings"

	"github.com/mailhook/mailhook/engine/payload"
)

// evaluateSPF is the SPF result of a transaction, computed once at MAIL FROM
// and used in the authorization callback and the delivery envelope alike. A
// forced result (a setting, for testing) skips DNS.
func (e *Engine) evaluateSPF(cfg Config, remoteIP, helo, mailFrom string) payload.SPF {
	if cfg.SPFResult != "" {
		return payload.SPF{Result: cfg.SPFResult, Domain: spfDomain(helo, mailFrom)}
	}
	result, domain := e.spf.Check(context.Background(), net.ParseIP(remoteIP), helo, mailFrom)
	return payload.SPF{Result: result, Domain: domain}
}

// spfDomain is the domain SPF speaks for: MAIL FROM's, or HELO's for a bounce.
func spfDomain(helo, mailFrom string) string {
	domain := helo
	if at := strings.LastIndexByte(mailFrom, '@'); at >= 0 {
		domain = mailFrom[at+1:]
	}
	return strings.ToLower(domain)
}
