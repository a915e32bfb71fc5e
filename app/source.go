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

	// Replay sends a stored exchange again (as is, elsewhere, in another
	// format or edited) and records a new exchange linked by ReplayOf.
	Replay(ctx context.Context, exchangeID int64, o engine.ReplayOptions) (storage.Exchange, error)
	// ReplayFailed replays each message's last failed delivery in order.
	ReplayFailed(ctx context.Context, messageIDs []int64, progress func(done, total int)) ([]storage.Exchange, error)
	// Fire sends a callback built from a sample or an .eml, without SMTP.
	Fire(ctx context.Context, r engine.FireRequest) (storage.Exchange, error)
	// SendTestMail sends a message through the SMTP listener; with Retry,
	// tries continue in the background until ctx ends.
	SendTestMail(ctx context.Context, m engine.TestMail) (engine.TestMailResult, error)
	CurlCommand(ctx context.Context, exchangeID int64) (string, error)
	HAR(ctx context.Context, exchangeIDs []int64) ([]byte, error)
	DeleteHistory(ctx context.Context) error
}

var _ Source = (*engine.Engine)(nil)
