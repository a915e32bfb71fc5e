package engine

import (
	"bytes"
	"encoding/base64"
	"math/rand/v2"

	"github.com/mailhook/mailhook/assets/samples"
)

// Sample is a message shipped for test fire and test mail.
type Sample struct{ Name, Description string }

// sampleLarge is generated rather than shipped: 5 MB of base64 in the
// repository and the binary would be dead weight.
const sampleLarge = "large-5mb"

// Samples lists the shipped samples in the order a menu shows them.
func Samples() []Sample {
	return []Sample{
		{"plain", "Plain text, no attachments"},
		{"html-inline-image", "HTML and text with an inline image (Content-ID)"},
		{"attachments", "Several attachments: PDF, CSV and PNG"},
		{"reply-thread", "A reply quoting the previous message (reply_plain)"},
		{"multiple-recipients", "Several To and Cc addresses"},
		{"non-ascii", "RFC 2047 headers, UTF-8 and ISO-8859-1 bodies, non-ASCII file name"},
		{sampleLarge, "A 5 MB message (one large attachment)"},
	}
}

// SampleMessage returns a sample's .eml bytes with CRLF line endings, as
// they travel over SMTP.
func SampleMessage(name string) ([]byte, error) {
	if name == sampleLarge {
		return largeMessage(), nil
	}
	b, err := samples.Read(name)
	if err != nil {
		return nil, invalid("%w", err)
	}
	return toCRLF(b), nil
}

// toCRLF turns bare LF line endings into CRLF and leaves CRLF alone.
func toCRLF(b []byte) []byte {
	out := make([]byte, 0, len(b)+bytes.Count(b, []byte("\n")))
	for i, c := range b {
		if c == '\n' && (i == 0 || b[i-1] != '\r') {
			out = append(out, '\r')
		}
		out = append(out, c)
	}
	return out
}

// largeAttachmentSize makes the message about 5 MB once base64 and its line
// breaks are added (4/3 × 3.75 MB = 5 MB, plus 2 bytes per 76).
const largeAttachmentSize = 3_750_000

// largeMessage builds the 5 MB sample. The attachment bytes come from a
// seeded PCG, so every call (and every Mailhook) sends the same message,
// with the same md5, and redeliveries group under one Message-ID.
func largeMessage() []byte {
	data := make([]byte, largeAttachmentSize)
	rng := rand.New(rand.NewPCG(5, 5))
	for i := 0; i < len(data); i += 8 {
		v := rng.Uint64()
		for j := 0; j < 8 && i+j < len(data); j++ {
			data[i+j] = byte(v >> (8 * j))
		}
	}
	enc := base64.StdEncoding.EncodeToString(data)

	var b bytes.Buffer
	b.Grow(len(enc) + len(enc)/38 + 1024)
	b.WriteString("Date: Fri, 10 Jan 2025 12:00:00 +0000\r\n" +
		"From: Big Sender <big@example.org>\r\n" +
		"To: bob@example.com\r\n" +
		"Subject: A 5 MB message\r\n" +
		"Message-ID: <sample-large-5mb@mailhook.example>\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=\"large-boundary\"\r\n" +
		"\r\n" +
		"--large-boundary\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n" +
		"\r\n" +
		"One large attachment, to see how the webhook copes with a big POST.\r\n" +
		"\r\n" +
		"--large-boundary\r\n" +
		"Content-Type: application/octet-stream; name=\"large.bin\"\r\n" +
		"Content-Transfer-Encoding: base64\r\n" +
		"Content-Disposition: attachment; filename=\"large.bin\"\r\n" +
		"\r\n")
	for len(enc) > 76 {
		b.WriteString(enc[:76])
		b.WriteString("\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc)
	b.WriteString("\r\n--large-boundary--\r\n")
	return b.Bytes()
}
