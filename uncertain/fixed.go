package uncertain

// Fixed is a distribution that always gives Value: a number written
// plainly in a scenario file, or {dist = "fixed", value = V}.
type Fixed struct {
	Value float64
}

var fixedFamily = Family{
	Name:   "fixed",
	Rank:   10,
	Params: []Param{{Name: "value", Location: true}},
	New:    func(v Values) Dist { return Fixed{Value: v.Num("value")} },
}

var _ = register(&fixedFamily)

// Family returns the family "fixed".
func (Fixed) Family() *Family { return &fixedFamily }

// Params returns the value.
func (d Fixed) Params() Values { return Values{"value": {d.Value}} }

// Quantile returns Value whatever u is, NaN included.
func (d Fixed) Quantile(u float64) float64 {
	if !d.valid() {
		return nan()
	}
	return d.quantile(u)
}

func (d Fixed) quantile(float64) float64 { return d.Value }

// ExpectedValue returns Value.
func (d Fixed) ExpectedValue() float64 {
	if !d.valid() {
		return nan()
	}
	return d.Value
}

// Variance returns 0.
func (d Fixed) Variance() float64 {
	if !d.valid() {
		return nan()
	}
	return 0
}

// Bounds returns Value, Value.
func (d Fixed) Bounds() (lo, hi float64) {
	if !d.valid() {
		return nan2()
	}
	return d.Value, d.Value
}

// Check returns the problems with Value: it must be finite.
func (d Fixed) Check() []string { return problems(d) }

// valid reports whether Check would find no problems, without allocating.
func (d Fixed) valid() bool {
	var c checker
	d.check(&c)
	return c.n == 0
}

func (d Fixed) check(c *checker) { c.finite("value", d.Value) }

// String returns "fixed(Value)".
func (d Fixed) String() string { return format("fixed", d.Value) }
