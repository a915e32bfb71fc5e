package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"

	"github.com/mailhook/mailhook/engine"
	"github.com/mailhook/mailhook/engine/payload"
)

// fireJSON is a test fire: a callback built from a sample or an .eml and
// sent without SMTP.
type fireJSON struct {
	Kind   string          `json:"kind"` // delivery (default), authorization, error
	URL    string          `json:"url"`
	Format string          `json:"format"`
	Sample string          `json:"sample"` // a name from GET /api/samples; default "plain" without eml
	EML    []byte          `json:"eml"`    // base64 of any message
	Params json.RawMessage `json:"params"` // by kind, see below
}

// Params by kind; unknown fields are a 400 so a misplaced one is noticed.
type (
	deliveryParams struct {
		Recipients []string `json:"recipients"` // envelope; default the message's To
	}
	authParams struct {
		To         string `json:"to"`
		From       string `json:"from"`
		Size       *int64 `json:"size"` // sent only when given
		RemoteIP   string `json:"remote_ip"`
		HeloDomain string `json:"helo_domain"`
		SPF        struct {
			Result string `json:"result"`
			Domain string `json:"domain"`
		} `json:"spf"`
	}
	errorParams struct {
		Status   int    `json:"status"`
		To       string `json:"to"`
		From     string `json:"from"`
		Response string `json:"response"`
	}
)

// defaultSample is fired when neither sample nor eml is given.
const defaultSample = "plain"

// fire: POST /api/fire.
func (s *server) fire(w http.ResponseWriter, r *http.Request) {
	var req fireJSON
	if !decodeBody(w, r, maxLargeBody, &req) {
		return
	}
	fr, err := req.toEngine()
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	x, err := s.eng.Fire(r.Context(), fr)
	if err != nil {
		s.commandFailed(w, r, err)
		return
	}
	s.answerExchange(w, r, x)
}

func (req fireJSON) toEngine() (engine.FireRequest, error) {
	fr := engine.FireRequest{Kind: req.Kind, URL: req.URL, Format: req.Format, Sample: req.Sample, EML: req.EML}
	if fr.Kind == "" {
		fr.Kind = "delivery"
	}
	switch {
	case fr.Sample != "" && len(fr.EML) > 0:
		return fr, fmt.Errorf("give sample or eml, not both")
	case fr.Sample == "" && len(fr.EML) == 0:
		fr.Sample = defaultSample
	case fr.Sample != "" && !slices.ContainsFunc(engine.Samples(), func(s engine.Sample) bool { return s.Name == fr.Sample }):
		return fr, fmt.Errorf("unknown sample %q (GET /api/samples lists them)", fr.Sample)
	}
	if fr.URL != "" {
		if err := engine.ValidateURL(fr.URL); err != nil {
			return fr, fmt.Errorf("url: %w", err)
		}
	}
	params := []byte(req.Params)
	if len(params) == 0 || string(params) == "null" {
		params = []byte("{}")
	}
	switch fr.Kind {
	case "delivery":
		var p deliveryParams
		if err := strictUnmarshal(params, &p); err != nil {
			return fr, fmt.Errorf("params for a delivery: %w", err)
		}
		fr.Recipients = p.Recipients
	case "authorization":
		var p authParams
		if err := strictUnmarshal(params, &p); err != nil {
			return fr, fmt.Errorf("params for an authorization: %w", err)
		}
		fr.Auth = payload.AuthParams{To: p.To, From: p.From, RemoteIP: p.RemoteIP, HeloDomain: p.HeloDomain,
			SPF: payload.SPF{Result: p.SPF.Result, Domain: p.SPF.Domain}}
		if p.Size != nil {
			fr.Auth.Size, fr.Auth.HasSize = *p.Size, true
		}
	case "error":
		var p errorParams
		if err := strictUnmarshal(params, &p); err != nil {
			return fr, fmt.Errorf("params for an error callback: %w", err)
		}
		fr.Error = payload.ErrorParams{Status: p.Status, To: p.To, From: p.From, Response: p.Response}
	default:
		return fr, fmt.Errorf("kind %q: want delivery, authorization or error", fr.Kind)
	}
	return fr, nil
}

type sampleJSON struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

// samples: GET /api/samples, the messages fire can use by name.
func (s *server) samples(w http.ResponseWriter, r *http.Request) {
	out := struct {
		Samples []sampleJSON `json:"samples"`
	}{Samples: []sampleJSON{}}
	for _, sm := range engine.Samples() {
		out.Samples = append(out.Samples, sampleJSON{sm.Name, sm.Description})
	}
	writeJSON(w, http.StatusOK, out)
}
