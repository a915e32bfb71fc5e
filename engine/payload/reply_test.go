package payload

import "testing"

func TestExtractReply(t *testing.T) {
	tests := []struct {
		name  string
		plain string
		want  string
		ok    bool
	}{
		{"nothing quoted", "Hello\n\nBye\n", "", false},
		{"empty", "", "", false},
		{"on wrote", "Thanks!\n\nOn Mon, 1 Jan 2024, Alex <a@x> wrote:\n> hi\n", "Thanks!", true},
		{"on wrote lower case", "Great\non 1st Jan, You wrote:\nold\n", "Great", true},
		{"on wrote wrapped", "Yes\n\nOn Mon, 1 Jan 2024 at 10:00 AM Alex Example <alex@example.com>\nwrote:\n> q\n", "Yes", true},
		{"quote only", "  Sure.\n> Lunch?\nGreat.\n", "Sure.", true},
		{"indented quote", "Answer\n   > quoted\n", "Answer", true},
		{"marker", "New text\n### Reply Above This Line ###\nold text\n", "New text", true},
		{"marker quoted after attribution", "Hey this looks great!\n\nOn 1st Jan, Alex wrote:\n> ### Reply Above This Line ###\n> Hey\n", "Hey this looks great!", true},
		{"marker first", "### Reply Above This Line ###\nold\n", "", true},
		{"on line without wrote is text", "On Monday we ship.\nThanks\n", "", false},
		{"on line then quote", "Ok\nOn Monday we ship.\n> old\n", "Ok\nOn Monday we ship.", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := extractReply(tt.plain)
			if got != tt.want || ok != tt.ok {
				t.Errorf("extractReply(%q) = %q, %v; want %q, %v", tt.plain, got, ok, tt.want, tt.ok)
			}
		})
	}
}
