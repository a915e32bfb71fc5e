// Command mailhook runs Mailhook: a local CloudMailin for developing
// inbound-email webhooks. It parses flags, opens the history, builds the
// engine, and shows either the window or a headless log.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/mailhook/mailhook/app"
	"github.com/mailhook/mailhook/assets"
	"github.com/mailhook/mailhook/engine"
	"github.com/mailhook/mailhook/engine/api"
	"github.com/mailhook/mailhook/engine/payload"
	"github.com/mailhook/mailhook/engine/webhook"
	"github.com/mailhook/mailhook/storage"
)

const appID = "io.mailhook.app"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// options is the command line, parsed.
type options struct {
	headless bool
	dataDir  string
	verbose  bool
	cfg      engine.Config
}

func run(args []string, stdout, stderr io.Writer) int {
	opts, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "mailhook: %v\n", err)
		return 2
	}
	level := slog.LevelInfo
	if opts.verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	if err := os.MkdirAll(opts.dataDir, 0o700); err != nil {
		fmt.Fprintf(stderr, "mailhook: create data folder: %v\n", err)
		return 1
	}
	store, err := storage.Open(filepath.Join(opts.dataDir, "mailhook.db"))
	if err != nil {
		fmt.Fprintf(stderr, "mailhook: %v\n", err)
		return 1
	}
	defer store.Close()

	tlsCfg, err := engine.LoadOrCreateTLS(opts.dataDir)
	if err != nil {
		logger.Warn("STARTTLS disabled", "component", "main", "err", err)
	}
	eng, err := engine.New(engine.Params{Store: store, Logger: logger, TLS: tlsCfg, SettingsDir: opts.dataDir}, opts.cfg)
	if err != nil {
		fmt.Fprintf(stderr, "mailhook: %v\n", err)
		return 2
	}
	eng.Handle("/api/", api.New(eng, logger))
	if err := eng.Start(); err != nil {
		fmt.Fprintf(stderr, "mailhook: %v\n", err)
		return 1
	}
	for _, addr := range []string{opts.cfg.SMTPAddr, opts.cfg.HTTPAddr} {
		if !engine.IsLoopback(addr) {
			logger.Warn("listening beyond this machine: anyone on the network can reach it", "component", "main", "addr", addr)
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if opts.headless {
		runHeadless(ctx, eng, stdout)
	} else {
		a := fyneapp.NewWithID(appID)
		a.SetIcon(assets.Icon())
		w := app.New(a, eng)
		// Fyne's driver quits on SIGINT/SIGTERM by itself; this makes sure
		// of it, the same way: the driver's Quit (guarded against running
		// twice), not a.Quit, which closes the window first, and Fyne 2.7.1
		// then crashed on a mouse event queued for the closing window.
		go func() { <-ctx.Done(); fyne.Do(a.Driver().Quit) }()
		w.ShowAndRun()
	}

	logger.Debug("stopping", "component", "main")
	// In-flight transactions may wait for a webhook up to its timeout.
	sctx, cancel := context.WithTimeout(context.Background(), eng.Config().Timeout+5*time.Second)
	defer cancel()
	if err := eng.Shutdown(sctx); err != nil {
		logger.Warn("shutdown", "component", "main", "err", err)
	}
	return 0
}

// runHeadless prints one line per event until ctx ends.
func runHeadless(ctx context.Context, eng *engine.Engine, out io.Writer) {
	events, cancel := eng.Subscribe()
	defer cancel()
	cfg := eng.Config()
	fmt.Fprintf(out, "mailhook: SMTP on %s, targets on http://%s, delivering to %s (%s)\n",
		eng.SMTPAddr(), eng.HTTPAddr(), webhook.MaskURL(cfg.TargetURL), cfg.Format)
	if cfg.AuthURL != "" {
		fmt.Fprintf(out, "mailhook: authorizing each recipient at %s\n", webhook.MaskURL(cfg.AuthURL))
	}
	if cfg.ErrorURL != "" {
		fmt.Fprintf(out, "mailhook: reporting failed deliveries to %s\n", webhook.MaskURL(cfg.ErrorURL))
	}
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-events:
			if line := engine.FormatEvent(ev); line != "" {
				fmt.Fprintln(out, line)
			}
		}
	}
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	fs := flag.NewFlagSet("mailhook", flag.ContinueOnError)
	fs.SetOutput(stderr)
	def := engine.DefaultConfig()
	var (
		o          options
		format     string
		authFormat string
		cfg        = def
	)
	fs.BoolVar(&o.headless, "headless", false, "no window; one line per event on stdout")
	fs.StringVar(&o.dataDir, "data", defaultDataDir(), "data folder with the SQLite file")
	fs.BoolVar(&o.verbose, "verbose", false, "debug logging on stderr")
	fs.StringVar(&cfg.SMTPAddr, "smtp", def.SMTPAddr, "SMTP listen address")
	fs.StringVar(&cfg.HTTPAddr, "http", def.HTTPAddr, "built-in targets and local API")
	fs.StringVar(&cfg.TargetURL, "target", def.TargetURL, "delivery webhook URL")
	fs.StringVar(&format, "format", string(def.Format), "json+n | multipart+n | raw")
	fs.DurationVar(&cfg.Timeout, "timeout", def.Timeout, "HTTP timeout per callback")
	fs.Int64Var(&cfg.MaxSize, "max-size", def.MaxSize, "message size limit in bytes")
	fs.StringVar(&cfg.SMTPUser, "smtp-user", "", "require AUTH with this user (with --smtp-pass)")
	fs.StringVar(&cfg.SMTPPass, "smtp-pass", "", "password for --smtp-user")
	fs.BoolVar(&cfg.SizeAsNumber, "size-as-number", false, "attachment size as a JSON number instead of a string")
	fs.StringVar(&cfg.AuthURL, "auth-url", "", "authorization callback URL, asked at each RCPT TO")
	fs.StringVar(&authFormat, "auth-format", "", "form | json | xml (default: by the URL's ending)")
	fs.StringVar(&cfg.ErrorURL, "error-url", "", "error callback URL, told of every delivery that was not 2xx")
	fs.StringVar(&cfg.SPFResult, "spf-result", "", "force this SPF result (none, neutral, pass, fail, softfail, temperror, permerror)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	f, err := payload.ParseFormat(format)
	if err != nil {
		return o, err
	}
	cfg.Format = f
	cfg.SPFResult = strings.ToLower(strings.TrimSpace(cfg.SPFResult))
	if authFormat != "" {
		af, err := payload.ParseAuthFormat(authFormat)
		if err != nil {
			return o, err
		}
		cfg.AuthFormat = af
	}

	// Saved settings first, then every flag the user gave wins for this run.
	saved, err := engine.LoadSettings(o.dataDir)
	if err != nil {
		return o, err
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	o.cfg = mergeFlags(saved, cfg, set)
	if err := o.cfg.Validate(); err != nil {
		return o, err
	}
	return o, nil
}

// mergeFlags overlays the flags that were given on the saved settings.
func mergeFlags(saved, flags engine.Config, set map[string]bool) engine.Config {
	out := saved
	pick := map[string]func(){
		"smtp":           func() { out.SMTPAddr = flags.SMTPAddr },
		"http":           func() { out.HTTPAddr = flags.HTTPAddr },
		"target":         func() { out.TargetURL = flags.TargetURL },
		"format":         func() { out.Format = flags.Format },
		"timeout":        func() { out.Timeout = flags.Timeout },
		"max-size":       func() { out.MaxSize = flags.MaxSize },
		"smtp-user":      func() { out.SMTPUser = flags.SMTPUser },
		"smtp-pass":      func() { out.SMTPPass = flags.SMTPPass },
		"size-as-number": func() { out.SizeAsNumber = flags.SizeAsNumber },
		"auth-url":       func() { out.AuthURL = flags.AuthURL },
		"auth-format":    func() { out.AuthFormat = flags.AuthFormat },
		"error-url":      func() { out.ErrorURL = flags.ErrorURL },
		"spf-result":     func() { out.SPFResult = flags.SPFResult },
	}
	for name, apply := range pick {
		if set[name] {
			apply()
		}
	}
	return out
}

// defaultDataDir is the OS user data folder: XDG_DATA_HOME (or
// ~/.local/share) on Linux, Application Support on macOS, LocalAppData on
// Windows.
func defaultDataDir() string {
	home, _ := os.UserHomeDir()
	switch runtime.GOOS {
	case "darwin":
		return filepath.Join(home, "Library", "Application Support", "Mailhook")
	case "windows":
		if d := os.Getenv("LocalAppData"); d != "" {
			return filepath.Join(d, "Mailhook")
		}
	}
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "mailhook")
	}
	return filepath.Join(home, ".local", "share", "mailhook")
}
