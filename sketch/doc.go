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
// estimate is the representative 2*gamma^i/(gamma+1) of the bucket i that
// holds x_(k), where bucket i covers (gamma^(i-1), gamma^i] and
// gamma = (1+alpha)/(1-alpha); it is clamped to the exact Min and Max, and
// q = 0 and q = 1 return Min and Max themselves. The buckets are sized from
// alpha reduced by one part in a million, so that the rounding of math.Log
// and math.Exp cannot push the error past alpha.
//
// Negative values are kept in a mirrored store and are exact in the same
// relative sense. Values with |v| < 1e-12 are counted as zero and read back
// as exactly 0 (absolute error below 1e-12). NaN is not counted by Count but
// by NaNCount. +Inf, -Inf and finite values of larger magnitude than
// MaxFloat64/gamma are clamped to ±MaxFloat64/gamma.
//
// # Order-independent merging
//
// Bucket counts are uint64 integers, and a sketch's state is only integer
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
// Each sign keeps a dense []uint64 store that grows only to cover the
// range of bucket indexes seen, so memory does not grow with the number of
// values added. A store spanning values from min to max holds about
// ln(max/min)/ln(gamma) ≈ ln(max/min)/(2*alpha) buckets, plus some growth
// slack: with alpha = 0.005, a range of six orders of magnitude needs about
// 1,400 buckets (11 KiB). The store can never exceed the index range from
// 1e-12 to MaxFloat64, about 73,700 buckets per sign for alpha = 0.005.
//
// A [Set] holds many sketches that share alpha, such as one per
// (series, month) cell, in one allocation.
//
// Sketches and Sets are not safe for concurrent use; give each goroutine its
// own and merge them when the goroutines are done.
package sketch
