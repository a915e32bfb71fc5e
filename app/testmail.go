package app

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/mailhook/mailhook/engine"
)

// testmailSchedule is the default retry schedule, as a sending server
// spaces its tries.
const testmailSchedule = "30s, 1m, 2m, 5m, 10m"

// testmailMaxTries caps the schedule: a sending server gives up too.
const testmailMaxTries = 20

// testmailForm is the send test mail dialog; fields are kept for tests.
type testmailForm struct {
	msg      *fireMessagePicker
	from, to *widget.Entry
	retry    *widget.Check
	schedule *widget.Entry
	result   *widget.Label
	send     *widget.Button
	d        *dialog.CustomDialog
}

// testmailDialog sends a sample or an .eml through Mailhook's own SMTP
// listener as a real client would, so authorization, delivery and error
// callbacks all run.
func (a *replayActions) testmailDialog() {
	f := &testmailForm{}
	f.msg = newFireMessagePicker(a.w.win)
	f.from = widget.NewEntry()
	f.from.SetPlaceHolder("mailhook-test@localhost")
	f.to = widget.NewEntry()
	f.to.SetPlaceHolder("the message's To addresses (comma-separated to override)")
	f.schedule = widget.NewEntry()
	f.schedule.SetText(testmailSchedule)
	f.schedule.Validator = func(s string) error { _, err := testmailParseSchedule(s); return err }
	f.schedule.Disable()
	f.retry = widget.NewCheck("Retry like a sending server on a 4xx reply", func(on bool) {
		if on {
			f.schedule.Enable()
		} else {
			f.schedule.Disable()
		}
	})
	f.result = widget.NewLabel(fmt.Sprintf("Sent to %s like any SMTP client; the history shows every attempt.", a.src.SMTPAddr()))
	f.result.Wrapping = fyne.TextWrapWord
	f.result.Importance = widget.LowImportance

	form := container.New(layout.NewFormLayout(),
		inspectorKey("Message"), f.msg.obj,
		inspectorKey("MAIL FROM"), f.from,
		inspectorKey("RCPT TO"), f.to,
		layout.NewSpacer(), f.retry,
		inspectorKey("Schedule"), f.schedule,
	)
	f.d = dialog.NewCustomWithoutButtons("Send test mail", container.NewVBox(form, f.result), a.w.win)
	f.send = widget.NewButton("Send", func() { a.runTestmail(f) })
	f.send.Importance = widget.HighImportance
	f.d.SetButtons([]fyne.CanvasObject{widget.NewButton("Close", f.d.Hide), f.send})
	f.d.Resize(replayDialogSize(a.w.win, 640, f.d.MinSize().Height))
	f.d.Show()
	a.testmail = f
}

func (f *testmailForm) request() (engine.TestMail, error) {
	var m engine.TestMail
	var err error
	if m.Sample, m.EML, err = f.msg.choice(); err != nil {
		return m, err
	}
	if from := strings.TrimSpace(f.from.Text); from != "" {
		if _, err := mail.ParseAddress(from); err != nil {
			return m, fmt.Errorf("MAIL FROM: %q is not an address", from)
		}
		m.From = from
	}
	for _, to := range strings.Split(f.to.Text, ",") {
		to = strings.TrimSpace(to)
		if to == "" {
			continue
		}
		if _, err := mail.ParseAddress(to); err != nil {
			return m, fmt.Errorf("RCPT TO: %q is not an address", to)
		}
		m.To = append(m.To, to)
	}
	if f.retry.Checked {
		m.Retry = true
		if m.Schedule, err = testmailParseSchedule(f.schedule.Text); err != nil {
			return m, fmt.Errorf("schedule: %w", err)
		}
	}
	return m, nil
}

func (a *replayActions) runTestmail(f *testmailForm) {
	m, err := f.request()
	if err != nil {
		f.setResult(err.Error(), widget.DangerImportance)
		return
	}
	f.send.Disable()
	f.setResult("Sending…", widget.LowImportance)
	a.background("testmail", "Send test mail", f.send.Enable, func() (func(), error) {
		// a.ctx, not a timeout: with Retry the tries go on after this
		// returns, until the window closes.
		res, err := a.src.SendTestMail(a.ctx, m)
		return func() {
			text, imp := testmailResultText(res, m)
			f.setResult(text, imp)
			if res.MessageID != 0 {
				a.w.openMessage(res.MessageID)
			}
		}, err
	})
}

func (f *testmailForm) setResult(text string, imp widget.Importance) {
	f.result.SetText(text)
	f.result.Importance = imp
	f.result.Refresh()
}

// testmailResultText says what the first try got and what happens next.
func testmailResultText(res engine.TestMailResult, m engine.TestMail) (string, widget.Importance) {
	text := fmt.Sprintf("Attempt %d: %s", max(res.Attempt, 1), strings.TrimSpace(res.Reply))
	if res.Reply == "" {
		text = fmt.Sprintf("Attempt %d: %d", max(res.Attempt, 1), res.Code)
	}
	switch {
	case res.Code >= 200 && res.Code < 300:
		return text, widget.SuccessImportance
	case res.Code >= 400 && res.Code < 500 && m.Retry && len(m.Schedule) > 0:
		return fmt.Sprintf("%s\nTrying again in %s, like a sending server; the timeline shows each attempt.",
			text, m.Schedule[0]), widget.WarningImportance
	case res.Code >= 400 && res.Code < 500:
		return text, widget.WarningImportance
	}
	return text, widget.DangerImportance
}

// testmailParseSchedule reads comma-separated durations ("30s, 1m, 2m").
func testmailParseSchedule(s string) ([]time.Duration, error) {
	var out []time.Duration
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		d, err := time.ParseDuration(f)
		if err != nil {
			return nil, fmt.Errorf("%q is not a duration such as 30s or 2m", f)
		}
		if d <= 0 {
			return nil, fmt.Errorf("%q: a wait must be longer than zero", f)
		}
		out = append(out, d)
	}
	switch {
	case len(out) == 0:
		return nil, errors.New("give at least one wait, such as 30s")
	case len(out) > testmailMaxTries:
		return nil, fmt.Errorf("at most %d retries", testmailMaxTries)
	}
	return out, nil
}
