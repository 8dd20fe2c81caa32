package sketch

import (
	"errors"
	"fmt"
	"math"
)

// ZeroThreshold is the magnitude below which a value is counted as zero.
const ZeroThreshold = 1e-12

// alphaMargin is the relative amount by which alpha is reduced before the
// bucket width is derived from it, so that the rounding of the index
// computation and of the bucket bounds (a few parts in 1e15) stays inside
// the documented bound.
const alphaMargin = 1e-6

// The bucket index is based on an approximation of log2 that needs no
// logarithm: for v = 2^e * m with m in [1, 2), it is
//
//	L(v) = e + P(m-1),  P(s) = cubicA*s^3 + cubicB*s^2 + cubicC*s,
//
// DDSketch's cubically interpolated mapping. P(0) = 0 and P(1) = 1, so L is
// exact at powers of two and continuous, and P' > 0 on [0, 1], so L is
// increasing. Bucket i holds the values with (i-1)/k < L(v) <= i/k, where
// k is the number of buckets per octave.
//
// The width of a bucket in ln v is at most (1/k) * max d(ln v)/dL, and
// d(ln v)/dL = 1/((1+s)*P'(s)) whose maximum over s in [0, 1] is
// 1/cubicC = 7/10 (attained at s = 0 and s = 2/3, where (1+s)*P'(s) has
// its minima). So k = ceil(7/(10*ln(gamma))) keeps every bucket's bounds
// within a factor gamma of each other.
//
// P is evaluated as 1-P(s) = cubicD + u*(cubicP + cubicA*u*u) with
// u = cubicU - m = 7/6 - s: a Horner scheme in u >= 0 with positive
// coefficients, so that every floating-point operation is monotone in m
// (also where the compiler fuses a multiplication and an addition) and
// the computed index never decreases as v increases.
const (
	cubicA = 6.0 / 35   // coefficient of s^3 in P, and of u^3 in 1-P
	cubicB = -3.0 / 5   // coefficient of s^2 in P
	cubicC = 10.0 / 7   // coefficient of s in P; min of (1+s)*P'(s)
	cubicP = 51.0 / 70  // coefficient of u in 1-P: cubicC - cubicB^2/(3*cubicA)
	cubicD = -11.0 / 90 // constant term of 1-P: 1 - P(7/6)
	cubicU = 13.0 / 6   // m at the inflection point s = -cubicB/(3*cubicA) = 7/6
)

// Store growth: a new store covers initialPad buckets either side of the
// first index; a growing store adds max(len/4, minPad) buckets of slack on
// the side it grows.
const (
	initialPad = 16
	minPad     = 16
)

// store is a dense array of bucket counts; counts[j] is the count of bucket
// index offset+j.
type store struct {
	counts []uint32
	offset int
}

// Sketch summarises a stream of float64 values so that any quantile can be
// read back within a relative error Alpha of the exact value.
//
// A Sketch must be created with [New] or obtained from a [Set]; the zero
// value is not ready for use. A Sketch must not be copied after first use.
type Sketch struct {
	alpha    float64 // as given to New
	k        int     // buckets per octave
	ka       float64 // k*cubicA
	kp       float64 // k*cubicP
	kd       float64 // k*cubicD, rounded so that powers of two are bucket bounds
	maxValue float64 // largest indexable magnitude
	minIndex int     // index of ZeroThreshold
	maxIndex int     // index of maxValue

	pos, neg store
	zero     uint64 // values with |v| < ZeroThreshold
	nan      uint64
	count    uint64 // all values except NaN
	min, max float64
}

// New returns an empty Sketch whose quantiles are accurate to within a
// relative error alpha, for example 0.005 for 0.5 %.
//
// reesim itself keeps its sketches in a Set (NewSet), so deadcode finds
// no caller of New in the command: it is the package's constructor of a
// single Sketch, which its tests and examples use.
//
// New panics if alpha is not in the open interval (0, 1); that is a
// programming error.
func New(alpha float64) *Sketch {
	s := new(Sketch)
	s.init(alpha)
	return s
}

// init sets up s for the given alpha.
func (s *Sketch) init(alpha float64) {
	checkAlpha(alpha)
	a := alpha * (1 - alphaMargin)
	lnGamma := math.Log1p(a) - math.Log1p(-a)
	k := max(int(math.Ceil(1/(cubicC*lnGamma))), 1)
	kf := float64(k)
	*s = Sketch{
		alpha:    alpha,
		k:        k,
		ka:       kf * cubicA,
		kp:       kf * cubicP,
		kd:       kf * cubicD,
		maxValue: math.MaxFloat64 / ((1 + a) / (1 - a)),
		min:      math.Inf(1),
		max:      math.Inf(-1),
	}
	// At m = 1 the exact 1-P is 1, so that 2^e is the upper bound of
	// bucket e*k; make sure rounding does not put it in the next bucket.
	for s.frac(1) < kf {
		s.kd = math.Nextafter(s.kd, math.Inf(1))
	}
	s.minIndex = s.index(ZeroThreshold)
	s.maxIndex = s.index(s.maxValue)
}

// checkAlpha panics if alpha is not in (0, 1).
func checkAlpha(alpha float64) {
	if !(alpha > 0 && alpha < 1) {
		panic(fmt.Sprintf("sketch: alpha %v not in (0, 1)", alpha))
	}
}

// Alpha returns the relative accuracy the sketch was created with.
func (s *Sketch) Alpha() float64 { return s.alpha }

// MaxValue returns the largest magnitude the sketch can index,
// math.MaxFloat64/gamma. Larger magnitudes, including infinities, are
// clamped to it.
func (s *Sketch) MaxValue() float64 { return s.maxValue }

// frac returns k*(1-P(m-1)) for a significand m in [1, 2), computed so that
// it is non-increasing in m. It is about k at m = 1 and about 0 at m = 2.
func (s *Sketch) frac(m float64) float64 {
	u := cubicU - m
	return s.kd + u*(s.kp+s.ka*u*u)
}

// index returns the bucket index i of a value v in
// [ZeroThreshold, maxValue]: i = ceil(k*L(v)), computed as
// (e+1)*k - floor(k*(1-P(m-1))) for v = 2^e * m.
func (s *Sketch) index(v float64) int {
	b := math.Float64bits(v)
	e := int(b>>52) - 1022 // e+1; v is positive and normal
	m := math.Float64frombits(b&(1<<52-1) | 1023<<52)
	// frac is in (-1, k+1): int is floor(frac), or 0 for a frac just below
	// 0 at the top of the octave, which the exact value puts in bucket
	// (e+1)*k too.
	return e*s.k - int(s.frac(m))
}

// bound returns the upper bound of bucket j, L^-1(j/k): the largest value
// (in exact arithmetic) with index j.
func (s *Sketch) bound(j int) float64 {
	e := j / s.k
	r := j - e*s.k
	if r < 0 {
		e--
		r += s.k
	}
	if r == 0 {
		return math.Ldexp(1, e)
	}
	// Solve k*(1-P) = k-r for u, that is the depressed cubic
	// u^3 + 3*c*u + d = 0 with 3*c = cubicP/cubicA and
	// d = (cubicD - (k-r)/k)/cubicA, by Cardano's formula. Its only real
	// root is u = t - c/t with t = cbrt(-d/2 + sqrt(d^2/4 + c^3)).
	const c = cubicP / (3 * cubicA) // 17/12
	y := float64(s.k-r) / float64(s.k)
	h := (y - cubicD) / (2 * cubicA) // -d/2 > 0
	t := math.Cbrt(h + math.Sqrt(h*h+c*c*c))
	u := t - c/t
	return math.Ldexp(cubicU-u, e)
}

// value returns the representative value of bucket i, the harmonic mean
// 2*lo*hi/(lo+hi) of its bounds lo = bound(i-1) and hi = bound(i), which is
// within relative error (hi-lo)/(hi+lo) <= alpha of every value in the
// bucket.
func (s *Sketch) value(i int) float64 {
	lo, hi := s.bound(i-1), s.bound(i)
	h := hi / lo // computed as a ratio, as lo*hi can overflow
	return lo * (2 * h / (1 + h))
}

// Add adds v to the sketch.
//
// Add allocates only when v falls outside the range of bucket indexes seen
// so far. NaN is not added but counted by [Sketch.NaNCount]. Values with
// magnitude below [ZeroThreshold] are counted as zero (and -0 as +0);
// ±Inf and other values beyond ±[Sketch.MaxValue] are clamped to
// ±MaxValue.
func (s *Sketch) Add(v float64) {
	// One path for both signs: a is |v| and st the store for v's sign. The
	// store's fast path is written out here, so that Add makes no calls
	// unless the store grows.
	a, st := v, &s.pos
	if v < 0 {
		a, st = -v, &s.neg
	}
	if !(a >= ZeroThreshold) { // tiny, zero or NaN
		s.addSmall(v)
		return
	}
	if a > s.maxValue {
		a = s.maxValue
		v = math.Copysign(a, v)
	}
	i := s.index(a)
	if j := i - st.offset; uint(j) < uint(len(st.counts)) {
		c := st.counts[j] + 1
		if c == 0 {
			panic(errFull)
		}
		st.counts[j] = c
	} else {
		st.addSlow(i, s.minIndex, s.maxIndex)
	}
	s.count++
	if v < s.min {
		s.min = v
	}
	if v > s.max {
		s.max = v
	}
}

// addSmall adds a NaN, or a v with |v| < ZeroThreshold as zero.
func (s *Sketch) addSmall(v float64) {
	if v != v {
		s.nan++
		return
	}
	if v == 0 {
		v = 0 // record -0 as +0, so Min and Max do not depend on order
	}
	s.zero++
	s.count++
	if v < s.min {
		s.min = v
	}
	if v > s.max {
		s.max = v
	}
}

// addSlow grows st to cover bucket i and increments its count.
func (st *store) addSlow(i, minIndex, maxIndex int) {
	st.cover(i, i, minIndex, maxIndex)
	st.counts[i-st.offset]++
}

// cover grows st, if needed, so that it holds the bucket indexes lo to hi
// inclusive, with minIndex <= lo <= hi <= maxIndex. Growth leaves some slack
// on the side that grows, so that repeated growth is amortised.
func (st *store) cover(lo, hi, minIndex, maxIndex int) {
	var newLo, newHi int
	if len(st.counts) == 0 {
		newLo, newHi = lo-initialPad, hi+initialPad
	} else {
		curLo, curHi := st.offset, st.offset+len(st.counts)-1
		if lo >= curLo && hi <= curHi {
			return
		}
		pad := max(len(st.counts)/4, minPad)
		newLo, newHi = curLo, curHi
		if lo < curLo {
			newLo = lo - pad
		}
		if hi > curHi {
			newHi = hi + pad
		}
	}
	newLo = max(newLo, minIndex)
	newHi = min(newHi, maxIndex)
	counts := make([]uint32, newHi-newLo+1)
	if len(st.counts) > 0 {
		copy(counts[st.offset-newLo:], st.counts)
	}
	st.counts, st.offset = counts, newLo
}

// span returns the lowest and highest bucket index with a non-zero count;
// ok is false if all counts are zero.
func (st *store) span() (lo, hi int, ok bool) {
	first := -1
	for j, c := range st.counts {
		if c != 0 {
			first = j
			break
		}
	}
	if first < 0 {
		return 0, 0, false
	}
	last := len(st.counts) - 1
	for st.counts[last] == 0 {
		last--
	}
	return st.offset + first, st.offset + last, true
}

// merge adds the counts of o into st.
func (st *store) merge(o *store, minIndex, maxIndex int) {
	lo, hi, ok := o.span()
	if !ok {
		return
	}
	st.cover(lo, hi, minIndex, maxIndex)
	dst := st.counts[lo-st.offset : hi-st.offset+1]
	src := o.counts[lo-o.offset : hi-o.offset+1]
	for j, c := range src {
		if dst[j] > math.MaxUint32-c {
			panic(errFull)
		}
		dst[j] += c
	}
}

// errFull is the panic of a bucket asked to count more than its 32 bits
// hold: a programming error, since 2^32−1 values in one bucket is far more
// than a simulation run makes (reesim caps a run at 10^8 paths).
var errFull = errors.New("sketch: more than 2^32-1 values in one bucket")

// Merge adds all values summarised by o to s, as if they had been added to
// s directly. Merging is exactly associative and commutative, so the
// result does not depend on the order in which sketches are merged. o is
// not modified (unless it is s).
//
// Merge panics if o has a different Alpha; that is a programming error.
func (s *Sketch) Merge(o *Sketch) {
	if o.alpha != s.alpha {
		panic(fmt.Sprintf("sketch: merging sketches with alpha %v and %v", s.alpha, o.alpha))
	}
	if o.count == 0 {
		s.nan += o.nan
		return
	}
	s.pos.merge(&o.pos, s.minIndex, s.maxIndex)
	s.neg.merge(&o.neg, s.minIndex, s.maxIndex)
	s.zero += o.zero
	s.nan += o.nan
	s.count += o.count
	if o.min < s.min {
		s.min = o.min
	}
	if o.max > s.max {
		s.max = o.max
	}
}

// Quantile returns an estimate of the q-quantile of the values added: the
// k-th smallest value x_(k) with k = ceil(q*n), k >= 1 (the inverse of the
// empirical CDF, Hyndman-Fan type 1). The estimate e satisfies
// |e-x_(k)| <= Alpha*|x_(k)| for |x_(k)| in [ZeroThreshold, MaxValue];
// values of smaller magnitude read back as 0.
//
// Quantile(0) returns Min and Quantile(1) returns Max exactly. q below 0 is
// treated as 0 and q above 1 as 1. Quantile returns 0 for an empty sketch
// and NaN for a NaN q.
func (s *Sketch) Quantile(q float64) float64 {
	if s.count == 0 {
		return 0
	}
	var k uint64
	switch {
	case q != q:
		return math.NaN()
	case q <= 0:
		k = 1
	case q >= 1:
		k = s.count
	default:
		k = uint64(math.Ceil(q * float64(s.count)))
		k = min(max(k, 1), s.count)
	}
	if k == 1 {
		return s.min
	}
	if k == s.count {
		return s.max
	}
	return s.clamp(s.rank(k))
}

// rank returns the representative value of the bucket holding the k-th
// smallest value, 1 <= k <= s.count.
func (s *Sketch) rank(k uint64) float64 {
	// Negative values, most negative (highest index) first.
	for j := len(s.neg.counts) - 1; j >= 0; j-- {
		c := uint64(s.neg.counts[j])
		if c >= k {
			return -s.value(s.neg.offset + j)
		}
		k -= c
	}
	if s.zero >= k {
		return 0
	}
	k -= s.zero
	for j, c32 := range s.pos.counts {
		c := uint64(c32)
		if c >= k {
			return s.value(s.pos.offset + j)
		}
		k -= c
	}
	return s.max // not reached when the counts are consistent
}

// clamp limits v to [s.min, s.max].
func (s *Sketch) clamp(v float64) float64 {
	return min(max(v, s.min), s.max)
}

// Count returns the number of values added, not counting NaN.
func (s *Sketch) Count() uint64 { return s.count }

// NaNCount returns the number of NaN values passed to Add.
func (s *Sketch) NaNCount() uint64 { return s.nan }

// ZeroCount returns the number of values counted as zero, those with
// magnitude below [ZeroThreshold].
func (s *Sketch) ZeroCount() uint64 { return s.zero }

// Min returns the smallest value added (after clamping to ±MaxValue), or 0
// if the sketch is empty.
func (s *Sketch) Min() float64 {
	if s.count == 0 {
		return 0
	}
	return s.min
}

// Max returns the largest value added (after clamping to ±MaxValue), or 0
// if the sketch is empty.
func (s *Sketch) Max() float64 {
	if s.count == 0 {
		return 0
	}
	return s.max
}

// Buckets returns the number of bucket counters allocated for positive and
// negative values together; the sketch's memory is about 8 bytes per
// bucket.
func (s *Sketch) Buckets() int { return len(s.pos.counts) + len(s.neg.counts) }

// Reset empties the sketch, keeping its alpha and its allocated buckets.
func (s *Sketch) Reset() {
	clear(s.pos.counts)
	clear(s.neg.counts)
	s.zero, s.nan, s.count = 0, 0, 0
	s.min, s.max = math.Inf(1), math.Inf(-1)
}
