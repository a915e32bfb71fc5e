package storage

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"
)

func TestTimelineGroupsRedeliveries(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)

	// Two deliveries of the same message in two sessions, and an unrelated
	// transaction sharing the second session.
	s1 := mustCreateSession(t, s, Session{StartedAt: at(0), RemoteIP: "10.0.0.1"})
	s2 := mustCreateSession(t, s, Session{StartedAt: at(100), RemoteIP: "10.0.0.2"})
	first := mustCreateMessage(t, s, Message{SessionID: s1.ID, CreatedAt: at(1), MessageID: "<same@x>", Outcome: OutcomeDelayed})
	again := mustCreateMessage(t, s, Message{SessionID: s2.ID, CreatedAt: at(101), MessageID: "<same@x>", Outcome: OutcomeAccepted})
	other := mustCreateMessage(t, s, Message{SessionID: s2.ID, CreatedAt: at(110), MessageID: "<other@x>"})
	noHeader := mustCreateMessage(t, s, Message{SessionID: s1.ID, CreatedAt: at(5)})
	mustCreateMessage(t, s, Message{SessionID: s1.ID, CreatedAt: at(6)}) // also no header: not grouped with noHeader

	addEvent := func(sessionID, messageID int64, sec int, cmd string) SMTPEvent {
		e := SMTPEvent{SessionID: sessionID, MessageID: messageID, At: at(sec), Command: cmd}
		if err := s.AddSMTPEvent(ctx, &e); err != nil {
			t.Fatal(err)
		}
		return e
	}
	wantEvents := []SMTPEvent{
		addEvent(s1.ID, 0, 0, "CONNECT"),
		addEvent(s1.ID, first.ID, 1, "MAIL"),
		addEvent(s2.ID, 0, 100, "EHLO"),
		addEvent(s2.ID, again.ID, 101, "MAIL"),
	}
	addEvent(s2.ID, other.ID, 110, "MAIL")

	delivery1 := mustAddExchange(t, s, Exchange{MessageID: first.ID, Kind: KindDelivery, StartedAt: at(2), Status: 503})
	callback := mustAddExchange(t, s, Exchange{ParentID: delivery1.ID, Kind: KindErrorCallback, StartedAt: at(3)})
	delivery2 := mustAddExchange(t, s, Exchange{MessageID: again.ID, Kind: KindDelivery, StartedAt: at(102), Status: 200})
	replay := mustAddExchange(t, s, Exchange{ReplayOf: delivery1.ID, Kind: KindReplay, StartedAt: at(200)})
	mustAddExchange(t, s, Exchange{MessageID: other.ID, Kind: KindDelivery, StartedAt: at(111)})
	mustAddExchange(t, s, Exchange{Kind: KindTest, StartedAt: at(1)})

	for _, id := range []int64{first.ID, again.ID} {
		tl, err := s.Timeline(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var gotMsgs, gotSessions, gotExchanges []int64
		for _, m := range tl.Messages {
			gotMsgs = append(gotMsgs, m.ID)
		}
		for _, x := range tl.Sessions {
			gotSessions = append(gotSessions, x.ID)
		}
		for _, e := range tl.Exchanges {
			gotExchanges = append(gotExchanges, e.ID)
		}
		if want := []int64{first.ID, again.ID}; !reflect.DeepEqual(gotMsgs, want) {
			t.Errorf("timeline(%d) messages = %v, want %v", id, gotMsgs, want)
		}
		if want := []int64{s1.ID, s2.ID}; !reflect.DeepEqual(gotSessions, want) {
			t.Errorf("timeline(%d) sessions = %v, want %v", id, gotSessions, want)
		}
		if !reflect.DeepEqual(tl.Events, wantEvents) {
			t.Errorf("timeline(%d) events =\n %+v\nwant\n %+v", id, tl.Events, wantEvents)
		}
		if want := []int64{delivery1.ID, callback.ID, delivery2.ID, replay.ID}; !reflect.DeepEqual(gotExchanges, want) {
			t.Errorf("timeline(%d) exchanges = %v, want %v", id, gotExchanges, want)
		}
	}

	tl, err := s.Timeline(ctx, noHeader.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(tl.Messages) != 1 || tl.Messages[0].ID != noHeader.ID || len(tl.Exchanges) != 0 {
		t.Errorf("timeline without Message-ID = %+v, want only message %d", tl, noHeader.ID)
	}
}

func TestCountSince(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	fillMessages(t, s, 9)                               // 3 of each outcome at seconds 1..9
	mustCreateMessage(t, s, Message{CreatedAt: at(20)}) // pending: not counted
	for _, tc := range []struct {
		name  string
		since time.Time
		want  Counts
	}{
		{"zero time counts all", time.Time{}, Counts{Accepted: 3, Rejected: 3, Delayed: 3}},
		{"inclusive", at(4), Counts{Accepted: 2, Rejected: 2, Delayed: 2}},
		{"last one", at(9), Counts{Accepted: 1}},
		{"future", at(100), Counts{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.CountSince(ctx, tc.since)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("CountSince = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestRecentExchanges(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	var all []int64
	for i := range 5 {
		e := mustAddExchange(t, s, Exchange{Kind: KindTest, StartedAt: at(i), RequestBody: []byte("body")})
		all = append(all, e.ID)
	}
	for _, tc := range []struct {
		name  string
		since time.Time
		limit int
		want  []int64
	}{
		{"all newest first", time.Time{}, 0, []int64{all[4], all[3], all[2], all[1], all[0]}},
		{"since is inclusive", at(3), 0, []int64{all[4], all[3]}},
		{"limit", time.Time{}, 2, []int64{all[4], all[3]}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.RecentExchanges(ctx, tc.since, tc.limit)
			if err != nil {
				t.Fatal(err)
			}
			var gotIDs []int64
			for _, e := range got {
				gotIDs = append(gotIDs, e.ID)
			}
			if !reflect.DeepEqual(gotIDs, tc.want) {
				t.Errorf("ids = %v, want %v", gotIDs, tc.want)
			}
		})
	}
}

func TestDeleteAll(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	sess := mustCreateSession(t, s, Session{StartedAt: at(0), EndedAt: at(9)})
	m := mustCreateMessage(t, s, Message{SessionID: sess.ID, CreatedAt: at(1), Outcome: OutcomeAccepted})
	orphan := mustCreateMessage(t, s, Message{CreatedAt: at(1)})
	if err := s.AddSMTPEvent(ctx, &SMTPEvent{SessionID: sess.ID, MessageID: m.ID, Command: "MAIL"}); err != nil {
		t.Fatal(err)
	}
	d := &Exchange{Kind: KindDelivery, StartedAt: at(2)}
	if err := s.CompleteMessage(ctx, &m, []byte("raw"), d); err != nil {
		t.Fatal(err)
	}
	test := mustAddExchange(t, s, Exchange{Kind: KindTest, StartedAt: at(3)})
	mustAddExchange(t, s, Exchange{Kind: KindReplay, ReplayOf: test.ID, StartedAt: at(4)})

	if err := s.DeleteAll(ctx); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"sessions", "messages", "message_raw", "smtp_events", "exchanges"} {
		var n int
		if err := s.r.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil || n != 0 {
			t.Errorf("%s: %d rows left (err %v)", table, n, err)
		}
	}
	if _, err := s.Message(ctx, orphan.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("message without session survived: %v", err)
	}
	if got := appliedMigrations(t, s); len(got) == 0 {
		t.Error("DeleteAll cleared schema_migrations")
	}
	// The store keeps working and never reuses an ID.
	again := mustCreateMessage(t, s, Message{CreatedAt: at(5)})
	if again.ID <= orphan.ID {
		t.Errorf("ID %d reused after DeleteAll (last was %d)", again.ID, orphan.ID)
	}
}

// TestDeleteAllKeepsLiveSessions: a connection still open keeps its session
// row and its pending transaction, so its next write does not break.
func TestDeleteAllKeepsLiveSessions(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	live := mustCreateSession(t, s, Session{StartedAt: at(0)})
	pending := mustCreateMessage(t, s, Message{SessionID: live.ID, CreatedAt: at(1), MailFrom: "a@x"})
	doneMsg := mustCreateMessage(t, s, Message{SessionID: live.ID, CreatedAt: at(1), Outcome: OutcomeRejected})
	if err := s.AddSMTPEvent(ctx, &SMTPEvent{SessionID: live.ID, Command: "EHLO"}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteAll(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session(ctx, live.ID); err != nil {
		t.Errorf("open session deleted: %v", err)
	}
	if _, err := s.Message(ctx, pending.ID); err != nil {
		t.Errorf("pending transaction deleted: %v", err)
	}
	if _, err := s.Message(ctx, doneMsg.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("finished transaction kept: %v", err)
	}
	// The live connection goes on writing.
	pending.Recipients = []string{"b@x"}
	if err := s.UpdateMessage(ctx, &pending); err != nil {
		t.Errorf("update after DeleteAll: %v", err)
	}
	if err := s.CreateMessage(ctx, &Message{SessionID: live.ID, CreatedAt: at(2)}); err != nil {
		t.Errorf("new transaction on the live session: %v", err)
	}
}
