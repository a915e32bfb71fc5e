package app

import (
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	fynestorage "fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/mailhook/mailhook/engine"
	"github.com/mailhook/mailhook/engine/payload"
	"github.com/mailhook/mailhook/engine/webhook"
	"github.com/mailhook/mailhook/storage"
)

// fireMaxEML caps an .eml read from disk: well above the 25 MB message
// limit, low enough that a wrong file cannot fill memory.
const fireMaxEML = 64 << 20

// Kinds of test fire, as the engine names them.
const (
	fireKindDelivery = engine.FireDelivery
	fireKindAuth     = engine.FireAuthorization
	fireKindError    = engine.FireError
	fireByURL        = "by URL ending" // the format choice that leaves it to the URL
)

var (
	fireKindLabels = []string{"Delivery", "Authorization", "Error callback"}
	fireKinds      = []string{fireKindDelivery, fireKindAuth, fireKindError}
	fireSPFResults = []string{"none", "neutral", "pass", "fail", "softfail", "temperror", "permerror"}
)

// fireForm is the test fire dialog; fields are kept for tests.
type fireForm struct {
	kind   *widget.Select
	url    *widget.Entry
	format *widget.Select
	msg    *fireMessagePicker

	form                                      *fyne.Container // one form, so the labels line up
	scroll                                    *container.Scroll
	authRows, errRows                         []fyne.CanvasObject
	to, from, size, remoteIP, helo, spfDomain *widget.Entry
	spf                                       *widget.Select
	status, response                          *widget.Entry

	note *widget.Label
	fire *widget.Button
	d    *dialog.CustomDialog

	lastDefault string // the URL the kind put in, to tell whether the user typed one
}

// fireDialog opens the test fire dialog; emlName and eml, when set, are the
// message to fire (a dropped file).
func (a *replayActions) fireDialog(emlName string, eml []byte) {
	cfg := a.src.Config()
	f := &fireForm{}
	f.url = widget.NewEntry()
	f.url.Validator = func(s string) error { return engine.ValidateURL(strings.TrimSpace(s)) }
	f.format = widget.NewSelect(nil, nil)
	f.msg = newFireMessagePicker(a.w.win)
	if eml != nil {
		f.msg.setEML(emlName, eml)
	}

	entry := func(placeholder string) *widget.Entry {
		e := widget.NewEntry()
		e.SetPlaceHolder(placeholder)
		return e
	}
	f.to = entry("the message's first To address")
	f.from = entry("the message's From address")
	f.size = entry("not sent (as without SIZE=)")
	f.remoteIP = entry("127.0.0.1")
	f.helo = entry("localhost")
	f.spf = widget.NewSelect(fireSPFResults, nil)
	f.spf.PlaceHolder = "none"
	f.spfDomain = entry("the sender's domain")
	f.authRows = []fyne.CanvasObject{
		inspectorKey("to"), f.to, inspectorKey("from"), f.from, inspectorKey("size"), f.size,
		inspectorKey("remote_ip"), f.remoteIP, inspectorKey("helo_domain"), f.helo,
		inspectorKey("SPF result"), f.spf, inspectorKey("SPF domain"), f.spfDomain,
	}
	f.status = entry("500")
	f.response = entry("test error callback")
	f.errRows = []fyne.CanvasObject{inspectorKey("status"), f.status, inspectorKey("response"), f.response}

	f.kind = widget.NewSelect(fireKindLabels, func(string) { f.kindChanged(cfg, a.src.HTTPAddr()) })
	f.note = widget.NewLabel("The result goes into the history like any other exchange, and opens in the inspector.")
	f.note.Wrapping = fyne.TextWrapWord
	f.note.Importance = widget.LowImportance

	rows := []fyne.CanvasObject{
		inspectorKey("Kind"), f.kind,
		inspectorKey("URL"), f.url,
		inspectorKey("Format"), f.format,
		inspectorKey("Message"), f.msg.obj,
	}
	f.form = container.New(layout.NewFormLayout(), append(append(rows, f.authRows...), f.errRows...)...)
	content := container.NewVBox(f.form, f.note)
	f.scroll = container.NewVScroll(content)
	f.d = dialog.NewCustomWithoutButtons("Test fire", f.scroll, a.w.win)
	f.fire = widget.NewButton("Fire", func() { a.runFire(f, cfg) })
	f.fire.Importance = widget.HighImportance
	f.d.SetButtons([]fyne.CanvasObject{widget.NewButton("Close", f.d.Hide), f.fire})
	f.kind.SetSelectedIndex(0) // runs kindChanged: URL, formats, fields
	f.d.Resize(replayDialogSize(a.w.win, 640, 620))
	f.d.Show()
	a.fire = f
}

// kindChanged puts the kind's formats and default URL in (unless the user
// typed a URL) and shows the kind's own fields.
func (f *fireForm) kindChanged(cfg engine.Config, httpAddr string) {
	kind := f.kindName()
	def := webhook.MaskURL(fireDefaultURL(cfg, httpAddr, kind))
	if f.url.Text == "" || f.url.Text == f.lastDefault {
		f.url.SetText(def)
	}
	f.lastDefault = def
	switch kind {
	case fireKindDelivery:
		f.format.SetOptions(replayFormats(storage.KindDelivery))
		f.format.SetSelected(string(cfg.Format))
		if f.format.SelectedIndex() < 0 {
			f.format.SetSelectedIndex(0)
		}
	case fireKindAuth:
		f.format.SetOptions(append([]string{fireByURL}, replayFormats(storage.KindAuthorization)...))
		f.format.SetSelected(fireByURL)
		if cfg.AuthFormat != "" {
			f.format.SetSelected(string(cfg.AuthFormat))
		}
	case fireKindError:
		f.format.SetOptions(append([]string{fireByURL}, replayFormats(storage.KindErrorCallback)...))
		f.format.SetSelected(fireByURL)
	}
	fireShowRows(f.authRows, kind == fireKindAuth)
	fireShowRows(f.errRows, kind == fireKindError)
	if f.scroll != nil {
		f.scroll.Refresh() // hidden rows take no room: lay the form out again
	}
}

func fireShowRows(rows []fyne.CanvasObject, show bool) {
	for _, o := range rows {
		if show {
			o.Show()
		} else {
			o.Hide()
		}
	}
}

func (f *fireForm) kindName() string {
	if i := f.kind.SelectedIndex(); i >= 0 {
		return fireKinds[i]
	}
	return fireKindDelivery
}

// request reads the form into a FireRequest; Fyne goroutine.
func (f *fireForm) request(cfg engine.Config) (engine.FireRequest, error) {
	r := engine.FireRequest{Kind: f.kindName(), URL: fireUnmask(strings.TrimSpace(f.url.Text), cfg)}
	if err := engine.ValidateURL(r.URL); err != nil {
		return r, fmt.Errorf("URL: %w", err)
	}
	if f.format.Selected != fireByURL {
		r.Format = f.format.Selected
	}
	var err error
	if r.Sample, r.EML, err = f.msg.choice(); err != nil {
		return r, err
	}
	switch r.Kind {
	case fireKindAuth:
		p := payload.AuthParams{
			To: strings.TrimSpace(f.to.Text), From: strings.TrimSpace(f.from.Text),
			RemoteIP: strings.TrimSpace(f.remoteIP.Text), HeloDomain: strings.TrimSpace(f.helo.Text),
			SPF: payload.SPF{Result: f.spf.Selected, Domain: strings.TrimSpace(f.spfDomain.Text)},
		}
		if s := strings.TrimSpace(f.size.Text); s != "" {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil || n < 0 {
				return r, fmt.Errorf("size: want a number of bytes, got %q", s)
			}
			p.Size, p.HasSize = n, true
		}
		r.Auth = p
	case fireKindError:
		p := payload.ErrorParams{Response: f.response.Text}
		if s := strings.TrimSpace(f.status.Text); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 0 || n > 999 {
				return r, fmt.Errorf("status: want an HTTP status such as 422, got %q", s)
			}
			p.Status = n
		}
		r.Error = p
	}
	return r, nil
}

func (a *replayActions) runFire(f *fireForm, cfg engine.Config) {
	r, err := f.request(cfg)
	if err != nil {
		f.note.SetText(err.Error())
		f.note.Importance = widget.DangerImportance
		f.note.Refresh()
		return
	}
	f.fire.Disable()
	f.note.SetText("Firing…")
	f.note.Importance = widget.LowImportance
	f.note.Refresh()
	a.background("fire", "Test fire", f.fire.Enable, func() (func(), error) {
		ex, err := a.src.Fire(a.ctx, r)
		return func() {
			f.d.Hide()
			a.w.tabs.SelectIndex(0)
			a.w.inspector.showExchange(ex.ID)
		}, err
	})
}

// fireDefaultURL is where a kind of test fire goes unless the user says
// otherwise: the configured URL, else the built-in target.
func fireDefaultURL(cfg engine.Config, httpAddr, kind string) string {
	builtin := "http://" + httpAddr
	switch kind {
	case fireKindAuth:
		if cfg.AuthURL != "" {
			return cfg.AuthURL
		}
		return builtin + "/target/200"
	case fireKindError:
		if cfg.ErrorURL != "" {
			return cfg.ErrorURL
		}
		return builtin + "/errors"
	}
	if cfg.TargetURL != "" {
		return cfg.TargetURL
	}
	return builtin + "/target/200"
}

// fireUnmask gives back the configured URL whose masked form the dialog
// showed: credentials are never shown, yet still sent.
func fireUnmask(shown string, cfg engine.Config) string {
	for _, u := range []string{cfg.TargetURL, cfg.AuthURL, cfg.ErrorURL} {
		if u != "" && webhook.MaskURL(u) == shown {
			return u
		}
	}
	return shown
}

const fireNoMessage = "(choose a sample)"

// fireMessagePicker chooses the message to send: a shipped sample or an
// .eml file (file dialog or drag-and-drop).
type fireMessagePicker struct {
	samples []engine.Sample
	sample  *widget.Select
	open    *widget.Button
	eml     []byte
	emlName string
	obj     fyne.CanvasObject
}

func newFireMessagePicker(win fyne.Window) *fireMessagePicker {
	p := &fireMessagePicker{samples: engine.Samples()}
	labels := make([]string, len(p.samples))
	for i, s := range p.samples {
		labels[i] = s.Name + " — " + s.Description
	}
	p.sample = widget.NewSelect(labels, func(string) {
		if p.sample.SelectedIndex() >= 0 {
			p.eml, p.emlName = nil, ""
			p.sample.PlaceHolder = fireNoMessage
		}
	})
	p.sample.PlaceHolder = fireNoMessage
	if len(labels) > 0 {
		p.sample.SetSelectedIndex(0)
	}
	p.open = widget.NewButton("Open .eml…", func() {
		d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err != nil {
				dialog.ShowError(err, win)
				return
			}
			if r == nil {
				return // cancelled
			}
			name := r.URI().Name()
			go func() {
				data, err := fireReadEML(r)
				fyne.Do(func() {
					if err != nil {
						dialog.ShowError(fmt.Errorf("reading %s: %w", name, err), win)
						return
					}
					p.setEML(name, data)
				})
			}()
		}, win)
		d.SetFilter(fynestorage.NewExtensionFileFilter([]string{".eml", ".EML"}))
		d.Show()
	})
	p.obj = container.NewBorder(nil, nil, nil, p.open, p.sample)
	return p
}

// setEML makes an .eml file the message; Fyne goroutine.
func (p *fireMessagePicker) setEML(name string, data []byte) {
	p.eml, p.emlName = data, name
	// The file shows where the sample was: the select's placeholder, so
	// the dialog keeps its layout.
	p.sample.PlaceHolder = fmt.Sprintf("%s · %s", name, fireSize(len(data)))
	p.sample.ClearSelected() // after eml is set: its OnChanged sees no selection
	p.sample.Refresh()
}

// choice is the sample name or the .eml bytes.
func (p *fireMessagePicker) choice() (sample string, eml []byte, err error) {
	if p.eml != nil {
		return "", p.eml, nil
	}
	if i := p.sample.SelectedIndex(); i >= 0 {
		return p.samples[i].Name, nil, nil
	}
	return "", nil, errors.New("choose a sample or open an .eml file")
}

// fireReadEML reads and closes r, refusing what cannot be a message.
func fireReadEML(r io.ReadCloser) ([]byte, error) {
	defer r.Close()
	data, err := io.ReadAll(io.LimitReader(r, fireMaxEML+1))
	switch {
	case err != nil:
		return nil, err
	case len(data) > fireMaxEML:
		return nil, fmt.Errorf("larger than %s", fireSize(fireMaxEML))
	case len(data) == 0:
		return nil, errors.New("the file is empty")
	}
	return data, nil
}

func fireSize(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// dropped opens the test fire dialog with the first .eml dropped on the
// window.
func (a *replayActions) dropped(_ fyne.Position, uris []fyne.URI) {
	for _, u := range uris {
		if !strings.EqualFold(u.Extension(), ".eml") {
			continue
		}
		name := path.Base(u.Path())
		a.background("drop", "Opening "+name, nil, func() (func(), error) {
			r, err := fynestorage.Reader(u)
			if err != nil {
				return nil, err
			}
			data, err := fireReadEML(r)
			return func() { a.fireDialog(name, data) }, err
		})
		return
	}
	if len(uris) > 0 {
		dialog.ShowInformation("Test fire", "Drop an .eml file to fire it at your webhook.", a.w.win)
	}
}
