package storage

import (
	"context"
	"strconv"
	"strings"
)

// Page sizes for ListMessages and RecentExchanges.
const (
	defaultLimit = 50
	maxLimit     = 500
)

func clampLimit(n int) int {
	switch {
	case n <= 0:
		return defaultLimit
	case n > maxLimit:
		return maxLimit
	}
	return n
}

// ListMessages returns one page of transaction summaries, newest first.
// Page.Next is the cursor for the following page, 0 on the last one.
func (s *Store) ListMessages(ctx context.Context, q ListQuery) (Page, error) {
	query, args, limit := listSQL(q)
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return Page{}, wrap("list messages", err)
	}
	ms, err := collect(rows, scanSummary)
	if err != nil {
		return Page{}, wrap("list messages", err)
	}
	// One row more than the page was asked for tells whether there is a next.
	var p Page
	if len(ms) > limit {
		ms = ms[:limit]
		p.Next = ms[limit-1].ID
	}
	p.Messages = ms
	return p, nil
}

// listSQL builds the page query. It always orders by the rowid, so the
// unfiltered and cursor cases walk the primary key and stop after limit+1
// rows instead of sorting the table.
func listSQL(q ListQuery) (query string, args []any, limit int) {
	limit = clampLimit(q.Limit)
	var where []string
	if q.Before > 0 {
		where = append(where, "id < ?")
		args = append(args, q.Before)
	}
	if q.Outcome != "" {
		where = append(where, "outcome = ?")
		args = append(args, q.Outcome)
	}
	if text := strings.TrimSpace(q.Text); text != "" {
		// LIKE is case-insensitive for ASCII letters only, which covers
		// addresses and most subjects.
		pattern := "%" + escapeLike(text) + "%"
		var or []string
		for _, c := range []string{"subject", "mail_from", "from_header", "recipients",
			"message_id_header", "smtp_reply", "outcome"} {
			or = append(or, c+` LIKE ? ESCAPE '\'`)
			args = append(args, pattern)
		}
		if n, err := strconv.Atoi(text); err == nil {
			or = append(or, "status = ?")
			args = append(args, n)
		}
		where = append(where, "("+strings.Join(or, " OR ")+")")
	}
	query = `SELECT ` + summaryCols + ` FROM messages`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, " AND ")
	}
	query += ` ORDER BY id DESC LIMIT ?`
	args = append(args, limit+1)
	return query, args, limit
}

// escapeLike makes the user's text literal inside a LIKE pattern.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
