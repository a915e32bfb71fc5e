package app

import (
	"sync/atomic"
	"testing"
	"time"
)

// TestCoalescerBurst: a thousand pokes in a burst cost a couple of runs, and
// a poke after the burst is never lost.
func TestCoalescerBurst(t *testing.T) {
	var runs atomic.Int32
	c := newCoalescer(50*time.Millisecond, func() { runs.Add(1) })
	for range 1000 {
		c.poke()
	}
	waitFor(t, "the burst to settle", func() bool { return !c.busy() })
	if n := runs.Load(); n < 1 || n > 3 {
		t.Fatalf("%d runs for a burst of 1000 pokes, want 1 to 3", n)
	}
	before := runs.Load()
	c.poke()
	waitFor(t, "a run after the burst", func() bool { return runs.Load() == before+1 })
}
