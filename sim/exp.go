package sim

import "math"

// exp returns e**x to within a few units in the last place (tested against
// math.Exp in exp_test.go); it is about twice as fast as math.Exp, and three
// times faster along a chain of dependent evaluations, which is what market
// clearing is. Most of a path's exponentials are the demand factors
// exp(−ε·y) of §3.9.
//
// The method is the usual table-driven one: x = (k/N)·ln 2 + r with N = 128
// and |r| ≤ ln 2/(2N), so e**x = 2^(k/N)·e**r, where 2^(k/N) is 2^⌊k/N⌋ times
// a table entry 2^(j/N), and e**r is its Taylor polynomial of degree 5
// (truncation error below r⁶/720 < 1e-18). ln 2/N is split Cody–Waite style
// so that r is exact. Outside (−708, 709), and for NaN, it defers to math.Exp
// (underflow, overflow, special values).
func exp(x float64) float64 {
	if !(x > -708 && x < 709) {
		return math.Exp(x)
	}
	const (
		invLn2N = expN / math.Ln2
		ln2HiN  = 6.93147180369123816490e-01 / expN // 32 significant bits: k·ln2HiN is exact
		ln2LoN  = 1.90821492927058770002e-10 / expN
		shift   = 0x1.8p52 // adding it rounds to an integer kept in the low mantissa bits
	)
	kd := x*invLn2N + shift
	ki := math.Float64bits(kd)
	kd -= shift
	r := x - kd*ln2HiN - kd*ln2LoN
	// ki's low bits hold k in two's complement: k mod N picks the table
	// entry, and k<<(52−7) puts ⌊k/N⌋ in the exponent (the entry's bits
	// were stored less j<<(52−7) to allow for the low bits).
	scale := math.Float64frombits(expTab[ki&(expN-1)] + ki<<(52-7))
	r2 := r * r
	p := r + r2*(1.0/2+r*(1.0/6)) + r2*r2*(1.0/24+r*(1.0/120))
	return scale + scale*p
}

const expN = 128 // table size of exp

// expTab[j] holds the bits of 2^(j/N) less j<<(52−7).
var expTab = func() (t [expN]uint64) {
	for j := range t {
		t[j] = math.Float64bits(math.Exp2(float64(j)/expN)) - uint64(j)<<(52-7)
	}
	return t
}()
