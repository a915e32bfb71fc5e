package storage

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// at is a fixed instant plus sec seconds, built with time.Unix so fixtures
// compare equal (reflect.DeepEqual) with what the store reads back.
func at(sec int) time.Time {
	base := time.Date(2025, 3, 14, 9, 26, 53, 589793238, time.UTC)
	return time.Unix(0, base.UnixNano()+int64(sec)*int64(time.Second))
}

func newStore(t testing.TB) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "mailhook.db"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

type migrationRow struct {
	version int
	name    string
}

func appliedMigrations(t *testing.T, s *Store) []migrationRow {
	t.Helper()
	rows, err := s.r.Query(`SELECT version, name, applied_at FROM schema_migrations ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []migrationRow
	for rows.Next() {
		var r migrationRow
		var appliedAt int64
		if err := rows.Scan(&r.version, &r.name, &appliedAt); err != nil {
			t.Fatal(err)
		}
		if appliedAt <= 0 {
			t.Errorf("migration %d: applied_at = %d", r.version, appliedAt)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestOpenTwiceIsIdempotent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dir with space #1?.db")
	embedded, err := loadMigrations(migrationFS)
	if err != nil {
		t.Fatal(err)
	}
	var first []migrationRow
	for i := range 2 {
		s, err := Open(path)
		if err != nil {
			t.Fatalf("open #%d: %v", i+1, err)
		}
		if s.Path() != path {
			t.Errorf("Path() = %q, want %q", s.Path(), path)
		}
		got := appliedMigrations(t, s)
		if len(got) != len(embedded) || got[0] != (migrationRow{1, "init"}) {
			t.Errorf("open #%d: schema_migrations = %v, want %d rows starting with 1 init", i+1, got, len(embedded))
		}
		if i == 0 {
			first = got
			sess := Session{StartedAt: at(0)}
			if err := s.CreateSession(context.Background(), &sess); err != nil {
				t.Fatal(err)
			}
		} else {
			if len(got) != len(first) {
				t.Errorf("second open changed schema_migrations: %v then %v", first, got)
			}
			if _, err := s.Session(context.Background(), 1); err != nil {
				t.Errorf("data lost on reopen: %v", err)
			}
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(path); err != nil {
			t.Errorf("database file not at its path: %v", err)
		}
	}
}

func TestConnectionSettings(t *testing.T) {
	s := newStore(t)
	for _, tc := range []struct {
		name    string
		pragma  string
		want    string
		readers bool
	}{
		{"writer journal", "journal_mode", "wal", false},
		{"writer foreign keys", "foreign_keys", "1", false},
		{"writer busy timeout", "busy_timeout", "5000", false},
		{"reader journal", "journal_mode", "wal", true},
		{"reader foreign keys", "foreign_keys", "1", true},
		{"reader busy timeout", "busy_timeout", "5000", true},
		{"reader query only", "query_only", "1", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := s.w
			if tc.readers {
				db = s.r
			}
			var got string
			if err := db.QueryRow(`PRAGMA ` + tc.pragma).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("PRAGMA %s = %q, want %q", tc.pragma, got, tc.want)
			}
		})
	}
	if _, err := s.r.Exec(`DELETE FROM sessions`); err == nil {
		t.Error("the read pool accepted a write")
	}
}

func TestFailedMigrationRollsBack(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	good := migration{1, "one", `CREATE TABLE a (x INTEGER);`}
	bad := migration{2, "two", `CREATE TABLE b (x INTEGER); INSERT INTO a VALUES (1); THIS IS NOT SQL;`}

	_, err := openWith(path, []migration{good, bad})
	if err == nil {
		t.Fatal("open with a broken migration succeeded")
	}
	for _, want := range []string{"0002_two", "stays at version 1"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}

	s, err := openWith(path, []migration{good})
	if err != nil {
		t.Fatalf("reopen at version 1: %v", err)
	}
	defer s.Close()
	if got := appliedMigrations(t, s); len(got) != 1 || got[0] != (migrationRow{1, "one"}) {
		t.Errorf("schema_migrations = %v, want only version 1", got)
	}
	var n int
	if err := s.r.QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE name = 'b'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("table b from the failed migration exists (n=%d, err=%v)", n, err)
	}
	if err := s.r.QueryRow(`SELECT COUNT(*) FROM a`).Scan(&n); err != nil || n != 0 {
		t.Errorf("rows from the failed migration exist (n=%d, err=%v)", n, err)
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	ms := []migration{{1, "one", `CREATE TABLE a (x);`}, {2, "two", `CREATE TABLE b (x);`}}
	s, err := openWith(path, ms)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := openWith(path, ms[:1]); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("opening a newer schema: err = %v, want a 'newer' error", err)
	}
}

func TestLoadMigrationsEmbedded(t *testing.T) {
	ms, err := loadMigrations(migrationFS)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range ms {
		if m.version != i+1 || m.name == "" || strings.TrimSpace(m.sql) == "" {
			t.Errorf("migration %d = {%d %q, %d bytes}", i, m.version, m.name, len(m.sql))
		}
	}
}

func TestOpenErrors(t *testing.T) {
	for _, tc := range []struct{ name, path string }{
		{"empty path", ""},
		{"missing directory", filepath.Join(t.TempDir(), "no", "such", "dir", "x.db")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Open(tc.path)
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded")
			}
			if errors.Is(err, ErrNotFound) {
				t.Errorf("Open error %v is ErrNotFound", err)
			}
		})
	}
}
