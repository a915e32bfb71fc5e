package app

import "strings"

// A line diff for the compare view: pure functions, run off the Fyne
// goroutine. The longest common subsequence of lines is found on what is
// left once the common head and tail are trimmed (a replay's body usually
// differs in a few lines), with caps so a 25 MB body cannot stall the
// window or eat memory.

// diffOp says what a line of a diff is.
type diffOp int8

const (
	diffSame diffOp = iota // in both
	diffDel                // only in the first (left)
	diffAdd                // only in the second (right)
)

const (
	// diffMaxLines caps the lines compared per side; the rest is left out
	// and the caller says so.
	diffMaxLines = 20_000
	// diffMaxCells caps the LCS table (lines × lines of the part that
	// differs, 2 bytes a cell). Above it the differing middle is shown as
	// removed then added, which is still correct, only less precise.
	diffMaxCells = 4_000_000
)

// diffLine is one line of a diff.
type diffLine struct {
	Op   diffOp
	Text string
}

// diffLines returns the edit from a to b, line by line: every line of a and
// of b appears once, in order, deletions before additions within a change.
func diffLines(a, b []string) []diffLine {
	head := 0
	for head < len(a) && head < len(b) && a[head] == b[head] {
		head++
	}
	tail := 0
	for tail < len(a)-head && tail < len(b)-head && a[len(a)-1-tail] == b[len(b)-1-tail] {
		tail++
	}
	out := make([]diffLine, 0, len(a)+len(b)-head-tail)
	for _, s := range a[:head] {
		out = append(out, diffLine{diffSame, s})
	}
	out = diffMiddle(out, a[head:len(a)-tail], b[head:len(b)-tail])
	for _, s := range a[len(a)-tail:] {
		out = append(out, diffLine{diffSame, s})
	}
	return out
}

// diffMiddle appends the edit from a to b using an LCS table, or a plain
// replacement when the table would be too large.
func diffMiddle(out []diffLine, a, b []string) []diffLine {
	n, m := len(a), len(b)
	if n == 0 || m == 0 || n*m > diffMaxCells || n > 0xffff || m > 0xffff {
		for _, s := range a {
			out = append(out, diffLine{diffDel, s})
		}
		for _, s := range b {
			out = append(out, diffLine{diffAdd, s})
		}
		return out
	}
	// lcs[i*(m+1)+j] is the LCS length of a[i:] and b[j:].
	w := m + 1
	lcs := make([]uint16, (n+1)*w)
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i*w+j] = lcs[(i+1)*w+j+1] + 1
			} else {
				lcs[i*w+j] = max(lcs[(i+1)*w+j], lcs[i*w+j+1])
			}
		}
	}
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case a[i] == b[j]:
			out = append(out, diffLine{diffSame, a[i]})
			i++
			j++
		case lcs[(i+1)*w+j] >= lcs[i*w+j+1]:
			out = append(out, diffLine{diffDel, a[i]})
			i++
		default:
			out = append(out, diffLine{diffAdd, b[j]})
			j++
		}
	}
	for ; i < n; i++ {
		out = append(out, diffLine{diffDel, a[i]})
	}
	for ; j < m; j++ {
		out = append(out, diffLine{diffAdd, b[j]})
	}
	return out
}

// diffRow is one row of the side-by-side view. A side without a line
// (an addition has no left) has Has… false. Changed marks rows whose two
// sides are not the same line.
type diffRow struct {
	Left, Right       string
	HasLeft, HasRight bool
	Changed           bool
	Section           string // set on a section title row, which has no sides
}

// diffSideBySide pairs a diff into rows: unchanged lines face each other,
// and each run of deletions is set against the run of additions after it,
// line by line, the longer run's extra lines facing nothing.
func diffSideBySide(lines []diffLine) []diffRow {
	var rows []diffRow
	for k := 0; k < len(lines); {
		if lines[k].Op == diffSame {
			rows = append(rows, diffRow{Left: lines[k].Text, Right: lines[k].Text, HasLeft: true, HasRight: true})
			k++
			continue
		}
		var dels, adds []string
		for ; k < len(lines) && lines[k].Op == diffDel; k++ {
			dels = append(dels, lines[k].Text)
		}
		for ; k < len(lines) && lines[k].Op == diffAdd; k++ {
			adds = append(adds, lines[k].Text)
		}
		for i := 0; i < max(len(dels), len(adds)); i++ {
			r := diffRow{Changed: true}
			if i < len(dels) {
				r.Left, r.HasLeft = dels[i], true
			}
			if i < len(adds) {
				r.Right, r.HasRight = adds[i], true
			}
			rows = append(rows, r)
		}
	}
	return rows
}

// diffSplit cuts text into lines (a final newline adds no empty line; CRLF
// counts as one break) and keeps at most diffMaxLines; cut says whether
// lines were left out.
func diffSplit(text string) (lines []string, cut bool) {
	if text == "" {
		return nil, false
	}
	text = strings.TrimSuffix(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	lines = strings.SplitN(text, "\n", diffMaxLines+1)
	if len(lines) > diffMaxLines {
		return lines[:diffMaxLines], true
	}
	return lines, false
}
