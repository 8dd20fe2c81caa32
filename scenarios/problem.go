package scenarios

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Problem is one thing wrong with a scenario file.
type Problem struct {
	// File is the file the problem is in, in the form of Scenario.File.
	File string
	// Line is the line of the key in File, or 0 when it is not known
	// (for example for a required key that is missing).
	Line int
	// Key is the key's path, such as "facility.iluka-eneabba.delay_months",
	// with array entries named by their name; "" for problems with the file
	// as a whole.
	Key string
	// Msg is one sentence saying what is wrong and what was expected.
	Msg string
}

// String formats p as "FILE:LINE: KEY: MESSAGE", leaving out the line when
// it is 0 and the key when it is empty.
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	b.WriteString(": ")
	if p.Key != "" {
		b.WriteString(p.Key)
		b.WriteString(": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Problems is every problem found in a scenario. Load returns it as its
// error when the scenario is invalid.
type Problems []Problem

// Error returns one line per problem, in the form of Problem.String.
func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// MaxProblems is the most problems reported for one file; the rest are
// counted in a last problem. A file with thousands of problems is not
// fixed by reading them all.
const MaxProblems = 1000

// maxRecorded is the most problems the loader keeps while it checks a
// file, of which tidy reports MaxProblems; the rest are only counted, so
// that a file of a million bad names is checked as fast as one of a few.
const maxRecorded = 10 * MaxProblems

// tidy sorts problems by file and line (problems without a line last in
// their file, in the order found), drops exact repeats, and keeps the
// first MaxProblems.
func tidy(ps []Problem) Problems { return tidyMore(ps, 0) }

// tidyMore is tidy for problems of which more were found and not kept.
func tidyMore(ps []Problem, more int) Problems {
	ps = slices.Clone(ps)
	for i := range ps {
		ps[i].Key = oneLine(ps[i].Key)
		ps[i].Msg = oneLine(ps[i].Msg)
	}
	slices.SortStableFunc(ps, func(a, b Problem) int {
		if c := cmp.Compare(a.File, b.File); c != 0 {
			return c
		}
		la, lb := a.Line, b.Line
		if la == 0 {
			la = int(^uint(0) >> 1)
		}
		if lb == 0 {
			lb = int(^uint(0) >> 1)
		}
		return cmp.Compare(la, lb)
	})
	ps = slices.Compact(ps)
	if n := len(ps) - MaxProblems + more; n > 0 && len(ps) > 0 {
		keep := min(len(ps), MaxProblems)
		last := ps[keep-1]
		ps = append(ps[:keep:keep], Problem{File: last.File, Line: last.Line,
			Msg: fmt.Sprintf("and %d more problems after the %d listed; fix these first", n, keep)})
	}
	return Problems(ps)
}

// oneLine escapes control characters in s, which can come from the file
// or from the TOML parser's messages, so that every problem is one line.
func oneLine(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// didYouMean returns ` (did you mean "x"?)` for the candidate closest to
// word, or "" when none is close enough to be a likely misspelling.
func didYouMean(word string, candidates []string) string {
	var h Hinter
	return h.DidYouMean(word, candidates)
}

// closest is Hinter.closest with a budget of its own.
func closest(word string, candidates []string) (string, bool) {
	var h Hinter
	return h.closest(word, candidates)
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
	if s, ok := h.closest(word, candidates); ok {
		return fmt.Sprintf(" (did you mean %q?)", s)
	}
	return ""
}

// closest returns the candidate closest to word in edit distance, ignoring
// case, if it is within about one edit per three letters; failing that, the
// one candidate that word begins or is the beginning of.
func (h *Hinter) closest(word string, candidates []string) (string, bool) {
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

// editDistance returns the optimal string alignment distance between a and
// b: the Levenshtein distance with swaps of two neighbouring letters
// counted as one edit, over runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	// d[i][j] is the distance between ra[:i] and rb[:j].
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// JoinSome joins the first max of names with ", ", and says how many
// more there are: a message lists what a file holds without growing with
// it.
func JoinSome(names []string, max int) string {
	if len(names) <= max {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:max], ", "), len(names)-max)
}

// list joins words as `"a", "b" or "c"`.
func list(words []string, conj string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = fmt.Sprintf("%q", w)
	}
	switch len(q) {
	case 0:
		return ""
	case 1:
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " " + conj + " " + q[len(q)-1]
}
