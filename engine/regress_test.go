package engine

import (
	"flag"
	"hash/fnv"
	"testing"
)

var update = flag.Bool("update", false, "print the frozen values instead of checking them")

// TestStreamsRegress freezes the random streams: the uniform draw of an
// input on a path depends only on the seed, the path number and the input's
// name. A change here changes every result; it must be deliberate (and
// docs/MODEL.md §5 updated).
func TestStreamsRegress(t *testing.T) {
	h := func(name string) uint64 {
		f := fnv.New64a()
		f.Write([]byte(name))
		return f.Sum64()
	}
	cases := []struct {
		seed uint64
		path int
		name string
		want float64
	}{
		{1, 0, "ban_share", 0.6811077024189036},
		{1, 1, "ban_share", 0.33640214613091396},
		{1, 0, "tariff_level", 0.2766139609218074},
		{20260101, 12345, "facility.iluka-eneabba.delay_months", 0.12671749535643356},
	}
	for i, c := range cases {
		got := Uniform(c.seed, c.path, h(c.name))
		if *update {
			t.Logf("case %d: %v", i, got)
			continue
		}
		if got != c.want {
			t.Errorf("Uniform(%d, %d, %q) = %v, want %v", c.seed, c.path, c.name, got, c.want)
		}
	}
}
