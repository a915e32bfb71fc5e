package main

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"fmt"
	"net"
	"net/smtp"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestWindowOpensUnderXvfb builds the real binary, starts it on its own Xvfb
// display, checks that a window titled "Mailhook" is mapped, sends it a
// message over SMTP, and stops it with SIGTERM, expecting a clean exit.
// `make test` installs Xvfb and xdotool; elsewhere the test is skipped.
func TestWindowOpensUnderXvfb(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode")
	}
	for _, tool := range []string{"Xvfb", "xdotool", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed (make test installs it)", tool)
		}
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "mailhook")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	display := startXvfb(t)
	smtpAddr, httpAddr := freeAddr(t), freeAddr(t)

	cmd := exec.Command(bin, "--verbose", "--data", filepath.Join(dir, "data"), "--smtp", smtpAddr, "--http", httpAddr,
		"--target", "http://"+httpAddr+"/target/200")
	cmd.Env = append(os.Environ(), "DISPLAY="+display, "LANG=en_US.UTF-8")
	logs := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { cmd.Process.Kill() })

	waitUntil(t, 20*time.Second, "a window titled Mailhook", func() bool {
		xdo := exec.Command("xdotool", "search", "--onlyvisible", "--name", "^Mailhook$")
		xdo.Env = append(os.Environ(), "DISPLAY="+display)
		out, err := xdo.Output()
		return err == nil && len(bytes.TrimSpace(out)) > 0
	}, exited, logs)

	if err := sendOverSTARTTLS(smtpAddr); err != nil {
		t.Fatalf("send: %v\n%s", err, logs.String())
	}

	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, logs.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("still running 15s after SIGTERM\n%s", logs.String())
	}
}

// sendOverSTARTTLS sends one message the way a mail client would, over
// STARTTLS with the self-signed certificate the app made on first run.
func sendOverSTARTTLS(addr string) error {
	c, err := smtp.Dial(addr)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.StartTLS(&tls.Config{InsecureSkipVerify: true}); err != nil {
		return err
	}
	if err := c.Mail("a@example.org"); err != nil {
		return err
	}
	if err := c.Rcpt("b@example.com"); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write([]byte("From: a@example.org\r\nTo: b@example.com\r\nSubject: e2e\r\n\r\nhi\r\n")); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// startXvfb starts a private X server and returns its DISPLAY.
func startXvfb(t *testing.T) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	x := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1024x768x24", "-nolisten", "tcp")
	x.ExtraFiles = []*os.File{w}
	if err := x.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() { x.Process.Kill(); x.Wait() })
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil {
		t.Fatalf("Xvfb did not report a display: %v", err)
	}
	return ":" + strings.TrimSpace(line)
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func waitUntil(t *testing.T, limit time.Duration, what string, cond func() bool, exited <-chan error, logs fmt.Stringer) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		select {
		case err := <-exited:
			t.Fatalf("mailhook exited (%v) before %s\n%s", err, what, logs.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s after %s\n%s", what, limit, logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// syncBuffer collects the child's output while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
