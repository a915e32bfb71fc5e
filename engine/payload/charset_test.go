package payload

import "testing"

func TestTextToUTF8(t *testing.T) {
	tests := []struct {
		name, label, in, want string
		warns                 bool
	}{
		{"utf-8", "UTF-8", "naïve", "naïve", false},
		{"quoted label", `"utf-8"`, "ok", "ok", false},
		{"latin1", "ISO-8859-1", "caf\xe9", "café", false},
		{"windows-1252 euro", "windows-1252", "5 \x80", "5 €", false},
		{"koi8-r", "koi8-r", "\xf0\xd2\xc9\xd7\xc5\xd4", "Привет", false},
		{"shift_jis", "Shift_JIS", "\x82\xa0", "あ", false},
		{"iana only label", "IBM437", "\x81", "ü", false},
		{"ascii label carrying utf-8", "us-ascii", "é", "é", false},
		{"no label 8-bit", "", "caf\xe9", "café", true},
		{"bad utf-8", "utf-8", "a\xffb", "a\uFFFDb", true},
		{"unknown label utf-8", "x-klingon", "ok ☃", "ok ☃", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, warning := textToUTF8([]byte(tt.in), tt.label)
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if (warning != "") != tt.warns {
				t.Errorf("warning %q, want warning: %v", warning, tt.warns)
			}
		})
	}
}

func TestHTMLToUTF8MetaCharset(t *testing.T) {
	got, _ := htmlToUTF8([]byte(`<meta charset="koi8-r"><p>`+"\xf0\xd2"+`</p>`), "")
	if want := `<meta charset="koi8-r"><p>Пр</p>`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
