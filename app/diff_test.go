package app

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mailhook/mailhook/storage"
)

// diffTestString writes a diff as " a", "-b", "+c" joined by "|".
func diffTestString(lines []diffLine) string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = map[diffOp]string{diffSame: " ", diffDel: "-", diffAdd: "+"}[l.Op] + l.Text
	}
	return strings.Join(out, "|")
}

func diffTestLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func TestDiffLines(t *testing.T) {
	tests := []struct {
		name, a, b, want string
	}{
		{name: "both empty", a: "", b: "", want: ""},
		{name: "same", a: "a,b,c", b: "a,b,c", want: " a| b| c"},
		{name: "all added", a: "", b: "a,b", want: "+a|+b"},
		{name: "all removed", a: "a,b", b: "", want: "-a|-b"},
		{name: "one line changed", a: "a,b,c", b: "a,x,c", want: " a|-b|+x| c"},
		{name: "inserted in the middle", a: "a,c", b: "a,b,c", want: " a|+b| c"},
		{name: "removed at the end", a: "a,b,c", b: "a,b", want: " a| b|-c"},
		{name: "removed at the start", a: "a,b,c", b: "b,c", want: "-a| b| c"},
		{name: "nothing in common", a: "a,b", b: "x,y", want: "-a|-b|+x|+y"},
		{name: "moved line", a: "a,b,c,d", b: "b,c,d,a", want: "-a| b| c| d|+a"},
		{name: "repeated lines", a: "x,a,x,b,x", b: "x,b,x,a,x", want: " x|-a|-x| b|+x|+a| x"},
		{name: "json status change", a: "{,\"status\": 200,\"ok\": true,}", b: "{,\"status\": 422,\"ok\": true,}",
			want: " {|-\"status\": 200|+\"status\": 422| \"ok\": true| }"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := diffLines(diffTestLines(tt.a), diffTestLines(tt.b))
			if s := diffTestString(got); s != tt.want {
				t.Errorf("diffLines(%q, %q) = %q, want %q", tt.a, tt.b, s, tt.want)
			}
			// Whatever the edit, it must rebuild both sides.
			var a, b []string
			for _, l := range got {
				if l.Op != diffAdd {
					a = append(a, l.Text)
				}
				if l.Op != diffDel {
					b = append(b, l.Text)
				}
			}
			if strings.Join(a, ",") != tt.a || strings.Join(b, ",") != tt.b {
				t.Errorf("diff does not rebuild the sides: %q and %q", a, b)
			}
		})
	}
}

// TestDiffLinesCapped checks that a middle too large for the LCS table is
// shown as removed then added, still keeping the common head and tail.
func TestDiffLinesCapped(t *testing.T) {
	n := 2100 // 2100² cells > diffMaxCells
	a, b := []string{"head"}, []string{"head"}
	for i := range n {
		a = append(a, fmt.Sprintf("a%d", i))
		b = append(b, fmt.Sprintf("b%d", i))
	}
	a, b = append(a, "tail"), append(b, "tail")
	got := diffLines(a, b)
	if len(got) != 2*n+2 {
		t.Fatalf("got %d lines, want %d", len(got), 2*n+2)
	}
	if got[0] != (diffLine{diffSame, "head"}) || got[len(got)-1] != (diffLine{diffSame, "tail"}) {
		t.Errorf("head or tail lost: %v … %v", got[0], got[len(got)-1])
	}
	if got[1].Op != diffDel || got[n].Op != diffDel || got[n+1].Op != diffAdd {
		t.Errorf("middle not removed then added: %v %v %v", got[1], got[n], got[n+1])
	}
}

func TestDiffSideBySide(t *testing.T) {
	tests := []struct {
		name, a, b string
		want       []string // "left|right|*" per row, * when changed, ~ for a missing side
	}{
		{name: "same", a: "a,b", b: "a,b", want: []string{"a|a|", "b|b|"}},
		{name: "changed line faces its replacement", a: "a,b,c", b: "a,x,c", want: []string{"a|a|", "b|x|*", "c|c|"}},
		{name: "longer removal", a: "a,b,c", b: "x", want: []string{"a|x|*", "b|~|*", "c|~|*"}},
		{name: "addition only", a: "a", b: "a,b", want: []string{"a|a|", "~|b|*"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := diffSideBySide(diffLines(diffTestLines(tt.a), diffTestLines(tt.b)))
			var got []string
			for _, r := range rows {
				l, rr, c := r.Left, r.Right, ""
				if !r.HasLeft {
					l = "~"
				}
				if !r.HasRight {
					rr = "~"
				}
				if r.Changed {
					c = "*"
				}
				got = append(got, l+"|"+rr+"|"+c)
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("rows = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDiffSplit(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{name: "empty", text: "", want: nil},
		{name: "final newline adds no line", text: "a\nb\n", want: []string{"a", "b"}},
		{name: "crlf", text: "a\r\nb", want: []string{"a", "b"}},
		{name: "blank line kept", text: "a\n\nb", want: []string{"a", "", "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, cut := diffSplit(tt.text)
			if cut || strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
				t.Errorf("diffSplit(%q) = %q, %v; want %q", tt.text, got, cut, tt.want)
			}
		})
	}
	long := strings.Repeat("x\n", diffMaxLines+5)
	if got, cut := diffSplit(long); len(got) != diffMaxLines || !cut {
		t.Errorf("a long text gave %d lines, cut %v", len(got), cut)
	}
}

func TestDiffBuild(t *testing.T) {
	json := []storage.Header{{Name: "Content-Type", Value: "application/json"}}
	a := storage.Exchange{ID: 1, Kind: storage.KindDelivery, Method: "POST", URL: "http://h/target/200",
		RequestHeaders: json, RequestBody: []byte(`{"plain":"hi"}`), Status: 200,
		ResponseHeaders: json, ResponseBody: []byte(`{"ok":true,"n":1}`), Outcome: storage.OutcomeAccepted}
	b := a
	b.ID, b.Kind, b.ReplayOf = 2, storage.KindReplay, 1
	b.Status, b.Outcome, b.ResponseBody = 422, storage.OutcomeRejected, []byte(`{"ok":false,"n":1}`)

	m := diffBuild(a, b)
	if m.requests {
		t.Error("identical requests reported as different")
	}
	var sections, changed []string
	for _, r := range m.rows {
		switch {
		case r.Section != "":
			sections = append(sections, r.Section)
		case r.Changed:
			changed = append(changed, r.Left+" → "+r.Right)
		}
	}
	if strings.Join(sections, ",") != "Status,Response headers,Response body" {
		t.Errorf("sections = %q", sections)
	}
	want := []string{"200 OK → 422 Unprocessable Entity", "outcome: accepted → outcome: rejected", `  "ok": true, →   "ok": false,`}
	if strings.Join(changed, "\n") != strings.Join(want, "\n") {
		t.Errorf("changed rows:\n%s\nwant:\n%s", strings.Join(changed, "\n"), strings.Join(want, "\n"))
	}

	b.RequestBody = []byte(`{"plain":"edited"}`)
	if m := diffBuild(a, b); !m.requests || !strings.Contains(m.summary(), "requests differ") {
		t.Errorf("an edited request is not compared: requests=%v, %q", m.requests, m.summary())
	}
}
