package storage

import "context"

// DeleteAll clears the history and keeps the schema. IDs keep counting up
// (AUTOINCREMENT), so an ID held by the window never names a new row.
// Children go first so the cascades find nothing left to do.
func (s *Store) DeleteAll(ctx context.Context) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return wrap("delete all", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	for _, table := range []string{"exchanges", "smtp_events", "message_raw", "messages", "sessions"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table); err != nil {
			return wrap("delete all: "+table, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return wrap("delete all", err)
	}
	return nil
}
