package storage

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// execer lets one helper run on the writer pool or inside a
// transaction.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// collect scans every row with scan and closes rows.
func collect[T any](rows *sql.Rows, scan func(scanner) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// nanos is the column value of a time: NULL for the zero time.
func nanos(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixNano()
}

// nullID is the column value of an optional link: NULL for 0, so foreign
// keys are only checked when there is something to point at.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// toJSON encodes a list column. Empty lists are "[]"; HTML escaping is off
// so that addresses stay searchable with LIKE and readable in the file.
func toJSON[T any](v []T) (string, error) {
	if len(v) == 0 {
		return "[]", nil
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", fmt.Errorf("encode json: %w", err)
	}
	return string(bytes.TrimRight(b.Bytes(), "\n")), nil
}

// timeCol scans a nullable nanosecond column into a time.Time.
type timeCol struct{ t *time.Time }

func (c timeCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.t = time.Time{}
	case int64:
		*c.t = time.Unix(0, v)
	default:
		return fmt.Errorf("time column holds %T", src)
	}
	return nil
}

// idCol scans a nullable link column: NULL becomes 0.
type idCol struct{ p *int64 }

func (c idCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.p = 0
	case int64:
		*c.p = v
	default:
		return fmt.Errorf("id column holds %T", src)
	}
	return nil
}

// jsonCol scans a JSON list column; an empty list comes back nil.
type jsonCol[T any] struct{ p *[]T }

func (c jsonCol[T]) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case nil:
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		return fmt.Errorf("json column holds %T", src)
	}
	*c.p = nil
	if len(b) == 0 || string(b) == "[]" {
		return nil
	}
	if err := json.Unmarshal(b, c.p); err != nil {
		return fmt.Errorf("decode json column: %w", err)
	}
	return nil
}

// affectedOne reports ErrNotFound when an UPDATE matched no row.
func affectedOne(res sql.Result) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// placeholders returns "?,?,?" and the matching arguments for an IN list.
func placeholders(ids []int64) (string, []any) {
	var b bytes.Buffer
	args := make([]any, len(ids))
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('?')
		args[i] = id
	}
	return b.String(), args
}
