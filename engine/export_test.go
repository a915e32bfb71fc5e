package engine_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os/exec"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mailhook/mailhook/engine"
	"github.com/mailhook/mailhook/engine/payload"
	"github.com/mailhook/mailhook/storage"
)

// TestCurlCommand: the command for a stored exchange, run in bash against
// the same webhook, makes the request the engine made, credentials included.
func TestCurlCommand(t *testing.T) {
	for _, tool := range []string{"bash", "curl", "base64"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed: %v", tool, err)
		}
	}
	tests := []struct {
		name   string
		format payload.Format
		kind   string
	}{
		{"json+n delivery", payload.JSONNormalized, storage.KindDelivery},
		{"multipart+n delivery", payload.MultipartNormalized, storage.KindDelivery},
		{"raw delivery", payload.Raw, storage.KindDelivery},
		{"authorization", payload.JSONNormalized, storage.KindAuthorization},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			hook := newWire(t, status(200, "ok"))
			withCreds := strings.Replace(hook.srv.URL, "http://", "http://key:s3'cr%40t@", 1)
			h := newHarness(t, func(c *engine.Config) {
				c.TargetURL = withCreds + "/hook?src=mailhook"
				c.AuthURL = withCreds + "/auth"
				c.Format = tc.format
			})
			m, _ := h.deliver(readFixture(t, "full.eml"), fullRecipients...)
			exs := h.exchangesOf(m.ID, tc.kind)
			if len(exs) == 0 {
				t.Fatalf("no %s exchange", tc.kind)
			}
			ex := exs[0]
			var orig wireReq
			for _, r := range hook.requests() {
				if bytes.Equal(r.Body, ex.RequestBody) {
					orig = r
				}
			}
			if orig.Method == "" {
				t.Fatal("original request not found")
			}

			cmd, err := h.eng.CurlCommand(bg(), ex.ID)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(bg(), 20*time.Second)
			defer cancel()
			if out, err := exec.CommandContext(ctx, "bash", "-c", "set -o pipefail\n"+cmd+" -sS -o /dev/null").CombinedOutput(); err != nil {
				t.Fatalf("bash: %v\n%s\n%s", err, out, cmd)
			}
			got := hook.last(t)
			if got.Method != orig.Method || got.Path != orig.Path || got.RawQuery != orig.RawQuery {
				t.Errorf("curl sent %s %s?%s, engine %s %s?%s", got.Method, got.Path, got.RawQuery, orig.Method, orig.Path, orig.RawQuery)
			}
			if !reflect.DeepEqual(got.Header, orig.Header) {
				t.Errorf("curl headers:\n%v\nengine's:\n%v", got.Header, orig.Header)
			}
			if !bytes.Equal(got.Body, orig.Body) {
				t.Errorf("curl body differs (%d vs %d bytes)", len(got.Body), len(orig.Body))
			}
			if got.Header.Get("Authorization") == "" {
				t.Error("no credentials")
			}
		})
	}
	t.Run("unknown exchange", func(t *testing.T) {
		h := newHarness(t, nil)
		if _, err := h.eng.CurlCommand(bg(), 42); err == nil {
			t.Error("no error")
		}
	})
}

// TestHARExport exports a message's timeline: a delivery, its error
// callback, and a replay, as HAR entries in order.
func TestHARExport(t *testing.T) {
	hook := newWire(t, status(500, "broken"))
	errs := newWire(t, status(200, "noted"))
	h := newHarness(t, func(c *engine.Config) {
		c.TargetURL = strings.Replace(hook.srv.URL, "http://", "http://user:hunter2@", 1) + "/hook"
		c.ErrorURL = errs.srv.URL + "/errors.json"
	})
	m, del := h.deliver(simpleMessage("har"))
	h.waitForErrorCallback(m.ID)
	if _, err := h.eng.Replay(bg(), del.ID, engine.ReplayOptions{}); err != nil {
		t.Fatal(err)
	}
	tl, err := h.eng.Timeline(bg(), m.ID)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, s := range tl.Exchanges {
		ids = append(ids, s.ID)
	}
	b, err := h.eng.HAR(bg(), ids)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte("hunter2")) {
		t.Error("HAR holds a password")
	}
	var har struct {
		Log struct {
			Version string `json:"version"`
			Entries []struct {
				Request struct {
					Method   string            `json:"method"`
					URL      string            `json:"url"`
					Headers  []storage.Header  `json:"headers"`
					PostData map[string]string `json:"postData"`
				} `json:"request"`
				Response struct {
					Status  int            `json:"status"`
					Content map[string]any `json:"content"`
				} `json:"response"`
			} `json:"entries"`
		} `json:"log"`
	}
	if err := json.Unmarshal(b, &har); err != nil {
		t.Fatalf("HAR is not JSON: %v", err)
	}
	if har.Log.Version != "1.2" || len(har.Log.Entries) != 3 {
		t.Fatalf("version %q, %d entries, want 1.2 and 3", har.Log.Version, len(har.Log.Entries))
	}
	wantStatus := []int{500, 200, 500}
	for i, e := range har.Log.Entries {
		if e.Request.Method != "POST" || e.Request.URL == "" || len(e.Request.Headers) == 0 || e.Request.PostData["text"] == "" ||
			e.Request.PostData["mimeType"] == "" {
			t.Errorf("entry %d request %+v", i, e.Request)
		}
		if e.Response.Status != wantStatus[i] || e.Response.Content["text"] == "" || e.Response.Content["size"] == nil {
			t.Errorf("entry %d response %+v, want status %d", i, e.Response, wantStatus[i])
		}
	}
	if _, err := h.eng.HAR(bg(), []int64{ids[0], 999}); err == nil {
		t.Error("HAR of an unknown exchange: no error")
	}
}

func TestDeleteHistory(t *testing.T) {
	hook := newWire(t, status(200, "ok"))
	h := newHarness(t, func(c *engine.Config) { c.TargetURL = hook.srv.URL + "/hook" })
	h.deliver(simpleMessage("one"))
	m, _ := h.deliver(simpleMessage("two"))
	if _, err := h.eng.Fire(bg(), engine.FireRequest{Kind: engine.FireDelivery, URL: hook.srv.URL}); err != nil {
		t.Fatal(err)
	}
	events, stop := h.eng.Subscribe()
	defer stop()
	if err := h.eng.DeleteHistory(bg()); err != nil {
		t.Fatal(err)
	}
	page, err := h.eng.ListMessages(bg(), storage.ListQuery{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Messages) != 0 || h.countRows("exchanges") != 0 {
		t.Errorf("%d messages, %d exchanges left", len(page.Messages), h.countRows("exchanges"))
	}
	if _, err := h.eng.Message(bg(), m.ID); err == nil {
		t.Error("deleted message still readable")
	}
	nextEvent(t, events, engine.EventRefreshNeeded)
}
