package app

import (
	"context"
	"errors"
	"fmt"
	"net/smtp"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/mailhook/mailhook/storage"
)

var timelineT0 = time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)

func timelineAt(ms int) time.Time { return timelineT0.Add(time.Duration(ms) * time.Millisecond) }

func timelineSession(id int64, ms int) storage.Session {
	return storage.Session{ID: id, StartedAt: timelineAt(ms), RemoteAddr: "127.0.0.1:40000", RemoteIP: "127.0.0.1", HeloDomain: "client.test"}
}

func timelineEv(id, session, msg int64, ms int, cmd, arg string, code int, enh, text string) storage.SMTPEvent {
	return storage.SMTPEvent{ID: id, SessionID: session, MessageID: msg, At: timelineAt(ms), Command: cmd,
		Argument: arg, ReplyCode: code, ReplyEnhanced: enh, ReplyText: text}
}

func timelineEx(id, msg int64, kind string, ms, dur, status int, outcome string) storage.ExchangeSummary {
	ex := storage.ExchangeSummary{ID: id, MessageID: msg, Kind: kind, StartedAt: timelineAt(ms),
		DurationMS: int64(dur), Method: "POST", URL: "http://hook.test/" + kind, Status: status, Outcome: outcome}
	if kind == storage.KindDelivery {
		ex.SMTPReply = "the reply step shows this" // so it must not appear twice
	}
	return ex
}

// timelineOpening is CONNECT and EHLO on session s at ms.
func timelineOpening(s int64, ms int) []storage.SMTPEvent {
	return []storage.SMTPEvent{
		timelineEv(s*100, s, 0, ms, "CONNECT", "127.0.0.1:40000", 0, "", ""),
		timelineEv(s*100+1, s, 0, ms+1, "EHLO", "client.test", 250, "2.0.0", "Hello client.test"),
	}
}

// timelineLine is a step as one comparable line.
func timelineLine(s timelineStep) string {
	if s.header {
		return "— " + s.title
	}
	var b strings.Builder
	b.WriteString(s.title)
	if s.outcome != "" {
		fmt.Fprintf(&b, " [%s]", s.outcome)
	}
	if s.exchangeID != 0 {
		fmt.Fprintf(&b, " #%d", s.exchangeID)
	}
	if s.timed {
		b.WriteString(" " + timelineDuration(s.duration))
	}
	return b.String() + ": " + s.detail
}

func TestTimelineSteps(t *testing.T) {
	opening := []string{
		"Connect: from 127.0.0.1",
		"EHLO: client.test → 250 2.0.0 Hello client.test",
	}
	authEx := func(id, msg int64, ms, status int, outcome, to string) storage.ExchangeSummary {
		ex := timelineEx(id, msg, storage.KindAuthorization, ms, 12, status, outcome)
		ex.Recipient = to
		return ex
	}
	redelivered := func(id int64, ms int) storage.MessageSummary {
		return storage.MessageSummary{ID: id, CreatedAt: timelineAt(ms), ReceivedAt: timelineAt(ms + 3), Size: 300, MessageID: "<same@client.test>"}
	}
	tests := []struct {
		name string
		tl   storage.Timeline
		want []string
	}{
		{
			name: "accepted, with STARTTLS and AUTH",
			tl: storage.Timeline{
				Messages: []storage.MessageSummary{{ID: 1, CreatedAt: timelineAt(10), ReceivedAt: timelineAt(14), Size: 120, Outcome: storage.OutcomeAccepted}},
				Sessions: []storage.Session{timelineSession(1, 0)},
				Events: append(timelineOpening(1, 0),
					timelineEv(2, 1, 0, 3, "STARTTLS", "TLSv1.3 TLS_AES_128_GCM_SHA256", 220, "2.0.0", "Ready to start TLS"),
					timelineEv(3, 1, 0, 4, "EHLO", "client.test", 250, "2.0.0", "Hello client.test"),
					timelineEv(4, 1, 0, 5, "AUTH", "PLAIN dev", 235, "2.0.0", "Authentication succeeded"),
					timelineEv(5, 1, 1, 10, "MAIL", "dev@example.org SIZE=120", 250, "2.1.0", "OK"),
					timelineEv(6, 1, 1, 12, "RCPT", "hook@example.com", 250, "2.1.5", "OK"),
					timelineEv(7, 1, 1, 60, "DATA", "120 bytes", 250, "2.0.0", "Accepted"),
					timelineEv(8, 1, 0, 70, "CLOSE", "", 0, "", "")),
				Exchanges: []storage.ExchangeSummary{timelineEx(10, 1, storage.KindDelivery, 15, 35, 200, storage.OutcomeAccepted)},
			},
			want: append(slices.Clone(opening),
				"STARTTLS: TLSv1.3 TLS_AES_128_GCM_SHA256 → 220 2.0.0 Ready to start TLS",
				"EHLO: client.test → 250 2.0.0 Hello client.test",
				"AUTH: PLAIN dev → 235 2.0.0 Authentication succeeded",
				"MAIL: dev@example.org SIZE=120 → 250 2.1.0 OK",
				"RCPT [accepted]: hook@example.com → 250 2.1.5 OK",
				"DATA: 120 bytes",
				"Delivery [accepted] #10 35 ms: HTTP 200 · http://hook.test/delivery",
				"Reply [accepted]: 250 2.0.0 Accepted"),
		},
		{
			name: "rejected at RCPT, no DATA",
			tl: storage.Timeline{
				Messages: []storage.MessageSummary{{ID: 2, CreatedAt: timelineAt(10), Outcome: storage.OutcomeRejected}},
				Sessions: []storage.Session{timelineSession(1, 0)},
				Events: append(timelineOpening(1, 0),
					timelineEv(5, 1, 2, 10, "MAIL", "dev@example.org", 250, "2.1.0", "OK"),
					timelineEv(6, 1, 2, 30, "RCPT", "nobody@example.com", 550, "5.7.1", "Recipient rejected")),
				Exchanges: []storage.ExchangeSummary{authEx(20, 2, 11, 403, storage.OutcomeRejected, "nobody@example.com")},
			},
			want: append(slices.Clone(opening),
				"MAIL: dev@example.org → 250 2.1.0 OK",
				"RCPT [rejected] #20 12 ms: nobody@example.com · authorization HTTP 403 → 550 5.7.1 Recipient rejected"),
		},
		{
			name: "two recipients, one rejected; the same address twice matched in order",
			tl: storage.Timeline{
				Messages: []storage.MessageSummary{{ID: 3, CreatedAt: timelineAt(10), ReceivedAt: timelineAt(50), Size: 80, Outcome: storage.OutcomeAccepted}},
				Sessions: []storage.Session{timelineSession(1, 0)},
				Events: append(timelineOpening(1, 0),
					timelineEv(5, 1, 3, 10, "MAIL", "dev@example.org", 250, "2.1.0", "OK"),
					timelineEv(6, 1, 3, 20, "RCPT", "a@example.com", 451, "4.4.1", "Try again"),
					timelineEv(7, 1, 3, 30, "RCPT", "a@example.com", 250, "2.1.5", "OK"),
					timelineEv(8, 1, 3, 40, "RCPT", "b@example.com", 550, "5.7.1", "No"),
					timelineEv(9, 1, 3, 90, "DATA", "80 bytes", 250, "2.0.0", "Accepted")),
				Exchanges: []storage.ExchangeSummary{
					authEx(21, 3, 11, 0, storage.OutcomeDelayed, "a@example.com"),
					authEx(22, 3, 21, 200, storage.OutcomeAccepted, "a@example.com"),
					authEx(23, 3, 31, 403, storage.OutcomeRejected, "b@example.com"),
					timelineEx(24, 3, storage.KindDelivery, 51, 30, 200, storage.OutcomeAccepted),
				},
			},
			want: append(slices.Clone(opening),
				"MAIL: dev@example.org → 250 2.1.0 OK",
				"RCPT [delayed] #21 12 ms: a@example.com · authorization no answer: unknown error → 451 4.4.1 Try again",
				"RCPT [accepted] #22 12 ms: a@example.com · authorization HTTP 200 → 250 2.1.5 OK",
				"RCPT [rejected] #23 12 ms: b@example.com · authorization HTTP 403 → 550 5.7.1 No",
				"DATA: 80 bytes",
				"Delivery [accepted] #24 30 ms: HTTP 200 · http://hook.test/delivery",
				"Reply [accepted]: 250 2.0.0 Accepted"),
		},
		{
			name: "a 500 then a redelivery accepted, grouped",
			tl: storage.Timeline{
				Messages: []storage.MessageSummary{redelivered(4, 10), redelivered(5, 5010)},
				Sessions: []storage.Session{timelineSession(1, 0), timelineSession(2, 5000)},
				Events: append(append(timelineOpening(1, 0),
					timelineEv(5, 1, 4, 10, "MAIL", "dev@example.org", 250, "2.1.0", "OK"),
					timelineEv(6, 1, 4, 11, "RCPT", "hook@example.com", 250, "2.1.5", "OK"),
					timelineEv(7, 1, 4, 40, "DATA", "300 bytes", 451, "4.3.0", "Try later")),
					append(timelineOpening(2, 5000),
						timelineEv(8, 2, 5, 5010, "MAIL", "dev@example.org", 250, "2.1.0", "OK"),
						timelineEv(9, 2, 5, 5011, "RCPT", "hook@example.com", 250, "2.1.5", "OK"),
						timelineEv(10, 2, 5, 5040, "DATA", "300 bytes", 250, "2.0.0", "Accepted"))...),
				Exchanges: []storage.ExchangeSummary{
					timelineEx(30, 4, storage.KindDelivery, 14, 20, 500, storage.OutcomeDelayed),
					timelineEx(31, 5, storage.KindDelivery, 5014, 20, 200, storage.OutcomeAccepted),
				},
			},
			want: append(append(slices.Clone(opening),
				"MAIL: dev@example.org → 250 2.1.0 OK",
				"RCPT [accepted]: hook@example.com → 250 2.1.5 OK",
				"DATA: 300 bytes",
				"Delivery [delayed] #30 20 ms: HTTP 500 · http://hook.test/delivery",
				"Reply [delayed]: 451 4.3.0 Try later",
				"— attempt 2 — redelivery"), append(slices.Clone(opening),
				"MAIL: dev@example.org → 250 2.1.0 OK",
				"RCPT [accepted]: hook@example.com → 250 2.1.5 OK",
				"DATA: 300 bytes",
				"Delivery [accepted] #31 20 ms: HTTP 200 · http://hook.test/delivery",
				"Reply [accepted]: 250 2.0.0 Accepted")...),
		},
		{
			name: "error callback after the reply, linked by ParentID",
			tl: storage.Timeline{
				Messages: []storage.MessageSummary{{ID: 6, CreatedAt: timelineAt(10), ReceivedAt: timelineAt(13), Size: 9, Outcome: storage.OutcomeRejected}},
				Sessions: []storage.Session{timelineSession(1, 0)},
				Events: append(timelineOpening(1, 0),
					timelineEv(5, 1, 6, 10, "MAIL", "dev@example.org", 250, "2.1.0", "OK"),
					timelineEv(6, 1, 6, 11, "RCPT", "hook@example.com", 250, "2.1.5", "OK"),
					timelineEv(7, 1, 6, 40, "DATA", "9 bytes", 550, "5.0.0", "Rejected by target")),
				Exchanges: []storage.ExchangeSummary{
					timelineEx(40, 6, storage.KindDelivery, 14, 20, 404, storage.OutcomeRejected),
					func() storage.ExchangeSummary {
						ex := timelineEx(41, 6, storage.KindErrorCallback, 41, 8, 200, storage.OutcomeAccepted)
						ex.ParentID = 40
						return ex
					}(),
				},
			},
			want: append(slices.Clone(opening),
				"MAIL: dev@example.org → 250 2.1.0 OK",
				"RCPT [accepted]: hook@example.com → 250 2.1.5 OK",
				"DATA: 9 bytes",
				"Delivery [rejected] #40 20 ms: HTTP 404 · http://hook.test/delivery",
				"Reply [rejected]: 550 5.0.0 Rejected by target",
				"Error callback [accepted] #41 8 ms: HTTP 200 · http://hook.test/error_callback"),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, s := range timelineSteps(tc.tl) {
				got = append(got, timelineLine(s))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("steps:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestTimelinePaneShowsRealMessage(t *testing.T) {
	a := newSerialTestApp(t)
	eng := startEngine(t)
	opened := make(chan int64, 1)
	p := onFyne(func() *timelinePane {
		p := newTimelinePane(eng, func(id int64) { opened <- id })
		w := a.NewWindow("timeline")
		w.SetContent(p.object())
		w.Resize(fyne.NewSize(800, 600))
		t.Cleanup(func() { fyne.DoAndWait(w.Close) })
		return p
	})

	msg := "From: dev@example.org\r\nTo: hook@example.com\r\nSubject: hi\r\n\r\nHi\r\n"
	if err := smtp.SendMail(eng.SMTPAddr(), nil, "dev@example.org", []string{"hook@example.com"}, []byte(msg)); err != nil {
		t.Fatal(err)
	}
	page, err := eng.ListMessages(context.Background(), storage.ListQuery{Limit: 1})
	if err != nil || len(page.Messages) != 1 {
		t.Fatalf("list: %v, %d messages", err, len(page.Messages))
	}
	onFyne(func() bool { p.show(page.Messages[0].ID); return true })

	delivery := func() int {
		for i, s := range p.steps {
			if s.title == "Delivery" {
				return i
			}
		}
		return -1
	}
	waitFor(t, "the delivery step", func() bool { return onFyne(delivery) >= 0 })
	steps := onFyne(func() []timelineStep { return slices.Clone(p.steps) })
	var titles []string
	for _, s := range steps {
		titles = append(titles, s.title)
	}
	for _, want := range []string{"Connect", "EHLO", "MAIL", "RCPT", "DATA", "Delivery", "Reply"} {
		if !slices.Contains(titles, want) {
			t.Errorf("no %s step in %v", want, titles)
		}
	}
	d := steps[onFyne(delivery)]
	if !strings.Contains(d.detail, "HTTP 200") || d.outcome != storage.OutcomeAccepted || d.exchangeID == 0 {
		t.Errorf("delivery step = %+v, want HTTP 200, accepted, an exchange ID", d)
	}

	if got := onFyne(func() string {
		row := newTimelineRow().(*timelineRow)
		p.updateRow(delivery(), row)
		return row.title.Text + " " + row.detail.Text
	}); !strings.Contains(got, "Delivery HTTP 200") {
		t.Errorf("delivery row shows %q", got)
	}
	onFyne(func() bool { p.list.Select(delivery()); return true })
	select {
	case id := <-opened:
		if id != d.exchangeID {
			t.Errorf("selecting the delivery opened exchange %d, want %d", id, d.exchangeID)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("selecting the delivery step opened nothing")
	}

	onFyne(func() bool { p.clear(); return true })
	if n := onFyne(func() int { return len(p.steps) }); n != 0 {
		t.Errorf("clear left %d steps", n)
	}
}

// timelineFailingSource answers every timeline with an error.
type timelineFailingSource struct{ Source }

func (timelineFailingSource) Timeline(context.Context, int64) (storage.Timeline, error) {
	return storage.Timeline{}, errors.New("disk on fire")
}

func TestTimelinePaneShowsLoadError(t *testing.T) {
	newSerialTestApp(t)
	p := onFyne(func() *timelinePane {
		p := newTimelinePane(timelineFailingSource{}, nil)
		p.show(7)
		return p
	})
	waitFor(t, "the error note", func() bool {
		return onFyne(func() bool { return strings.Contains(p.note.Text, "disk on fire") && p.note.Visible() })
	})
}
