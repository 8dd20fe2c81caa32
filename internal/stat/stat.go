// Package stat holds the statistics that reesim computes in several
// places, each written once: streaming moments of a sample ([Moments],
// Welford's update and Chan's merge) and Spearman's rank correlation
// ([Spearman], with [Ranks] for callers that rank a column once and
// correlate it with many).
package stat

import (
	"cmp"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
)

// Moments accumulates the mean and variance of a stream of values
// (Welford's update), and merges two such accumulations (Chan's formula),
// so that blocks of paths summed apart give the moments of them all. The
// zero value is an empty sample.
type Moments struct {
	N    float64 // values added
	Mean float64
	M2   float64 // sum of squared deviations from the mean
}

// Add adds x to the sample.
func (m *Moments) Add(x float64) {
	m.N++
	d := x - m.Mean
	m.Mean += d / m.N
	m.M2 += d * (x - m.Mean)
}

// Merge adds the values of o to the sample.
func (m *Moments) Merge(o Moments) {
	if o.N == 0 {
		return
	}
	if m.N == 0 {
		*m = o
		return
	}
	n := m.N + o.N
	d := o.Mean - m.Mean
	m.Mean += d * o.N / n
	m.M2 += o.M2 + d*d*m.N*o.N/n
	m.N = n
}

// SD returns the sample standard deviation, 0 below two values.
func (m Moments) SD() float64 {
	if m.N < 2 {
		return 0
	}
	return math.Sqrt(m.M2 / (m.N - 1))
}

// SE returns the standard error of the mean (the Monte Carlo standard
// error of a mean over paths), 0 for an empty sample.
func (m Moments) SE() float64 {
	if m.N < 1 {
		return 0
	}
	return m.SD() / math.Sqrt(m.N)
}

// Spearman returns the Spearman rank correlation of x and y: the Pearson
// correlation of their ranks (see Ranks). It returns NaN when x and y
// differ in length, have fewer than two values, either is constant, or
// either holds a NaN: a NaN has no rank among numbers, so no correlation
// is made up for it.
//
// The drivers charts rank each column once and use Ranks and
// RankCorrelation, so deadcode finds no caller of Spearman in the
// command: it is the reference that the tests of the copula and the
// engine check rank correlations with.
func Spearman(x, y []float64) float64 {
	if len(x) != len(y) || len(x) < 2 || slices.ContainsFunc(x, math.IsNaN) || slices.ContainsFunc(y, math.IsNaN) {
		return math.NaN()
	}
	rx, _ := Ranks(x)
	ry, _ := Ranks(y)
	return RankCorrelation(rx, ry)
}

// RankCorrelation returns the Pearson correlation of rx and ry, ranks made
// by Ranks: Spearman's correlation of the samples they rank, for callers
// that rank a sample once and correlate it with many. It is NaN when
// either is constant. rx and ry must be of the same length.
func RankCorrelation(rx, ry []float64) float64 {
	return stat.Correlation(rx, ry, nil)
}

// Ranks returns the ranks of x, from 1, with tied values sharing the
// average of the ranks they span, and x's values sorted. x should hold no
// NaN (see Spearman); cmp.Compare would rank one below every number.
func Ranks(x []float64) (r, sorted []float64) {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return cmp.Compare(x[a], x[b]) })
	r = make([]float64, len(x))
	sorted = make([]float64, len(x))
	for i := 0; i < len(idx); {
		j := i + 1
		for j < len(idx) && x[idx[j]] == x[idx[i]] {
			j++
		}
		avg := float64(i+j+1) / 2 // elements i..j-1 are tied at ranks i+1..j
		for k := i; k < j; k++ {
			r[idx[k]] = avg
			sorted[k] = x[idx[k]]
		}
		i = j
	}
	return r, sorted
}
