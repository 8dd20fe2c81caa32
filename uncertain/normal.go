package uncertain

import "math"

// Normal is a normal distribution with mean Mean and standard deviation
// SD, truncated to values of at least Min when HasMin is set and at most
// Max when HasMax is set. An SD of zero gives Mean (moved into the
// truncation bounds) every time.
type Normal struct {
	Mean, SD       float64
	Min, Max       float64
	HasMin, HasMax bool
}

var normalFamily = Family{
	Name: "normal",
	Rank: 50,
	Params: []Param{
		{Name: "mean", Location: true}, {Name: "sd"},
		{Name: "min", Optional: true, Location: true}, {Name: "max", Optional: true, Location: true},
	},
	New: func(v Values) Dist {
		return Normal{Mean: v.Num("mean"), SD: v.Num("sd"), Min: v.Num("min"), Max: v.Num("max"), HasMin: v.Has("min"), HasMax: v.Has("max")}
	},
}

var _ = register(&normalFamily)

// Family returns the family "normal".
func (Normal) Family() *Family { return &normalFamily }

// Params returns mean and sd, and the truncation bounds that are set.
func (d Normal) Params() Values {
	return truncated(Values{"mean": {d.Mean}, "sd": {d.SD}}, d.Min, d.Max, d.HasMin, d.HasMax)
}

// Quantile inverts the truncated normal: u is mapped into the
// probabilities of the bounds, then inverted.
func (d Normal) Quantile(u float64) float64 {
	if !d.valid() {
		return nan()
	}
	return d.quantile(u)
}

func (d Normal) quantile(u float64) float64 {
	u, ok := clampU(u)
	if !ok {
		return u
	}
	lo, hi := d.truncation()
	if d.SD == 0 {
		return clamp(d.Mean, lo, hi)
	}
	z := truncNormalQuantile(u, (lo-d.Mean)/d.SD, (hi-d.Mean)/d.SD)
	return clamp(d.Mean+d.SD*z, lo, hi)
}

// ExpectedValue returns the mean of the truncated distribution.
func (d Normal) ExpectedValue() float64 {
	if !d.valid() {
		return nan()
	}
	lo, hi := d.truncation()
	if d.SD == 0 {
		return clamp(d.Mean, lo, hi)
	}
	m, _ := truncNormalMoments((lo-d.Mean)/d.SD, (hi-d.Mean)/d.SD)
	return d.Mean + d.SD*m
}

// Variance returns the variance of the truncated distribution.
func (d Normal) Variance() float64 {
	if !d.valid() {
		return nan()
	}
	if d.SD == 0 {
		return 0
	}
	lo, hi := d.truncation()
	_, v := truncNormalMoments((lo-d.Mean)/d.SD, (hi-d.Mean)/d.SD)
	return d.SD * d.SD * v
}

// Bounds returns the truncation bounds, infinite where none is set, or
// the (clamped) mean twice when SD is zero.
func (d Normal) Bounds() (lo, hi float64) {
	if !d.valid() {
		return nan2()
	}
	lo, hi = d.truncation()
	if d.SD == 0 {
		m := clamp(d.Mean, lo, hi)
		return m, m
	}
	return lo, hi
}

// Check returns the problems with the parameters: a standard deviation
// of 0 or more, and truncation bounds that leave some probability.
func (d Normal) Check() []string { return problems(d) }

// valid reports whether Check would find no problems, without allocating.
func (d Normal) valid() bool {
	var c checker
	d.check(&c)
	return c.n == 0
}

func (d Normal) check(c *checker) {
	okMean := c.finite("mean", d.Mean)
	okSD := c.finite("sd", d.SD)
	if okSD && d.SD < 0 {
		c.addf("sd (%v) is negative: expected a standard deviation of 0 or more", d.SD)
		okSD = false
	}
	if !c.truncation(d.Min, d.Max, d.HasMin, d.HasMax) || !okMean || !okSD || (!d.HasMin && !d.HasMax) {
		return
	}
	lo, hi := d.truncation()
	switch {
	case d.SD == 0:
		if d.Mean < lo || d.Mean > hi {
			c.addf("mean (%v) is outside the truncation bounds [%v, %v] and sd is 0: expected the mean inside the bounds", d.Mean, lo, hi)
		}
	case normalMass((lo-d.Mean)/d.SD, (hi-d.Mean)/d.SD) < minMass:
		c.addf("truncation bounds [%v, %v] leave practically no probability: they are too far into the tail of a normal with mean %v and sd %v", lo, hi, d.Mean, d.SD)
	}
}

// String returns "normal(mean=Mean, sd=SD)", with min= and max= when set.
func (d Normal) String() string {
	return format("normal", truncationArgs([]any{"mean=", d.Mean, "sd=", d.SD}, d.Min, d.Max, d.HasMin, d.HasMax)...)
}

// truncation returns the truncation bounds, -Inf and +Inf where none is
// set.
func (d Normal) truncation() (lo, hi float64) {
	return bounds(math.Inf(-1), d.Min, d.Max, d.HasMin, d.HasMax)
}

// bounds returns the truncation bounds of a normal or lognormal
// distribution whose untruncated support starts at lo0: min where it is
// set, else lo0; max where it is set, else +Inf.
func bounds(lo0, min, max float64, hasMin, hasMax bool) (lo, hi float64) {
	lo, hi = lo0, math.Inf(1)
	if hasMin {
		lo = min
	}
	if hasMax {
		hi = max
	}
	return lo, hi
}

// truncated adds to v the truncation bounds that are set.
func truncated(v Values, min, max float64, hasMin, hasMax bool) Values {
	if hasMin {
		v["min"] = []float64{min}
	}
	if hasMax {
		v["max"] = []float64{max}
	}
	return v
}

// truncationArgs adds to the arguments of format the truncation bounds
// that are set.
func truncationArgs(args []any, min, max float64, hasMin, hasMax bool) []any {
	if hasMin {
		args = append(args, "min=", min)
	}
	if hasMax {
		args = append(args, "max=", max)
	}
	return args
}
