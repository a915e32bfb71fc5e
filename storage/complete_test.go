package storage

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"testing"
)

func TestCompleteMessage(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	sess := mustCreateSession(t, s, Session{StartedAt: at(0)})
	m := mustCreateMessage(t, s, Message{SessionID: sess.ID, CreatedAt: at(1), MailFrom: "a@example.com"})
	auth := mustAddExchange(t, s, Exchange{MessageID: m.ID, Kind: KindAuthorization, Recipient: "b@example.com", StartedAt: at(2)})

	m.ReceivedAt, m.Recipients, m.Subject, m.MessageID = at(3), []string{"b@example.com"}, "hi", "<1@x>"
	m.Outcome, m.Status, m.SMTPReply = OutcomeAccepted, 200, "250 2.0.0 OK"
	raw := []byte("Subject: hi\r\n\r\nbody\r\n")
	delivery := &Exchange{Kind: KindDelivery, StartedAt: at(4), Status: 200, ResponseBody: []byte("ok")}
	explicit := &Exchange{MessageID: auth.MessageID, Kind: KindDelivery, StartedAt: at(5)}
	if err := s.CompleteMessage(ctx, &m, raw, delivery, explicit); err != nil {
		t.Fatal(err)
	}
	if delivery.ID == 0 || delivery.MessageID != m.ID || explicit.ID == 0 {
		t.Errorf("exchanges not updated: delivery %+v, second %+v", delivery, explicit)
	}

	got, err := s.Message(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, m) {
		t.Errorf("message:\n got %+v\nwant %+v", got, m)
	}
	if gotRaw, err := s.RawMessage(ctx, m.ID); err != nil || !bytes.Equal(gotRaw, raw) {
		t.Errorf("RawMessage = %q, %v; want %q", gotRaw, err, raw)
	}
	if e, err := s.Exchange(ctx, delivery.ID); err != nil || e.MessageID != m.ID || string(e.ResponseBody) != "ok" {
		t.Errorf("delivery exchange = %+v, %v", e, err)
	}

	// Completing again replaces the raw bytes (upsert), and a nil raw keeps them.
	if err := s.CompleteMessage(ctx, &m, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if err := s.CompleteMessage(ctx, &m, nil); err != nil {
		t.Fatal(err)
	}
	if gotRaw, _ := s.RawMessage(ctx, m.ID); string(gotRaw) != "new" {
		t.Errorf("raw after upsert = %q, want %q", gotRaw, "new")
	}
}

func TestCompleteMessageIsAtomic(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	m := mustCreateMessage(t, s, Message{CreatedAt: at(0), MailFrom: "a@example.com"})
	before := m

	done := m
	done.Subject, done.Outcome, done.Status = "changed", OutcomeAccepted, 200
	good := &Exchange{Kind: KindDelivery, StartedAt: at(1)}
	bad := &Exchange{Kind: KindReplay, ReplayOf: 12345, StartedAt: at(2)} // no such exchange: FK violation
	err := s.CompleteMessage(ctx, &done, []byte("raw"), good, bad)
	if err == nil {
		t.Fatal("CompleteMessage with a dangling replay_of succeeded")
	}
	if errors.Is(err, ErrNotFound) {
		t.Errorf("FK violation reported as ErrNotFound: %v", err)
	}
	if good.ID != 0 || good.MessageID != 0 {
		t.Errorf("exchange of a rolled back transaction was given IDs: %+v", good)
	}
	got, err := s.Message(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, before) {
		t.Errorf("message changed by a failed CompleteMessage:\n got %+v\nwant %+v", got, before)
	}
	if _, err := s.RawMessage(ctx, m.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("raw stored by a failed CompleteMessage: err = %v", err)
	}
	if ex, err := s.RecentExchanges(ctx, at(0).AddDate(0, 0, -1), 10); err != nil || len(ex) != 0 {
		t.Errorf("exchanges stored by a failed CompleteMessage: %+v, %v", ex, err)
	}
}

func TestCompleteMessageNilExchange(t *testing.T) {
	s := newStore(t)
	m := mustCreateMessage(t, s, Message{CreatedAt: at(0)})
	if err := s.CompleteMessage(context.Background(), &m, nil, nil); err == nil {
		t.Error("CompleteMessage accepted a nil exchange")
	}
}
