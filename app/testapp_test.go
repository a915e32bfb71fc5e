package app

import (
	"bytes"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// newSerialTestApp is test.NewTempApp whose fyne.Do runs one callback at a
// time, as a desktop driver does. Fyne's test driver runs fyne.Do inline on
// the caller's goroutine without a lock, so a pane's background loader and
// the test's onFyne would race each other under -race. Build and touch
// widgets inside onFyne.
func newSerialTestApp(t testing.TB) fyne.App {
	a := &serialApp{App: test.NewTempApp(t)}
	a.drv.Driver = a.App.Driver()
	fyne.SetCurrentApp(a) // NewTempApp's cleanup installs a fresh app again
	return a
}

type serialApp struct {
	fyne.App
	drv serialDriver
}

func (a *serialApp) Driver() fyne.Driver { return &a.drv }

type serialDriver struct {
	fyne.Driver
	mu    sync.Mutex
	owner atomic.Uint64 // goroutine inside a callback, so nested calls run inline
}

func (d *serialDriver) DoFromGoroutine(fn func(), _ bool) {
	id := goroutineID()
	if d.owner.Load() == id {
		fn()
		return
	}
	d.mu.Lock()
	d.owner.Store(id)
	defer func() {
		d.owner.Store(0)
		d.mu.Unlock()
	}()
	fn()
}

// goroutineID reads "goroutine N [" from the stack header (tests only).
func goroutineID() uint64 {
	buf := make([]byte, 64)
	buf = buf[:runtime.Stack(buf, false)]
	buf = bytes.TrimPrefix(buf, []byte("goroutine "))
	n, _ := strconv.ParseUint(string(buf[:bytes.IndexByte(buf, ' ')]), 10, 64)
	return n
}
