package uncertain

import "math"

// LogNormal is a lognormal distribution given by its Median and its 90th
// percentile P90, with P90 > Median > 0, truncated like Normal when
// HasMin or HasMax is set. The underlying normal has μ = ln(Median) and
// σ = ln(P90/Median)/z₀.₉, where z₀.₉ ≈ 1.2816 is the 90th percentile of
// the standard normal.
type LogNormal struct {
	Median, P90    float64
	Min, Max       float64
	HasMin, HasMax bool
}

var logNormalFamily = Family{
	Name: "lognormal",
	Rank: 60,
	Params: []Param{
		{Name: "median", Location: true}, {Name: "p90", Location: true},
		{Name: "min", Optional: true, Location: true}, {Name: "max", Optional: true, Location: true},
	},
	New: func(v Values) Dist {
		return LogNormal{Median: v.Num("median"), P90: v.Num("p90"), Min: v.Num("min"), Max: v.Num("max"), HasMin: v.Has("min"), HasMax: v.Has("max")}
	},
}

var _ = register(&logNormalFamily)

// Family returns the family "lognormal".
func (LogNormal) Family() *Family { return &logNormalFamily }

// Params returns median and p90, and the truncation bounds that are set.
func (d LogNormal) Params() Values {
	return truncated(Values{"median": {d.Median}, "p90": {d.P90}}, d.Min, d.Max, d.HasMin, d.HasMax)
}

// Quantile inverts the truncated underlying normal and exponentiates.
func (d LogNormal) Quantile(u float64) float64 {
	if !d.valid() {
		return nan()
	}
	return d.quantile(u)
}

func (d LogNormal) quantile(u float64) float64 {
	u, ok := clampU(u)
	if !ok {
		return u
	}
	lo, hi := d.truncation()
	mu, sigma := d.params()
	z := truncNormalQuantile(u, (math.Log(lo)-mu)/sigma, (math.Log(hi)-mu)/sigma)
	return clamp(math.Exp(mu+sigma*z), lo, hi)
}

// ExpectedValue returns the mean of the truncated distribution.
func (d LogNormal) ExpectedValue() float64 {
	if !d.valid() {
		return nan()
	}
	m, _ := d.moments()
	return m
}

// Variance returns the variance of the truncated distribution.
func (d LogNormal) Variance() float64 {
	if !d.valid() {
		return nan()
	}
	_, v := d.moments()
	return v
}

// Bounds returns the truncation bounds, 0 and +Inf where none is set.
func (d LogNormal) Bounds() (lo, hi float64) {
	if !d.valid() {
		return nan2()
	}
	return d.truncation()
}

// Check returns the problems with the parameters: P90 > Median > 0, and
// positive truncation bounds that leave some probability.
func (d LogNormal) Check() []string { return problems(d) }

// valid reports whether Check would find no problems, without allocating.
func (d LogNormal) valid() bool {
	var c checker
	d.check(&c)
	return c.n == 0
}

func (d LogNormal) check(c *checker) {
	okMedian := c.finite("median", d.Median)
	okP90 := c.finite("p90", d.P90)
	if okMedian && d.Median <= 0 {
		c.addf("median (%v) must be above 0", d.Median)
		okMedian = false
	}
	if okMedian && okP90 && d.P90 <= d.Median {
		c.addf("p90 (%v) must be above median (%v)", d.P90, d.Median)
		okP90 = false
	}
	okTrunc := c.truncation(d.Min, d.Max, d.HasMin, d.HasMax)
	if okTrunc && d.HasMin && d.Min < 0 {
		c.addf("min (%v) is negative: expected a lower bound of 0 or more, as lognormal values are positive", d.Min)
		okTrunc = false
	}
	if okTrunc && d.HasMax && d.Max <= 0 {
		c.addf("max (%v) is not above 0: expected an upper bound above 0, as lognormal values are positive", d.Max)
		okTrunc = false
	}
	if !okTrunc || !okMedian || !okP90 || (!d.HasMin && !d.HasMax) {
		return
	}
	lo, hi := d.truncation()
	mu, sigma := d.params()
	if normalMass((math.Log(lo)-mu)/sigma, (math.Log(hi)-mu)/sigma) < minMass {
		c.addf("truncation bounds [%v, %v] leave practically no probability: they are too far into the tail of a lognormal with median %v and p90 %v", lo, hi, d.Median, d.P90)
	}
}

// String returns "lognormal(median=Median, p90=P90)", with min= and max=
// when set.
func (d LogNormal) String() string {
	return format("lognormal", truncationArgs([]any{"median=", d.Median, "p90=", d.P90}, d.Min, d.Max, d.HasMin, d.HasMax)...)
}

// truncation returns the truncation bounds, 0 and +Inf where none is set.
func (d LogNormal) truncation() (lo, hi float64) {
	return bounds(0, d.Min, d.Max, d.HasMin, d.HasMax)
}

// params returns μ and σ of the underlying normal.
func (d LogNormal) params() (mu, sigma float64) {
	return math.Log(d.Median), math.Log(d.P90/d.Median) / z90
}

// moments returns the mean and variance of the possibly truncated
// distribution.
func (d LogNormal) moments() (mean, variance float64) {
	mu, sigma := d.params()
	s2 := sigma * sigma
	if !d.HasMin && !d.HasMax {
		return math.Exp(mu + s2/2), math.Expm1(s2) * math.Exp(2*mu+s2)
	}
	lo, hi := d.truncation()
	a, b := (math.Log(lo)-mu)/sigma, (math.Log(hi)-mu)/sigma
	mass := normalMass(a, b)
	// E[X^k] = exp(kμ + k²σ²/2) (Φ(b−kσ) − Φ(a−kσ)) / (Φ(b) − Φ(a)).
	m1 := math.Exp(mu+s2/2) * normalMass(a-sigma, b-sigma) / mass
	m2 := math.Exp(2*mu+2*s2) * normalMass(a-2*sigma, b-2*sigma) / mass
	return m1, max(m2-m1*m1, 0)
}
