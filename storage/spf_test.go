package storage

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
)

// TestMessageSPF: the SPF result is written at MAIL FROM, by UpdateMessage
// and by CompleteMessage, and read back by Message.
func TestMessageSPF(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	sess := mustCreateSession(t, s, Session{StartedAt: at(0)})
	m := mustCreateMessage(t, s, Message{SessionID: sess.ID, CreatedAt: at(1), SPFResult: "softfail", SPFDomain: "example.org"})
	steps := []struct {
		name   string
		write  func(m *Message) error
		result string
	}{
		{"create", func(*Message) error { return nil }, "softfail"},
		{"update", func(m *Message) error { m.SPFResult = "pass"; return s.UpdateMessage(ctx, m) }, "pass"},
		{"complete", func(m *Message) error { m.SPFResult = "fail"; return s.CompleteMessage(ctx, m, []byte("raw")) }, "fail"},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			if err := step.write(&m); err != nil {
				t.Fatal(err)
			}
			got, err := s.Message(ctx, m.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.SPFResult != step.result || got.SPFDomain != "example.org" {
				t.Errorf("spf %q %q, want %q example.org", got.SPFResult, got.SPFDomain, step.result)
			}
		})
	}
}

// TestMigrationFromVersion1: a history written by the first schema opens
// with its rows intact and the SPF columns empty.
func TestMigrationFromVersion1(t *testing.T) {
	ms, err := loadMigrations(migrationFS)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "v1.db")
	old, err := openWith(path, ms[:1])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.w.Exec(`INSERT INTO messages (mail_from, subject) VALUES ('a@example.org', 'kept')`); err != nil {
		t.Fatal(err)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	m, err := s.Message(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "kept" || m.SPFResult != "" || m.SPFDomain != "" {
		t.Errorf("migrated message %+v", m)
	}
}

func TestLatestMessageOfConnection(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	const addr = "127.0.0.1:50123"
	closed := mustCreateSession(t, s, Session{StartedAt: at(0), EndedAt: at(1), RemoteAddr: addr})
	mustCreateMessage(t, s, Message{SessionID: closed.ID, CreatedAt: at(0)})
	if _, err := s.LatestMessageOfConnection(ctx, addr); !errors.Is(err, ErrNotFound) {
		t.Fatalf("only a closed session: err = %v, want ErrNotFound", err)
	}
	open := mustCreateSession(t, s, Session{StartedAt: at(2), RemoteAddr: addr})
	other := mustCreateSession(t, s, Session{StartedAt: at(2), RemoteAddr: "127.0.0.1:50999"})
	mustCreateMessage(t, s, Message{SessionID: open.ID, CreatedAt: at(2), MailFrom: "first@example.org"})
	want := mustCreateMessage(t, s, Message{SessionID: open.ID, CreatedAt: at(3), MailFrom: "second@example.org"})
	mustCreateMessage(t, s, Message{SessionID: other.ID, CreatedAt: at(4)})
	got, err := s.LatestMessageOfConnection(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != want.ID || got.MailFrom != "second@example.org" {
		t.Errorf("got message %d from %q, want %d", got.ID, got.MailFrom, want.ID)
	}
}
