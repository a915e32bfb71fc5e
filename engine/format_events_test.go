package engine_test

import (
	"strings"
	"testing"
	"time"

	"github.com/mailhook/mailhook/engine"
)

// TestFormatReplayAndTestEvents: the headless mode prints a line for
// replays, test fires and test mail tries.
func TestFormatReplayAndTestEvents(t *testing.T) {
	at := time.Date(2026, 12, 4, 16, 4, 5, 0, time.Local)
	tests := []struct {
		name string
		ev   engine.Event
		want []string
	}{
		{"replay of a delivery", engine.Event{Kind: engine.EventReplayed, At: at, ExchangeID: 12, ReplayOf: 5,
			URL: "http://127.0.0.1:2580/target/200", Status: 200, Duration: 12 * time.Millisecond,
			SMTPReply: "250 2.0.0 Message accepted by webhook (HTTP 200)"},
			[]string{"16:04:05 replay #12 of #5", "200 (12 ms)", "→ 250 2.0.0"}},
		{"replay of an error callback", engine.Event{Kind: engine.EventReplayed, At: at, ExchangeID: 3, ReplayOf: 2,
			URL: "http://x/errors", Error: "connection refused", Outcome: "delayed"},
			[]string{"0 connection refused", "delayed"}},
		{"test fire", engine.Event{Kind: engine.EventTestFired, At: at, ExchangeID: 7, URL: "http://x/auth", Status: 403,
			SMTPReply: "550 5.7.1 Recipient rejected"},
			[]string{"test fire #7", "http://x/auth 403", "→ 550 5.7.1"}},
		{"test mail try", engine.Event{Kind: engine.EventTestMailAttempt, At: at, Attempt: 2, From: "mailhook-test@localhost",
			To: []string{"bob@example.com"}, Subject: "Hi", SMTPReply: "450 4.0.0 Webhook failed (HTTP 500), try again later"},
			[]string{"test mail try 2 mailhook-test@localhost → bob@example.com \"Hi\" → 450 4.0.0"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			line := engine.FormatEvent(tc.ev)
			for _, w := range tc.want {
				if !strings.Contains(line, w) {
					t.Errorf("line %q lacks %q", line, w)
				}
			}
		})
	}
}
