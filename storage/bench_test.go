package storage

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkListMessages100k pages a history of 100,000 transactions.
func BenchmarkListMessages100k(b *testing.B) {
	ctx := context.Background()
	s := newStore(b)
	const n = 100_000
	tx, err := s.w.Begin()
	if err != nil {
		b.Fatal(err)
	}
	stmt, err := tx.Prepare(`INSERT INTO messages (created_at, mail_from, recipients, subject, message_id_header, outcome, status)
		VALUES (?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		b.Fatal(err)
	}
	outcomes := []string{OutcomeAccepted, OutcomeRejected, OutcomeDelayed}
	for i := range n {
		if _, err := stmt.Exec(at(i).UnixNano(), fmt.Sprintf("s%d@example.com", i), `["r@example.com"]`,
			fmt.Sprintf("subject %d", i), fmt.Sprintf("<%d@x>", i), outcomes[i%3], 200); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}

	for _, bc := range []struct {
		name string
		q    ListQuery
	}{
		{"first_page", ListQuery{}},
		{"deep_cursor", ListQuery{Before: n / 2}},
		{"outcome", ListQuery{Outcome: OutcomeDelayed}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				p, err := s.ListMessages(ctx, bc.q)
				if err != nil || len(p.Messages) != defaultLimit {
					b.Fatalf("%d messages, err %v", len(p.Messages), err)
				}
			}
		})
	}
}
