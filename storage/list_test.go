package storage

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// fillMessages creates n transactions; message i (1-based) is accepted when
// i%3 == 0, rejected with status 422 when i%3 == 1, delayed otherwise.
func fillMessages(t *testing.T, s *Store, n int) []Message {
	t.Helper()
	var out []Message
	for i := 1; i <= n; i++ {
		m := Message{
			CreatedAt:  at(i),
			MailFrom:   fmt.Sprintf("sender%d@example.com", i),
			Recipients: []string{fmt.Sprintf("rcpt%d@example.org", i)},
			Subject:    fmt.Sprintf("Subject number %d", i),
			MessageID:  fmt.Sprintf("<msg%d@example.com>", i),
		}
		switch i % 3 {
		case 0:
			m.Outcome, m.Status, m.SMTPReply = OutcomeAccepted, 200, "250 2.0.0 OK"
		case 1:
			m.Outcome, m.Status, m.SMTPReply = OutcomeRejected, 422, "554 5.0.0 unprocessable"
		case 2:
			m.Outcome, m.Status, m.SMTPReply = OutcomeDelayed, 503, "450 4.0.0 try later"
		}
		out = append(out, mustCreateMessage(t, s, m))
	}
	return out
}

func ids(p Page) []int64 {
	var out []int64
	for _, m := range p.Messages {
		out = append(out, m.ID)
	}
	return out
}

func TestListMessagesPaging(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	all := fillMessages(t, s, 25)

	var got []int64
	q := ListQuery{Limit: 10}
	var pages int
	for {
		p, err := s.ListMessages(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		got = append(got, ids(p)...)
		if p.Next == 0 {
			break
		}
		if p.Next != p.Messages[len(p.Messages)-1].ID {
			t.Errorf("page %d: Next = %d, want last ID %d", pages, p.Next, p.Messages[len(p.Messages)-1].ID)
		}
		q.Before = p.Next
		if pages > 5 {
			t.Fatal("paging does not end")
		}
	}
	if pages != 3 {
		t.Errorf("got %d pages, want 3", pages)
	}
	var want []int64
	for i := len(all) - 1; i >= 0; i-- {
		want = append(want, all[i].ID)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ids across pages = %v, want %v", got, want)
	}

	// A page that ends exactly at the last row has no Next.
	p, err := s.ListMessages(ctx, ListQuery{Limit: 25})
	if err != nil || len(p.Messages) != 25 || p.Next != 0 {
		t.Errorf("exact page: %d messages, Next %d, err %v", len(p.Messages), p.Next, err)
	}

	// The summary carries the list fields.
	first := p.Messages[0]
	last := all[len(all)-1]
	if first.Subject != last.Subject || first.MailFrom != last.MailFrom || !reflect.DeepEqual(first.Recipients, last.Recipients) ||
		first.MessageID != last.MessageID || first.Status != last.Status || !first.CreatedAt.Equal(last.CreatedAt) {
		t.Errorf("summary %+v does not match message %+v", first, last)
	}
}

func TestListMessagesLimit(t *testing.T) {
	for _, tc := range []struct{ in, want int }{{0, 50}, {-1, 50}, {1, 1}, {500, 500}, {501, 500}, {1 << 30, 500}} {
		if got := clampLimit(tc.in); got != tc.want {
			t.Errorf("clampLimit(%d) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

func TestListMessagesFilters(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	fillMessages(t, s, 12)
	odd := mustCreateMessage(t, s, Message{CreatedAt: at(50), MailFrom: "Weird%_\\@Example.com", Subject: "100% done_ok"})

	for _, tc := range []struct {
		name string
		q    ListQuery
		want []int64
	}{
		{"subject", ListQuery{Text: "number 7"}, []int64{7}},
		{"subject case-insensitive", ListQuery{Text: "SUBJECT NUMBER 1"}, []int64{12, 11, 10, 1}},
		{"mail from", ListQuery{Text: "sender3@"}, []int64{3}},
		{"recipient", ListQuery{Text: "rcpt11@example.org"}, []int64{11}},
		{"message-id header", ListQuery{Text: "<msg5@example.com>"}, []int64{5}},
		{"status", ListQuery{Text: "422"}, []int64{10, 7, 4, 1}},
		{"smtp reply", ListQuery{Text: "try later"}, []int64{11, 8, 5, 2}},
		{"outcome text", ListQuery{Text: "accepted"}, []int64{12, 9, 6, 3}},
		{"like wildcards are literal", ListQuery{Text: "100%"}, []int64{odd.ID}},
		{"underscore is literal", ListQuery{Text: "e_o"}, []int64{odd.ID}},
		{"backslash", ListQuery{Text: `\@example`}, []int64{odd.ID}},
		{"percent alone", ListQuery{Text: "%"}, []int64{odd.ID}},
		{"no match", ListQuery{Text: "nothing like this"}, nil},
		{"outcome filter", ListQuery{Outcome: OutcomeDelayed}, []int64{11, 8, 5, 2}},
		{"outcome and text", ListQuery{Outcome: OutcomeRejected, Text: "number 1"}, []int64{10, 1}},
		{"outcome and cursor", ListQuery{Outcome: OutcomeAccepted, Before: 9}, []int64{6, 3}},
		{"filter pages", ListQuery{Outcome: OutcomeAccepted, Limit: 3}, []int64{12, 9, 6}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := s.ListMessages(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(p); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ids = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestListMessagesPlan checks that paging never sorts the table: the rows
// come out of the primary key (or the outcome index) already in order.
func TestListMessagesPlan(t *testing.T) {
	s := newStore(t)
	for _, tc := range []struct {
		name string
		q    ListQuery
	}{
		{"first page", ListQuery{}},
		{"cursor", ListQuery{Before: 1000}},
		{"outcome", ListQuery{Outcome: OutcomeAccepted, Before: 1000}},
		{"text", ListQuery{Text: "x", Before: 1000}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			query, args, _ := listSQL(tc.q)
			rows, err := s.r.Query(`EXPLAIN QUERY PLAN `+query, args...)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var plan []string
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
			}
			joined := strings.Join(plan, "; ")
			if strings.Contains(joined, "TEMP B-TREE") {
				t.Errorf("query sorts: %s", joined)
			}
			if tc.q.Before > 0 && tc.q.Outcome == "" && !strings.Contains(joined, "INTEGER PRIMARY KEY") {
				t.Errorf("cursor query does not seek the primary key: %s", joined)
			}
		})
	}
}
