package scenarios

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
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

// SortProblems sorts problems by file and line, problems without a line
// last in their file, and drops exact repeats, as Load does.
func SortProblems(ps []Problem) Problems {
	return tidy(ps)
}

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
