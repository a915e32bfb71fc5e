package app

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mailhook/mailhook/engine"
	"github.com/mailhook/mailhook/engine/payload"
)

// Select labels for the settings whose empty value means "decide for me".
const (
	settingsAuthByURL   = "by URL ending"
	settingsSPFEvaluate = "evaluate"
)

var (
	settingsFormats     = []string{string(payload.JSONNormalized), string(payload.MultipartNormalized), string(payload.Raw)}
	settingsAuthFormats = []string{settingsAuthByURL, string(payload.AuthForm), string(payload.AuthJSON), string(payload.AuthXML)}
	settingsSPFResults  = []string{settingsSPFEvaluate, "none", "neutral", "pass", "fail", "softfail", "temperror", "permerror"}
)

// settingsFields is what the form's widgets hold, as typed: the pure half of
// the pane, so conversion and validation are tested without widgets.
type settingsFields struct {
	SMTPAddr, HTTPAddr  string
	TargetURL, Format   string
	AuthURL, AuthFormat string
	ErrorURL            string
	Timeout, MaxSize    string
	SMTPUser, SMTPPass  string
	SizeAsNumber        bool
	SPFResult           string
}

// settingsFieldsFrom is how cfg is shown in the form.
func settingsFieldsFrom(cfg engine.Config) settingsFields {
	f := settingsFields{
		SMTPAddr: cfg.SMTPAddr, HTTPAddr: cfg.HTTPAddr,
		TargetURL: cfg.TargetURL, Format: string(cfg.Format),
		AuthURL: cfg.AuthURL, AuthFormat: string(cfg.AuthFormat), ErrorURL: cfg.ErrorURL,
		Timeout: cfg.Timeout.String(), MaxSize: strconv.FormatInt(cfg.MaxSize, 10),
		SMTPUser: cfg.SMTPUser, SMTPPass: cfg.SMTPPass,
		SizeAsNumber: cfg.SizeAsNumber, SPFResult: cfg.SPFResult,
	}
	if f.AuthFormat == "" {
		f.AuthFormat = settingsAuthByURL
	}
	if f.SPFResult == "" {
		f.SPFResult = settingsSPFEvaluate
	}
	return f
}

// settingsFromFields turns what was typed into a Config, reporting every
// problem at once, each naming its field. The password is kept as typed
// (spaces may be part of it); everything else is trimmed.
func settingsFromFields(f settingsFields) (engine.Config, error) {
	var errs []error
	check := func(name string, err error) {
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
		}
	}
	check("smtp address", settingsCheckAddr(f.SMTPAddr))
	check("http address", settingsCheckAddr(f.HTTPAddr))
	timeout, err := settingsParseTimeout(f.Timeout)
	check("timeout", err)
	size, err := settingsParseSize(f.MaxSize)
	check("size limit", err)
	if len(errs) > 0 {
		return engine.Config{}, errors.Join(errs...)
	}
	cfg := engine.Config{
		SMTPAddr:     strings.TrimSpace(f.SMTPAddr),
		HTTPAddr:     strings.TrimSpace(f.HTTPAddr),
		TargetURL:    strings.TrimSpace(f.TargetURL),
		Format:       payload.Format(strings.TrimSpace(f.Format)),
		Timeout:      timeout,
		MaxSize:      size,
		SMTPUser:     strings.TrimSpace(f.SMTPUser),
		SMTPPass:     f.SMTPPass,
		SizeAsNumber: f.SizeAsNumber,
		AuthURL:      strings.TrimSpace(f.AuthURL),
		ErrorURL:     strings.TrimSpace(f.ErrorURL),
	}
	if af := strings.TrimSpace(f.AuthFormat); af != settingsAuthByURL {
		cfg.AuthFormat = payload.AuthFormat(af)
	}
	if spf := strings.TrimSpace(f.SPFResult); spf != settingsSPFEvaluate {
		cfg.SPFResult = spf
	}
	return cfg, cfg.Validate()
}

// The validators below run as the user types (entry.Validator) and again in
// settingsFromFields, so the form and Save never disagree.

func settingsCheckAddr(s string) error {
	_, port, err := net.SplitHostPort(strings.TrimSpace(s))
	if err != nil {
		return errors.New("want host:port, e.g. 127.0.0.1:2525")
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("port %q is not a number from 0 to 65535", port)
	}
	return nil
}

func settingsCheckURL(s string) error { return engine.ValidateURL(strings.TrimSpace(s)) }

// settingsCheckOptionalURL allows empty: that turns the callback off.
func settingsCheckOptionalURL(s string) error {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	return settingsCheckURL(s)
}

func settingsParseTimeout(s string) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%q: want a positive duration such as 30s or 1m30s", s)
	}
	return d, nil
}

func settingsParseSize(s string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q: want a positive number of bytes", s)
	}
	return n, nil
}

// settingsForm edits engine.Config (plus the notifications preference).
// Touched on the Fyne goroutine only.
type settingsForm struct {
	src   Source
	win   fyne.Window
	prefs fyne.Preferences

	smtpAddr, httpAddr, target  *widget.Entry
	authURL, errorURL           *widget.Entry
	timeout, maxSize            *widget.Entry
	user, pass                  *widget.Entry
	format, authFormat, spf     *widget.Select
	sizeAsNumber, notifications *widget.Check
	form                        *widget.Form
	saveButton                  *widget.Button // disabled while a field is refused
	note                        *widget.Label  // first problem, or "saved"
	box                         *fyne.Container
}

func newSettingsForm(src Source, win fyne.Window, prefs fyne.Preferences) *settingsForm {
	s := &settingsForm{src: src, win: win, prefs: prefs}
	entry := func(validator fyne.StringValidator, placeholder string) *widget.Entry {
		e := widget.NewEntry()
		e.Validator, e.PlaceHolder = validator, placeholder
		e.OnChanged = func(string) { s.check() }
		return e
	}
	s.smtpAddr = entry(settingsCheckAddr, engine.DefaultSMTPAddr)
	s.httpAddr = entry(settingsCheckAddr, engine.DefaultHTTPAddr)
	s.target = entry(settingsCheckURL, engine.DefaultTargetURL)
	s.authURL = entry(settingsCheckOptionalURL, "off")
	s.errorURL = entry(settingsCheckOptionalURL, "off")
	s.timeout = entry(func(v string) error { _, err := settingsParseTimeout(v); return err }, "30s")
	s.maxSize = entry(func(v string) error { _, err := settingsParseSize(v); return err }, strconv.Itoa(engine.DefaultMaxSize))
	s.user = widget.NewEntry()
	s.user.PlaceHolder = "no AUTH"
	s.pass = widget.NewPasswordEntry()
	s.format = widget.NewSelect(settingsFormats, nil)
	s.authFormat = widget.NewSelect(settingsAuthFormats, nil)
	s.spf = widget.NewSelect(settingsSPFResults, nil)
	s.sizeAsNumber = widget.NewCheck("as a JSON number", nil)
	s.notifications = widget.NewCheck("notify when a delivery fails or an error callback fires", nil)

	item := func(label string, w fyne.CanvasObject, hint string) *widget.FormItem {
		return &widget.FormItem{Text: label, Widget: w, HintText: hint}
	}
	s.form = &widget.Form{
		Items: []*widget.FormItem{
			item("SMTP address", s.smtpAddr, "host:port the SMTP server listens on; a change restarts it"),
			item("HTTP address", s.httpAddr, "built-in test targets and local API"),
			item("Target URL", s.target, "the webhook each message is POSTed to"),
			item("Format", s.format, "CloudMailin POST format"),
			item("Authorization URL", s.authURL, "asked at each RCPT TO; empty turns it off"),
			item("Authorization format", s.authFormat, ""),
			item("Error URL", s.errorURL, "told of every delivery that was not 2xx; empty turns it off"),
			item("Timeout", s.timeout, "per HTTP call, e.g. 30s"),
			item("Size limit", s.maxSize, "bytes; larger messages get 552"),
			item("AUTH user", s.user, "when set, clients must authenticate"),
			item("AUTH password", s.pass, ""),
			item("Attachment size", s.sizeAsNumber, "CloudMailin sends a string"),
			item("Forced SPF result", s.spf, "evaluate asks DNS; any other value is sent as is"),
			item("Notifications", s.notifications, ""),
		},
	}
	// Our own buttons, not the form's: they stay in sight below the
	// scrolling fields.
	s.saveButton = widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), s.save)
	s.saveButton.Importance = widget.HighImportance
	reset := widget.NewButtonWithIcon("Reset", theme.ContentUndoIcon(), s.load)
	s.note = widget.NewLabel("")
	s.note.Wrapping = fyne.TextWrapWord
	s.note.Hide()
	bar := container.NewBorder(nil, nil, nil, container.NewHBox(reset, s.saveButton), s.note)
	s.box = container.NewBorder(nil, bar, nil, nil, container.NewVScroll(s.form))
	s.load()
	return s
}

func (s *settingsForm) object() fyne.CanvasObject { return s.box }

// load fills the form from the engine's config, discarding edits; the lead
// calls it when the tab is shown, Reset calls it too.
func (s *settingsForm) load() {
	f := settingsFieldsFrom(s.src.Config())
	s.smtpAddr.SetText(f.SMTPAddr)
	s.httpAddr.SetText(f.HTTPAddr)
	s.target.SetText(f.TargetURL)
	s.format.SetSelected(f.Format)
	s.authURL.SetText(f.AuthURL)
	s.authFormat.SetSelected(f.AuthFormat)
	s.errorURL.SetText(f.ErrorURL)
	s.timeout.SetText(f.Timeout)
	s.maxSize.SetText(f.MaxSize)
	s.user.SetText(f.SMTPUser)
	s.pass.SetText(f.SMTPPass)
	s.sizeAsNumber.SetChecked(f.SizeAsNumber)
	s.spf.SetSelected(f.SPFResult)
	s.notifications.SetChecked(notifyEnabled(s.prefs))
	s.check()
}

func (s *settingsForm) fields() settingsFields {
	return settingsFields{
		SMTPAddr: s.smtpAddr.Text, HTTPAddr: s.httpAddr.Text,
		TargetURL: s.target.Text, Format: s.format.Selected,
		AuthURL: s.authURL.Text, AuthFormat: s.authFormat.Selected, ErrorURL: s.errorURL.Text,
		Timeout: s.timeout.Text, MaxSize: s.maxSize.Text,
		SMTPUser: s.user.Text, SMTPPass: s.pass.Text,
		SizeAsNumber: s.sizeAsNumber.Checked, SPFResult: s.spf.Selected,
	}
}

// save applies the form. ApplyConfig only rebinds changed listeners and
// writes a small file, so it runs right here: the result is shown at once
// and a second tap cannot race the first.
func (s *settingsForm) save() {
	if s.problem() != nil {
		s.check()
		return
	}
	cfg, err := settingsFromFields(s.fields())
	if err != nil {
		dialog.ShowError(fmt.Errorf("settings not saved: %w", err), s.win)
		return
	}
	s.prefs.SetBool(notifyPrefKey, s.notifications.Checked)
	if err := s.src.ApplyConfig(cfg); err != nil {
		dialog.ShowError(fmt.Errorf("settings not applied: %w", err), s.win)
		return
	}
	s.load()
	s.showNote("Saved and applied: new addresses are listening, the rest applies to the next message.", widget.SuccessImportance)
}

// problem is the first field whose text its validator refuses, named. It
// calls the validators directly: Entry.Validate has side effects.
func (s *settingsForm) problem() error {
	for _, it := range s.form.Items {
		if e, ok := it.Widget.(*widget.Entry); ok && e.Validator != nil {
			if err := e.Validator(e.Text); err != nil {
				return fmt.Errorf("%s: %w", it.Text, err)
			}
		}
	}
	return nil
}

// check shows the first refused field under the form, so a bad value is
// explained even before its entry loses focus, and keeps Save disabled.
func (s *settingsForm) check() {
	if err := s.problem(); err != nil {
		s.saveButton.Disable()
		s.showNote(err.Error(), widget.DangerImportance)
		return
	}
	s.saveButton.Enable()
	s.note.Hide()
	s.box.Refresh() // re-layout: the note's row changes height
}

func (s *settingsForm) showNote(text string, importance widget.Importance) {
	s.note.Importance = importance
	s.note.SetText(text)
	s.note.Show()
	s.box.Refresh()
}
