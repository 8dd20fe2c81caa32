package tomlfile

import (
	"fmt"
	"strings"
	"testing"
)

func TestClosest(t *testing.T) {
	cands := []string{"capacity_tpy", "utilisation", "australia", "ndpr", "mine"}
	tests := []struct {
		word, want string
		ok         bool
	}{
		{"capacty_tpy", "capacity_tpy", true},
		{"utilization", "utilisation", true},
		{"austrlia", "australia", true},
		{"ndrp", "ndpr", true},
		{"Mine", "mine", true},
		{"xyz", "", false},
		{"capacity", "capacity_tpy", true},
		{"ut", "", false},
		{"mine", "", false}, // exact matches are not suggested
	}
	for _, tt := range tests {
		var h Hinter
		got, ok := h.Closest(tt.word, cands)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Closest(%q) = %q, %v; want %q, %v", tt.word, got, ok, tt.want, tt.ok)
		}
	}
}

// distanceWithin agrees with editDistance whenever the distance is within
// the limit, and says no otherwise.
func TestDistanceWithin(t *testing.T) {
	words := []string{"", "a", "ab", "ba", "abc", "acb", "capacity_tpy", "capacty_tpy", "utilisation", "utilization", "ndpr", "ndrp", "mine", "mien", "αβγ", "αγβ"}
	var h Hinter
	for _, a := range words {
		for _, b := range words {
			want := editDistance(a, b)
			for limit := 0; limit <= 4; limit++ {
				d, ok := h.distanceWithin([]rune(a), b, limit)
				if ok != (want <= limit) || ok && d != want {
					t.Errorf("distanceWithin(%q, %q, %d) = %d, %v; editDistance %d", a, b, limit, d, ok, want)
				}
			}
		}
	}
}

// A Hinter stops suggesting once its work is used up, and never looks at
// words longer than any name.
func TestHinterBudget(t *testing.T) {
	cands := make([]string, 1000)
	for i := range cands {
		cands[i] = fmt.Sprintf("facility-number-%04d", i)
	}
	var h Hinter
	if got := h.DidYouMean("facility-numbr-0007", cands); got != ` (did you mean "facility-number-0007"?)` {
		t.Errorf("first suggestion %q", got)
	}
	n := 0
	for h.DidYouMean("facility-numbr-0007", cands) != "" {
		n++
		if n > hintBudget {
			t.Fatal("the budget never ran out")
		}
	}
	if h.spent < hintBudget || n == 0 {
		t.Errorf("%d suggestions, %d spent of %d", n, h.spent, hintBudget)
	}
	var fresh Hinter
	if got := fresh.DidYouMean(strings.Repeat("x", maxHintLen+1), []string{strings.Repeat("x", maxHintLen)}); got != "" || fresh.spent != 0 {
		t.Errorf("a word longer than any name: %q, %d spent", got, fresh.spent)
	}
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
