package storage

import (
	"context"
	"errors"
	"reflect"
	"testing"
)

func mustCreateSession(t testing.TB, s *Store, sess Session) Session {
	t.Helper()
	if err := s.CreateSession(context.Background(), &sess); err != nil {
		t.Fatalf("CreateSession: %v", err)
	}
	return sess
}

func mustCreateMessage(t testing.TB, s *Store, m Message) Message {
	t.Helper()
	if err := s.CreateMessage(context.Background(), &m); err != nil {
		t.Fatalf("CreateMessage: %v", err)
	}
	return m
}

func mustAddExchange(t testing.TB, s *Store, e Exchange) Exchange {
	t.Helper()
	if err := s.AddExchange(context.Background(), &e); err != nil {
		t.Fatalf("AddExchange: %v", err)
	}
	return e
}

func TestSessionRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	sess := mustCreateSession(t, s, Session{StartedAt: at(0), RemoteAddr: "127.0.0.1:50000", RemoteIP: "127.0.0.1"})
	if sess.ID == 0 {
		t.Fatal("CreateSession did not set ID")
	}
	got, err := s.Session(ctx, sess.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, sess) {
		t.Errorf("after create:\n got %+v\nwant %+v", got, sess)
	}

	sess.HeloDomain, sess.TLS, sess.TLSCipher, sess.AuthUser, sess.EndedAt =
		"client.example", true, "TLSv1.3 TLS_AES_128_GCM_SHA256", "alice", at(9)
	if err := s.UpdateSession(ctx, &sess); err != nil {
		t.Fatal(err)
	}
	if got, err = s.Session(ctx, sess.ID); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, sess) {
		t.Errorf("after update:\n got %+v\nwant %+v", got, sess)
	}
}

func TestMessageRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	sess := mustCreateSession(t, s, Session{StartedAt: at(0)})
	m := mustCreateMessage(t, s, Message{SessionID: sess.ID, CreatedAt: at(1), MailFrom: "a@example.com", SizeParam: 1234})
	got, err := s.Message(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, m) {
		t.Errorf("after create:\n got %+v\nwant %+v", got, m)
	}

	m.ReceivedAt = at(2)
	m.Recipients = []string{"b@example.com", "c&d@example.com", "ünï@example.com"}
	m.Subject, m.FromHeader, m.MessageID = "Hello <world>", "A <a@example.com>", "<x@y>"
	m.Size, m.MD5 = 1200, "d41d8cd98f00b204e9800998ecf8427e"
	m.Outcome, m.Status, m.SMTPReply = OutcomeRejected, 422, "554 5.0.0 nope"
	if err := s.UpdateMessage(ctx, &m); err != nil {
		t.Fatal(err)
	}
	if got, err = s.Message(ctx, m.ID); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, m) {
		t.Errorf("after update:\n got %+v\nwant %+v", got, m)
	}
	if _, err := s.RawMessage(ctx, m.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("RawMessage without data: err = %v, want ErrNotFound", err)
	}

	// UpdateMessage leaves the MAIL FROM fields alone.
	changed := m
	changed.MailFrom, changed.SizeParam, changed.SessionID = "other@example.com", 1, 0
	if err := s.UpdateMessage(ctx, &changed); err != nil {
		t.Fatal(err)
	}
	if got, _ = s.Message(ctx, m.ID); got.MailFrom != m.MailFrom || got.SizeParam != m.SizeParam || got.SessionID != sess.ID {
		t.Errorf("UpdateMessage changed MAIL FROM fields: %+v", got)
	}
}

func TestSMTPEventRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	sess := mustCreateSession(t, s, Session{StartedAt: at(0)})
	m := mustCreateMessage(t, s, Message{SessionID: sess.ID, CreatedAt: at(1)})
	want := []SMTPEvent{
		{SessionID: sess.ID, At: at(0), Command: "CONNECT", ReplyCode: 220, ReplyText: "ready"},
		{SessionID: sess.ID, MessageID: m.ID, At: at(1), Command: "MAIL", Argument: "FROM:<a@b> SIZE=10",
			ReplyCode: 250, ReplyEnhanced: "2.0.0", ReplyText: "OK", DurationMS: 3},
	}
	for i := range want {
		if err := s.AddSMTPEvent(ctx, &want[i]); err != nil {
			t.Fatal(err)
		}
		if want[i].ID == 0 {
			t.Fatal("AddSMTPEvent did not set ID")
		}
	}
	tl, err := s.Timeline(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(tl.Events, want) {
		t.Errorf("events:\n got %+v\nwant %+v", tl.Events, want)
	}
}

func TestExchangeRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	m := mustCreateMessage(t, s, Message{CreatedAt: at(0)})
	orig := mustAddExchange(t, s, Exchange{
		MessageID: m.ID, Kind: KindDelivery, Format: "json+n", StartedAt: at(1), DurationMS: 42,
		Method: "POST", URL: "http://user:***@127.0.0.1:2580/target/302",
		RequestHeaders:    []Header{{"User-Agent", "CloudMailin Server"}, {"X-Dup", "1"}, {"X-Dup", "2"}},
		RequestBody:       []byte(`{"plain":"hi"}`),
		Status:            200,
		ResponseHeaders:   []Header{{"Content-Type", "text/plain; charset=<utf-8>&"}},
		ResponseBody:      []byte("ok\x00binary\xff"),
		ResponseTruncated: true,
		Hops:              []Hop{{"http://127.0.0.1:2580/target/302", 302}, {"http://127.0.0.1:2580/target/200", 200}},
		Error:             "", SMTPReply: "250 2.0.0 OK", Outcome: OutcomeAccepted,
	})
	tests := []Exchange{
		orig,
		{MessageID: m.ID, ReplayOf: orig.ID, Kind: KindReplay, Format: "raw", StartedAt: at(5),
			Method: "POST", URL: "http://127.0.0.1:9/x", Error: "connection refused", Outcome: OutcomeDelayed},
		{MessageID: m.ID, ParentID: orig.ID, Kind: KindErrorCallback, Format: "form", StartedAt: at(6),
			Method: "POST", URL: "http://127.0.0.1:2580/errors", Status: 204, RequestBody: []byte{}},
		{Kind: KindTest, Format: "json+n", StartedAt: at(7), Method: "POST", URL: "http://h/"},
	}
	for i, want := range tests {
		t.Run(want.Kind, func(t *testing.T) {
			if i > 0 {
				want = mustAddExchange(t, s, want)
			}
			if want.ID == 0 {
				t.Fatal("AddExchange did not set ID")
			}
			got, err := s.Exchange(ctx, want.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(want.RequestBody) == 0 && len(got.RequestBody) == 0 {
				got.RequestBody = want.RequestBody // empty and nil bodies are both "no body"
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestNotFound(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	m := mustCreateMessage(t, s, Message{CreatedAt: at(0)}) // exists, but has no raw data
	const missing = 999
	for _, tc := range []struct {
		name string
		call func() error
	}{
		{"Session", func() error { _, err := s.Session(ctx, missing); return err }},
		{"UpdateSession", func() error { return s.UpdateSession(ctx, &Session{ID: missing}) }},
		{"Message", func() error { _, err := s.Message(ctx, missing); return err }},
		{"UpdateMessage", func() error { return s.UpdateMessage(ctx, &Message{ID: missing}) }},
		{"CompleteMessage", func() error { return s.CompleteMessage(ctx, &Message{ID: missing}, []byte("x")) }},
		{"RawMessage missing message", func() error { _, err := s.RawMessage(ctx, missing); return err }},
		{"RawMessage without data", func() error { _, err := s.RawMessage(ctx, m.ID); return err }},
		{"Exchange", func() error { _, err := s.Exchange(ctx, missing); return err }},
		{"Timeline", func() error { _, err := s.Timeline(ctx, missing); return err }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.call(); !errors.Is(err, ErrNotFound) {
				t.Errorf("err = %v, want ErrNotFound", err)
			}
		})
	}
}
