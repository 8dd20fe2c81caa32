package uncertain_test

import (
	"testing"

	"github.com/reesim/reesim/uncertain"
)

var _ = addCases(
	testDist{"bernoulli", uncertain.Bernoulli{P: 0.3}},
	testDist{"bernoulli p=0", uncertain.Bernoulli{P: 0}},
	testDist{"bernoulli p=1", uncertain.Bernoulli{P: 1}},
)

func TestBernoulliFrequency(t *testing.T) {
	for _, p := range []float64{0, 0.001, 0.03, 0.5, 0.97, 1} {
		d := uncertain.Bernoulli{P: p}
		ones := 0
		for _, x := range draw(d, nDraws) {
			switch x {
			case 1:
				ones++
			case 0:
			default:
				t.Fatalf("%v gave %v, want 0 or 1", d, x)
			}
		}
		checkFrequency(t, d.String(), ones, nDraws, p)
	}
}

func TestBernoulliMonotoneInP(t *testing.T) {
	ps := []float64{0, 0.1, 0.3, 0.30000001, 0.7, 1}
	for _, u := range uGrid() {
		prev := 0.0
		for _, p := range ps {
			x := uncertain.Bernoulli{P: p}.Quantile(u)
			if x < prev {
				t.Fatalf("Quantile(%v) with p = %v is %v, but 1 with a smaller p", u, p, x)
			}
			prev = x
		}
	}
}
