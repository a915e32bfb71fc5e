package engine

import (
	"context"

	"github.com/mailhook/mailhook/storage"
)

// Message returns one stored transaction, envelope and SPF included,
// without its raw bytes (RawMessage has them).
func (e *Engine) Message(ctx context.Context, id int64) (storage.Message, error) {
	return e.store.Message(ctx, id)
}

// DeleteHistory clears the history and tells every front end to re-read.
func (e *Engine) DeleteHistory(ctx context.Context) error {
	if err := e.store.DeleteAll(ctx); err != nil {
		return err
	}
	e.publish(Event{Kind: EventRefreshNeeded})
	return nil
}
