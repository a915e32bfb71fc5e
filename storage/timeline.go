package storage

import (
	"context"
	"database/sql"
	"fmt"
)

// Timeline returns the story of one message: the transaction itself and
// every other transaction that carried the same non-empty Message-ID header
// (the client delivering again), oldest first, with their sessions, their
// SMTP events and their exchanges without bodies.
//
// Events are the transactions' own commands plus the session-level ones
// (CONNECT, EHLO, AUTH, QUIT); commands of other transactions sharing a
// session are left out. Exchanges include replays and error callbacks
// linked to the group's exchanges even when they carry no MessageID.
func (s *Store) Timeline(ctx context.Context, messageID int64) (Timeline, error) {
	op := fmt.Sprintf("timeline of message %d", messageID)
	// One read transaction: every query sees the same WAL snapshot.
	tx, err := s.r.BeginTx(ctx, nil)
	if err != nil {
		return Timeline{}, wrap(op, err)
	}
	defer tx.Rollback() //nolint:errcheck // read-only, nothing to keep
	t, err := timeline(ctx, tx, messageID)
	if err != nil {
		return Timeline{}, wrap(op, err)
	}
	return t, nil
}

func timeline(ctx context.Context, tx *sql.Tx, messageID int64) (Timeline, error) {
	var t Timeline
	var header string
	err := tx.QueryRowContext(ctx, `SELECT message_id_header FROM messages WHERE id = ?`, messageID).Scan(&header)
	if err != nil {
		return t, err
	}
	q, arg := `SELECT `+summaryCols+` FROM messages WHERE id = ?`, any(messageID)
	if header != "" {
		q, arg = `SELECT `+summaryCols+` FROM messages WHERE message_id_header = ? ORDER BY id`, header
	}
	rows, err := tx.QueryContext(ctx, q, arg)
	if err != nil {
		return t, err
	}
	if t.Messages, err = collect(rows, scanSummary); err != nil {
		return t, err
	}

	ids := make([]int64, len(t.Messages))
	for i, m := range t.Messages {
		ids[i] = m.ID
	}
	in, args := placeholders(ids)
	sessionIDs := `SELECT session_id FROM messages WHERE id IN (` + in + `)`

	rows, err = tx.QueryContext(ctx, `SELECT `+sessionCols+` FROM sessions
		WHERE id IN (`+sessionIDs+`) ORDER BY started_at, id`, args...)
	if err != nil {
		return t, err
	}
	if t.Sessions, err = collect(rows, scanSession); err != nil {
		return t, err
	}

	rows, err = tx.QueryContext(ctx, `SELECT `+eventCols+` FROM smtp_events
		WHERE message_id IN (`+in+`) OR (message_id IS NULL AND session_id IN (`+sessionIDs+`))
		ORDER BY at, id`, append(args, args...)...)
	if err != nil {
		return t, err
	}
	if t.Events, err = collect(rows, scanEvent); err != nil {
		return t, err
	}

	rows, err = tx.QueryContext(ctx, `WITH RECURSIVE linked(id) AS (
			SELECT id FROM exchanges WHERE message_id IN (`+in+`)
			UNION
			SELECT e.id FROM exchanges e JOIN linked l ON e.replay_of = l.id OR e.parent_id = l.id
		)
		SELECT `+exchangeSummaryCols+` FROM exchanges WHERE id IN linked
		ORDER BY started_at, id`, args...)
	if err != nil {
		return t, err
	}
	t.Exchanges, err = collect(rows, scanExchangeSummary)
	return t, err
}
