package engine

import (
	"fmt"
	"strings"

	"github.com/emersion/go-smtp"
)

// Every SMTP reply Mailhook chooses is built here, so the table in SPEC.md
// has one place in code. go-smtp itself answers a few cases with the same
// codes before a session method runs: SIZE= over the limit at MAIL (552
// 5.3.4), the 101st RCPT (452 4.5.3) and syntax errors (5.5.x).

func reply(code int, enhanced smtp.EnhancedCode, text string) *smtp.SMTPError {
	return &smtp.SMTPError{Code: code, EnhancedCode: enhanced, Message: text}
}

var (
	codeOK          = smtp.EnhancedCode{2, 0, 0}
	codeTooBig      = smtp.EnhancedCode{5, 3, 4}
	codeAuthNeeded  = smtp.EnhancedCode{5, 7, 0}
	codeTempLocal   = smtp.EnhancedCode{4, 3, 0}
	codeShutdown    = smtp.EnhancedCode{4, 3, 2}
	codeRejected    = smtp.EnhancedCode{5, 0, 0}
	codeDelayed     = smtp.EnhancedCode{4, 0, 0}
	codeUnreachable = smtp.EnhancedCode{4, 4, 1}
	codeTimeout     = smtp.EnhancedCode{4, 4, 7}
	// SPEC §3: 550 5.7.1 and 450 4.7.1 at RCPT.
	codeNotAuthorized = smtp.EnhancedCode{5, 7, 1}
	codeAuthTemp      = smtp.EnhancedCode{4, 7, 1}
)

// The 250s of MAIL and RCPT are written by go-smtp when a session method
// returns nil; these mirror its text so history shows the wire exactly.
func replySenderOK(from string) *smtp.SMTPError {
	return reply(250, codeOK, fmt.Sprintf("Roger, accepting mail from <%v>", from))
}

func replyRecipientOK(to string) *smtp.SMTPError {
	return reply(250, codeOK, fmt.Sprintf("I'll make sure <%v> gets this", to))
}

func replyAccepted(status int) *smtp.SMTPError {
	return reply(250, codeOK, fmt.Sprintf("Message accepted by webhook (HTTP %d)", status))
}

// replyRejected is the 4xx-from-webhook answer, carrying the first line of a
// text/plain body when there is one.
func replyRejected(status int, firstLine string) *smtp.SMTPError {
	text := fmt.Sprintf("Message rejected by webhook (HTTP %d)", status)
	if firstLine != "" {
		text += ": " + firstLine
	}
	return reply(554, codeRejected, text)
}

func replyDelayed(status int) *smtp.SMTPError {
	return reply(450, codeDelayed, fmt.Sprintf("Webhook failed (HTTP %d), try again later", status))
}

// replyUnreachable covers timeout, refused, reset and bad responses.
func replyUnreachable(reason string) *smtp.SMTPError {
	code := codeUnreachable
	if reason == "timeout" {
		code = codeTimeout
	}
	return reply(451, code, "Webhook unreachable ("+reason+"), try again later")
}

// replyRecipientRejected is a 4xx from the authorization callback.
func replyRecipientRejected(status int, firstLine string) *smtp.SMTPError {
	text := fmt.Sprintf("Recipient rejected by authorization callback (HTTP %d)", status)
	if firstLine != "" {
		text += ": " + firstLine
	}
	return reply(550, codeNotAuthorized, text)
}

// replyRecipientDelayed is a 5xx, timeout or unreachable authorization callback.
func replyRecipientDelayed(reason string) *smtp.SMTPError {
	return reply(450, codeAuthTemp, "Authorization callback failed ("+reason+"), try again later")
}

func httpStatusText(status int) string { return fmt.Sprintf("HTTP %d", status) }

func replyTooBig(limit int64) *smtp.SMTPError {
	return reply(552, codeTooBig, fmt.Sprintf("Message exceeds the size limit of %d bytes", limit))
}

func replyAuthRequired() *smtp.SMTPError {
	return reply(530, codeAuthNeeded, "Authentication required")
}

// replyInternal is the answer to anything unexpected: a temporary failure,
// never a silent 250.
func replyInternal(what string) *smtp.SMTPError {
	return reply(451, codeTempLocal, "Local error: "+what+", try again later")
}

func replyNestedMail() *smtp.SMTPError {
	return reply(503, smtp.EnhancedCode{5, 5, 1}, "Nested MAIL command: finish the transaction or RSET first")
}

func replyShuttingDown() *smtp.SMTPError {
	return reply(421, codeShutdown, "Mailhook is shutting down, try again later")
}

// formatReply renders a reply the way it goes on the wire, for history.
func formatReply(r *smtp.SMTPError) string {
	if r == nil {
		return ""
	}
	e := r.EnhancedCode
	return strings.TrimSpace(fmt.Sprintf("%d %d.%d.%d %s", r.Code, e[0], e[1], e[2], r.Message))
}

// sessionError turns a reply into what a go-smtp session method returns: nil
// for a 2xx of MAIL and RCPT (go-smtp writes its own 250 there), the reply
// itself otherwise. DATA always returns the reply so our 250 text is sent.
func sessionError(r *smtp.SMTPError) error {
	if r == nil || r.Code/100 == 2 {
		return nil
	}
	return r
}
