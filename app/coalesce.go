package app

import (
	"sync"
	"time"
)

// coalescer runs fn at most once per interval however often it is poked, so
// a burst of a thousand messages costs a few reloads, not a thousand.
type coalescer struct {
	interval time.Duration
	fn       func()

	mu      sync.Mutex
	pending bool
	running bool
}

func newCoalescer(interval time.Duration, fn func()) *coalescer {
	return &coalescer{interval: interval, fn: fn}
}

// poke asks for a run; it never blocks.
func (c *coalescer) poke() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pending = true
	if c.running {
		return
	}
	c.running = true
	go c.loop()
}

func (c *coalescer) loop() {
	for {
		c.mu.Lock()
		if !c.pending {
			c.running = false
			c.mu.Unlock()
			return
		}
		c.pending = false
		c.mu.Unlock()
		c.fn()
		time.Sleep(c.interval)
	}
}

// busy reports whether a run is pending or in progress (tests).
func (c *coalescer) busy() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.running
}
