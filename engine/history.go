package engine

import (
	"context"

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
