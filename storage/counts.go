package storage

import (
	"context"
	"time"
)

// CountSince counts transactions created at or after since (all of them for
// the zero time) by outcome. Pending transactions are not counted.
func (s *Store) CountSince(ctx context.Context, since time.Time) (Counts, error) {
	q := `SELECT outcome, COUNT(*) FROM messages WHERE outcome <> ''`
	var args []any
	if !since.IsZero() {
		q += ` AND created_at >= ?`
		args = append(args, since.UnixNano())
	}
	q += ` GROUP BY outcome`
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return Counts{}, wrap("count messages", err)
	}
	defer rows.Close()
	var c Counts
	for rows.Next() {
		var outcome string
		var n int
		if err := rows.Scan(&outcome, &n); err != nil {
			return Counts{}, wrap("count messages", err)
		}
		switch outcome {
		case OutcomeAccepted:
			c.Accepted = n
		case OutcomeRejected:
			c.Rejected = n
		case OutcomeDelayed:
			c.Delayed = n
		}
	}
	if err := rows.Err(); err != nil {
		return Counts{}, wrap("count messages", err)
	}
	return c, nil
}
