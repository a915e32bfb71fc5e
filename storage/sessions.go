package storage

import (
	"context"
	"fmt"
)

const sessionCols = `id, started_at, ended_at, remote_addr, remote_ip, helo_domain, tls, tls_cipher, auth_user`

func scanSession(sc scanner) (Session, error) {
	var s Session
	err := sc.Scan(&s.ID, timeCol{&s.StartedAt}, timeCol{&s.EndedAt}, &s.RemoteAddr, &s.RemoteIP,
		&s.HeloDomain, &s.TLS, &s.TLSCipher, &s.AuthUser)
	return s, err
}

// CreateSession records a new SMTP connection and sets sess.ID.
func (s *Store) CreateSession(ctx context.Context, sess *Session) error {
	res, err := s.w.ExecContext(ctx, `INSERT INTO sessions
		(started_at, ended_at, remote_addr, remote_ip, helo_domain, tls, tls_cipher, auth_user)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		nanos(sess.StartedAt), nanos(sess.EndedAt), sess.RemoteAddr, sess.RemoteIP,
		sess.HeloDomain, sess.TLS, sess.TLSCipher, sess.AuthUser)
	if err != nil {
		return wrap("create session", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return wrap("create session", err)
	}
	sess.ID = id
	return nil
}

// UpdateSession stores what a connection learns after it opens: HELO,
// STARTTLS, AUTH and its end.
func (s *Store) UpdateSession(ctx context.Context, sess *Session) error {
	res, err := s.w.ExecContext(ctx, `UPDATE sessions SET
		helo_domain = ?, tls = ?, tls_cipher = ?, auth_user = ?, ended_at = ?
		WHERE id = ?`,
		sess.HeloDomain, sess.TLS, sess.TLSCipher, sess.AuthUser, nanos(sess.EndedAt), sess.ID)
	if err == nil {
		err = affectedOne(res)
	}
	if err != nil {
		return wrap(fmt.Sprintf("update session %d", sess.ID), err)
	}
	return nil
}

// Session returns one connection.
func (s *Store) Session(ctx context.Context, id int64) (Session, error) {
	row := s.r.QueryRowContext(ctx, `SELECT `+sessionCols+` FROM sessions WHERE id = ?`, id)
	sess, err := scanSession(row)
	if err != nil {
		return Session{}, wrap(fmt.Sprintf("session %d", id), err)
	}
	return sess, nil
}

const eventCols = `id, session_id, message_id, at, command, argument, reply_code, reply_enhanced, reply_text, duration_ms`

func scanEvent(sc scanner) (SMTPEvent, error) {
	var e SMTPEvent
	err := sc.Scan(&e.ID, &e.SessionID, idCol{&e.MessageID}, timeCol{&e.At}, &e.Command, &e.Argument,
		&e.ReplyCode, &e.ReplyEnhanced, &e.ReplyText, &e.DurationMS)
	return e, err
}

// AddSMTPEvent records one command and its reply, and sets ev.ID.
func (s *Store) AddSMTPEvent(ctx context.Context, ev *SMTPEvent) error {
	res, err := s.w.ExecContext(ctx, `INSERT INTO smtp_events
		(session_id, message_id, at, command, argument, reply_code, reply_enhanced, reply_text, duration_ms)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		ev.SessionID, nullID(ev.MessageID), nanos(ev.At), ev.Command, ev.Argument,
		ev.ReplyCode, ev.ReplyEnhanced, ev.ReplyText, ev.DurationMS)
	if err != nil {
		return wrap("add smtp event", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return wrap("add smtp event", err)
	}
	ev.ID = id
	return nil
}
