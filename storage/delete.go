package storage

import "context"

// DeleteAll clears the history and keeps the schema. IDs keep counting up
// (AUTOINCREMENT), so an ID held by the window never names a new row.
// Sessions still open (no end time) and their transactions still pending
// (no outcome) stay, with their commands: live SMTP connections go on
// writing to them. Children go first so the cascades find nothing left.
func (s *Store) DeleteAll(ctx context.Context) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return wrap("delete all", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	const done = `SELECT id FROM messages WHERE outcome <> '' OR session_id IS NULL
		OR session_id IN (SELECT id FROM sessions WHERE ended_at IS NOT NULL)`
	for _, q := range []string{
		`DELETE FROM exchanges WHERE message_id IS NULL OR message_id IN (` + done + `)`,
		`DELETE FROM smtp_events WHERE message_id IN (` + done + `)
			OR (message_id IS NULL AND session_id IN (SELECT id FROM sessions WHERE ended_at IS NOT NULL))`,
		`DELETE FROM message_raw WHERE message_id IN (` + done + `)`,
		`DELETE FROM messages WHERE id IN (` + done + `)`,
		`DELETE FROM sessions WHERE ended_at IS NOT NULL`,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return wrap("delete all", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return wrap("delete all", err)
	}
	return nil
}
