package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestProgressLines checks the progress printed when stderr is not a
// terminal: whole lines, no carriage returns or escape codes, at most one
// every progressEvery, with paths done, rate and time left.
func TestProgressLines(t *testing.T) {
	var b bytes.Buffer
	p := progress(&b, "baseline", 40000, time.Now().Add(-2*progressEvery), false)
	p(10000) // two intervals since the start: a line
	p(11000) // at once again: none
	got := b.String()
	if strings.Count(got, "\n") != 1 || strings.ContainsAny(got, "\r\033") {
		t.Fatalf("progress wrote %q, want one plain line", got)
	}
	for _, want := range []string{"baseline: 10,000/40,000 paths (25%)", "paths/s", "left"} {
		if !strings.Contains(got, want) {
			t.Errorf("progress line %q lacks %q", got, want)
		}
	}
	b.Reset()
	c := chartProgress(&b, "baseline", false)
	for i := 1; i <= 12; i++ {
		c(i, 12)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "drawing charts, 1 of 12") || !strings.Contains(lines[1], "12 of 12 done") {
		t.Errorf("chart progress %q, want the first and the last chart", lines)
	}
}
