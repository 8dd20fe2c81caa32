package uncertain

import "math"

// PERT is a PERT distribution: like a triangular one on [Min, Max] with
// its peak at Mode, with less weight in the tails. It is a beta
// distribution scaled to [Min, Max] with shape parameters
// α = 1 + 4(Mode − Min)/(Max − Min) and β = 1 + 4(Max − Mode)/(Max − Min),
// so its mean is (Min + 4·Mode + Max)/6.
type PERT struct {
	Min, Mode, Max float64
}

var pertFamily = Family{
	Name:   "pert",
	Rank:   40,
	Params: []Param{{Name: "min", Location: true}, {Name: "mode", Location: true}, {Name: "max", Location: true}},
	New:    func(v Values) Dist { return PERT{Min: v.Num("min"), Mode: v.Num("mode"), Max: v.Num("max")} },
}

var _ = register(&pertFamily)

// Family returns the family "pert".
func (PERT) Family() *Family { return &pertFamily }

// Params returns min, mode and max.
func (d PERT) Params() Values { return minModeMax(d.Min, d.Mode, d.Max) }

// Quantile returns the quantile of the scaled beta distribution.
func (d PERT) Quantile(u float64) float64 {
	if !d.valid() {
		return nan()
	}
	return d.quantile(u)
}

func (d PERT) quantile(u float64) float64 {
	u, ok := clampU(u)
	if !ok {
		return u
	}
	if d.Min == d.Max {
		return d.Min
	}
	a, b := d.shape()
	return scaledBetaQuantile(u, a, b, d.Min, d.Max)
}

// quantileFunc is quantile with the shape set up once.
func (d PERT) quantileFunc() func(float64) float64 {
	lo, hi := d.Min, d.Max
	if lo == hi {
		return d.quantile
	}
	a, b := d.shape()
	return func(u float64) float64 {
		if math.IsNaN(u) {
			return math.NaN()
		}
		return scaledBetaQuantile(min(max(u, uLo), uHi), a, b, lo, hi)
	}
}

// ExpectedValue returns (Min + 4·Mode + Max)/6.
func (d PERT) ExpectedValue() float64 {
	if !d.valid() {
		return nan()
	}
	return (d.Min + 4*d.Mode + d.Max) / 6
}

// Variance returns the variance of the scaled beta distribution.
func (d PERT) Variance() float64 {
	if !d.valid() {
		return nan()
	}
	a, b := d.shape()
	return scaledBetaVariance(a, b, d.Min, d.Max)
}

// Bounds returns Min, Max.
func (d PERT) Bounds() (lo, hi float64) {
	if !d.valid() {
		return nan2()
	}
	return d.Min, d.Max
}

// Check returns the problems with the parameters: finite, with
// Min <= Mode <= Max.
func (d PERT) Check() []string { return problems(d) }

// valid reports whether Check would find no problems, without allocating.
func (d PERT) valid() bool {
	var c checker
	d.check(&c)
	return c.n == 0
}

func (d PERT) check(c *checker) { checkMinModeMax(c, d.Min, d.Mode, d.Max) }

// String returns "pert(Min, Mode, Max)".
func (d PERT) String() string { return format("pert", d.Min, d.Mode, d.Max) }

// shape returns the beta shape parameters of a PERT distribution with
// Min < Max.
func (d PERT) shape() (alpha, beta float64) {
	w := d.Max - d.Min
	return 1 + 4*(d.Mode-d.Min)/w, 1 + 4*(d.Max-d.Mode)/w
}
