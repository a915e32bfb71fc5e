package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/mailhook/mailhook/engine"
	"github.com/mailhook/mailhook/storage"
)

// BenchmarkWindowOpen100k measures opening the window on a history of
// 100,000 transactions until the first page is in the list.
// Run: go test -run '^$' -bench WindowOpen100k ./app/
func BenchmarkWindowOpen100k(b *testing.B) {
	dir := b.TempDir()
	store, err := storage.Open(filepath.Join(dir, "mailhook.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	fillHistory(b, store, 100_000)

	cfg := engine.DefaultConfig()
	cfg.SMTPAddr, cfg.HTTPAddr = "127.0.0.1:0", "127.0.0.1:0"
	eng, err := engine.New(engine.Params{Store: store, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, cfg)
	if err != nil {
		b.Fatal(err)
	}
	if err := eng.Start(); err != nil {
		b.Fatal(err)
	}
	defer eng.Shutdown(context.Background())
	a := newSerialTestApp(b)

	b.ResetTimer()
	for range b.N {
		w := onFyne(func() *Window { return New(a, eng) })
		for onFyne(func() int { return w.history.list.Length() }) < historyPageSize {
			time.Sleep(time.Millisecond)
		}
		b.StopTimer()
		onFyne(func() bool { w.Window().Close(); return true })
		b.StartTimer()
	}
}

// fillHistory writes n accepted transactions with one delivery each.
func fillHistory(b *testing.B, store *storage.Store, n int) {
	b.Helper()
	ctx := context.Background()
	sess := storage.Session{StartedAt: time.Now(), RemoteAddr: "127.0.0.1:1", RemoteIP: "127.0.0.1", HeloDomain: "bench"}
	if err := store.CreateSession(ctx, &sess); err != nil {
		b.Fatal(err)
	}
	outcomes := []string{storage.OutcomeAccepted, storage.OutcomeAccepted, storage.OutcomeDelayed, storage.OutcomeRejected}
	for i := range n {
		m := storage.Message{SessionID: sess.ID, CreatedAt: time.Now(), MailFrom: fmt.Sprintf("s%d@example.org", i),
			Recipients: []string{"r@example.com"}}
		if err := store.CreateMessage(ctx, &m); err != nil {
			b.Fatal(err)
		}
		m.Subject, m.Outcome, m.Status = fmt.Sprintf("message %d", i), outcomes[i%4], 200
		ex := storage.Exchange{Kind: storage.KindDelivery, StartedAt: time.Now(), Method: "POST", URL: "http://127.0.0.1/hook", Status: 200}
		if err := store.CompleteMessage(ctx, &m, []byte("Subject: x\r\n\r\nbody\r\n"), &ex); err != nil {
			b.Fatal(err)
		}
	}
}
