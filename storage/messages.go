package storage

import (
	"context"
	"errors"
	"fmt"
)

const messageCols = `id, session_id, created_at, received_at, mail_from, size_param, recipients,
	subject, from_header, message_id_header, size, md5, outcome, status, smtp_reply,
	spf_result, spf_domain`

// summaryCols is what lists read: never the raw bytes, which live apart.
const summaryCols = `id, created_at, received_at, mail_from, recipients, subject, from_header,
	message_id_header, size, outcome, status, smtp_reply`

func scanMessage(sc scanner) (Message, error) {
	var m Message
	err := sc.Scan(&m.ID, idCol{&m.SessionID}, timeCol{&m.CreatedAt}, timeCol{&m.ReceivedAt},
		&m.MailFrom, &m.SizeParam, jsonCol[string]{&m.Recipients}, &m.Subject, &m.FromHeader,
		&m.MessageID, &m.Size, &m.MD5, &m.Outcome, &m.Status, &m.SMTPReply,
		&m.SPFResult, &m.SPFDomain)
	return m, err
}

func scanSummary(sc scanner) (MessageSummary, error) {
	var m MessageSummary
	err := sc.Scan(&m.ID, timeCol{&m.CreatedAt}, timeCol{&m.ReceivedAt}, &m.MailFrom,
		jsonCol[string]{&m.Recipients}, &m.Subject, &m.FromHeader, &m.MessageID, &m.Size,
		&m.Outcome, &m.Status, &m.SMTPReply)
	return m, err
}

// CreateMessage records a transaction at MAIL FROM and sets m.ID.
func (s *Store) CreateMessage(ctx context.Context, m *Message) error {
	rcpts, err := toJSON(m.Recipients)
	if err != nil {
		return wrap("create message", err)
	}
	res, err := s.w.ExecContext(ctx, `INSERT INTO messages
		(session_id, created_at, received_at, mail_from, size_param, recipients, subject,
		 from_header, message_id_header, size, md5, outcome, status, smtp_reply,
		 spf_result, spf_domain)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		nullID(m.SessionID), nanos(m.CreatedAt), nanos(m.ReceivedAt), m.MailFrom, m.SizeParam, rcpts,
		m.Subject, m.FromHeader, m.MessageID, m.Size, m.MD5, m.Outcome, m.Status, m.SMTPReply,
		m.SPFResult, m.SPFDomain)
	if err != nil {
		return wrap("create message", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return wrap("create message", err)
	}
	m.ID = id
	return nil
}

// UpdateMessage stores what the transaction learned after MAIL FROM:
// recipients, the parsed summary, the result and the SPF result. The
// session, envelope sender and SIZE= are fixed at MAIL FROM and left alone.
func (s *Store) UpdateMessage(ctx context.Context, m *Message) error {
	if err := updateMessage(ctx, s.w, m); err != nil {
		return wrap(fmt.Sprintf("update message %d", m.ID), err)
	}
	return nil
}

func updateMessage(ctx context.Context, db execer, m *Message) error {
	rcpts, err := toJSON(m.Recipients)
	if err != nil {
		return err
	}
	res, err := db.ExecContext(ctx, `UPDATE messages SET
		received_at = ?, recipients = ?, subject = ?, from_header = ?, message_id_header = ?,
		size = ?, md5 = ?, outcome = ?, status = ?, smtp_reply = ?, spf_result = ?, spf_domain = ?
		WHERE id = ?`,
		nanos(m.ReceivedAt), rcpts, m.Subject, m.FromHeader, m.MessageID,
		m.Size, m.MD5, m.Outcome, m.Status, m.SMTPReply, m.SPFResult, m.SPFDomain, m.ID)
	if err != nil {
		return err
	}
	return affectedOne(res)
}

// CompleteMessage commits the end of a transaction in one write: the
// message row, its raw bytes (skipped when raw is nil: no data arrived) and
// the exchanges that decided the reply. Mailhook writes its SMTP reply only
// after this returns nil. Each exchange gets its ID, and m.ID as MessageID
// when it had none, only once everything is committed.
func (s *Store) CompleteMessage(ctx context.Context, m *Message, raw []byte, exchanges ...*Exchange) error {
	op := fmt.Sprintf("complete message %d", m.ID)
	for _, e := range exchanges {
		if e == nil {
			return wrap(op, errors.New("nil exchange"))
		}
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return wrap(op, err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if err := updateMessage(ctx, tx, m); err != nil {
		return wrap(op, err)
	}
	if raw != nil {
		if _, err := tx.ExecContext(ctx, `INSERT INTO message_raw (message_id, raw) VALUES (?, ?)
			ON CONFLICT (message_id) DO UPDATE SET raw = excluded.raw`, m.ID, raw); err != nil {
			return wrap(op+": store raw", err)
		}
	}
	ids := make([]int64, len(exchanges))
	for i, e := range exchanges {
		msgID := e.MessageID
		if msgID == 0 {
			msgID = m.ID
		}
		if ids[i], err = insertExchange(ctx, tx, e, msgID); err != nil {
			return wrap(fmt.Sprintf("%s: exchange %d", op, i), err)
		}
	}
	if err := tx.Commit(); err != nil {
		return wrap(op, err)
	}
	for i, e := range exchanges {
		e.ID = ids[i]
		if e.MessageID == 0 {
			e.MessageID = m.ID
		}
	}
	return nil
}

// Message returns one transaction, without its raw bytes.
func (s *Store) Message(ctx context.Context, id int64) (Message, error) {
	row := s.r.QueryRowContext(ctx, `SELECT `+messageCols+` FROM messages WHERE id = ?`, id)
	m, err := scanMessage(row)
	if err != nil {
		return Message{}, wrap(fmt.Sprintf("message %d", id), err)
	}
	return m, nil
}

// RawMessage returns the bytes received after DATA; ErrNotFound when the
// message does not exist or no data was stored for it.
func (s *Store) RawMessage(ctx context.Context, id int64) ([]byte, error) {
	var raw []byte
	err := s.r.QueryRowContext(ctx, `SELECT raw FROM message_raw WHERE message_id = ?`, id).Scan(&raw)
	if err != nil {
		return nil, wrap(fmt.Sprintf("raw message %d", id), err)
	}
	return raw, nil
}
