package uncertain

// Bernoulli gives 1 with probability P and 0 otherwise, for events that
// either happen or do not. The top fraction P of uniforms (u > 1 − P)
// give 1, so Quantile is non-decreasing in u, and on the same u a larger
// P never turns a 1 into a 0.
type Bernoulli struct {
	P float64
}

var bernoulliFamily = Family{
	Name:   "bernoulli",
	Rank:   90,
	Params: []Param{{Name: "p"}},
	New:    func(v Values) Dist { return Bernoulli{P: v.Num("p")} },
}

var _ = register(&bernoulliFamily)

// Family returns the family "bernoulli".
func (Bernoulli) Family() *Family { return &bernoulliFamily }

// Params returns p.
func (d Bernoulli) Params() Values { return Values{"p": {d.P}} }

// Quantile returns 1 if u > 1 − P and 0 otherwise.
func (d Bernoulli) Quantile(u float64) float64 {
	if !d.valid() {
		return nan()
	}
	return d.quantile(u)
}

func (d Bernoulli) quantile(u float64) float64 {
	u, ok := clampU(u)
	if !ok {
		return u
	}
	if u > 1-d.P {
		return 1
	}
	return 0
}

// ExpectedValue returns P.
func (d Bernoulli) ExpectedValue() float64 {
	if !d.valid() {
		return nan()
	}
	return d.P
}

// Variance returns P(1 − P).
func (d Bernoulli) Variance() float64 {
	if !d.valid() {
		return nan()
	}
	return d.P * (1 - d.P)
}

// Bounds returns 0, 1, or 0, 0 when P is 0 and 1, 1 when P is 1.
func (d Bernoulli) Bounds() (lo, hi float64) {
	if !d.valid() {
		return nan2()
	}
	switch d.P {
	case 0:
		return 0, 0
	case 1:
		return 1, 1
	}
	return 0, 1
}

// Check returns the problems with P: a probability from 0 to 1.
func (d Bernoulli) Check() []string { return problems(d) }

// valid reports whether Check would find no problems, without allocating.
func (d Bernoulli) valid() bool {
	var c checker
	d.check(&c)
	return c.n == 0
}

func (d Bernoulli) check(c *checker) {
	if c.finite("p", d.P) && (d.P < 0 || d.P > 1) {
		c.addf("p (%v) is not a probability: expected a number from 0 to 1", d.P)
	}
}

// String returns "bernoulli(P)".
func (d Bernoulli) String() string { return format("bernoulli", d.P) }
