package engine

import (
	"errors"
	"fmt"
)

// ErrInvalidRequest marks a mistake in what the caller asked for (an
// unknown kind, format or sample, a message that does not parse, a body that
// cannot be rebuilt), as opposed to a failure of the engine or the store.
// Front ends answer it with a 4xx; a missing exchange or message is
// storage.ErrNotFound.
var ErrInvalidRequest = errors.New("invalid request")

// invalid is fmt.Errorf wrapping ErrInvalidRequest too (format may use %w).
func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidRequest}, args...)...)
}
