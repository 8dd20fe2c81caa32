package explore

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/reesim/reesim/design"
)

// Factor is one factor of a sensitivity analysis: the dimensions of the
// unit hypercube that move together (one input, or a group of inputs).
type Factor struct {
	Name string
	Dims []int
}

// Saltelli is Saltelli's sampling design for first- and total-order
// Sobol' indices of F factors over D dimensions: two independent base
// matrices A and B of N points each, and for each factor f the matrix
// A_B^f, A with the columns of f's dimensions taken from B. Its rows are
// numbered A (0..N−1), B (N..2N−1), then A_B^f for f = 0, 1, ... (N rows
// each): N·(F+2) model runs.
type Saltelli struct {
	N       int
	D       int
	Factors []Factor
	plan    *design.Plan
}

// NewSaltelli returns the design of n base points for the factors over d
// dimensions, whose base matrices are drawn by the sampling design kind
// (QMC is the usual choice) from seed: A from dimensions 0..d−1 of the
// design, B from d..2d−1. Every dimension must belong to exactly one
// factor.
func NewSaltelli(n, d int, factors []Factor, kind design.Kind, seed uint64) (*Saltelli, error) {
	if n < 2 {
		return nil, fmt.Errorf("explore: the Saltelli design needs at least 2 base points, got %d", n)
	}
	if err := checkFactors(d, factors); err != nil {
		return nil, err
	}
	names := make([]string, 2*d)
	for j := range d {
		names[j] = "A" + strconv.Itoa(j)
		names[d+j] = "B" + strconv.Itoa(j)
	}
	plan, err := design.NewPlan(kind, seed, n, names)
	if err != nil {
		return nil, err
	}
	return &Saltelli{N: n, D: d, Factors: factors, plan: plan}, nil
}

// checkFactors checks that every dimension of d belongs to exactly one
// factor.
func checkFactors(d int, factors []Factor) error {
	if len(factors) == 0 {
		return errors.New("explore: no factors")
	}
	owner := make([]int, d)
	for i := range owner {
		owner[i] = -1
	}
	for f, fa := range factors {
		if len(fa.Dims) == 0 {
			return fmt.Errorf("explore: factor %s has no dimensions", fa.Name)
		}
		for _, j := range fa.Dims {
			if j < 0 || j >= d {
				return fmt.Errorf("explore: factor %s has dimension %d, outside 0..%d", fa.Name, j, d-1)
			}
			if owner[j] >= 0 {
				return fmt.Errorf("explore: dimension %d is in factors %s and %s", j, factors[owner[j]].Name, fa.Name)
			}
			owner[j] = f
		}
	}
	for j, o := range owner {
		if o < 0 {
			return fmt.Errorf("explore: dimension %d is in no factor", j)
		}
	}
	return nil
}

// Rows returns the number of model runs, N·(F+2).
func (s *Saltelli) Rows() int { return s.N * (len(s.Factors) + 2) }

// Row writes the point of row r into dst (length D).
func (s *Saltelli) Row(r int, dst []float64) {
	i := r % s.N
	block := r / s.N
	off := 0
	if block == 1 {
		off = s.D
	}
	for j := range s.D {
		dst[j] = s.plan.U(i, off+j)
	}
	if block >= 2 {
		for _, j := range s.Factors[block-2].Dims {
			dst[j] = s.plan.U(i, s.D+j)
		}
	}
}

// Index is a Sobol' index with its bootstrap confidence interval.
type Index struct {
	Value, Lo, Hi float64
}

// SobolResult holds the indices of every factor for one output.
type SobolResult struct {
	// Var is the output's variance over A and B; Mean its mean. When Var
	// is 0 the output is the same on every run and the indices are NaN.
	Mean, Var float64
	// S1 and ST are the first-order and total-order indices, by factor.
	S1, ST []Index
}

// SobolOptions say how to estimate the indices.
type SobolOptions struct {
	// Resamples is the number of bootstrap resamples (0: 500).
	Resamples int
	// Level is the confidence level of the intervals (0: 0.95).
	Level float64
	// Seed seeds the bootstrap.
	Seed uint64
}

// AnalyzeSobol estimates the first- and total-order indices of each
// output from the model's values y[r][k] of output k on row r of s:
//
//	S1_f = mean(f(B)·(f(A_B^f) − f(A))) / V     (Saltelli 2010)
//	ST_f = mean((f(A) − f(A_B^f))²) / (2V)      (Jansen 1999)
//
// with V the variance of the outputs on A and B together. The intervals
// are bootstrap percentile intervals: the N base points are resampled
// with replacement, the same resamples for every factor and output.
func AnalyzeSobol(ctx context.Context, s *Saltelli, y [][]float64, opt SobolOptions) ([]SobolResult, error) {
	if len(y) != s.Rows() {
		return nil, fmt.Errorf("explore: %d rows of outputs for a design of %d rows", len(y), s.Rows())
	}
	if opt.Resamples == 0 {
		opt.Resamples = 500
	}
	if opt.Level == 0 {
		opt.Level = 0.95
	}
	K := len(y[0])
	N, F := s.N, len(s.Factors)
	// The bootstrap resamples, as counts of each base point.
	g := rand.New(rand.NewPCG(opt.Seed, 0x6a09e667f3bcc909))
	counts := make([][]int32, opt.Resamples)
	for b := range counts {
		c := make([]int32, N)
		for range N {
			c[g.IntN(N)]++
		}
		counts[b] = c
	}
	out := make([]SobolResult, K)
	// The outputs are analysed in parallel, each with its own buffers.
	parallel(K, func(k int) {
		if ctx.Err() != nil {
			return
		}
		fa, fb, fab := make([]float64, N), make([]float64, N), make([]float64, N)
		boot1, bootT := make([]float64, 0, opt.Resamples), make([]float64, 0, opt.Resamples)
		for i := range N {
			fa[i], fb[i] = y[i][k], y[N+i][k]
		}
		mean, v := meanVar(fa, fb, nil)
		res := SobolResult{Mean: mean, Var: v, S1: make([]Index, F), ST: make([]Index, F)}
		for f := range F {
			if !(v > 0) {
				nan := Index{math.NaN(), math.NaN(), math.NaN()}
				res.S1[f], res.ST[f] = nan, nan
				continue
			}
			for i := range N {
				fab[i] = y[(f+2)*N+i][k]
			}
			s1, st := sobolPair(fa, fb, fab, nil, v)
			// A resample in which the output is constant (a rare event
			// left out) has no indices and is skipped.
			boot1, bootT = boot1[:0], bootT[:0]
			for _, c := range counts {
				_, vb := meanVar(fa, fb, c)
				if b1, bt := sobolPair(fa, fb, fab, c, vb); !math.IsNaN(b1) && !math.IsNaN(bt) {
					boot1, bootT = append(boot1, b1), append(bootT, bt)
				}
			}
			res.S1[f] = Index{s1, quantile(boot1, (1-opt.Level)/2), quantile(boot1, (1+opt.Level)/2)}
			res.ST[f] = Index{st, quantile(bootT, (1-opt.Level)/2), quantile(bootT, (1+opt.Level)/2)}
		}
		out[k] = res
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// meanVar returns the mean and variance of the values of a and b
// together, each point weighted by its count c[i] (all 1 when c is nil).
func meanVar(a, b []float64, c []int32) (float64, float64) {
	var n, sum float64
	for i := range a {
		w := 1.0
		if c != nil {
			w = float64(c[i])
		}
		n += 2 * w
		sum += w * (a[i] + b[i])
	}
	mean := sum / n
	var ss float64
	for i := range a {
		w := 1.0
		if c != nil {
			w = float64(c[i])
		}
		da, db := a[i]-mean, b[i]-mean
		ss += w * (da*da + db*db)
	}
	return mean, ss / (n - 1)
}

// sobolPair returns the first- and total-order estimates of one factor
// over the base points weighted by c (all 1 when c is nil), with v the
// variance.
func sobolPair(fa, fb, fab []float64, c []int32, v float64) (float64, float64) {
	var n, s1, st float64
	for i := range fa {
		w := 1.0
		if c != nil {
			w = float64(c[i])
		}
		n += w
		s1 += w * fb[i] * (fab[i] - fa[i])
		d := fa[i] - fab[i]
		st += w * d * d
	}
	if !(v > 0) {
		return math.NaN(), math.NaN()
	}
	return s1 / n / v, st / (2 * n) / v
}

// quantile returns the type-7 quantile p of x, sorting x in place; NaN
// for an empty x.
func quantile(x []float64, p float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	slices.Sort(x)
	h := p * float64(len(x)-1)
	lo := int(math.Floor(h))
	if lo+1 >= len(x) {
		return x[len(x)-1]
	}
	return x[lo] + (h-float64(lo))*(x[lo+1]-x[lo])
}
