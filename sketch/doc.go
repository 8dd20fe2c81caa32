// Package sketch provides a mergeable quantile sketch with a relative-error
// guarantee, in the style of DDSketch (Masson, Rim & Lee, "DDSketch: A Fast
// and Fully-Mergeable Quantile Sketch with Relative-Error Guarantees",
// VLDB 2019).
//
// # Guarantee
//
// A [Sketch] created with [New](alpha) reads back every quantile within a
// relative error alpha of the exact value: if x is the exact quantile then
// the estimate e satisfies |e-x| <= alpha*|x|. The error bound is on the
// value, not on the rank; the rank itself is exact. Quantile(q) targets the
// "lower" or inverse-CDF quantile (Hyndman & Fan type 1; stat.Empirical in
// gonum): the k-th smallest value x_(k) with k = ceil(q*n), k >= 1. The
// estimate is the representative of the bucket that holds x_(k) (see
// Buckets below); it is clamped to the exact Min and Max, and q = 0 and
// q = 1 return Min and Max themselves.
//
// Negative values are kept in a mirrored store and are exact in the same
// relative sense. Values with |v| < 1e-12 are counted as zero and read back
// as exactly 0 (absolute error below 1e-12). NaN is not counted by Count but
// by NaNCount. +Inf, -Inf and finite values of larger magnitude than
// MaxFloat64/gamma, gamma = (1+alpha)/(1-alpha), are clamped to
// ±MaxFloat64/gamma.
//
// # Buckets
//
// A magnitude v = 2^e * (1+s), with e an integer and s in [0, 1) read from
// the bits of the float64, goes to the bucket
//
//	index(v) = ceil(K * (e + P(s))),  P(s) = (6/35)*s^3 - (3/5)*s^2 + (10/7)*s,
//
// the cubically interpolated mapping of DDSketch. e + P(s) approximates
// log2(v) to within 0.0015 without computing a logarithm, which makes the
// index several times cheaper to compute than with math.Log. P(0) = 0 and
// P(1) = 1, so powers of two are bucket bounds, and P is increasing.
//
// Bucket i covers (b(i-1), b(i)], where b(j) = 2^E * (1+S) with
// E = floor(j/K) and S the root in [0, 1) of P(S) = j/K - E, found by
// Cardano's formula. Its representative is the harmonic mean
// 2*b(i-1)*b(i)/(b(i-1)+b(i)), whose relative distance to every value of
// the bucket is at most (b(i)-b(i-1))/(b(i)+b(i-1)).
//
// The number of buckets per octave is K = ceil(7/(10*ln(gamma))), with
// gamma = (1+alpha)/(1-alpha); K = 70 for alpha = 0.005. It bounds the
// width of every bucket: ln b(i) - ln b(i-1) is at most 1/K times the
// largest slope of ln v against e + P(s), which is 1/((1+s)*P'(s)) at most
// 7/10, reached at s = 0 and s = 2/3. So b(i)/b(i-1) <= exp(7/(10*K))
// <= gamma, and the representative is within (gamma-1)/(gamma+1) = alpha
// of every value in its bucket. A logarithmic mapping, index =
// ceil(ln(v)/ln(gamma)), would need ln 2/ln(gamma) buckets per octave
// rather than 7/(10*ln(gamma)): the cubic mapping uses about 1 % more
// buckets (plus up to one per octave from rounding K up; none for
// alpha = 0.005).
//
// The index is computed with a few multiplications and additions arranged
// so that each one is monotone in v; rounding can therefore move a value
// only to a neighbouring bucket at a bucket bound, never out of order, and
// the rounding of the index and of the bucket bounds is below a few parts
// in 1e15 of a value. The gamma in K and in MaxFloat64/gamma is computed
// from alpha reduced by one part in a million, which absorbs that rounding.
//
// # Order-independent merging
//
// Bucket counts are integers, and a sketch's state is only integer
// counts plus the exact minimum and maximum (with -0 recorded as +0), so
// [Sketch.Merge] is exactly associative and commutative: the state read by
// Quantile, Count, Min and Max depends only on the multiset of values added,
// not on how they were split into shards or in which order the shards were
// merged. A simulation that gives each worker goroutine its own Sketch (or
// [Set]) and merges them afterwards therefore produces bit-identical
// percentiles whatever the number of workers. (Floating-point accumulators
// such as sums or t-digest centroids do not have this property.)
//
// # Memory
//
// Each sign keeps a dense store of 32-bit counts that grows only to cover
// the range of bucket indexes seen, so memory does not grow with the number
// of values added. (32 bits halve the memory, and so the cache misses, of a
// simulation's thousands of sketches. A bucket holds at most 2^32−1
// values; Add and Merge panic beyond that, as for other programming errors.
// Count, ZeroCount and NaNCount are 64-bit.) A store spanning values from min to max holds about
// K*log2(max/min) ≈ 1.01*ln(max/min)/ln(gamma) ≈ ln(max/min)/(1.98*alpha)
// buckets, plus some growth slack: with alpha = 0.005, a range of six
// orders of magnitude needs about 1,400 buckets (5.5 KiB). The store can
// never exceed the index range from 1e-12 to MaxFloat64, about 74,500
// buckets per sign for alpha = 0.005.
//
// A [Set] holds many sketches that share alpha, such as one per
// (series, month) cell, in one allocation.
//
// Sketches and Sets are not safe for concurrent use; give each goroutine its
// own and merge them when the goroutines are done.
package sketch
