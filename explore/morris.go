package explore

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
)

// MorrisLevels is the number of levels of the Morris grid: each dimension
// takes the probabilities 1/8, 3/8, 5/8 and 7/8 of its distribution, and a
// step moves it by two levels, half its probability range.
const MorrisLevels = 4

// Morris is a design of R Morris trajectories over D dimensions grouped
// into F factors (Campolongo, Cariboni and Saltelli 2007): each trajectory
// starts at a random point of the grid and moves one factor at a time, in
// a random order, each of the factor's dimensions by ±2 levels, so it has
// F+1 points. Its rows are numbered trajectory by trajectory: R·(F+1)
// model runs.
type Morris struct {
	R       int
	D       int
	Factors []Factor
	// start[t][j] is dimension j's level at the start of trajectory t,
	// order[t] the factors in the order they move.
	start [][]int8
	order [][]int
}

// NewMorris returns a design of r trajectories for the factors over d
// dimensions, drawn from seed.
func NewMorris(r, d int, factors []Factor, seed uint64) (*Morris, error) {
	if r < 2 {
		return nil, fmt.Errorf("explore: Morris screening needs at least 2 trajectories, got %d", r)
	}
	if err := checkFactors(d, factors); err != nil {
		return nil, err
	}
	g := rand.New(rand.NewPCG(seed, 0xbb67ae8584caa73b))
	m := &Morris{R: r, D: d, Factors: factors, start: make([][]int8, r), order: make([][]int, r)}
	for t := range r {
		st := make([]int8, d)
		for j := range st {
			st[j] = int8(g.IntN(MorrisLevels))
		}
		m.start[t] = st
		m.order[t] = g.Perm(len(factors))
	}
	return m, nil
}

// Rows returns the number of model runs, R·(F+1).
func (m *Morris) Rows() int { return m.R * (len(m.Factors) + 1) }

// level returns the probability of grid level l.
func level(l int8) float64 { return (2*float64(l) + 1) / (2 * MorrisLevels) }

// step returns the level a dimension at level l moves to: two levels up
// from the lower half, two down from the upper.
func step(l int8) int8 {
	if l < MorrisLevels/2 {
		return l + MorrisLevels/2
	}
	return l - MorrisLevels/2
}

// Row writes the point of row r into dst (length D).
func (m *Morris) Row(r int, dst []float64) {
	F := len(m.Factors)
	t, k := r/(F+1), r%(F+1)
	st := m.start[t]
	for j, l := range st {
		dst[j] = level(l)
	}
	for _, f := range m.order[t][:k] {
		for _, j := range m.Factors[f].Dims {
			dst[j] = level(step(st[j]))
		}
	}
}

// MorrisResult holds the elementary effects' statistics of every factor
// for one output. An elementary effect is the change in the output when
// the factor moves by half its probability range (two grid levels), in
// the output's unit, signed by the direction of the move for a factor of
// one dimension.
type MorrisResult struct {
	// MuStar is the mean absolute effect, with its bootstrap interval
	// (Index.Value, Lo, Hi); Mu the mean signed effect and Sigma the
	// standard deviation of the effects (only meaningful for factors of
	// one dimension: NaN for groups).
	MuStar    []Index
	Mu, Sigma []float64
}

// AnalyzeMorris returns the statistics of the elementary effects of each
// output from the model's values y[r][k] of output k on row r of m. The
// intervals of μ* are bootstrap percentile intervals over trajectories.
func AnalyzeMorris(ctx context.Context, m *Morris, y [][]float64, opt SobolOptions) ([]MorrisResult, error) {
	if len(y) != m.Rows() {
		return nil, fmt.Errorf("explore: %d rows of outputs for a design of %d rows", len(y), m.Rows())
	}
	if opt.Resamples == 0 {
		opt.Resamples = 500
	}
	if opt.Level == 0 {
		opt.Level = 0.95
	}
	F := len(m.Factors)
	K := len(y[0])
	g := rand.New(rand.NewPCG(opt.Seed, 0x3c6ef372fe94f82b))
	picks := make([][]int, opt.Resamples)
	for b := range picks {
		p := make([]int, m.R)
		for i := range p {
			p[i] = g.IntN(m.R)
		}
		picks[b] = p
	}
	out := make([]MorrisResult, K)
	ee := make([]float64, m.R)
	boot := make([]float64, opt.Resamples)
	for k := range K {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		res := MorrisResult{MuStar: make([]Index, F), Mu: make([]float64, F), Sigma: make([]float64, F)}
		for f := range F {
			single := len(m.Factors[f].Dims) == 1
			for t := range m.R {
				pos := 0
				for i, g := range m.order[t] {
					if g == f {
						pos = i
						break
					}
				}
				base := t * (F + 1)
				d := y[base+pos+1][k] - y[base+pos][k]
				if single && m.start[t][m.Factors[f].Dims[0]] >= MorrisLevels/2 {
					d = -d // the move was downwards
				}
				ee[t] = d
			}
			var sum, abs float64
			for _, d := range ee {
				sum += d
				abs += math.Abs(d)
			}
			mu := sum / float64(m.R)
			var ss float64
			for _, d := range ee {
				ss += (d - mu) * (d - mu)
			}
			res.Mu[f], res.Sigma[f] = mu, math.Sqrt(ss/float64(m.R-1))
			if !single {
				res.Mu[f], res.Sigma[f] = math.NaN(), math.NaN()
			}
			for b, p := range picks {
				s := 0.0
				for _, t := range p {
					s += math.Abs(ee[t])
				}
				boot[b] = s / float64(m.R)
			}
			res.MuStar[f] = Index{abs / float64(m.R), quantile(boot, (1-opt.Level)/2), quantile(boot, (1+opt.Level)/2)}
		}
		out[k] = res
	}
	return out, nil
}
