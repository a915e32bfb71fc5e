package app

import (
	"context"
	"time"

	"github.com/mailhook/mailhook/engine"
	"github.com/mailhook/mailhook/engine/payload"
	"github.com/mailhook/mailhook/storage"
)

// Source is everything the window asks of the engine. *engine.Engine
// implements it; the window has no SMTP, HTTP or SQL of its own.
type Source interface {
	SMTPAddr() string
	HTTPAddr() string
	Config() engine.Config
	// ApplyConfig validates, saves and applies settings: new addresses or a
	// new size limit restart the listeners, the rest applies to the next
	// transaction.
	ApplyConfig(cfg engine.Config) error
	Paused() bool
	SetPaused(paused bool) // while paused, MAIL FROM gets 421
	Listening() bool

	Subscribe() (<-chan engine.Event, func())

	ListMessages(ctx context.Context, q storage.ListQuery) (storage.Page, error)
	CountSince(ctx context.Context, since time.Time) (storage.Counts, error)
	Timeline(ctx context.Context, messageID int64) (storage.Timeline, error)
	RecentExchanges(ctx context.Context, since time.Time, limit int) ([]storage.ExchangeSummary, error)
	Exchange(ctx context.Context, id int64) (storage.Exchange, error)
	RawMessage(ctx context.Context, messageID int64) ([]byte, error)
	// ParsedMessage is the stored message parsed as the delivery saw it.
	ParsedMessage(ctx context.Context, messageID int64) (*payload.Message, error)
}

var _ Source = (*engine.Engine)(nil)
