package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/mailhook/mailhook/engine"
)

func TestBadFlagsExitTwo(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown format", []string{"--format", "xml"}, `unknown format "xml"`},
		{"bad duration", []string{"--timeout", "soon"}, "invalid value"},
		{"bad target scheme", []string{"--target", "ftp://example.com/x"}, "scheme must be http or https"},
		{"bad smtp address", []string{"--smtp", "2525"}, "smtp address"},
		{"user without password", []string{"--smtp-user", "u"}, "set both or neither"},
		{"negative size", []string{"--max-size", "-1"}, "max size"},
		{"stray argument", []string{"extra"}, "unexpected arguments"},
		{"unknown flag", []string{"--nope"}, "flag provided but not defined"},
		{"bad auth format", []string{"--auth-format", "yaml"}, `unknown authorization format "yaml"`},
		{"bad auth url", []string{"--auth-url", "localhost:3000/auth"}, "authorization url"},
		{"bad error url", []string{"--error-url", "mailto:x@example.com"}, "error url"},
		{"bad spf result", []string{"--spf-result", "maybe"}, `spf result "maybe"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := append([]string{"--headless", "--data", t.TempDir()}, tc.args...)
			if code := run(args, &stdout, &stderr); code != 2 {
				t.Fatalf("exit code %d, want 2; stderr:\n%s", code, stderr.String())
			}
			if !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("stderr lacks %q:\n%s", tc.want, stderr.String())
			}
		})
	}
}

func TestFlagsWinOverSavedSettings(t *testing.T) {
	dir := t.TempDir()
	saved := engine.DefaultConfig()
	saved.TargetURL = "http://127.0.0.1:9999/saved"
	saved.Timeout = 7 * time.Second
	saved.SizeAsNumber = true
	if err := engine.SaveSettings(dir, saved); err != nil {
		t.Fatal(err)
	}
	o, err := parseFlags([]string{"--data", dir, "--timeout", "3s", "--spf-result", " SoftFail "}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if o.cfg.Timeout != 3*time.Second {
		t.Errorf("timeout = %s, want the flag's 3s", o.cfg.Timeout)
	}
	if o.cfg.SPFResult != "softfail" {
		t.Errorf("spf result = %q, want it normalised to softfail", o.cfg.SPFResult)
	}
	if o.cfg.TargetURL != saved.TargetURL || !o.cfg.SizeAsNumber {
		t.Errorf("saved settings not kept where no flag was given: %+v", o.cfg)
	}
}
