package uncertain

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Dist is the distribution of one uncertain input. Each family of
// distributions is a value type of its own (Fixed, Uniform, Triangular,
// PERT, Normal, LogNormal, Beta, Discrete, Bernoulli), in its own file;
// the interface is sealed, as its unexported methods tie a family to the
// checks and the quantile function it shares with the others.
//
// A Dist's methods never modify it. An invalid Dist (see [Dist.Check])
// gives NaN from Quantile, ExpectedValue, Variance and Bounds.
type Dist interface {
	// Family returns the distribution's family, which says how scenario
	// files write it.
	Family() *Family
	// Params returns the values of the distribution's parameters, as a
	// scenario file would give them: the optional ones only where they
	// are in effect. Family().New(d.Params()) is d.
	Params() Values

	// Quantile returns the inverse of the cumulative distribution
	// function at u: the value x such that a fraction u of draws are
	// below x. Given u drawn uniformly from [0, 1), Quantile(u) is a draw
	// from the distribution.
	//
	// Quantile is non-decreasing in u (for Discrete, when Values are in
	// increasing order; for Beta and PERT up to a few ulps, the rounding
	// of gonum's inverse incomplete beta function). u is clamped to
	// [2⁻⁵³, 1−2⁻⁵³], the range of a non-zero (*rand.Rand).Float64 draw,
	// so unbounded distributions return finite values even for u = 0 or
	// u = 1. Fixed returns its value whatever u is; otherwise a NaN u
	// gives NaN. Quantile does not allocate.
	Quantile(u float64) float64
	// ExpectedValue returns the mean, taking truncation into account. It
	// is not called Mean because Normal has a parameter of that name.
	ExpectedValue() float64
	// Variance returns the variance, taking truncation into account.
	Variance() float64
	// Bounds returns the support: every value Quantile returns is in
	// [lo, hi]. lo is -Inf or hi is +Inf where the distribution is
	// unbounded. For Discrete only values with positive weight count.
	Bounds() (lo, hi float64)
	// Check returns every problem with the parameters, each as a
	// plain-English sentence fragment naming the parameter and saying
	// what was expected, such as "p (1.3) is not a probability: expected
	// a number from 0 to 1". NaN and infinite parameters are problems.
	// Check returns an empty slice when the distribution is valid.
	Check() []string
	// String returns a compact form such as "triangular(1, 2, 5)" or
	// "lognormal(median=5, p90=9, max=40)".
	String() string

	// check reports the problems with the parameters to c.
	check(c *checker)
	// valid reports whether Check would find no problems, without
	// allocating.
	valid() bool
	// quantile is Quantile for a valid distribution.
	quantile(u float64) float64
}

// A Family is a kind of distribution as scenario files write it:
// {dist = "NAME", PARAM = VALUE, ...}.
type Family struct {
	// Name is the family's name in files, such as "triangular".
	Name string
	// Rank places the family in the lists of messages and documentation,
	// lowest first: the simplest families come first.
	Rank int
	// Params are its parameters, the required ones first.
	Params []Param
	// New returns the distribution of the family whose parameters have
	// the values v. Parameters v lacks are zero (an optional one: not in
	// effect). It does not check the values.
	New func(v Values) Dist
}

// A Param is a parameter of a family of distributions.
type Param struct {
	// Name is the parameter's name in files, such as "mode".
	Name string
	// Optional marks a parameter that may be left out.
	Optional bool
	// List marks a list of numbers, such as a discrete distribution's
	// values, rather than a number.
	List bool
	// Location marks a parameter in the unit of the distribution's values
	// (a value, a bound, a mode, a mean, a median, a percentile), as
	// opposed to a spread, a shape, a weight or a probability: in a
	// distribution of months, it is a month.
	Location bool
	// With names the parameter that this optional one is given with:
	// both or neither.
	With string
}

// Values holds the values of a distribution's parameters by name: one
// number for a number, several for a list.
type Values map[string][]float64

// Has reports whether v holds the parameter name.
func (v Values) Has(name string) bool {
	_, ok := v[name]
	return ok
}

// Num returns the value of the number name, or 0 when v lacks it.
func (v Values) Num(name string) float64 {
	if x := v[name]; len(x) > 0 {
		return x[0]
	}
	return 0
}

// families are the families of distributions, by Rank. Each family's file
// adds its own with register, so that adding a family touches no other
// file.
var families []*Family

// register adds f to the families, in the order of Rank, and returns
// true. A second family of the same name or rank is a programming error,
// and register panics.
func register(f *Family) bool {
	for _, g := range families {
		if g.Name == f.Name || g.Rank == f.Rank {
			panic(fmt.Sprintf("uncertain: families %q and %q have the same name or rank", g.Name, f.Name))
		}
	}
	i, _ := slices.BinarySearchFunc(families, f, func(a, b *Family) int { return cmp.Compare(a.Rank, b.Rank) })
	families = slices.Insert(families, i, f)
	return true
}

// Families returns every family of distributions, in the order in which
// messages and documentation list them (by Rank). The slice is the
// caller's.
func Families() []*Family {
	return slices.Clone(families)
}

// FamilyNamed returns the family called name, or nil.
func FamilyNamed(name string) *Family {
	for _, f := range families {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// QuantileFunc returns d's quantile function with d checked once: q(u)
// equals d.Quantile(u) for every u, bit for bit, without validating d or
// setting up its shape on each call. It is for drawing many values from
// one distribution, as the engine does for every path. For an invalid d,
// q returns NaN.
func QuantileFunc(d Dist) (q func(u float64) float64) {
	if !d.valid() {
		return func(float64) float64 { return math.NaN() }
	}
	if s, ok := d.(interface{ quantileFunc() func(float64) float64 }); ok {
		return s.quantileFunc()
	}
	return d.quantile
}

// IsFixed reports whether d always gives the same value: it is Fixed, or
// its parameters leave no room for variation (such as a triangular
// distribution with Min == Max, or a bernoulli one with P = 1). An invalid
// d is not fixed.
func IsFixed(d Dist) bool {
	lo, hi := d.Bounds()
	return lo == hi
}

// z90 is the 90th percentile of the standard normal distribution,
// distuv.UnitNormal.Quantile(0.9).
const z90 = 1.2815515655446004

// uLo and uHi are the limits Quantile clamps u to. They are the smallest
// positive value and the largest value that (*rand.Rand).Float64 can
// return, so clamping only affects u outside the range of a uniform draw,
// and unbounded distributions always return finite values.
const (
	uLo = 0x1p-53
	uHi = 1 - 0x1p-53
)

// clampU returns u clamped to [uLo, uHi], and whether it is a number.
func clampU(u float64) (float64, bool) {
	if math.IsNaN(u) {
		return u, false
	}
	return min(max(u, uLo), uHi), true
}

// clamp returns x moved into [lo, hi].
func clamp(x, lo, hi float64) float64 {
	return min(max(x, lo), hi)
}

// nan returns NaN, what the methods of an invalid distribution return.
func nan() float64 { return math.NaN() }

// nan2 returns two NaNs, the Bounds of an invalid distribution.
func nan2() (float64, float64) { return math.NaN(), math.NaN() }

// format writes name(args), each arg a number or a "key=" prefix of the
// number after it, for String.
func format(name string, args ...any) string {
	var b strings.Builder
	b.WriteString(name)
	b.WriteString("(")
	sep := ""
	for _, a := range args {
		switch a := a.(type) {
		case string:
			b.WriteString(sep)
			b.WriteString(a)
			sep = ""
			continue
		case float64:
			b.WriteString(sep)
			b.WriteString(strconv.FormatFloat(a, 'g', -1, 64))
		case []float64:
			b.WriteString(sep)
			b.WriteString("[")
			for i, x := range a {
				if i > 0 {
					b.WriteString(" ")
				}
				b.WriteString(strconv.FormatFloat(x, 'g', -1, 64))
			}
			b.WriteString("]")
		}
		sep = ", "
	}
	b.WriteString(")")
	return b.String()
}
