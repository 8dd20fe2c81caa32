package uncertain

import "gonum.org/v1/gonum/stat/distuv"

// Beta is a beta distribution with shape parameters Alpha and Beta,
// scaled from [0, 1] to [Min, Max]; when Min and Max are both zero it is
// on the unit interval.
type Beta struct {
	Alpha, Beta float64
	Min, Max    float64
}

var betaFamily = Family{
	Name: "beta",
	Rank: 70,
	Params: []Param{
		{Name: "alpha"}, {Name: "beta"},
		{Name: "min", Optional: true, Location: true, With: "max"},
		{Name: "max", Optional: true, Location: true, With: "min"},
	},
	New: func(v Values) Dist {
		return Beta{Alpha: v.Num("alpha"), Beta: v.Num("beta"), Min: v.Num("min"), Max: v.Num("max")}
	},
}

var _ = register(&betaFamily)

// Family returns the family "beta".
func (Beta) Family() *Family { return &betaFamily }

// Params returns alpha and beta, and min and max unless both are zero.
func (d Beta) Params() Values {
	v := Values{"alpha": {d.Alpha}, "beta": {d.Beta}}
	if d.Min != 0 || d.Max != 0 {
		v["min"], v["max"] = []float64{d.Min}, []float64{d.Max}
	}
	return v
}

// Quantile returns the quantile of gonum's distuv.Beta, scaled.
func (d Beta) Quantile(u float64) float64 {
	if !d.valid() {
		return nan()
	}
	return d.quantile(u)
}

func (d Beta) quantile(u float64) float64 {
	u, ok := clampU(u)
	if !ok {
		return u
	}
	lo, hi := d.interval()
	if lo == hi {
		return lo
	}
	return scaledBetaQuantile(u, d.Alpha, d.Beta, lo, hi)
}

// ExpectedValue returns Min + (Max − Min) α/(α + β).
func (d Beta) ExpectedValue() float64 {
	if !d.valid() {
		return nan()
	}
	lo, hi := d.interval()
	return lo + (hi-lo)*d.Alpha/(d.Alpha+d.Beta)
}

// Variance returns the variance of the scaled distribution.
func (d Beta) Variance() float64 {
	if !d.valid() {
		return nan()
	}
	lo, hi := d.interval()
	return scaledBetaVariance(d.Alpha, d.Beta, lo, hi)
}

// Bounds returns the interval the distribution is scaled to.
func (d Beta) Bounds() (lo, hi float64) {
	if !d.valid() {
		return nan2()
	}
	return d.interval()
}

// Check returns the problems with the parameters: positive shapes,
// Min <= Max.
func (d Beta) Check() []string { return problems(d) }

// valid reports whether Check would find no problems, without allocating.
func (d Beta) valid() bool {
	var c checker
	d.check(&c)
	return c.n == 0
}

func (d Beta) check(c *checker) {
	if c.finite("alpha", d.Alpha) && d.Alpha <= 0 {
		c.addf("alpha (%v) must be above 0", d.Alpha)
	}
	if c.finite("beta", d.Beta) && d.Beta <= 0 {
		c.addf("beta (%v) must be above 0", d.Beta)
	}
	if c.finite("min", d.Min) && c.finite("max", d.Max) && d.Min > d.Max {
		c.addf("min (%v) is above max (%v): expected min <= max (or both 0 for the interval from 0 to 1)", d.Min, d.Max)
	}
}

// String returns "beta(Alpha, Beta)" or "beta(Alpha, Beta, min=Min,
// max=Max)".
func (d Beta) String() string {
	if d.Min != 0 || d.Max != 0 {
		return format("beta", d.Alpha, d.Beta, "min=", d.Min, "max=", d.Max)
	}
	return format("beta", d.Alpha, d.Beta)
}

// interval returns the interval the distribution is scaled to.
func (d Beta) interval() (lo, hi float64) {
	if d.Min == 0 && d.Max == 0 {
		return 0, 1
	}
	return d.Min, d.Max
}

// scaledBetaQuantile returns the quantile at u of a beta(alpha, beta)
// distribution scaled to [lo, hi].
func scaledBetaQuantile(u, alpha, beta, lo, hi float64) float64 {
	x := distuv.Beta{Alpha: alpha, Beta: beta}.Quantile(u)
	return clamp(lo+x*(hi-lo), lo, hi)
}

// scaledBetaVariance returns the variance of a beta(alpha, beta)
// distribution scaled to [lo, hi].
func scaledBetaVariance(alpha, beta, lo, hi float64) float64 {
	w := hi - lo
	s := alpha + beta
	return w * w * alpha * beta / (s * s * (s + 1))
}
