package study

import (
	"math"

	"github.com/reesim/reesim/internal/stat"
)

// Z95 is the standard normal quantile of a two-sided 95 % confidence
// interval.
const Z95 = 1.959963984540054

// estimate returns the mean of m with its standard error and 95 %
// interval.
func estimate(m stat.Moments) Estimate {
	se := m.SE()
	return Estimate{Mean: m.Mean, SE: se, Lo: m.Mean - Z95*se, Hi: m.Mean + Z95*se}
}

// comoments accumulates the means, variances and covariance of pairs
// (x, y), for the ratio of their means.
type comoments struct {
	n, mx, my, m2x, m2y, cxy float64
}

func (c *comoments) add(x, y float64) {
	c.n++
	dx := x - c.mx
	c.mx += dx / c.n
	dy := y - c.my
	c.my += dy / c.n
	c.m2x += dx * (x - c.mx)
	c.m2y += dy * (y - c.my)
	c.cxy += dx * (y - c.my)
}

// ratio returns the ratio of the means mean(x)/mean(y) with its standard
// error by the delta method:
//
//	Var(x̄/ȳ) ≈ (s²x − 2R·sxy + R²·s²y) / (n·ȳ²),  R = x̄/ȳ.
//
// ok is false when mean(y) is 0 (or too close to 0 to divide by).
func (c comoments) ratio() (e Estimate, ok bool) {
	if c.n < 2 || c.my == 0 || math.Abs(c.my) < 1e-12*(math.Abs(c.mx)+1) {
		return Estimate{}, false
	}
	r := c.mx / c.my
	vx, vy, cov := c.m2x/(c.n-1), c.m2y/(c.n-1), c.cxy/(c.n-1)
	v := (vx - 2*r*cov + r*r*vy) / (c.n * c.my * c.my)
	se := math.Sqrt(math.Max(v, 0))
	return Estimate{Mean: r, SE: se, Lo: r - Z95*se, Hi: r + Z95*se}, true
}

// Estimate is a mean over paths with its Monte Carlo standard error and
// 95 % confidence interval, Mean ± 1.96·SE.
type Estimate struct {
	Mean float64 `json:"mean"`
	SE   float64 `json:"se"`
	Lo   float64 `json:"ci95_lo"`
	Hi   float64 `json:"ci95_hi"`
}

// HalfWidth returns the half-width of the 95 % confidence interval.
func (e Estimate) HalfWidth() float64 { return Z95 * e.SE }
