package engine

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// SettingsFile is where the saved configuration lives inside the data folder.
const SettingsFile = "settings.json"

// LoadSettings returns the configuration saved in dir, or the defaults when
// nothing was saved yet. Fields missing from the file keep their defaults.
func LoadSettings(dir string) (Config, error) {
	cfg := DefaultConfig()
	b, err := os.ReadFile(filepath.Join(dir, SettingsFile))
	if errors.Is(err, os.ErrNotExist) {
		return cfg, nil
	}
	if err != nil {
		return cfg, fmt.Errorf("read settings: %w", err)
	}
	if err := json.Unmarshal(b, &cfg); err != nil {
		return DefaultConfig(), fmt.Errorf("read settings %s: %w", filepath.Join(dir, SettingsFile), err)
	}
	return cfg, nil
}

// SaveSettings writes cfg to dir atomically (write then rename), readable by
// the user only: it may hold AUTH credentials and URL passwords.
func SaveSettings(dir string, cfg Config) error {
	b, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		return fmt.Errorf("encode settings: %w", err)
	}
	tmp := filepath.Join(dir, SettingsFile+".tmp")
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return fmt.Errorf("write settings: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, SettingsFile)); err != nil {
		return fmt.Errorf("write settings: %w", err)
	}
	return nil
}

// SetConfig validates cfg and applies it from the next SMTP transaction on.
// Listen addresses and the size limit are read by Start; the settings pane
// restarts the listeners when they change.
func (e *Engine) SetConfig(cfg Config) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	e.setConfig(cfg)
	return nil
}
