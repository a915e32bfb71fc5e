package engine

import (
	"context"
	"fmt"
	"runtime/debug"

	"github.com/mailhook/mailhook/engine/export"
	"github.com/mailhook/mailhook/storage"
)

// CurlCommand returns a bash command that reproduces a stored request:
// method, URL with its credentials (taken from the settings as Replay does,
// since storage holds the URL masked), headers and body.
func (e *Engine) CurlCommand(ctx context.Context, exchangeID int64) (string, error) {
	ex, err := e.store.Exchange(ctx, exchangeID)
	if err != nil {
		return "", fmt.Errorf("curl command: %w", err)
	}
	return export.Curl(ex, e.withCredentials(ex.URL)), nil
}

// HAR returns the exchanges, in the order given, as HAR 1.2 JSON.
// Credentials stay masked: a HAR file is made to be shared.
func (e *Engine) HAR(ctx context.Context, exchangeIDs []int64) ([]byte, error) {
	exs := make([]storage.Exchange, 0, len(exchangeIDs))
	for _, id := range exchangeIDs {
		ex, err := e.store.Exchange(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("har: %w", err)
		}
		exs = append(exs, ex)
	}
	return export.HAR(exs, buildVersion())
}

// buildVersion is the module version the binary was built at ("" for a
// development build, which HAR writes as "dev").
func buildVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return ""
}
