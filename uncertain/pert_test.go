package uncertain_test

import (
	"math"
	"testing"

	"github.com/reesim/reesim/uncertain"
)

var _ = addCases(
	testDist{"pert", uncertain.PERT{Min: 1, Mode: 2, Max: 5}},
	testDist{"pert skewed", uncertain.PERT{Min: 10, Mode: 90, Max: 100}},
	testDist{"pert mode=min", uncertain.PERT{Min: 0, Mode: 0, Max: 1}},
)

func TestPERTMean(t *testing.T) {
	tests := []struct{ min, mode, max float64 }{
		{1, 2, 5},
		{0, 0, 1},
		{0, 1, 1},
		{-10, 5, 20},
		{100, 140, 400},
	}
	for _, tc := range tests {
		d := uncertain.PERT{Min: tc.min, Mode: tc.mode, Max: tc.max}
		want := (tc.min + 4*tc.mode + tc.max) / 6
		if got := d.ExpectedValue(); math.Abs(got-want) > 1e-12*(1+math.Abs(want)) {
			t.Errorf("%v.ExpectedValue() = %v, want (min+4·mode+max)/6 = %v", d, got, want)
		}
		mean, _, _ := moments(draw(d, nDraws))
		if se := math.Sqrt(d.Variance() / nDraws); math.Abs(mean-want) > 5*se {
			t.Errorf("%v: sample mean = %v, want %v (standard error %.3g)", d, mean, want, se)
		}
	}
}
