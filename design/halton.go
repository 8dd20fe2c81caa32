package design

import "math/rand/v2"

// haltonPerms returns the number of scrambled digit positions of the
// Halton dimension of prime base b, K, the smallest with b^K ≥ 2^32 (every
// path number has at most K digits), and K random permutations of the
// digits 0..b−1, one per position, keyed by the seed and the input's
// name hash h, stored one after the other.
func haltonPerms(b int, seed, h uint64) (int, []uint16) {
	k := 0
	for p := uint64(1); p < 1<<32; p *= uint64(b) {
		k++
	}
	perm := make([]uint16, k*b)
	g := rand.New(rand.NewPCG(splitmix(seed^0x5851f42d4c957f2d^h), h))
	for j := range k {
		pj := perm[j*b : (j+1)*b]
		for i := range pj {
			pj[i] = uint16(i)
		}
		g.Shuffle(b, func(x, y int) { pj[x], pj[y] = pj[y], pj[x] })
	}
	return k, perm
}

// halton returns the scrambled Halton coordinate of point i in base b:
// the radical inverse of i with its j-th digit d replaced by perm[j·b+d]
// for each of its k digit positions, plus r (a uniform in (0, 1)) times
// the width b^−k of the finest cell, so that the coordinate is uniform on
// (0, 1) whatever the point.
func halton(i, b, k int, perm []uint16, r float64) float64 {
	x, scale := 0.0, 1.0
	n := i
	fb := float64(b)
	for j := range k {
		d := n % b
		n /= b
		scale /= fb
		x += float64(perm[j*b+d]) * scale
	}
	return x + r*scale
}

// firstPrimes returns the first n primes.
func firstPrimes(n int) []int {
	out := make([]int, 0, n)
	for c := 2; len(out) < n; c++ {
		prime := true
		for _, p := range out {
			if p*p > c {
				break
			}
			if c%p == 0 {
				prime = false
				break
			}
		}
		if prime {
			out = append(out, c)
		}
	}
	return out
}
