package uncertain

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// symmetryTol is how far apart the two halves of a rank correlation matrix
// may be and still count as symmetric, to allow for rounding in whatever
// produced the matrix.
const symmetryTol = 1e-9

// Copula turns independent uniforms into uniforms whose Spearman rank
// correlations are the ones asked for. It is a Gaussian copula: the
// uniforms are mapped to standard normals, correlated with a Cholesky
// factor, and mapped back to uniforms.
//
// A Copula keeps scratch space so that Transform does not allocate, and is
// therefore not safe for concurrent use: make one with NewCopula for each
// goroutine, as the engine does for each of its samplers.
type Copula struct {
	n int
	// l is the lower-triangular Cholesky factor of the Pearson correlation
	// matrix of the underlying normals, n×n row-major.
	l []float64
	// z is scratch space for the normal quantiles of the input uniforms.
	z []float64
}

// NewCopula returns a Copula for n variables with the given Spearman rank
// correlation matrix, an n×n matrix stored row-major in spearman. The
// matrix must be symmetric with ones on the diagonal and entries in
// [-1, 1]; spearman is not retained.
//
// Each entry ρs is converted to the Pearson correlation of the underlying
// normals, r = 2 sin(π ρs / 6), and the resulting matrix is factorised by
// Cholesky decomposition. NewCopula returns an error if the matrix is not
// positive definite, which happens when the correlations contradict each
// other (for example a with b and b with c strongly positive but a with c
// strongly negative) or when two different variables are given a
// correlation of exactly 1 or -1.
func NewCopula(n int, spearman []float64) (*Copula, error) {
	if n < 1 {
		return nil, fmt.Errorf("uncertain: a copula needs at least one variable, got n = %d", n)
	}
	if len(spearman) != n*n {
		return nil, fmt.Errorf("uncertain: rank correlation matrix has %d entries: expected n×n = %d for n = %d", len(spearman), n*n, n)
	}
	pearson := mat.NewSymDense(n, nil)
	for i := range n {
		for j := i; j < n; j++ {
			rij, rji := spearman[i*n+j], spearman[j*n+i]
			switch {
			case !isFinite(rij):
				return nil, fmt.Errorf("uncertain: rank correlation [%d][%d] (%v) is not a finite number", i, j, rij)
			case !isFinite(rji):
				return nil, fmt.Errorf("uncertain: rank correlation [%d][%d] (%v) is not a finite number", j, i, rji)
			case i == j && rij != 1:
				return nil, fmt.Errorf("uncertain: rank correlation [%d][%d] is %v: expected 1 on the diagonal", i, i, rij)
			case rij < -1 || rij > 1:
				return nil, fmt.Errorf("uncertain: rank correlation [%d][%d] (%v) is outside [-1, 1]", i, j, rij)
			case math.Abs(rij-rji) > symmetryTol:
				return nil, fmt.Errorf("uncertain: rank correlation matrix is not symmetric: [%d][%d] is %v but [%d][%d] is %v", i, j, rij, j, i, rji)
			}
			pearson.SetSym(i, j, spearmanToPearson((rij+rji)/2))
		}
	}
	var chol mat.Cholesky
	if ok := chol.Factorize(pearson); !ok {
		return nil, errors.New("uncertain: rank correlation matrix is not positive definite, so no set of variables can have all of these correlations at once: " +
			"lower the strongest correlations (and avoid correlations of exactly 1 or -1 between different variables)")
	}
	var lt mat.TriDense
	chol.LTo(&lt)
	c := &Copula{n: n, l: make([]float64, n*n), z: make([]float64, n)}
	for i := range n {
		for j := 0; j <= i; j++ {
			c.l[i*n+j] = lt.At(i, j)
		}
	}
	return c, nil
}

// spearmanToPearson returns the Pearson correlation of two standard normal
// variables whose Spearman rank correlation is rho.
func spearmanToPearson(rho float64) float64 {
	switch rho {
	case 1, -1:
		// Exact, where 2 sin(±π/6) would round to just inside ±1.
		return rho
	}
	return 2 * math.Sin(math.Pi*rho/6)
}

// Transform writes into dst the correlated uniforms for the independent
// uniforms u. Both must have the length n given to NewCopula; dst and u
// may be the same slice. Values of u outside (0, 1) are clamped as in
// Dist.Quantile.
// Transform does not allocate. It panics if the lengths are wrong, which
// is a programming error.
func (c *Copula) Transform(dst, u []float64) {
	if len(dst) != c.n || len(u) != c.n {
		panic("uncertain: Copula.Transform: slice length does not match the number of variables")
	}
	for i, ui := range u {
		if !math.IsNaN(ui) {
			ui = min(max(ui, uLo), uHi)
		}
		c.z[i] = distuv.UnitNormal.Quantile(ui)
	}
	for i := range c.n {
		row := c.l[i*c.n : i*c.n+i+1]
		var y float64
		for j, lij := range row {
			y += lij * c.z[j]
		}
		dst[i] = distuv.UnitNormal.CDF(y)
	}
}
