package payload

import "strings"

// replyMarker is CloudMailin's magic marker: everything from it down is old.
const replyMarker = "### reply above this line ###"

// extractReply returns the new text of a reply: plain cut at the first line
// that holds the marker, is quoted with ">", or is an "On … wrote:" line
// (also when a client wrapped it onto two lines), then trimmed. ok is false
// when no line matched, so reply_plain is null.
func extractReply(plain string) (reply string, ok bool) {
	lines := strings.Split(plain, "\n")
	for i, line := range lines {
		if isQuoteStart(line, lines[i+1:]) {
			return strings.TrimSpace(strings.Join(lines[:i], "\n")), true
		}
	}
	return "", false
}

// isQuoteStart reports whether line starts the quoted part of a reply; next
// is the rest of the text, for attributions wrapped onto a second line.
func isQuoteStart(line string, next []string) bool {
	t := strings.TrimSpace(line)
	if strings.HasPrefix(t, ">") || strings.Contains(strings.ToLower(t), replyMarker) {
		return true
	}
	if !hasPrefixFold(t, "on ") {
		return false
	}
	if hasSuffixFold(t, "wrote:") {
		return true
	}
	return len(next) > 0 && hasSuffixFold(strings.TrimSpace(next[0]), "wrote:") &&
		!strings.HasPrefix(strings.TrimSpace(next[0]), ">")
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
}
