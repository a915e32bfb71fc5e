// Package samples holds the sample messages Mailhook ships for test fire
// and test mail, as .eml files (LF line endings, as stored in git). It is
// apart from package assets so that the engine can embed them without
// importing Fyne.
package samples

import (
	"embed"
	"fmt"
	"io/fs"
	"strings"
)

//go:embed *.eml
var files embed.FS

// Read returns the bytes of name.eml ("plain" reads plain.eml).
func Read(name string) ([]byte, error) {
	b, err := files.ReadFile(name + ".eml")
	if err != nil {
		return nil, fmt.Errorf("sample %q: %w", name, fs.ErrNotExist)
	}
	return b, nil
}

// Names lists the embedded samples, without the .eml extension, sorted.
func Names() []string {
	entries, _ := files.ReadDir(".") // cannot fail on an embed.FS root
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".eml"))
	}
	return names
}
