package storage

import (
	"context"
	"fmt"
	"sync"
	"testing"
)

// TestConcurrentWriters plays 20 SMTP sessions at once, each writing its
// whole story while readers list, and expects no "database is locked".
func TestConcurrentWriters(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	const sessions, perSession = 20, 5

	var wg sync.WaitGroup
	errs := make(chan error, sessions*2)
	for g := range sessions {
		wg.Go(func() {
			if err := playSession(ctx, s, g, perSession); err != nil {
				errs <- fmt.Errorf("session %d: %w", g, err)
			}
		})
		wg.Go(func() {
			for range perSession {
				if _, err := s.ListMessages(ctx, ListQuery{Text: "concurrent"}); err != nil {
					errs <- fmt.Errorf("reader %d: %w", g, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	c, err := s.CountSince(ctx, at(-1))
	if err != nil {
		t.Fatal(err)
	}
	if c.Accepted != sessions*perSession {
		t.Errorf("accepted = %d, want %d", c.Accepted, sessions*perSession)
	}
}

func playSession(ctx context.Context, s *Store, g, n int) error {
	sess := Session{StartedAt: at(g)}
	if err := s.CreateSession(ctx, &sess); err != nil {
		return err
	}
	for i := range n {
		m := Message{SessionID: sess.ID, CreatedAt: at(g), MailFrom: "concurrent@example.com"}
		if err := s.CreateMessage(ctx, &m); err != nil {
			return err
		}
		if err := s.AddSMTPEvent(ctx, &SMTPEvent{SessionID: sess.ID, MessageID: m.ID, At: at(g), Command: "MAIL"}); err != nil {
			return err
		}
		m.Recipients, m.MessageID = []string{"r@example.com"}, fmt.Sprintf("<%d.%d@x>", g, i)
		if err := s.UpdateMessage(ctx, &m); err != nil {
			return err
		}
		m.Outcome, m.Status = OutcomeAccepted, 200
		if err := s.CompleteMessage(ctx, &m, []byte("raw"), &Exchange{Kind: KindDelivery, StartedAt: at(g)}); err != nil {
			return err
		}
		if _, err := s.Timeline(ctx, m.ID); err != nil {
			return err
		}
	}
	sess.EndedAt = at(g + 1)
	return s.UpdateSession(ctx, &sess)
}
