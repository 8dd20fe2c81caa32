package tomlfile

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// DidYouMean returns ` (did you mean "x"?)` for the candidate closest to
// word in edit distance, or "" when none is close enough to be a likely
// misspelling of it. It is Hinter.DidYouMean with a budget of its own.
func DidYouMean(word string, candidates []string) string {
	var h Hinter
	return h.DidYouMean(word, candidates)
}

// Hinter suggests what a misspelt word was meant to be, within a bound on
// the work it spends over all its suggestions: a file with thousands of
// misspelt names among thousands of candidates would otherwise take
// minutes to check, as each suggestion compares one word with every
// candidate. Once the bound is reached, no more suggestions are made. The
// zero value is ready to use.
type Hinter struct {
	spent int // letters compared, roughly
	row   [3][maxHintLen + 2]int
}

const (
	// hintBudget bounds a Hinter's work, in letter comparisons: some
	// tenths of a second.
	hintBudget = 20_000_000
	// maxHintLen is the longest word, in letters, for which a
	// suggestion is looked for: names are far shorter.
	maxHintLen = 64
)

// DidYouMean returns ` (did you mean "x"?)` for the candidate closest to
// word, or "" when none is close enough to be a likely misspelling (or
// the Hinter's work is used up).
func (h *Hinter) DidYouMean(word string, candidates []string) string {
	if s, ok := h.Closest(word, candidates); ok {
		return fmt.Sprintf(" (did you mean %q?)", s)
	}
	return ""
}

// Closest returns the candidate closest to word in edit distance, ignoring
// case, if it is within about one edit per three letters; failing that, the
// one candidate that word begins or is the beginning of.
func (h *Hinter) Closest(word string, candidates []string) (string, bool) {
	n := utf8.RuneCountInString(word)
	if n > maxHintLen || h.spent >= hintBudget {
		return "", false
	}
	w := []rune(strings.ToLower(word))
	n = len(w)
	limit := max(1, utf8.RuneCountInString(word)/3)
	best, bestD := "", limit+1
	for _, c := range candidates {
		h.spent += 1 + n
		if h.spent >= hintBudget {
			return "", false
		}
		m := utf8.RuneCountInString(c)
		if c == word || m > maxHintLen || m-n > bestD-1 || n-m > bestD-1 {
			continue // no closer than the best so far
		}
		if d, ok := h.distanceWithin(w, strings.ToLower(c), bestD-1); ok && d < bestD {
			best, bestD = c, d
		}
	}
	if best != "" {
		return best, true
	}
	// A word that is the start of exactly one candidate, or that one
	// candidate is the start of, such as "ndpr" for "ndpr_t_per_t".
	lw := string(w)
	if len(lw) < 3 {
		return "", false
	}
	match := ""
	for _, c := range candidates {
		lc := strings.ToLower(c)
		if c != word && (strings.HasPrefix(lc, lw) || strings.HasPrefix(lw, lc)) {
			if match != "" {
				return "", false
			}
			match = c
		}
	}
	return match, match != ""
}

// distanceWithin returns the optimal string alignment distance between a
// and b (see editDistance) when it is at most limit, and whether it is. It
// stops as soon as every alignment costs more than limit. b holds at most
// maxHintLen letters.
func (h *Hinter) distanceWithin(a []rune, b string, limit int) (int, bool) {
	rb := []rune(b)
	if len(rb) > maxHintLen || limit < 0 {
		return 0, false
	}
	// prev2, prev and cur are rows i-2, i-1 and i of the table d[i][j],
	// the distance between a[:i] and rb[:j].
	prev2, prev, cur := h.row[0][:len(rb)+1], h.row[1][:len(rb)+1], h.row[2][:len(rb)+1]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		low := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if a[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == rb[j-2] && a[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			low = min(low, cur[j])
		}
		h.spent += len(rb)
		if low > limit {
			return 0, false
		}
		prev2, prev, cur = prev, cur, prev2
	}
	d := prev[len(rb)]
	return d, d <= limit
}
