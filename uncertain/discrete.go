package uncertain

import "math"

// Discrete is a discrete distribution: Values[i] is drawn with
// probability Weights[i] / sum(Weights). Weights must not be negative and
// must not all be zero; they need not add up to one. Quantile walks the
// values in the order given, so list them in increasing order for
// Quantile to be non-decreasing in u, which correlation through a Copula
// relies on.
type Discrete struct {
	Values, Weights []float64
}

var discreteFamily = Family{
	Name:   "discrete",
	Rank:   80,
	Params: []Param{{Name: "values", List: true, Location: true}, {Name: "weights", List: true}},
	New:    func(v Values) Dist { return Discrete{Values: v["values"], Weights: v["weights"]} },
}

var _ = register(&discreteFamily)

// Family returns the family "discrete".
func (Discrete) Family() *Family { return &discreteFamily }

// Params returns values and weights.
func (d Discrete) Params() Values { return Values{"values": d.Values, "weights": d.Weights} }

// Quantile walks the cumulative weights in the order the values are
// given.
func (d Discrete) Quantile(u float64) float64 {
	if !d.valid() {
		return nan()
	}
	return d.quantile(u)
}

func (d Discrete) quantile(u float64) float64 {
	u, ok := clampU(u)
	if !ok {
		return u
	}
	var total float64
	for _, w := range d.Weights {
		total += w
	}
	t := u * total
	var cum float64
	last := math.NaN()
	for i, w := range d.Weights {
		if w <= 0 {
			continue
		}
		cum += w
		if t < cum {
			return d.Values[i]
		}
		last = d.Values[i]
	}
	// Rounding left t at or above the running total: the draw belongs to
	// the last value with positive weight.
	return last
}

// ExpectedValue returns the weighted mean of the values.
func (d Discrete) ExpectedValue() float64 {
	if !d.valid() {
		return nan()
	}
	var sw, swv float64
	for i, w := range d.Weights {
		sw += w
		swv += w * d.Values[i]
	}
	return swv / sw
}

// Variance returns the weighted variance of the values.
func (d Discrete) Variance() float64 {
	if !d.valid() {
		return nan()
	}
	m := d.ExpectedValue()
	var sw, swd float64
	for i, w := range d.Weights {
		dv := d.Values[i] - m
		sw += w
		swd += w * dv * dv
	}
	return swd / sw
}

// Bounds returns the least and greatest value of positive weight.
func (d Discrete) Bounds() (lo, hi float64) {
	if !d.valid() {
		return nan2()
	}
	lo, hi = math.Inf(1), math.Inf(-1)
	for i, w := range d.Weights {
		if w > 0 {
			lo = min(lo, d.Values[i])
			hi = max(hi, d.Values[i])
		}
	}
	return lo, hi
}

// Check returns the problems with the values and weights: one weight per
// value, finite numbers, weights of 0 or more and not all zero.
func (d Discrete) Check() []string { return problems(d) }

// valid reports whether Check would find no problems, without allocating.
func (d Discrete) valid() bool {
	var c checker
	d.check(&c)
	return c.n == 0
}

func (d Discrete) check(c *checker) {
	if len(d.Values) == 0 {
		c.addf("values is empty: expected at least one value")
	}
	if len(d.Values) != len(d.Weights) {
		c.addf("values has %d entries but weights has %d: expected one weight per value", len(d.Values), len(d.Weights))
	}
	for i, v := range d.Values {
		if !isFinite(v) {
			c.addf("values[%d] (%v) is not a finite number", i, v)
		}
	}
	var total float64
	okWeights := true
	for i, w := range d.Weights {
		switch {
		case !isFinite(w):
			c.addf("weights[%d] (%v) is not a finite number", i, w)
			okWeights = false
		case w < 0:
			c.addf("weights[%d] (%v) is negative: expected weights of 0 or more", i, w)
			okWeights = false
		default:
			total += w
		}
	}
	switch {
	case !okWeights || len(d.Weights) == 0:
	case total == 0:
		c.addf("weights are all zero: expected at least one positive weight")
	case math.IsInf(total, 0):
		c.addf("weights add up to more than the largest number: expected smaller weights")
	}
}

// String returns "discrete([Values], [Weights])".
func (d Discrete) String() string { return format("discrete", d.Values, d.Weights) }
