package sketch

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"
)

// testAlphas are the relative accuracies the mapping is checked for.
var testAlphas = []float64{1e-4, 0.001, 0.003, 0.005, 0.01, 0.05, 0.1, 0.5, 0.9}

// gammaOf returns (1+alpha)/(1-alpha).
func gammaOf(alpha float64) float64 { return (1 + alpha) / (1 - alpha) }

// logUniform returns n values whose logarithms are uniform between those
// of ZeroThreshold and maxValue, with a fixed seed.
func logUniform(n int, maxValue float64, seed uint64) []float64 {
	r := rand.New(rand.NewPCG(seed, 0x10c))
	lo, hi := math.Log(ZeroThreshold), math.Log(maxValue)
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = min(max(math.Exp(lo+(hi-lo)*r.Float64()), ZeroThreshold), maxValue)
	}
	return xs
}

func TestBucketsPerOctave(t *testing.T) {
	tests := []struct {
		alpha float64
		k     int
	}{
		{1e-4, 3501},
		{0.001, 351},
		{0.005, 70},
		{0.01, 35},
		{0.05, 7},
		{0.5, 1},
		{0.9, 1},
	}
	for _, tt := range tests {
		s := New(tt.alpha)
		if s.k != tt.k {
			t.Errorf("alpha=%v: %d buckets per octave, want %d", tt.alpha, s.k, tt.k)
		}
		// Each power of two is the upper bound of bucket e*k.
		for e := -39; e <= 1023 && math.Ldexp(1, e) <= s.maxValue; e++ {
			v := math.Ldexp(1, e)
			if got := s.index(v); got != e*s.k {
				t.Errorf("alpha=%v: index(2^%d) = %d, want %d", tt.alpha, e, got, e*s.k)
			}
			if got := s.index(math.Nextafter(v, math.Inf(1))); got != e*s.k+1 {
				t.Errorf("alpha=%v: index(2^%d+ulp) = %d, want %d", tt.alpha, e, got, e*s.k+1)
			}
			if got := s.bound(e * s.k); got != v {
				t.Errorf("alpha=%v: bound(%d) = %v, want 2^%d", tt.alpha, e*s.k, got, e)
			}
		}
	}

	// With alpha = 0.005 the mapping needs 1 % more buckets than a
	// logarithmic one: 7/10 instead of ln 2 per ln(gamma).
	s := New(0.005)
	a := s.alpha * (1 - alphaMargin)
	lnGamma := math.Log1p(a) - math.Log1p(-a)
	logarithmic := (math.Log(s.maxValue) - math.Log(ZeroThreshold)) / lnGamma
	ratio := float64(s.maxIndex-s.minIndex) / logarithmic
	if want := 0.7 / math.Ln2; math.Abs(ratio-want) > 1e-3 {
		t.Errorf("alpha=0.005: %d buckets from ZeroThreshold to MaxValue, %.4f times as many as a logarithmic mapping, want %.4f",
			s.maxIndex-s.minIndex, ratio, want)
	}
}

// TestIndexPolynomial checks index against DDSketch's cubic evaluated in
// exact rational arithmetic: ceil(k*(e + A*s^3 + B*s^2 + C*s)) for
// v = 2^e*(1+s), A = 6/35, B = -3/5, C = 10/7.
func TestIndexPolynomial(t *testing.T) {
	A, B, C := big.NewRat(6, 35), big.NewRat(-3, 5), big.NewRat(10, 7)
	exact := func(s *Sketch, v float64) (idx int64, dist float64) {
		frac, e := math.Frexp(v) // v = frac * 2^e, frac in [0.5, 1)
		x := new(big.Rat).SetFloat64(2*frac - 1)
		p := new(big.Rat).Mul(A, x)
		p.Add(p, B).Mul(p, x).Add(p, C).Mul(p, x)
		p.Add(p, new(big.Rat).SetInt64(int64(e-1)))
		p.Mul(p, new(big.Rat).SetInt64(int64(s.k)))
		q, r := new(big.Int).QuoRem(p.Num(), p.Denom(), new(big.Int)) // truncated
		idx = q.Int64()
		if r.Sign() > 0 {
			idx++
		}
		f, _ := p.Float64()
		return idx, math.Abs(f - math.Round(f))
	}
	for _, alpha := range testAlphas {
		s := New(alpha)
		xs := logUniform(20_000, s.maxValue, 1)
		for e := -39; e < 1024; e += 7 {
			v := math.Ldexp(1, e)
			xs = append(xs, v, math.Nextafter(v, 0), math.Nextafter(v, math.Inf(1)), 5*v/3, v*1.5)
		}
		for _, v := range xs {
			if v < ZeroThreshold || v > s.maxValue {
				continue
			}
			want, dist := exact(s, v)
			got := s.index(v)
			if int64(got) != want && !(dist < 1e-9 && math.Abs(float64(int64(got)-want)) == 1) {
				t.Errorf("alpha=%v: index(%v) = %d, want %d", alpha, v, got, want)
			}
		}
	}
}

// TestIndexMonotone checks that index never decreases as the value
// increases, which the order of the buckets relies on, also across powers
// of two and around bucket bounds.
func TestIndexMonotone(t *testing.T) {
	for _, alpha := range testAlphas {
		s := New(alpha)
		xs := logUniform(50_000, s.maxValue, 2)
		for e := -39; e < 1024; e++ {
			v := math.Ldexp(1, e)
			xs = append(xs, math.Nextafter(v, 0), v, math.Nextafter(v, math.Inf(1)))
		}
		for i := s.minIndex; i <= s.maxIndex; i += 1 + (s.maxIndex-s.minIndex)/20_000 {
			b := s.bound(i)
			xs = append(xs, b)
			for range 3 {
				xs = append(xs, math.Nextafter(xs[len(xs)-1], 0))
			}
			xs = append(xs, b)
			for range 3 {
				xs = append(xs, math.Nextafter(xs[len(xs)-1], math.Inf(1)))
			}
		}
		xs = append(xs, ZeroThreshold, s.maxValue)
		xs = slices.DeleteFunc(xs, func(v float64) bool { return v < ZeroThreshold || v > s.maxValue })
		slices.Sort(xs)
		prev := s.minIndex
		for j, v := range xs {
			i := s.index(v)
			if i < prev {
				t.Fatalf("alpha=%v: index(%v) = %d < index(%v) = %d", alpha, v, i, xs[j-1], prev)
			}
			if i > s.maxIndex {
				t.Fatalf("alpha=%v: index(%v) = %d > maxIndex %d", alpha, v, i, s.maxIndex)
			}
			prev = i
		}
	}
}

// edge returns the smallest float64 v with index(v) > i, which must lie
// within a relative 1e-12 of bound(i).
func edge(s *Sketch, i int) (float64, error) {
	b := s.bound(i)
	lo, hi := b*(1-1e-12), min(b*(1+1e-12), math.MaxFloat64)
	if s.index(lo) > i || s.index(hi) <= i {
		return 0, fmt.Errorf("bucket %d: indexes %d and %d either side of bound %v",
			i, s.index(lo), s.index(hi), b)
	}
	// Bisect on the bits, which are ordered like the positive values.
	l, h := math.Float64bits(lo), math.Float64bits(hi) // index(l) <= i < index(h)
	for h-l > 1 {
		m := l + (h-l)/2
		if s.index(math.Float64frombits(m)) > i {
			h = m
		} else {
			l = m
		}
	}
	return math.Float64frombits(h), nil
}

// TestBucketRepresentatives checks every bucket: its bounds are at most a
// factor gamma apart, the bound computed by inverting the mapping agrees
// with the first value the mapping puts in the next bucket, and the
// representative is within alpha of the smallest and the largest float64
// the mapping puts in the bucket. With -short, alpha = 1e-4 is sampled.
func TestBucketRepresentatives(t *testing.T) {
	for _, alpha := range testAlphas {
		s := New(alpha)
		gamma := gammaOf(alpha)
		step := 1
		if testing.Short() && alpha < 0.001 {
			step = 97
		}
		worst := 0.0
		for i := s.minIndex; i <= s.maxIndex; i += step {
			lo, err := edge(s, i-1)
			if err != nil {
				t.Fatalf("alpha=%v: %v", alpha, err)
			}
			next, err := edge(s, i)
			if err != nil {
				t.Fatalf("alpha=%v: %v", alpha, err)
			}
			hi := math.Nextafter(next, 0)
			if s.index(lo) != i || s.index(hi) != i {
				t.Fatalf("alpha=%v: bucket %d holds [%v, %v] with indexes %d and %d",
					alpha, i, lo, hi, s.index(lo), s.index(hi))
			}
			if b0, b1 := s.bound(i-1), s.bound(i); !(b1/b0 <= gamma) {
				t.Errorf("alpha=%v: bucket %d: bounds %v and %v are %v apart, more than gamma = %v",
					alpha, i, b0, b1, b1/b0, gamma)
			}
			r := s.value(i)
			if !(r-lo <= alpha*lo && hi-r <= alpha*hi) {
				t.Errorf("alpha=%v: bucket %d: representative %v of [%v, %v], relative errors %.9g and %.9g",
					alpha, i, r, lo, hi, (r-lo)/lo, (hi-r)/hi)
			}
			worst = max(worst, (r-lo)/lo, (hi-r)/hi)
		}
		t.Logf("alpha=%v: largest relative error %.9g (%.6f alpha)", alpha, worst, worst/alpha)
	}
}

// TestEdgeValues checks the quantile of values at the ends of the range,
// at powers of two and between them, and values that are counted as zero.
func TestEdgeValues(t *testing.T) {
	const alpha = 0.005
	maxValue := New(alpha).MaxValue()
	smallestNormal := 0x1p-1022
	tests := []struct {
		name string
		v    float64
		zero bool
	}{
		{"smallest subnormal", math.SmallestNonzeroFloat64, true},
		{"largest subnormal", math.Nextafter(smallestNormal, 0), true},
		{"smallest normal", smallestNormal, true},
		{"below ZeroThreshold", math.Nextafter(ZeroThreshold, 0), true},
		{"ZeroThreshold", ZeroThreshold, false},
		{"above ZeroThreshold", math.Nextafter(ZeroThreshold, 1), false},
		{"2^-39", 0x1p-39, false},
		{"1-ulp", math.Nextafter(1, 0), false},
		{"1", 1, false},
		{"1+ulp", math.Nextafter(1, 2), false},
		{"4/3", 4.0 / 3, false},
		{"5/3", 5.0 / 3, false}, // where the buckets are widest
		{"2-ulp", math.Nextafter(2, 0), false},
		{"2", 2, false},
		{"1024", 1024, false},
		{"2^1023", 0x1p1023, false},
		{"MaxValue-ulp", math.Nextafter(maxValue, 0), false},
		{"MaxValue", maxValue, false},
	}
	for _, tt := range tests {
		for _, sign := range []float64{1, -1} {
			t.Run(fmt.Sprintf("%s/sign=%v", tt.name, sign), func(t *testing.T) {
				v := sign * tt.v
				// v is the median of three values, so Quantile(0.5) is
				// not answered by the exact Min or Max.
				s := New(alpha)
				s.Add(v / 4)
				s.Add(v)
				s.Add(v * 4)
				if err := checkRelErr(s.Quantile(0.5), v, alpha); err != nil {
					t.Error(err)
				}
				want := uint64(0)
				for _, x := range []float64{v / 4, v, v * 4} {
					if math.Abs(x) < ZeroThreshold {
						want++
					}
				}
				if tt.zero != (math.Abs(v) < ZeroThreshold) {
					t.Fatalf("test case: zero is %v for %v", tt.zero, v)
				}
				if got := s.ZeroCount(); got != want {
					t.Errorf("ZeroCount() = %d, want %d", got, want)
				}
			})
		}
	}
}
