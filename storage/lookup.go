package storage

import (
	"context"
	"fmt"
)

// LatestMessageOfConnection returns the newest transaction of the session
// that is still open and whose client address is remoteAddr (ip:port as the
// listener saw it). A client of Mailhook's own listener (the test mail
// sender) finds its transaction this way: while its connection is open no
// other session can hold the same address, and sessions of earlier
// connections that reused the port are closed.
func (s *Store) LatestMessageOfConnection(ctx context.Context, remoteAddr string) (Message, error) {
	row := s.r.QueryRowContext(ctx, `SELECT `+messageCols+` FROM messages WHERE id = (
		SELECT m.id FROM messages m JOIN sessions s ON s.id = m.session_id
		WHERE s.remote_addr = ? AND s.ended_at IS NULL
		ORDER BY m.id DESC LIMIT 1)`, remoteAddr)
	m, err := scanMessage(row)
	if err != nil {
		return Message{}, wrap(fmt.Sprintf("message of connection %s", remoteAddr), err)
	}
	return m, nil
}
