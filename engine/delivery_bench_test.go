package engine_test

import (
	"testing"

	"github.com/mailhook/mailhook/engine"
)

// BenchmarkSMTPDelivery measures one whole transaction over a real socket:
// MAIL, RCPT, DATA, parse, json+n POST to a local webhook, SQLite commit,
// and the 250 — on one connection, as a sending app would.
// Run: go test -run '^$' -bench SMTPDelivery ./engine/
func BenchmarkSMTPDelivery(b *testing.B) {
	for _, bc := range []struct {
		name    string
		fixture string
	}{
		{"simple", ""},
		{"multipart with attachments", "full.eml"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			hook := newRecorder(b, status(200, "ok"))
			h := newHarness(b, func(c *engine.Config) { c.TargetURL = hook.srv.URL + "/hook" })
			msg := simpleMessage("bench")
			if bc.fixture != "" {
				msg = readFixture(b, bc.fixture)
			}
			c := h.dial()
			b.SetBytes(int64(len(msg)))
			b.ResetTimer()
			for range b.N {
				if code, text, err := h.send(c, "s@example.org", []string{"r@example.com"}, msg); code != 250 {
					b.Fatalf("reply %d %q %v", code, text, err)
				}
			}
		})
	}
}
