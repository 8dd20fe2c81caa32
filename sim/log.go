package sim

import "math"

// ln returns the natural logarithm of x to within a few units in the last
// place (tested against math.Log in exp_test.go); it is about twice as fast
// as math.Log, which divides. The model takes logarithms of price ratios
// every month (mines' netbacks, makers' margins, origin choice).
//
// The method is the usual table-driven one: x = 2^k·z with z in
// [0.6875, 1.375), z in one of N = 128 intervals with a centre c (c = 1 in
// the two intervals that end at 1), so that ln x = k·ln 2 + ln c + ln(1 + r)
// with r = (z − c)/c, |r| < 2⁻⁷, and ln(1 + r) is its Taylor polynomial of
// degree 8 (relative truncation error below r⁸/9 < 2⁻⁵⁹). z − c is exact,
// and r is z − c times a rounded 1/c. ln 2 is split Cody–Waite style so that
// k·ln2Hi is exact. For zero, negative, subnormal, infinite and NaN x it
// defers to math.Log.
func ln(x float64) float64 {
	ix := math.Float64bits(x)
	if ix-0x0010000000000000 >= 0x7ff0000000000000-0x0010000000000000 {
		return math.Log(x) // x ≤ 0, subnormal, +Inf or NaN
	}
	const (
		ln2Hi = 6.93147180369123816490e-01 // 32 significant bits: k·ln2Hi is exact
		ln2Lo = 1.90821492927058770002e-10
	)
	// tmp's high bits hold k, the next 7 bits the interval.
	tmp := ix - lnOff
	e := &lnTab[(tmp>>(52-7))%lnN]
	k := float64(int64(tmp) >> 52)
	z := math.Float64frombits(ix - tmp&(0xfff<<52))
	r := (z - e.c) * e.invc
	// k·ln 2 + ln c + r as hi + lo.
	w := k*ln2Hi + e.lnc
	hi := w + r
	lo := w - hi + r + k*ln2Lo
	r2 := r * r
	p := r2 * (-1.0/2 + r*(1.0/3) + r2*(-1.0/4+r*(1.0/5)+r2*(-1.0/6+r*(1.0/7)+r2*(-1.0/8))))
	return hi + (lo + p)
}

const (
	lnN   = 128                // intervals of ln
	lnOff = 0x3fe6000000000000 // the bits of 0.6875, the lower end of z
)

// lnTab holds, for each interval of z, its centre c, 1/c and ln c.
var lnTab = func() (t [lnN]struct{ c, invc, lnc float64 }) {
	for i := range t {
		lo := math.Float64frombits(lnOff + uint64(i)<<(52-7))
		hi := math.Float64frombits(lnOff + uint64(i+1)<<(52-7))
		c := math.Round((lo+hi)/2*0x1p20) / 0x1p20
		if lo <= 1 && 1 <= hi {
			c = 1
		}
		t[i].c, t[i].invc, t[i].lnc = c, 1/c, math.Log(c)
	}
	return t
}()
