package app

import (
	"fmt"
	"image/color"
	"sort"
	"time"

	"github.com/mailhook/mailhook/storage"
)

// The activity view shows the last five minutes: long enough to see a
// webhook go slow or start failing and what happened just before, short
// enough that on a 600 px lane a second is 2 px, so a webhook taking
// several seconds stands out against the minimum-width slivers of quick
// calls.
const (
	activityWindow   = 5 * time.Minute
	activityMinWidth = float32(3)
	activityLanes    = 3
)

// activityBar is one HTTP exchange placed on the activity view; x and w are
// in plot units, 0 being the left edge (now - window).
type activityBar struct {
	x, w       float32
	lane       int
	fill       color.Color
	outcome    string
	exchangeID int64
	messageID  int64
	caption    string // shown while the pointer is over the bar
}

// activityLane puts each kind in its swimlane. Replays and test fires go to
// the delivery lane: they POST to the same target, and a slow or failing
// target is what this view is for. Unknown kinds are dropped.
func activityLane(kind string) (int, bool) {
	switch kind {
	case storage.KindAuthorization:
		return 0, true
	case storage.KindDelivery, storage.KindReplay, storage.KindTest:
		return 1, true
	case storage.KindErrorCallback:
		return 2, true
	}
	return 0, false
}

func activityLaneTitle(lane int) string {
	switch lane {
	case 0:
		return "authorization"
	case 1:
		return "delivery"
	}
	return "error callback"
}

// activityLayout places exchanges on a plot width wide covering
// (now-window, now]. Bars that ended before the window are dropped, a bar
// that began before it is clipped at the left edge, and every bar is at
// least activityMinWidth wide and kept inside the plot. Bars come oldest
// first, so drawing them in order puts the newest on top.
func activityLayout(exs []storage.ExchangeSummary, now time.Time, window time.Duration, width float32) []activityBar {
	if window <= 0 || width <= 0 {
		return nil
	}
	from := now.Add(-window)
	scale := width / float32(window)
	sorted := make([]storage.ExchangeSummary, len(exs))
	copy(sorted, exs)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].StartedAt.Before(sorted[j].StartedAt) })

	var bars []activityBar
	for _, ex := range sorted {
		lane, ok := activityLane(ex.Kind)
		dur := timelineMS(ex.DurationMS)
		if !ok || ex.StartedAt.Add(dur).Before(from) || ex.StartedAt.After(now) {
			continue
		}
		x := float32(ex.StartedAt.Sub(from)) * scale
		w := float32(dur) * scale
		if x < 0 {
			w, x = w+x, 0
		}
		w = max(w, activityMinWidth)
		if x+w > width {
			x = max(0, width-w)
			w = min(w, width)
		}
		_, fill := outcomeLook(ex.Outcome)
		bars = append(bars, activityBar{
			x: x, w: w, lane: lane, fill: fill, outcome: ex.Outcome,
			exchangeID: ex.ID, messageID: ex.MessageID,
			caption: activityCaption(ex),
		})
	}
	return bars
}

func activityCaption(ex storage.ExchangeSummary) string {
	s := fmt.Sprintf("%s  %s  %s · %s",
		ex.StartedAt.Local().Format("15:04:05"), timelineKindTitle(ex.Kind),
		timelineHTTP(ex), timelineDuration(timelineMS(ex.DurationMS)))
	if ex.Recipient != "" {
		s += " · " + ex.Recipient
	}
	return s + " · " + ex.URL
}
