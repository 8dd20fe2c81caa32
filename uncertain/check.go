package uncertain

import (
	"fmt"
	"math"
)

// minMass is the least probability that truncation bounds must leave a
// normal or lognormal distribution. Less than this is certainly a mistake,
// and is also beyond the reach of float64 arithmetic on the tails.
const minMass = 1e-100

// problems returns every problem the family's check finds with d, for
// Check: an empty slice when d is valid.
func problems(d Dist) []string {
	c := checker{record: true}
	d.check(&c)
	if c.list == nil {
		return []string{}
	}
	return c.list
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

// truncation checks the truncation bounds of a normal or lognormal
// distribution and reports whether they are usable.
func (c *checker) truncation(lo, hi float64, hasLo, hasHi bool) bool {
	ok := true
	if hasLo && !c.finite("min", lo) {
		ok = false
	}
	if hasHi && !c.finite("max", hi) {
		ok = false
	}
	if ok && hasLo && hasHi && lo >= hi {
		c.addf("min (%v) is not below max (%v): expected truncation bounds with min < max", lo, hi)
		ok = false
	}
	return ok
}

// isFinite reports whether x is neither NaN nor infinite.
func isFinite(x float64) bool {
	return !math.IsNaN(x) && !math.IsInf(x, 0)
}
