package uncertain

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Triangular is a triangular distribution on [Min, Max] with its peak at
// Mode.
type Triangular struct {
	Min, Mode, Max float64
}

var triangularFamily = Family{
	Name:   "triangular",
	Rank:   30,
	Params: []Param{{Name: "min", Location: true}, {Name: "mode", Location: true}, {Name: "max", Location: true}},
	New:    func(v Values) Dist { return Triangular{Min: v.Num("min"), Mode: v.Num("mode"), Max: v.Num("max")} },
}

var _ = register(&triangularFamily)

// Family returns the family "triangular".
func (Triangular) Family() *Family { return &triangularFamily }

// Params returns min, mode and max.
func (d Triangular) Params() Values { return minModeMax(d.Min, d.Mode, d.Max) }

// Quantile returns the quantile of gonum's distuv.Triangle.
func (d Triangular) Quantile(u float64) float64 {
	if !d.valid() {
		return nan()
	}
	return d.quantile(u)
}

func (d Triangular) quantile(u float64) float64 {
	u, ok := clampU(u)
	if !ok {
		return u
	}
	if d.Min == d.Max {
		return d.Min
	}
	t := distuv.NewTriangle(d.Min, d.Max, d.Mode, nil)
	return clamp(t.Quantile(u), d.Min, d.Max)
}

// quantileFunc is quantile with the triangle set up once.
func (d Triangular) quantileFunc() func(float64) float64 {
	lo, hi := d.Min, d.Max
	if lo == hi {
		return d.quantile
	}
	t := distuv.NewTriangle(lo, hi, d.Mode, nil)
	return func(u float64) float64 {
		if math.IsNaN(u) {
			return math.NaN()
		}
		return clamp(t.Quantile(min(max(u, uLo), uHi)), lo, hi)
	}
}

// ExpectedValue returns (Min + Mode + Max)/3.
func (d Triangular) ExpectedValue() float64 {
	if !d.valid() {
		return nan()
	}
	return (d.Min + d.Mode + d.Max) / 3
}

// Variance returns the variance of the triangle.
func (d Triangular) Variance() float64 {
	if !d.valid() {
		return nan()
	}
	a, c, b := d.Min, d.Mode, d.Max
	return (a*a + b*b + c*c - a*b - a*c - b*c) / 18
}

// Bounds returns Min, Max.
func (d Triangular) Bounds() (lo, hi float64) {
	if !d.valid() {
		return nan2()
	}
	return d.Min, d.Max
}

// Check returns the problems with the parameters: finite, with
// Min <= Mode <= Max.
func (d Triangular) Check() []string { return problems(d) }

// valid reports whether Check would find no problems, without allocating.
func (d Triangular) valid() bool {
	var c checker
	d.check(&c)
	return c.n == 0
}

func (d Triangular) check(c *checker) { checkMinModeMax(c, d.Min, d.Mode, d.Max) }

// String returns "triangular(Min, Mode, Max)".
func (d Triangular) String() string { return format("triangular", d.Min, d.Mode, d.Max) }

// minModeMax returns the parameters of a triangular or PERT distribution.
func minModeMax(lo, mode, hi float64) Values {
	return Values{"min": {lo}, "mode": {mode}, "max": {hi}}
}

// checkMinModeMax checks the parameters of a triangular or PERT
// distribution.
func checkMinModeMax(c *checker, lo, mode, hi float64) {
	okMin := c.finite("min", lo)
	okMode := c.finite("mode", mode)
	okMax := c.finite("max", hi)
	switch {
	case okMin && okMax && lo > hi:
		c.addf("min (%v) is above max (%v): expected min <= mode <= max", lo, hi)
	case okMin && okMode && mode < lo:
		c.addf("mode (%v) is below min (%v): expected min <= mode <= max", mode, lo)
	case okMax && okMode && mode > hi:
		c.addf("mode (%v) is above max (%v): expected min <= mode <= max", mode, hi)
	}
}
