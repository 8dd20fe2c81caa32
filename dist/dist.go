package dist

import (
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"
)

// Kind names a distribution family as written in scenario files.
type Kind string

// The distribution families.
const (
	Fixed      Kind = "fixed"
	Uniform    Kind = "uniform"
	Triangular Kind = "triangular"
	PERT       Kind = "pert"
	Normal     Kind = "normal"
	LogNormal  Kind = "lognormal"
	Beta       Kind = "beta"
	Discrete   Kind = "discrete"
	Bernoulli  Kind = "bernoulli"
)

// Kinds lists every Kind, for "did you mean" suggestions and documentation.
// It is a read-only table: callers must not modify it. The package itself
// never reads it, so modifying it cannot change how distributions behave.
var Kinds = []Kind{Fixed, Uniform, Triangular, PERT, Normal, LogNormal, Beta, Discrete, Bernoulli}

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

// Dist is one distribution. Zero fields that a Kind does not use are
// ignored. A Dist is a plain value; its methods never modify it.
type Dist struct {
	// Kind is the distribution family.
	Kind Kind

	// Value is the value of a fixed distribution.
	Value float64

	// Min, Mode and Max are the parameters of uniform (Min, Max),
	// triangular and pert (Min, Mode, Max) distributions. For beta they
	// give the interval [Min, Max] the distribution is scaled to, the unit
	// interval when both are zero. For normal and lognormal distributions
	// Min and Max are truncation bounds, used only when HasMin or HasMax
	// is set.
	Min, Mode, Max float64

	// HasMin and HasMax truncate a normal or lognormal distribution to
	// values of at least Min and at most Max respectively.
	HasMin, HasMax bool

	// Mean and SD are the mean and standard deviation of a normal
	// distribution before any truncation. An SD of zero gives Mean (moved
	// into the truncation bounds) every time.
	Mean, SD float64

	// Median and P90 give a lognormal distribution by its median and 90th
	// percentile before any truncation; P90 > Median > 0.
	Median, P90 float64

	// Alpha and Beta are the shape parameters of a beta distribution.
	Alpha, Beta float64

	// Values and Weights give a discrete distribution: Values[i] is drawn
	// with probability Weights[i] / sum(Weights). Weights must not be
	// negative and must not all be zero. Quantile walks the values in the
	// order given, so list them in increasing order for Quantile to be
	// non-decreasing in u, which correlation through a Copula relies on.
	Values, Weights []float64

	// P is the probability that a bernoulli distribution gives 1 rather
	// than 0.
	P float64
}

// Quantile returns the inverse of the cumulative distribution function at
// u: the value x such that a fraction u of draws are below x. Given u drawn
// uniformly from [0, 1), Quantile(u) is a draw from d.
//
// Quantile is non-decreasing in u for every kind (for discrete, when Values
// are in increasing order; for beta and PERT up to a few ulps, the rounding
// of gonum's inverse incomplete beta function). u is clamped to [2⁻⁵³, 1−2⁻⁵³], the range of a
// non-zero (*rand.Rand).Float64 draw, so unbounded distributions return
// finite values even for u = 0 or u = 1. A fixed distribution returns Value
// whatever u is. Otherwise a NaN u gives NaN.
//
// A bernoulli distribution returns 1 if u > 1 − P and 0 otherwise: the
// top fraction P of uniforms give 1. Quantile is therefore non-decreasing
// in u, and on the same u a larger P never turns a 1 into a 0. A discrete
// distribution walks the cumulative weights in the order the values are
// given.
//
// Quantile returns NaN if d is not valid (see [Dist.Check]). It does not
// allocate.
func (d Dist) Quantile(u float64) float64 {
	if !d.valid() {
		return math.NaN()
	}
	return d.quantile(u)
}

// QuantileFunc returns d's quantile function with d checked once: q(u)
// equals d.Quantile(u) for every u, bit for bit, without validating d or
// setting up its shape on each call. It is for drawing many values from one
// distribution, as the engine does for every path. For an invalid d, q
// returns NaN.
func (d Dist) QuantileFunc() (q func(u float64) float64) {
	if !d.valid() {
		return func(float64) float64 { return math.NaN() }
	}
	// Triangular and PERT shapes are set up once; the rest need nothing.
	lo, hi := d.Min, d.Max
	switch {
	case d.Kind == Triangular && lo != hi:
		t := distuv.NewTriangle(lo, hi, d.Mode, nil)
		return func(u float64) float64 {
			if math.IsNaN(u) {
				return math.NaN()
			}
			return clamp(t.Quantile(min(max(u, uLo), uHi)), lo, hi)
		}
	case d.Kind == PERT && lo != hi:
		a, b := d.pertShape()
		return func(u float64) float64 {
			if math.IsNaN(u) {
				return math.NaN()
			}
			return scaledBetaQuantile(min(max(u, uLo), uHi), a, b, lo, hi)
		}
	}
	return d.quantile
}

// quantile is Quantile for a valid d.
func (d Dist) quantile(u float64) float64 {
	if d.Kind == Fixed {
		return d.Value
	}
	if math.IsNaN(u) {
		return math.NaN()
	}
	u = min(max(u, uLo), uHi)
	switch d.Kind {
	case Uniform:
		return clamp(d.Min+u*(d.Max-d.Min), d.Min, d.Max)
	case Triangular:
		if d.Min == d.Max {
			return d.Min
		}
		t := distuv.NewTriangle(d.Min, d.Max, d.Mode, nil)
		return clamp(t.Quantile(u), d.Min, d.Max)
	case PERT:
		if d.Min == d.Max {
			return d.Min
		}
		a, b := d.pertShape()
		return scaledBetaQuantile(u, a, b, d.Min, d.Max)
	case Beta:
		lo, hi := d.betaRange()
		if lo == hi {
			return lo
		}
		return scaledBetaQuantile(u, d.Alpha, d.Beta, lo, hi)
	case Normal:
		lo, hi := d.truncation()
		if d.SD == 0 {
			return clamp(d.Mean, lo, hi)
		}
		z := truncNormalQuantile(u, (lo-d.Mean)/d.SD, (hi-d.Mean)/d.SD)
		return clamp(d.Mean+d.SD*z, lo, hi)
	case LogNormal:
		lo, hi := d.truncation()
		mu, sigma := d.logNormalParams()
		z := truncNormalQuantile(u, (math.Log(lo)-mu)/sigma, (math.Log(hi)-mu)/sigma)
		return clamp(math.Exp(mu+sigma*z), lo, hi)
	case Discrete:
		return d.discreteQuantile(u)
	case Bernoulli:
		if u > 1-d.P {
			return 1
		}
		return 0
	}
	return math.NaN()
}

// ExpectedValue returns the mean of d, taking truncation into account. It
// returns NaN if d is not valid.
//
// It is called ExpectedValue rather than Mean because Mean is the field
// holding the mean parameter of a normal distribution.
func (d Dist) ExpectedValue() float64 {
	if !d.valid() {
		return math.NaN()
	}
	switch d.Kind {
	case Fixed:
		return d.Value
	case Uniform:
		return d.Min + (d.Max-d.Min)/2
	case Triangular:
		return (d.Min + d.Mode + d.Max) / 3
	case PERT:
		return (d.Min + 4*d.Mode + d.Max) / 6
	case Beta:
		lo, hi := d.betaRange()
		return lo + (hi-lo)*d.Alpha/(d.Alpha+d.Beta)
	case Normal:
		lo, hi := d.truncation()
		if d.SD == 0 {
			return clamp(d.Mean, lo, hi)
		}
		m, _ := truncNormalMoments((lo-d.Mean)/d.SD, (hi-d.Mean)/d.SD)
		return d.Mean + d.SD*m
	case LogNormal:
		m, _ := d.logNormalMoments()
		return m
	case Discrete:
		var sw, swv float64
		for i, w := range d.Weights {
			sw += w
			swv += w * d.Values[i]
		}
		return swv / sw
	case Bernoulli:
		return d.P
	}
	return math.NaN()
}

// Variance returns the variance of d, taking truncation into account. It
// returns NaN if d is not valid.
func (d Dist) Variance() float64 {
	if !d.valid() {
		return math.NaN()
	}
	switch d.Kind {
	case Fixed:
		return 0
	case Uniform:
		w := d.Max - d.Min
		return w * w / 12
	case Triangular:
		a, c, b := d.Min, d.Mode, d.Max
		return (a*a + b*b + c*c - a*b - a*c - b*c) / 18
	case PERT:
		a, b := d.pertShape()
		return scaledBetaVariance(a, b, d.Min, d.Max)
	case Beta:
		lo, hi := d.betaRange()
		return scaledBetaVariance(d.Alpha, d.Beta, lo, hi)
	case Normal:
		if d.SD == 0 {
			return 0
		}
		lo, hi := d.truncation()
		_, v := truncNormalMoments((lo-d.Mean)/d.SD, (hi-d.Mean)/d.SD)
		return d.SD * d.SD * v
	case LogNormal:
		_, v := d.logNormalMoments()
		return v
	case Discrete:
		m := d.ExpectedValue()
		var sw, swd float64
		for i, w := range d.Weights {
			dv := d.Values[i] - m
			sw += w
			swd += w * dv * dv
		}
		return swd / sw
	case Bernoulli:
		return d.P * (1 - d.P)
	}
	return math.NaN()
}

// Bounds returns the support of d: every value Quantile returns is in
// [lo, hi]. lo is -Inf or hi is +Inf where d is unbounded. For a discrete
// distribution only values with positive weight count. Bounds returns NaN,
// NaN if d is not valid.
func (d Dist) Bounds() (lo, hi float64) {
	if !d.valid() {
		return math.NaN(), math.NaN()
	}
	switch d.Kind {
	case Fixed:
		return d.Value, d.Value
	case Uniform, Triangular, PERT:
		return d.Min, d.Max
	case Beta:
		return d.betaRange()
	case Normal:
		lo, hi := d.truncation()
		if d.SD == 0 {
			m := clamp(d.Mean, lo, hi)
			return m, m
		}
		return lo, hi
	case LogNormal:
		return d.truncation()
	case Discrete:
		lo, hi = math.Inf(1), math.Inf(-1)
		for i, w := range d.Weights {
			if w > 0 {
				lo = min(lo, d.Values[i])
				hi = max(hi, d.Values[i])
			}
		}
		return lo, hi
	case Bernoulli:
		switch d.P {
		case 0:
			return 0, 0
		case 1:
			return 1, 1
		}
		return 0, 1
	}
	return math.NaN(), math.NaN()
}

// IsFixed reports whether d always gives the same value: it is of kind
// fixed, or its parameters leave no room for variation (such as a
// triangular distribution with Min == Max, or a bernoulli one with P = 1).
// An invalid d is not fixed.
func (d Dist) IsFixed() bool {
	lo, hi := d.Bounds()
	return lo == hi
}

// String returns a compact human-readable form of d such as
// "triangular(1, 2, 5)" or "lognormal(median=5, p90=9, max=40)".
func (d Dist) String() string {
	var b strings.Builder
	switch d.Kind {
	case Fixed:
		b.WriteString("fixed(")
		writeFloats(&b, d.Value)
	case Uniform:
		b.WriteString("uniform(")
		writeFloats(&b, d.Min, d.Max)
	case Triangular, PERT:
		b.WriteString(string(d.Kind))
		b.WriteString("(")
		writeFloats(&b, d.Min, d.Mode, d.Max)
	case Normal:
		b.WriteString("normal(mean=")
		writeFloats(&b, d.Mean)
		b.WriteString(", sd=")
		writeFloats(&b, d.SD)
		d.writeTruncation(&b)
	case LogNormal:
		b.WriteString("lognormal(median=")
		writeFloats(&b, d.Median)
		b.WriteString(", p90=")
		writeFloats(&b, d.P90)
		d.writeTruncation(&b)
	case Beta:
		b.WriteString("beta(")
		writeFloats(&b, d.Alpha, d.Beta)
		if d.Min != 0 || d.Max != 0 {
			b.WriteString(", min=")
			writeFloats(&b, d.Min)
			b.WriteString(", max=")
			writeFloats(&b, d.Max)
		}
	case Discrete:
		b.WriteString("discrete([")
		writeFloatList(&b, d.Values)
		b.WriteString("], [")
		writeFloatList(&b, d.Weights)
		b.WriteString("]")
	case Bernoulli:
		b.WriteString("bernoulli(")
		writeFloats(&b, d.P)
	default:
		return "unknown kind " + strconv.Quote(string(d.Kind))
	}
	b.WriteString(")")
	return b.String()
}

func (d Dist) writeTruncation(b *strings.Builder) {
	if d.HasMin {
		b.WriteString(", min=")
		writeFloats(b, d.Min)
	}
	if d.HasMax {
		b.WriteString(", max=")
		writeFloats(b, d.Max)
	}
}

// writeFloats writes xs separated by ", ".
func writeFloats(b *strings.Builder, xs ...float64) {
	for i, x := range xs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.FormatFloat(x, 'g', -1, 64))
	}
}

// writeFloatList writes xs separated by spaces.
func writeFloatList(b *strings.Builder, xs []float64) {
	for i, x := range xs {
		if i > 0 {
			b.WriteString(" ")
		}
		b.WriteString(strconv.FormatFloat(x, 'g', -1, 64))
	}
}

// clamp returns x moved into [lo, hi].
func clamp(x, lo, hi float64) float64 {
	return min(max(x, lo), hi)
}

// pertShape returns the beta shape parameters of a PERT distribution with
// Min < Max.
func (d Dist) pertShape() (alpha, beta float64) {
	w := d.Max - d.Min
	return 1 + 4*(d.Mode-d.Min)/w, 1 + 4*(d.Max-d.Mode)/w
}

// betaRange returns the interval a beta distribution is scaled to.
func (d Dist) betaRange() (lo, hi float64) {
	if d.Min == 0 && d.Max == 0 {
		return 0, 1
	}
	return d.Min, d.Max
}

// truncation returns the truncation bounds of a normal or lognormal
// distribution, using the ends of its untruncated support where no bound
// is set.
func (d Dist) truncation() (lo, hi float64) {
	lo, hi = math.Inf(-1), math.Inf(1)
	if d.Kind == LogNormal {
		lo = 0
	}
	if d.HasMin {
		lo = d.Min
	}
	if d.HasMax {
		hi = d.Max
	}
	return lo, hi
}

// logNormalParams returns μ and σ of the normal underlying a lognormal
// distribution.
func (d Dist) logNormalParams() (mu, sigma float64) {
	return math.Log(d.Median), math.Log(d.P90/d.Median) / z90
}

// logNormalMoments returns the mean and variance of a possibly truncated
// lognormal distribution.
func (d Dist) logNormalMoments() (mean, variance float64) {
	mu, sigma := d.logNormalParams()
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

// discreteQuantile returns the quantile at u of a valid discrete
// distribution.
func (d Dist) discreteQuantile(u float64) float64 {
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
