package stat

import (
	"math"
	"slices"
	"testing"
)

func TestMoments(t *testing.T) {
	tests := []struct {
		name         string
		x            []float64
		mean, sd, se float64
	}{
		{"empty", nil, 0, 0, 0},
		{"one value", []float64{4}, 4, 0, 0},
		// Deviations -2, 0, 2: M2 = 8, variance 8/2 = 4.
		{"three values", []float64{2, 4, 6}, 4, 2, 2 / math.Sqrt(3)},
		{"constant", []float64{7, 7, 7, 7}, 7, 0, 0},
		// Deviations -1.5, -0.5, 0.5, 1.5: M2 = 5, variance 5/3.
		{"four values", []float64{1, 2, 3, 4}, 2.5, math.Sqrt(5.0 / 3), math.Sqrt(5.0/3) / 2},
	}
	for _, tc := range tests {
		var m Moments
		for _, x := range tc.x {
			m.Add(x)
		}
		if m.N != float64(len(tc.x)) || math.Abs(m.Mean-tc.mean) > 1e-12 || math.Abs(m.SD()-tc.sd) > 1e-12 || math.Abs(m.SE()-tc.se) > 1e-12 {
			t.Errorf("%s: N %v, Mean %v, SD %v, SE %v; want %d, %v, %v, %v", tc.name, m.N, m.Mean, m.SD(), m.SE(), len(tc.x), tc.mean, tc.sd, tc.se)
		}
	}
}

// Merging the moments of two blocks gives the moments of both, whatever
// the split.
func TestMomentsMerge(t *testing.T) {
	x := []float64{3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5}
	var all Moments
	for _, v := range x {
		all.Add(v)
	}
	for split := 0; split <= len(x); split++ {
		var a, b Moments
		for _, v := range x[:split] {
			a.Add(v)
		}
		for _, v := range x[split:] {
			b.Add(v)
		}
		a.Merge(b)
		if a.N != all.N || math.Abs(a.Mean-all.Mean) > 1e-12 || math.Abs(a.M2-all.M2) > 1e-9 {
			t.Errorf("split at %d: merged %+v, want %+v", split, a, all)
		}
	}
}

func TestRanks(t *testing.T) {
	tests := []struct {
		x, want, sorted []float64
	}{
		{[]float64{10, 30, 20}, []float64{1, 3, 2}, []float64{10, 20, 30}},
		{[]float64{5, 5, 1}, []float64{2.5, 2.5, 1}, []float64{1, 5, 5}},
		{[]float64{2, 2, 2, 2}, []float64{2.5, 2.5, 2.5, 2.5}, []float64{2, 2, 2, 2}},
		{[]float64{3, 1, 3, 2, 3}, []float64{4, 1, 4, 2, 4}, []float64{1, 2, 3, 3, 3}},
		{[]float64{7}, []float64{1}, []float64{7}},
		{nil, []float64{}, []float64{}},
	}
	for _, tc := range tests {
		got, sorted := Ranks(tc.x)
		if !slices.Equal(got, tc.want) || !slices.Equal(sorted, tc.sorted) {
			t.Errorf("Ranks(%v) = %v, %v; want %v, %v", tc.x, got, sorted, tc.want, tc.sorted)
		}
	}
}

func TestSpearman(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name string
		x, y []float64
		want float64
	}{
		{"monotone, not linear", []float64{1, 2, 3, 4, 5}, []float64{1, 8, 27, 64, 125}, 1},
		{"reversed", []float64{1, 2, 3, 4, 5}, []float64{9, 7, 5, 3, 1}, -1},
		// Ranks (1,2,3,4) and (2,1,4,3): 1 − 6·4/(4·15) = 0.6.
		{"hand-worked", []float64{1, 2, 3, 4}, []float64{20, 10, 40, 30}, 0.6},
		// Ranks of y with ties averaged are 1, 2, 3.5, 5, 3.5; their
		// Pearson correlation with 1..5 is 8/sqrt(10·9.5) ≈ 0.8208.
		{"ties", []float64{1, 2, 3, 4, 5}, []float64{5, 6, 7, 8, 7}, 8 / math.Sqrt(10*9.5)},
		{"all tied in pairs", []float64{1, 1, 2, 2}, []float64{3, 3, 4, 4}, 1},
		{"unsorted", []float64{3, 1, 2}, []float64{30, 10, 20}, 1},
		{"constant y", []float64{1, 2, 3}, []float64{4, 4, 4}, nan},
		{"constant x", []float64{1, 1, 1}, []float64{1, 2, 3}, nan},
		{"lengths differ", []float64{1, 2, 3}, []float64{1, 2}, nan},
		{"one value", []float64{1}, []float64{1}, nan},
		{"NaN in x", []float64{1, nan, 3}, []float64{1, 2, 3}, nan},
		{"NaN in y", []float64{1, 2, 3}, []float64{1, 2, nan}, nan},
	}
	for _, tc := range tests {
		got := Spearman(tc.x, tc.y)
		if math.IsNaN(tc.want) {
			if !math.IsNaN(got) {
				t.Errorf("%s: Spearman = %v, want NaN", tc.name, got)
			}
			continue
		}
		if math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("%s: Spearman = %v, want %v", tc.name, got, tc.want)
		}
	}
}
