package uncertain

// Uniform is a distribution evenly spread over [Min, Max].
type Uniform struct {
	Min, Max float64
}

var uniformFamily = Family{
	Name:   "uniform",
	Rank:   20,
	Params: []Param{{Name: "min", Location: true}, {Name: "max", Location: true}},
	New:    func(v Values) Dist { return Uniform{Min: v.Num("min"), Max: v.Num("max")} },
}

var _ = register(&uniformFamily)

// Family returns the family "uniform".
func (Uniform) Family() *Family { return &uniformFamily }

// Params returns min and max.
func (d Uniform) Params() Values { return Values{"min": {d.Min}, "max": {d.Max}} }

// Quantile returns Min + u (Max − Min).
func (d Uniform) Quantile(u float64) float64 {
	if !d.valid() {
		return nan()
	}
	return d.quantile(u)
}

func (d Uniform) quantile(u float64) float64 {
	u, ok := clampU(u)
	if !ok {
		return u
	}
	return clamp(d.Min+u*(d.Max-d.Min), d.Min, d.Max)
}

// ExpectedValue returns the midpoint of [Min, Max].
func (d Uniform) ExpectedValue() float64 {
	if !d.valid() {
		return nan()
	}
	return d.Min + (d.Max-d.Min)/2
}

// Variance returns (Max − Min)²/12.
func (d Uniform) Variance() float64 {
	if !d.valid() {
		return nan()
	}
	w := d.Max - d.Min
	return w * w / 12
}

// Bounds returns Min, Max.
func (d Uniform) Bounds() (lo, hi float64) {
	if !d.valid() {
		return nan2()
	}
	return d.Min, d.Max
}

// Check returns the problems with Min and Max: finite, Min <= Max.
func (d Uniform) Check() []string { return problems(d) }

// valid reports whether Check would find no problems, without allocating.
func (d Uniform) valid() bool {
	var c checker
	d.check(&c)
	return c.n == 0
}

func (d Uniform) check(c *checker) {
	if c.finite("min", d.Min) && c.finite("max", d.Max) && d.Min > d.Max {
		c.addf("min (%v) is above max (%v): expected min <= max", d.Min, d.Max)
	}
}

// String returns "uniform(Min, Max)".
func (d Uniform) String() string { return format("uniform", d.Min, d.Max) }
