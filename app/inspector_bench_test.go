package app

import (
	"bytes"
	"testing"

	"fyne.io/fyne/v2"
)

// BenchmarkInspectorLargeBody measures showing a 5 MB JSON body: making it
// readable (off the Fyne goroutine), then laying out the capped text in a
// window (on it).
func BenchmarkInspectorLargeBody(b *testing.B) {
	body := append(append([]byte(`{"rows":[`), bytes.Repeat([]byte(`{"sku":"A1","qty":2},`), 5<<20/21)...), `{}]}`...)
	b.Run("format", func(b *testing.B) {
		for b.Loop() {
			bodyViewOf("application/json", body)
		}
	})
	b.Run("layout", func(b *testing.B) {
		a := newSerialTestApp(b)
		var w fyne.Window
		fyne.DoAndWait(func() {
			w = a.NewWindow("bench")
			w.Resize(fyne.NewSize(900, 700))
		})
		b.Cleanup(func() { fyne.DoAndWait(w.Close) })
		v := bodyViewOf("application/json", body)
		for b.Loop() {
			fyne.DoAndWait(func() { w.SetContent(newInspectorBody(v).obj) })
		}
	})
}
