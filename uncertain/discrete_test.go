package uncertain_test

import (
	"testing"

	"github.com/reesim/reesim/uncertain"
)

var _ = addCases(
	testDist{"discrete", uncertain.Discrete{Values: []float64{1, 2, 5}, Weights: []float64{1, 3, 6}}},
	testDist{"discrete zero weights", uncertain.Discrete{Values: []float64{10, 20, 30, 40}, Weights: []float64{0, 2, 0, 2}}},
)

func TestDiscreteFrequencies(t *testing.T) {
	tests := []struct {
		values, weights []float64
	}{
		{[]float64{1, 2, 5}, []float64{1, 3, 6}},
		{[]float64{10, 20, 30, 40}, []float64{0, 2, 0, 2}},
		{[]float64{3, 1, 2}, []float64{0.2, 0.5, 0.3}},
		{[]float64{7}, []float64{0.1}},
	}
	for _, tc := range tests {
		d := uncertain.Discrete{Values: tc.values, Weights: tc.weights}
		count := make(map[float64]int)
		for _, x := range draw(d, nDraws) {
			count[x]++
		}
		var total float64
		for _, w := range tc.weights {
			total += w
		}
		for i, v := range tc.values {
			checkFrequency(t, d.String()+" value "+formatFloat(v), count[v], nDraws, tc.weights[i]/total)
			delete(count, v)
		}
		for v, n := range count {
			t.Errorf("%v gave %v, not one of its values, %d times", d, v, n)
		}
	}
}
