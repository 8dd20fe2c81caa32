package dist

import (
	"fmt"
	"math"
	"strings"
)

// minMass is the least probability that truncation bounds must leave a
// normal or lognormal distribution. Less than this is certainly a mistake,
// and is also beyond the reach of float64 arithmetic on the tails.
const minMass = 1e-100

// Check returns every problem with d's parameters, each as a plain-English
// sentence fragment naming the parameter and saying what was expected,
// such as "p (1.3) is not a probability: expected a number from 0 to 1".
// Only the parameters d's Kind uses are checked. NaN and infinite
// parameters are problems. Check returns an empty slice when d is valid.
func (d Dist) Check() []string {
	c := checker{record: true}
	d.check(&c)
	if c.list == nil {
		return []string{}
	}
	return c.list
}

// valid reports whether Check would find no problems. It does not
// allocate when d is valid.
func (d Dist) valid() bool {
	var c checker
	d.check(&c)
	return c.n == 0
}

// checker collects problems. Messages are only formatted when record is
// set, so that checking a valid Dist does not allocate.
type checker struct {
	record bool
	n      int
	list   []string
}

func (c *checker) addf(format string, args ...any) {
	c.n++
	if c.record {
		c.list = append(c.list, fmt.Sprintf(format, args...))
	}
}

// finite checks that the parameter called name is a finite number and
// reports whether it is.
func (c *checker) finite(name string, x float64) bool {
	if !isFinite(x) {
		c.addf("%s (%v) is not a finite number", name, x)
		return false
	}
	return true
}

func (d Dist) check(c *checker) {
	switch d.Kind {
	case Fixed:
		c.finite("value", d.Value)
	case Uniform:
		if c.finite("min", d.Min) && c.finite("max", d.Max) && d.Min > d.Max {
			c.addf("min (%v) is above max (%v): expected min <= max", d.Min, d.Max)
		}
	case Triangular, PERT:
		okMin := c.finite("min", d.Min)
		okMode := c.finite("mode", d.Mode)
		okMax := c.finite("max", d.Max)
		switch {
		case okMin && okMax && d.Min > d.Max:
			c.addf("min (%v) is above max (%v): expected min <= mode <= max", d.Min, d.Max)
		case okMin && okMode && d.Mode < d.Min:
			c.addf("mode (%v) is below min (%v): expected min <= mode <= max", d.Mode, d.Min)
		case okMax && okMode && d.Mode > d.Max:
			c.addf("mode (%v) is above max (%v): expected min <= mode <= max", d.Mode, d.Max)
		}
	case Normal:
		okMean := c.finite("mean", d.Mean)
		okSD := c.finite("sd", d.SD)
		if okSD && d.SD < 0 {
			c.addf("sd (%v) is negative: expected a standard deviation of 0 or more", d.SD)
			okSD = false
		}
		if !d.checkTruncation(c) || !okMean || !okSD || (!d.HasMin && !d.HasMax) {
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
	case LogNormal:
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
		okTrunc := d.checkTruncation(c)
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
		mu, sigma := d.logNormalParams()
		if normalMass((math.Log(lo)-mu)/sigma, (math.Log(hi)-mu)/sigma) < minMass {
			c.addf("truncation bounds [%v, %v] leave practically no probability: they are too far into the tail of a lognormal with median %v and p90 %v", lo, hi, d.Median, d.P90)
		}
	case Beta:
		if c.finite("alpha", d.Alpha) && d.Alpha <= 0 {
			c.addf("alpha (%v) must be above 0", d.Alpha)
		}
		if c.finite("beta", d.Beta) && d.Beta <= 0 {
			c.addf("beta (%v) must be above 0", d.Beta)
		}
		if c.finite("min", d.Min) && c.finite("max", d.Max) && d.Min > d.Max {
			c.addf("min (%v) is above max (%v): expected min <= max (or both 0 for the interval from 0 to 1)", d.Min, d.Max)
		}
	case Discrete:
		d.checkDiscrete(c)
	case Bernoulli:
		if c.finite("p", d.P) && (d.P < 0 || d.P > 1) {
			c.addf("p (%v) is not a probability: expected a number from 0 to 1", d.P)
		}
	case "":
		c.addf("kind is missing: expected one of %s", kindList())
	default:
		msg := fmt.Sprintf("unknown kind %q: expected one of %s", string(d.Kind), kindList())
		if s, ok := suggestKind(string(d.Kind)); ok {
			msg += fmt.Sprintf(" (did you mean %q?)", string(s))
		}
		c.addf("%s", msg)
	}
}

// checkTruncation checks the truncation bounds of a normal or lognormal
// distribution and reports whether they are usable.
func (d Dist) checkTruncation(c *checker) bool {
	ok := true
	if d.HasMin && !c.finite("min", d.Min) {
		ok = false
	}
	if d.HasMax && !c.finite("max", d.Max) {
		ok = false
	}
	if ok && d.HasMin && d.HasMax && d.Min >= d.Max {
		c.addf("min (%v) is not below max (%v): expected truncation bounds with min < max", d.Min, d.Max)
		ok = false
	}
	return ok
}

func (d Dist) checkDiscrete(c *checker) {
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

// isFinite reports whether x is neither NaN nor infinite.
func isFinite(x float64) bool {
	return !math.IsNaN(x) && !math.IsInf(x, 0)
}

// kindList returns the known kinds as a comma-separated list.
func kindList() string {
	var b strings.Builder
	for i, k := range knownKinds() {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(string(k))
	}
	return b.String()
}

// knownKinds returns every Kind. Unlike Kinds, it cannot be modified by
// callers.
func knownKinds() [9]Kind {
	return [...]Kind{Fixed, Uniform, Triangular, PERT, Normal, LogNormal, Beta, Discrete, Bernoulli}
}

// suggestKind returns the known Kind closest to the unknown name s, if one
// is close enough to be a likely misspelling.
func suggestKind(s string) (Kind, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "":
		return "", false
	case "constant", "const", "point":
		return Fixed, true
	case "gaussian", "gauss":
		return Normal, true
	case "categorical", "choice", "empirical":
		return Discrete, true
	case "event", "bool", "boolean", "binary":
		return Bernoulli, true
	case "betapert", "beta-pert", "beta_pert":
		return PERT, true
	}
	best, bestDist := Kind(""), math.MaxInt
	for _, k := range knownKinds() {
		name := string(k)
		if strings.HasPrefix(name, s) || strings.HasPrefix(s, name) {
			// "tri", "log", "triangle": an abbreviation or a longer word.
			if len(s) >= 3 {
				return k, true
			}
		}
		if dd := editDistance(s, name); dd < bestDist {
			best, bestDist = k, dd
		}
	}
	// Allow about one typo per three letters.
	if bestDist <= max(1, len(best)/3) {
		return best, true
	}
	return "", false
}

// editDistance returns the Levenshtein distance between a and b, counted
// in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
