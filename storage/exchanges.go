package storage

import (
	"context"
	"fmt"
	"time"
)

const exchangeSummaryCols = `id, message_id, replay_of, parent_id, kind, recipient, format,
	started_at, duration_ms, method, url, status, error, smtp_reply, outcome`

// exchangeCols lists the bodies last, like the table, so summaries and full
// reads share a prefix.
const exchangeCols = exchangeSummaryCols + `,
	response_truncated, request_headers, response_headers, hops, request_body, response_body`

func scanExchangeSummary(sc scanner) (ExchangeSummary, error) {
	var e ExchangeSummary
	err := sc.Scan(&e.ID, idCol{&e.MessageID}, idCol{&e.ReplayOf}, idCol{&e.ParentID}, &e.Kind,
		&e.Recipient, &e.Format, timeCol{&e.StartedAt}, &e.DurationMS, &e.Method, &e.URL,
		&e.Status, &e.Error, &e.SMTPReply, &e.Outcome)
	return e, err
}

func scanExchange(sc scanner) (Exchange, error) {
	var e Exchange
	err := sc.Scan(&e.ID, idCol{&e.MessageID}, idCol{&e.ReplayOf}, idCol{&e.ParentID}, &e.Kind,
		&e.Recipient, &e.Format, timeCol{&e.StartedAt}, &e.DurationMS, &e.Method, &e.URL,
		&e.Status, &e.Error, &e.SMTPReply, &e.Outcome,
		&e.ResponseTruncated, jsonCol[Header]{&e.RequestHeaders}, jsonCol[Header]{&e.ResponseHeaders},
		jsonCol[Hop]{&e.Hops}, &e.RequestBody, &e.ResponseBody)
	return e, err
}

// AddExchange records an HTTP exchange not tied to the end of a
// transaction (authorization at RCPT, error callback, replay, test fire)
// and sets e.ID.
func (s *Store) AddExchange(ctx context.Context, e *Exchange) error {
	id, err := insertExchange(ctx, s.w, e, e.MessageID)
	if err != nil {
		return wrap("add exchange", err)
	}
	e.ID = id
	return nil
}

func insertExchange(ctx context.Context, db execer, e *Exchange, messageID int64) (int64, error) {
	reqH, err := toJSON(e.RequestHeaders)
	if err != nil {
		return 0, err
	}
	respH, err := toJSON(e.ResponseHeaders)
	if err != nil {
		return 0, err
	}
	hops, err := toJSON(e.Hops)
	if err != nil {
		return 0, err
	}
	res, err := db.ExecContext(ctx, `INSERT INTO exchanges
		(message_id, replay_of, parent_id, kind, recipient, format, started_at, duration_ms,
		 method, url, status, error, smtp_reply, outcome, response_truncated,
		 request_headers, response_headers, hops, request_body, response_body)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		nullID(messageID), nullID(e.ReplayOf), nullID(e.ParentID), e.Kind, e.Recipient, e.Format,
		nanos(e.StartedAt), e.DurationMS, e.Method, e.URL, e.Status, e.Error, e.SMTPReply,
		e.Outcome, e.ResponseTruncated, reqH, respH, hops, e.RequestBody, e.ResponseBody)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// Exchange returns one exchange in full, bodies included.
func (s *Store) Exchange(ctx context.Context, id int64) (Exchange, error) {
	row := s.r.QueryRowContext(ctx, `SELECT `+exchangeCols+` FROM exchanges WHERE id = ?`, id)
	e, err := scanExchange(row)
	if err != nil {
		return Exchange{}, wrap(fmt.Sprintf("exchange %d", id), err)
	}
	return e, nil
}

// RecentExchanges returns up to limit exchanges started at or after since
// (all of them for the zero time), newest first, without bodies. limit is
// clamped like ListQuery.Limit.
func (s *Store) RecentExchanges(ctx context.Context, since time.Time, limit int) ([]ExchangeSummary, error) {
	q := `SELECT ` + exchangeSummaryCols + ` FROM exchanges`
	var args []any
	if !since.IsZero() {
		q += ` WHERE started_at >= ?`
		args = append(args, since.UnixNano())
	}
	q += ` ORDER BY started_at DESC, id DESC LIMIT ?`
	args = append(args, clampLimit(limit))
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, wrap("recent exchanges", err)
	}
	out, err := collect(rows, scanExchangeSummary)
	if err != nil {
		return nil, wrap("recent exchanges", err)
	}
	return out, nil
}
