package engine_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/textproto"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	_ "github.com/mattn/go-sqlite3" // to count rows the Store has no method for

	"github.com/mailhook/mailhook/storage"
)

func itoa(n int) string { return fmt.Sprint(n) }

func decodeJSON(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, b)
	}
	return m
}

// equalAny compares a decoded JSON array with strings.
func equalAny(v any, want []string) bool {
	arr, ok := v.([]any)
	if !ok || len(arr) != len(want) {
		return false
	}
	for i := range arr {
		if arr[i] != want[i] {
			return false
		}
	}
	return true
}

// formPart is one part of a multipart/form-data body, as a webhook reads it.
type formPart struct {
	Name, FileName, ContentType string
	Data                        []byte
}

// readForm splits a multipart/form-data body into its parts, in order. Raw
// parts: a Content-Transfer-Encoding would not be undone behind our back.
func readForm(t *testing.T, contentType string, body []byte) []formPart {
	t.Helper()
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "multipart/form-data" {
		t.Fatalf("Content-Type %q is not multipart/form-data (%v)", contentType, err)
	}
	r := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	var parts []formPart
	for {
		p, err := r.NextRawPart()
		if err == io.EOF {
			return parts
		}
		if err != nil {
			t.Fatalf("part %d: %v", len(parts), err)
		}
		data, err := io.ReadAll(p)
		if err != nil {
			t.Fatalf("part %d: %v", len(parts), err)
		}
		parts = append(parts, formPart{p.FormName(), p.FileName(), p.Header.Get("Content-Type"), data})
	}
}

func formNames(parts []formPart) []string {
	names := make([]string, len(parts))
	for i, p := range parts {
		names[i] = p.Name
	}
	return names
}

// formValue is the first field called name; ok is false when there is none.
func formValue(parts []formPart, name string) (v string, ok bool) {
	for _, p := range parts {
		if p.Name == name {
			return string(p.Data), true
		}
	}
	return "", false
}

// countRows counts the rows of a history table straight from the SQLite file.
func (h *harness) countRows(table string) int {
	h.t.Helper()
	db, err := sql.Open("sqlite3", "file:"+h.store.Path()+"?_busy_timeout=5000")
	if err != nil {
		h.t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		h.t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// sessionOf returns the stored session of a transaction.
func (h *harness) sessionOf(messageID int64) storage.Session {
	h.t.Helper()
	ctx := context.Background()
	m, err := h.store.Message(ctx, messageID)
	if err != nil {
		h.t.Fatal(err)
	}
	s, err := h.store.Session(ctx, m.SessionID)
	if err != nil {
		h.t.Fatal(err)
	}
	return s
}

// rawConn is an SMTP connection driven line by line, for what go-smtp's
// client cannot do (BDAT, LOGIN without an initial response, reading an
// unsolicited 421).
type rawConn struct {
	t    testing.TB
	conn net.Conn
	tp   *textproto.Conn
}

// dialRaw connects, reads the greeting and says EHLO client.example.
func (h *harness) dialRaw() *rawConn {
	h.t.Helper()
	conn, err := net.DialTimeout("tcp", h.eng.SMTPAddr(), 2*time.Second)
	if err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(10 * time.Second)) // a hung test fails fast
	c := &rawConn{t: h.t, conn: conn, tp: textproto.NewConn(conn)}
	c.expect(220)
	c.cmd(250, "EHLO client.example")
	return c
}

// cmd sends one command line and checks the reply code; it returns the
// reply text (lines joined with \n).
func (c *rawConn) cmd(want int, format string, args ...any) string {
	c.t.Helper()
	if err := c.tp.PrintfLine(format, args...); err != nil {
		c.t.Fatal(err)
	}
	return c.expect(want)
}

// expect reads one (possibly multi-line) reply and checks its code.
func (c *rawConn) expect(want int) string {
	c.t.Helper()
	code, msg, err := c.tp.ReadResponse(0)
	if err != nil && code == 0 {
		c.t.Fatalf("reading reply (want %d): %v", want, err)
	}
	if code != want {
		c.t.Fatalf("reply %d %q, want %d", code, msg, want)
	}
	return msg
}

// write sends bytes as they are (a BDAT chunk).
func (c *rawConn) write(b []byte) {
	c.t.Helper()
	if _, err := c.conn.Write(b); err != nil {
		c.t.Fatal(err)
	}
}

// dialStartTLS connects, upgrades with STARTTLS (go-smtp's client says
// EHLO localhost before it) and says EHLO client.example on the encrypted
// connection.
func (h *harness) dialStartTLS() *smtp.Client {
	h.t.Helper()
	c, err := smtp.DialStartTLS(h.eng.SMTPAddr(), insecureTLS())
	if err != nil {
		h.t.Fatalf("STARTTLS: %v", err)
	}
	h.t.Cleanup(func() { c.Close() })
	if err := c.Hello("client.example"); err != nil {
		h.t.Fatal(err)
	}
	return c
}

func bg() context.Context { return context.Background() }
