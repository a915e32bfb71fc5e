package engine

import (
	"context"
	"fmt"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/mailhook/mailhook/storage"
)

// recordEvent writes one SMTP command and the reply given to it. A failure
// to record is logged, never turned into an SMTP error: the reply it
// describes has its own path to the client.
func (e *Engine) recordEvent(sessionID, messageID int64, command, arg string, r *smtp.SMTPError, at time.Time) {
	ev := storage.SMTPEvent{SessionID: sessionID, MessageID: messageID, At: at, Command: command, Argument: arg}
	if r != nil {
		ev.ReplyCode = r.Code
		ev.ReplyEnhanced = fmt.Sprintf("%d.%d.%d", r.EnhancedCode[0], r.EnhancedCode[1], r.EnhancedCode[2])
		ev.ReplyText = r.Message
	}
	if err := e.store.AddSMTPEvent(context.Background(), &ev); err != nil {
		e.log.Error("record smtp event", "command", command, "err", err)
	}
}

func mailArg(from string, size int64) string {
	if size > 0 {
		return fmt.Sprintf("%s SIZE=%d", from, size)
	}
	return from
}
