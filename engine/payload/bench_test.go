package payload

import (
	"bytes"
	"encoding/base64"
	"math/rand/v2"
	"testing"
)

// bigMessage is a message with a text body and a 5 MB base64 attachment.
func bigMessage(b *testing.B) []byte {
	b.Helper()
	data := make([]byte, 5<<20)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	enc := base64.StdEncoding.EncodeToString(data)
	var buf bytes.Buffer
	buf.WriteString("From: a@example.com\r\nTo: b@example.com\r\nSubject: big\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"big\"\r\n\r\n" +
		"--big\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee attached.\r\n" +
		"--big\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n" +
		"Content-Disposition: attachment; filename=\"big.bin\"\r\n\r\n")
	for len(enc) > 76 {
		buf.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	buf.WriteString(enc + "\r\n--big--\r\n")
	return buf.Bytes()
}

func BenchmarkEncodeJSON(b *testing.B) {
	raw := bigMessage(b)
	msg, err := Parse(raw)
	if err != nil {
		b.Fatal(err)
	}
	if len(msg.Attachments) != 1 || len(msg.Attachments[0].Content) != 5<<20 {
		b.Fatalf("attachments = %d", len(msg.Attachments))
	}
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Encode(JSONNormalized, raw, msg, testEnvelope(), Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	raw := bigMessage(b)
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(raw); err != nil {
			b.Fatal(err)
		}
	}
}
