package payload

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// readTestdata returns a testdata file's bytes.
func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// mustParse parses a testdata message.
func mustParse(t testing.TB, name string) ([]byte, *Message) {
	t.Helper()
	raw := readTestdata(t, name)
	msg, err := Parse(raw)
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return raw, msg
}

// testEnvelope is a two-recipient envelope over TLS.
func testEnvelope() Envelope {
	return Envelope{
		Recipients: []string{"rcpt@example.com", "b@example.com"},
		From:       "sender@example.com",
		HeloDomain: "client.example",
		RemoteIP:   "127.0.0.1",
		TLS:        true,
		TLSCipher:  "TLSv1.3",
		SPF:        SPF{Result: "none", Domain: "example.com"},
	}
}

// decodeJSON decodes a JSON body the way a webhook would.
func decodeJSON(t testing.TB, body []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, body)
	}
	return m
}

func ptr(s string) *string { return &s }

// show formats a value for failure messages.
func show(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}
