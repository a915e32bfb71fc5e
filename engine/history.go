package engine

import (
	"context"
	"time"

	"github.com/mailhook/mailhook/engine/payload"

	"github.com/mailhook/mailhook/storage"
)

// The read side of history, so the window and the local API call the same
// engine methods a test can call.

// ListMessages returns one page of transactions, newest first.
func (e *Engine) ListMessages(ctx context.Context, q storage.ListQuery) (storage.Page, error) {
	return e.store.ListMessages(ctx, q)
}

// Timeline returns everything recorded for a message and its redeliveries.
func (e *Engine) Timeline(ctx context.Context, messageID int64) (storage.Timeline, error) {
	return e.store.Timeline(ctx, messageID)
}

// Exchange returns one recorded HTTP exchange with its bodies.
func (e *Engine) Exchange(ctx context.Context, id int64) (storage.Exchange, error) {
	return e.store.Exchange(ctx, id)
}

// RawMessage returns the message exactly as received.
func (e *Engine) RawMessage(ctx context.Context, messageID int64) ([]byte, error) {
	return e.store.RawMessage(ctx, messageID)
}

// CountSince counts transactions per outcome since a time (the counters).
func (e *Engine) CountSince(ctx context.Context, since time.Time) (storage.Counts, error) {
	return e.store.CountSince(ctx, since)
}

// RecentExchanges lists HTTP exchanges newest first (the activity view).
func (e *Engine) RecentExchanges(ctx context.Context, since time.Time, limit int) ([]storage.ExchangeSummary, error) {
	return e.store.RecentExchanges(ctx, since, limit)
}

// ParsedMessage parses a stored message the way its delivery did.
func (e *Engine) ParsedMessage(ctx context.Context, messageID int64) (*payload.Message, error) {
	raw, err := e.store.RawMessage(ctx, messageID)
	if err != nil {
		return nil, err
	}
	return payload.Parse(raw)
}
