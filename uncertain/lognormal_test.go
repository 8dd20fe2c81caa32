package uncertain_test

import (
	"math"
	"testing"

	"github.com/reesim/reesim/uncertain"
)

var _ = addCases(
	testDist{"lognormal", uncertain.LogNormal{Median: 5, P90: 9}},
	testDist{"lognormal wide", uncertain.LogNormal{Median: 1, P90: 3}},
	testDist{"lognormal max", uncertain.LogNormal{Median: 5, P90: 9, Max: 12, HasMax: true}},
	testDist{"lognormal min,max", uncertain.LogNormal{Median: 5, P90: 9, Min: 3, Max: 12, HasMin: true, HasMax: true}},
	testDist{"lognormal upper tail", uncertain.LogNormal{Median: 5, P90: 9, Min: 40, HasMin: true}},
)

func TestLogNormalPercentiles(t *testing.T) {
	tests := []struct{ median, p90 float64 }{
		{5, 9},
		{1, 3},
		{0.02, 0.021},
		{1200, 50000},
	}
	for _, tc := range tests {
		d := uncertain.LogNormal{Median: tc.median, P90: tc.p90}
		if got := d.Quantile(0.5); math.Abs(got-tc.median) > 1e-12*tc.median {
			t.Errorf("%v: Quantile(0.5) = %v, want median %v", d, got, tc.median)
		}
		if got := d.Quantile(0.9); math.Abs(got-tc.p90) > 1e-12*tc.p90 {
			t.Errorf("%v: Quantile(0.9) = %v, want p90 %v", d, got, tc.p90)
		}
		var belowMedian, belowP90 int
		for _, x := range draw(d, nDraws) {
			if x <= tc.median {
				belowMedian++
			}
			if x <= tc.p90 {
				belowP90++
			}
		}
		checkFrequency(t, d.String()+" below median", belowMedian, nDraws, 0.5)
		checkFrequency(t, d.String()+" below p90", belowP90, nDraws, 0.9)
	}
}
