package engine

import (
	"context"
	"sync"
)

// background tracks work the engine runs after a method has returned (the
// test mail's retry schedule), so Shutdown can stop it and wait for it.
// The zero value is ready to use.
type background struct {
	mu      sync.Mutex
	ctx     context.Context // canceled by stop; made on first use
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	stopped bool
}

// goWith runs f in a goroutine with a context that ends when parent ends or
// the engine shuts down. It reports false, running nothing, after stop.
func (b *background) goWith(parent context.Context, f func(ctx context.Context)) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.stopped {
		return false
	}
	if b.ctx == nil {
		b.ctx, b.cancel = context.WithCancel(context.Background())
	}
	ctx, cancel := context.WithCancel(parent)
	unhook := context.AfterFunc(b.ctx, cancel)
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		defer cancel()
		defer unhook()
		f(ctx)
	}()
	return true
}

// stop cancels the running work and waits for it until ctx ends.
func (b *background) stop(ctx context.Context) {
	b.mu.Lock()
	b.stopped = true
	if b.cancel != nil {
		b.cancel()
	}
	b.mu.Unlock()
	done := make(chan struct{})
	go func() { b.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
	}
}
