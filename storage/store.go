// Package storage is Mailhook's history: one SQLite file holding every SMTP
// session, transaction, raw message and HTTP exchange, behind typed methods.
//
// The file is opened twice: a writer pool of exactly one connection, so
// concurrent SMTP sessions queue in Go instead of fighting over SQLite's
// write lock, and a small read pool, so the window and the local API read
// (WAL snapshots) without waiting for writers. Every connection gets WAL,
// busy_timeout and foreign keys from the DSN, because pragmas are
// per-connection and database/sql opens connections whenever it likes.
//
// Times are stored as INTEGER unix nanoseconds (NULL for the zero time), IDs
// of optional links as NULL when 0, lists (recipients, headers, hops) as JSON
// text. Lookups that match nothing return an error wrapping ErrNotFound.
package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" driver
)

// Store is an open history file. It is safe for concurrent use.
type Store struct {
	path string
	w    *sql.DB // the only writer connection
	r    *sql.DB // read pool
}

// Open opens (creating if needed) the SQLite file at path and brings its
// schema up to date with the embedded migrations.
func Open(path string) (*Store, error) {
	ms, err := loadMigrations(migrationFS)
	if err != nil {
		return nil, err
	}
	return openWith(path, ms)
}

// openWith is Open with an explicit migration list, so tests can feed it a
// migration that fails.
func openWith(path string, ms []migration) (*Store, error) {
	if path == "" {
		return nil, errors.New("open: empty database path")
	}
	// _txlock=immediate: a write transaction takes the write lock at BEGIN,
	// so it waits (busy_timeout) instead of failing when it upgrades from a
	// read lock while another process writes.
	w, err := sql.Open("sqlite3", dsn(path,
		"_journal_mode=WAL&_busy_timeout=5000&_foreign_keys=on&_synchronous=NORMAL&_txlock=immediate"))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)

	if err := migrate(context.Background(), w, ms); err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}

	// query_only rather than mode=ro: a read-only connection cannot create
	// the WAL index (-shm) or checkpoint, query_only just refuses writes.
	r, err := sql.Open("sqlite3", dsn(path, "_busy_timeout=5000&_foreign_keys=on&_query_only=on"))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s for reading: %w", path, err)
	}
	r.SetMaxOpenConns(4)
	r.SetMaxIdleConns(4)
	if err := r.Ping(); err != nil {
		r.Close()
		w.Close()
		return nil, fmt.Errorf("open %s for reading: %w", path, err)
	}
	return &Store{path: path, w: w, r: r}, nil
}

// dsn builds a file: URI so the path may hold any character and the query
// parameters reach go-sqlite3 (which reads them) and SQLite (which ignores
// the ones starting with an underscore).
func dsn(path, params string) string {
	p := filepath.ToSlash(path)
	if filepath.VolumeName(path) != "" && !strings.HasPrefix(p, "/") {
		p = "/" + p // file:/C:/x is SQLite's form for a Windows drive
	}
	p = strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(p)
	return "file:" + p + "?" + params
}

// Path is the file the store was opened on.
func (s *Store) Path() string { return s.path }

// Close closes both pools. The writer closes last so that, as the final
// connection, it checkpoints the WAL into the main file.
func (s *Store) Close() error {
	return errors.Join(s.r.Close(), s.w.Close())
}

// wrap turns sql.ErrNoRows into ErrNotFound and wraps everything with
// what was being done.
func wrap(op string, err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		err = ErrNotFound
	}
	return fmt.Errorf("%s: %w", op, err)
}
