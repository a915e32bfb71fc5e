//go:build !linux

package app

// trayHostAvailable: macOS and Windows always show tray icons.
func trayHostAvailable() bool { return true }
