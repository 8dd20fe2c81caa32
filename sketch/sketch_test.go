package sketch

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat"
)

// testQs are the quantiles checked against exact values.
var testQs = []float64{0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1}

// distribution is a named generator of test values.
type distribution struct {
	name string
	gen  func(r *rand.Rand) float64
}

// distributions returns the test distributions.
func distributions() []distribution {
	return []distribution{
		{"uniform(0,1)", func(r *rand.Rand) float64 { return r.Float64() }},
		{"lognormal(0,1)", func(r *rand.Rand) float64 { return math.Exp(r.NormFloat64()) }},
		{"exponential(1)", func(r *rand.Rand) float64 { return r.ExpFloat64() }},
		{"normal(0,1)", func(r *rand.Rand) float64 { return r.NormFloat64() }},
		{"normal(-5,3)", func(r *rand.Rand) float64 { return -5 + 3*r.NormFloat64() }},
		{"half zeros", func(r *rand.Rand) float64 {
			switch u := r.Float64(); {
			case u < 0.5:
				return 0
			case u < 0.6:
				return -r.ExpFloat64()
			default:
				return 1e4 * math.Exp(2*r.NormFloat64())
			}
		}},
		{"constant", func(*rand.Rand) float64 { return 42.5 }},
		{"negative constant", func(*rand.Rand) float64 { return -0.125 }},
		{"wide range", func(r *rand.Rand) float64 { return math.Exp(60 * math.Abs(r.NormFloat64())) }},
		{"near zero threshold", func(r *rand.Rand) float64 { return math.Exp(-22 + 3*r.NormFloat64()) }},
	}
}

// sample returns n values drawn from d with a fixed seed.
func sample(d distribution, n int, seed uint64) []float64 {
	r := rand.New(rand.NewPCG(seed, 0x5ee0))
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = d.gen(r)
	}
	return xs
}

// exactQuantile returns the type-1 (inverse empirical CDF) quantile of the
// sorted values xs: x_(k) with k = ceil(q*n), k >= 1.
func exactQuantile(sorted []float64, q float64) float64 {
	n := len(sorted)
	k := int(math.Ceil(q * float64(n)))
	k = min(max(k, 1), n)
	return sorted[k-1]
}

// checkRelErr reports an error if est is not within relative error alpha of
// exact; an exact zero must be estimated as exactly zero, and values below
// ZeroThreshold within ZeroThreshold.
func checkRelErr(est, exact, alpha float64) error {
	if exact == 0 {
		if est != 0 {
			return fmt.Errorf("estimate %v, want exactly 0", est)
		}
		return nil
	}
	if math.Abs(exact) < ZeroThreshold {
		if !(math.Abs(est-exact) < ZeroThreshold) {
			return fmt.Errorf("estimate %v, exact %v: absolute error above %v", est, exact, ZeroThreshold)
		}
		return nil
	}
	if err := math.Abs(est - exact); !(err <= alpha*math.Abs(exact)) {
		return fmt.Errorf("estimate %v, exact %v: relative error %.6g > alpha %v",
			est, exact, err/math.Abs(exact), alpha)
	}
	return nil
}

func TestQuantileAccuracy(t *testing.T) {
	const n = 100_000
	for _, alpha := range []float64{0.001, 0.005, 0.01, 0.05} {
		for _, d := range distributions() {
			t.Run(fmt.Sprintf("%s/alpha=%v", d.name, alpha), func(t *testing.T) {
				xs := sample(d, n, 1)
				s := New(alpha)
				for _, x := range xs {
					s.Add(x)
				}
				slices.Sort(xs)
				if got := s.Count(); got != n {
					t.Errorf("Count() = %d, want %d", got, n)
				}
				if got, want := s.Min(), xs[0]; got != want {
					t.Errorf("Min() = %v, want %v", got, want)
				}
				if got, want := s.Max(), xs[n-1]; got != want {
					t.Errorf("Max() = %v, want %v", got, want)
				}
				qs := slices.Clone(testQs)
				for i := 1; i < 200; i++ {
					qs = append(qs, float64(i)/200)
				}
				for _, q := range qs {
					exact := exactQuantile(xs, q)
					if g := stat.Quantile(q, stat.Empirical, xs, nil); g != exact && q > 0 {
						t.Fatalf("q=%v: exact %v, gonum stat.Empirical %v", q, exact, g)
					}
					if err := checkRelErr(s.Quantile(q), exact, alpha); err != nil {
						t.Errorf("Quantile(%v): %v", q, err)
					}
				}
			})
		}
	}
}

// TestBucketBoundaries checks values at and next to bucket boundaries over
// the whole indexable range, where rounding matters most.
func TestBucketBoundaries(t *testing.T) {
	for _, alpha := range []float64{1e-4, 0.001, 0.005, 0.02, 0.1, 0.5, 0.9} {
		s := New(alpha)
		check := func(v float64) {
			// v is the median of three values, so Quantile(0.5) is not
			// answered by the exact Min or Max.
			for _, sign := range []float64{1, -1} {
				s := New(alpha)
				s.Add(sign * v / 4)
				s.Add(sign * v)
				s.Add(sign * v * 4)
				if err := checkRelErr(s.Quantile(0.5), sign*v, alpha); err != nil {
					t.Errorf("alpha=%v: %v", alpha, err)
				}
			}
		}
		for i := s.minIndex; i <= s.maxIndex; i += 1 + (s.maxIndex-s.minIndex)/5000 {
			b := s.bound(i) // the upper edge of bucket i
			if b < ZeroThreshold || b > s.maxValue {
				continue
			}
			check(b)
			check(math.Nextafter(b, 0))
			check(math.Nextafter(b, math.Inf(1)))
		}
		for _, v := range []float64{ZeroThreshold, s.maxValue, 1, 1e-9, 1e300} {
			check(v)
		}
	}
}

func TestSpecialValues(t *testing.T) {
	maxValue := New(0.01).MaxValue()
	tests := []struct {
		name          string
		add           []float64
		count, nan    uint64
		zero          uint64
		min, max      float64
		q             float64
		want          float64
		wantNegZeroes bool
	}{
		{name: "empty", q: 0.5, want: 0},
		{name: "NaN only", add: []float64{math.NaN(), math.NaN()}, nan: 2, q: 0.5, want: 0},
		{name: "+Inf", add: []float64{1, math.Inf(1), 2}, count: 3, min: 1, max: maxValue, q: 1, want: maxValue},
		{name: "-Inf", add: []float64{1, math.Inf(-1), 2}, count: 3, min: -maxValue, max: 2, q: 0, want: -maxValue},
		{name: "huge", add: []float64{math.MaxFloat64, 1}, count: 2, min: 1, max: maxValue, q: 1, want: maxValue},
		{name: "negative zero", add: []float64{math.Copysign(0, -1)}, count: 1, zero: 1, q: 0.5, want: 0},
		{name: "tiny", add: []float64{1e-13, -1e-13, 5e-324}, count: 3, zero: 3, min: -1e-13, max: 1e-13, q: 0.5, want: 0},
		{name: "threshold", add: []float64{ZeroThreshold}, count: 1, min: ZeroThreshold, max: ZeroThreshold, q: 0.5, want: ZeroThreshold},
		{name: "mixed", add: []float64{-3, math.NaN(), 0, 7}, count: 3, nan: 1, zero: 1, min: -3, max: 7, q: 0.5, want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(0.01)
			for _, v := range tt.add {
				s.Add(v)
			}
			if got := s.Count(); got != tt.count {
				t.Errorf("Count() = %d, want %d", got, tt.count)
			}
			if got := s.NaNCount(); got != tt.nan {
				t.Errorf("NaNCount() = %d, want %d", got, tt.nan)
			}
			if got := s.ZeroCount(); got != tt.zero {
				t.Errorf("ZeroCount() = %d, want %d", got, tt.zero)
			}
			if got := s.Min(); math.Float64bits(got) != math.Float64bits(tt.min) {
				t.Errorf("Min() = %v, want %v", got, tt.min)
			}
			if got := s.Max(); math.Float64bits(got) != math.Float64bits(tt.max) {
				t.Errorf("Max() = %v, want %v", got, tt.max)
			}
			if got := s.Quantile(tt.q); math.Float64bits(got) != math.Float64bits(tt.want) {
				t.Errorf("Quantile(%v) = %v, want %v", tt.q, got, tt.want)
			}
		})
	}
}

func TestQuantileArgument(t *testing.T) {
	s := New(0.01)
	for i := 1; i <= 100; i++ {
		s.Add(float64(i))
	}
	tests := []struct {
		q, want float64
	}{
		{-1, 1},
		{0, 1},
		{1e-9, 1},
		{0.01, 1},
		{0.99, 99},
		{1, 100},
		{2, 100},
		{math.Inf(1), 100},
		{math.Inf(-1), 1},
		{math.NaN(), math.NaN()},
	}
	for _, tt := range tests {
		got := s.Quantile(tt.q)
		if math.IsNaN(tt.want) {
			if !math.IsNaN(got) {
				t.Errorf("Quantile(%v) = %v, want NaN", tt.q, got)
			}
			continue
		}
		if err := checkRelErr(got, tt.want, s.Alpha()); err != nil {
			t.Errorf("Quantile(%v): %v", tt.q, err)
		}
	}
}

// mixedValues returns n values with negatives, zeros, -0, tiny values,
// infinities and NaNs.
func mixedValues(n int) []float64 {
	r := rand.New(rand.NewPCG(7, 11))
	xs := make([]float64, n)
	for i := range xs {
		switch u := r.IntN(100); {
		case u < 40:
			xs[i] = math.Exp(3 * r.NormFloat64())
		case u < 70:
			xs[i] = r.NormFloat64()
		case u < 85:
			xs[i] = 0
		case u < 90:
			xs[i] = math.Copysign(0, -1)
		case u < 93:
			xs[i] = 1e-14 * r.NormFloat64()
		case u < 95:
			xs[i] = math.NaN()
		case u < 96:
			xs[i] = math.Inf(1 - 2*r.IntN(2))
		default:
			xs[i] = -math.Exp(10 * r.NormFloat64())
		}
	}
	return xs
}

// sameResults reports the first difference between a and b in anything
// Quantile, Count, NaNCount, ZeroCount, Min or Max return, compared bit
// for bit, and in the non-zero bucket counts.
func sameResults(a, b *Sketch) error {
	if a.Count() != b.Count() || a.NaNCount() != b.NaNCount() || a.ZeroCount() != b.ZeroCount() {
		return fmt.Errorf("counts (%d, %d, %d) and (%d, %d, %d)",
			a.Count(), a.NaNCount(), a.ZeroCount(), b.Count(), b.NaNCount(), b.ZeroCount())
	}
	same := func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) }
	if !same(a.Min(), b.Min()) || !same(a.Max(), b.Max()) {
		return fmt.Errorf("extremes [%v, %v] and [%v, %v]", a.Min(), a.Max(), b.Min(), b.Max())
	}
	for i := 0; i <= 1000; i++ {
		q := float64(i) / 1000
		if x, y := a.Quantile(q), b.Quantile(q); !same(x, y) {
			return fmt.Errorf("Quantile(%v) = %v and %v", q, x, y)
		}
	}
	for _, q := range testQs {
		if x, y := a.Quantile(q), b.Quantile(q); !same(x, y) {
			return fmt.Errorf("Quantile(%v) = %v and %v", q, x, y)
		}
	}
	for _, st := range [][2]*store{{&a.pos, &b.pos}, {&a.neg, &b.neg}} {
		if x, y := nonZero(st[0]), nonZero(st[1]); !mapsEqual(x, y) {
			return fmt.Errorf("bucket counts differ: %d and %d non-zero buckets", len(x), len(y))
		}
	}
	return nil
}

func nonZero(st *store) map[int]uint64 {
	m := make(map[int]uint64)
	for j, c := range st.counts {
		if c != 0 {
			m[st.offset+j] = uint64(c)
		}
	}
	return m
}

// A bucket that would count past 2^32−1 panics, in Add and in Merge,
// rather than wrap around.
func TestBucketFull(t *testing.T) {
	full := func(s *Sketch) {
		for j, c := range s.pos.counts {
			if c != 0 {
				s.pos.counts[j] = math.MaxUint32
			}
		}
	}
	mustPanic := func(what string, f func()) {
		t.Helper()
		defer func() {
			if r := recover(); r != errFull {
				t.Errorf("%s: recovered %v, want %v", what, r, errFull)
			}
		}()
		f()
	}
	a := New(0.01)
	a.Add(5)
	full(a)
	mustPanic("Add", func() { a.Add(5) })
	b, c := New(0.01), New(0.01)
	b.Add(5)
	c.Add(5)
	full(b)
	mustPanic("Merge", func() { b.Merge(c) })
	// One below the limit is fine.
	d := New(0.01)
	d.Add(5)
	for j, n := range d.pos.counts {
		if n != 0 {
			d.pos.counts[j] = math.MaxUint32 - 1
		}
	}
	d.Add(5)
}

func mapsEqual(a, b map[int]uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestMergeOrderIndependent(t *testing.T) {
	const alpha = 0.005
	xs := mixedValues(100_000)
	whole := New(alpha)
	for _, x := range xs {
		whole.Add(x)
	}

	// Uneven shards, including an empty one and one of only a NaN.
	cuts := []int{0, 1, 1, 2, 17, 5_000, 5_001, 40_000, 77_777, len(xs)}
	var shards []*Sketch
	for i := 1; i < len(cuts); i++ {
		s := New(alpha)
		for _, x := range xs[cuts[i-1]:cuts[i]] {
			s.Add(x)
		}
		shards = append(shards, s)
	}
	fold := func(order []int) *Sketch {
		s := New(alpha)
		for _, i := range order {
			s.Merge(shards[i])
		}
		return s
	}
	var tree func(lo, hi int) *Sketch
	tree = func(lo, hi int) *Sketch {
		if hi-lo == 1 {
			s := New(alpha)
			s.Merge(shards[lo])
			return s
		}
		mid := (lo + hi) / 2
		s := tree(mid, hi)
		s.Merge(tree(lo, mid))
		return s
	}
	forward := make([]int, len(shards))
	for i := range forward {
		forward[i] = i
	}
	reverse := slices.Clone(forward)
	slices.Reverse(reverse)
	shuffled := slices.Clone(forward)
	rand.New(rand.NewPCG(3, 4)).Shuffle(len(shuffled), func(i, j int) {
		shuffled[i], shuffled[j] = shuffled[j], shuffled[i]
	})

	tests := []struct {
		name string
		got  *Sketch
	}{
		{"forward", fold(forward)},
		{"reverse", fold(reverse)},
		{"shuffled", fold(shuffled)},
		{"tree", tree(0, len(shards))},
	}
	for _, tt := range tests {
		if err := sameResults(tt.got, whole); err != nil {
			t.Errorf("%s: merged shards and whole stream: %v", tt.name, err)
		}
	}
}

// TestWorkerCounts models a simulation that spreads paths over a varying
// number of workers: the percentiles must be bit-identical.
func TestWorkerCounts(t *testing.T) {
	const (
		alpha = 0.005
		cells = 12
		paths = 20_000
	)
	r := rand.New(rand.NewPCG(5, 6))
	values := make([][]float64, paths) // values[path][cell]
	for p := range values {
		values[p] = make([]float64, cells)
		v := 100.0
		for c := range values[p] {
			v *= math.Exp(0.05 + 0.2*r.NormFloat64())
			values[p][c] = v - 100
		}
	}
	run := func(workers int) []uint64 {
		sets := make([]*Set, workers)
		for w := range sets {
			sets[w] = NewSet(alpha, cells)
		}
		for p, vs := range values {
			set := sets[(p*7919)%workers]
			for c, v := range vs {
				set.At(c).Add(v)
			}
		}
		total := NewSet(alpha, cells)
		for _, set := range sets {
			total.Merge(set)
		}
		var bits []uint64
		for c := range total.Len() {
			for _, q := range []float64{0.05, 0.25, 0.5, 0.75, 0.95} {
				bits = append(bits, math.Float64bits(total.At(c).Quantile(q)))
			}
		}
		return bits
	}
	want := run(1)
	for _, workers := range []int{2, 3, 8, 13} {
		if got := run(workers); !slices.Equal(got, want) {
			t.Errorf("%d workers: percentiles differ from 1 worker", workers)
		}
	}
}

func TestSet(t *testing.T) {
	const alpha = 0.01
	a, b := NewSet(alpha, 3), NewSet(alpha, 3)
	if a.Len() != 3 || a.Alpha() != alpha {
		t.Fatalf("NewSet(%v, 3): Len() = %d, Alpha() = %v", alpha, a.Len(), a.Alpha())
	}
	for i := range 3 {
		if got := a.At(i).Alpha(); got != alpha {
			t.Errorf("At(%d).Alpha() = %v, want %v", i, got, alpha)
		}
	}
	for i := 1; i <= 100; i++ {
		a.At(0).Add(float64(i))
		b.At(0).Add(float64(-i))
		b.At(2).Add(float64(i))
	}
	a.Merge(b)
	tests := []struct {
		cell  int
		count uint64
		q     float64
		want  float64
	}{
		{0, 200, 0, -100},
		{0, 200, 1, 100},
		{1, 0, 0.5, 0},
		{2, 100, 0.5, 50},
	}
	for _, tt := range tests {
		s := a.At(tt.cell)
		if got := s.Count(); got != tt.count {
			t.Errorf("At(%d).Count() = %d, want %d", tt.cell, got, tt.count)
		}
		if err := checkRelErr(s.Quantile(tt.q), tt.want, alpha); err != nil {
			t.Errorf("At(%d).Quantile(%v): %v", tt.cell, tt.q, err)
		}
	}
	buckets := a.Buckets()
	a.Reset()
	if got := a.Buckets(); got != buckets {
		t.Errorf("Buckets() after Reset = %d, want %d", got, buckets)
	}
	for i := range a.Len() {
		if got := a.At(i).Count(); got != 0 {
			t.Errorf("after Reset, At(%d).Count() = %d", i, got)
		}
	}
	if got := NewSet(alpha, 0).Len(); got != 0 {
		t.Errorf("NewSet(alpha, 0).Len() = %d", got)
	}
}

func TestPanics(t *testing.T) {
	tests := []struct {
		name string
		f    func()
	}{
		{"New(0)", func() { New(0) }},
		{"New(1)", func() { New(1) }},
		{"New(-0.1)", func() { New(-0.1) }},
		{"New(NaN)", func() { New(math.NaN()) }},
		{"NewSet(0, 1)", func() { NewSet(0, 1) }},
		{"NewSet(0, 0)", func() { NewSet(0, 0) }},
		{"NewSet(0.01, -1)", func() { NewSet(0.01, -1) }},
		{"Merge alpha", func() { New(0.01).Merge(New(0.02)) }},
		{"Set.Merge alpha", func() { NewSet(0.01, 1).Merge(NewSet(0.02, 1)) }},
		{"Set.Merge length", func() { NewSet(0.01, 1).Merge(NewSet(0.01, 2)) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("%s did not panic", tt.name)
				}
			}()
			tt.f()
		})
	}
}

func TestMergeSelf(t *testing.T) {
	s, want := New(0.01), New(0.01)
	for _, x := range mixedValues(1000) {
		s.Add(x)
		want.Add(x)
		want.Add(x)
	}
	s.Merge(s)
	if err := sameResults(s, want); err != nil {
		t.Error(err)
	}
}

func TestAddAllocs(t *testing.T) {
	xs := sample(distributions()[1], 10_000, 2)
	s := New(0.005)
	for _, x := range xs {
		s.Add(x)
	}
	if n := testing.AllocsPerRun(10, func() {
		for _, x := range xs {
			s.Add(x)
		}
	}); n != 0 {
		t.Errorf("Add allocates %v times per %d values once the range is covered", n, len(xs))
	}
	if n := testing.AllocsPerRun(10, func() { s.Quantile(0.95) }); n != 0 {
		t.Errorf("Quantile allocates %v times", n)
	}
	s.Reset()
	if n := testing.AllocsPerRun(10, func() {
		for _, x := range xs {
			s.Add(x)
		}
	}); n != 0 {
		t.Errorf("after Reset, Add allocates %v times per %d values", n, len(xs))
	}
}

// TestMemoryBound checks that the store does not grow with the number of
// values: it stays within twice the span of bucket indexes used plus a
// small constant, and below 5,000 buckets for a million lognormal values
// with alpha 0.005.
func TestMemoryBound(t *testing.T) {
	const (
		alpha = 0.005
		bound = 5_000
	)
	n := 1_000_000
	if testing.Short() {
		n = 100_000
	}
	s := New(alpha)
	r := rand.New(rand.NewPCG(9, 9))
	for range n {
		s.Add(math.Exp(r.NormFloat64()))
	}
	span := s.index(s.Max()) - s.index(s.Min()) + 1
	got := s.Buckets()
	t.Logf("%d values: %d buckets allocated, %d spanned", n, got, span)
	if got >= bound {
		t.Errorf("Buckets() = %d, want < %d", got, bound)
	}
	if limit := 2*span + 2*initialPad; got > limit {
		t.Errorf("Buckets() = %d for a span of %d buckets, want <= %d", got, span, limit)
	}
}

func BenchmarkAdd(b *testing.B) {
	xs := sample(distributions()[1], 1<<16, 3)
	s := New(0.005)
	for _, x := range xs {
		s.Add(x)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		s.Add(xs[i&(len(xs)-1)])
		i++
	}
}

// BenchmarkAddSet adds one value to each of 2,400 cells in turn, as one
// simulated path does.
func BenchmarkAddSet(b *testing.B) {
	const cells = 2400
	xs := sample(distributions()[1], 1<<16, 3)
	set := NewSet(0.005, cells)
	for i, x := range xs {
		set.At(i % cells).Add(x)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		set.At(i % cells).Add(xs[i&(len(xs)-1)])
		i++
	}
}

func BenchmarkQuantile(b *testing.B) {
	s := New(0.005)
	for _, x := range sample(distributions()[1], 1_000_000, 4) {
		s.Add(x)
	}
	b.ReportAllocs()
	for b.Loop() {
		s.Quantile(0.95)
	}
}

func BenchmarkMerge(b *testing.B) {
	src, dst := New(0.005), New(0.005)
	for _, x := range sample(distributions()[1], 100_000, 5) {
		src.Add(x)
	}
	dst.Merge(src)
	b.ReportAllocs()
	for b.Loop() {
		dst.Merge(src)
	}
}

// BenchmarkAddBlock adds values as the engine does: a block of 64 paths
// gives each of 3,000 (series, month) cells 64 values, which are added
// cell by cell. Each cell's values are lognormal with a 20 % spread around
// a median of its own, between 1 and 10^4. Eight different blocks are added
// in turn. ns/add is the time per value.
func BenchmarkAddBlock(b *testing.B) {
	const (
		cells  = 3000
		paths  = 64
		blocks = 8
	)
	r := rand.New(rand.NewPCG(6, 7))
	median := make([]float64, cells)
	for j := range median {
		median[j] = math.Pow(10, 4*r.Float64())
	}
	vals := make([][]float64, blocks) // vals[block][path*cells+cell]
	for k := range vals {
		vals[k] = make([]float64, paths*cells)
		for i := range paths {
			for j := range cells {
				vals[k][i*cells+j] = median[j] * math.Exp(0.2*r.NormFloat64())
			}
		}
	}
	set := NewSet(0.005, cells)
	add := func(vs []float64) {
		for j := range cells {
			sk := set.At(j)
			for i := range paths {
				sk.Add(vs[i*cells+j])
			}
		}
	}
	for _, vs := range vals {
		add(vs)
	}
	b.ReportAllocs()
	k := 0
	for b.Loop() {
		add(vals[k%blocks])
		k++
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*cells*paths), "ns/add")
}
