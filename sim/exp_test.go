package sim

import (
	"math"
	"math/rand/v2"
	"testing"
)

// exp agrees with math.Exp to a few units in the last place over the range
// it computes itself, and defers to it outside.
func TestExp(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	worst := 0.0
	for i := 0; i < 1_000_000; i++ {
		x := (rng.Float64()*2 - 1) * 708
		if i%2 == 0 {
			x = (rng.Float64()*2 - 1) * 2 // where demand factors live
		}
		want := math.Exp(x)
		worst = max(worst, math.Abs(exp(x)-want)/want)
	}
	const ulp = 0x1p-52
	if worst > 4*ulp {
		t.Errorf("largest relative error %g, want at most 4 ulp (%g)", worst, 4*ulp)
	}
	for _, x := range []float64{0, math.Copysign(0, -1), 1, -1, 1e-300, -1e-300, 707.9, -707.9, 708.5, -709, 709.8, -745.2, -746, math.Inf(1), math.Inf(-1)} {
		want, got := math.Exp(x), exp(x)
		if !(got == want || math.Abs(got-want) <= 4*ulp*want) {
			t.Errorf("exp(%v) = %v, want %v", x, got, want)
		}
	}
	if exp(0) != 1 {
		t.Errorf("exp(0) = %v, want exactly 1", exp(0))
	}
	if !math.IsNaN(exp(math.NaN())) {
		t.Errorf("exp(NaN) = %v, want NaN", exp(math.NaN()))
	}
	// Monotone across table boundaries.
	for k := -2000; k < 2000; k++ {
		x := float64(k) * math.Ln2 / expN
		lo, hi := exp(math.Nextafter(x, math.Inf(-1))), exp(math.Nextafter(x, math.Inf(1)))
		if lo > exp(x) || exp(x) > hi {
			t.Fatalf("exp not monotone at k=%d: %v %v %v", k, lo, exp(x), hi)
		}
	}
}

func BenchmarkExp(b *testing.B) {
	x, s := 0.0, 0.0
	for b.Loop() {
		s += exp(-0.3 * x)
		x += 1e-6
	}
	sinkF = s
}

func BenchmarkMathExp(b *testing.B) {
	x, s := 0.0, 0.0
	for b.Loop() {
		s += math.Exp(-0.3 * x)
		x += 1e-6
	}
	sinkF = s
}

var sinkF float64

// ln agrees with math.Log to a few units in the last place.
func TestLn(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const ulp = 0x1p-52
	worst, worstX := 0.0, 0.0
	check := func(x float64) {
		want := math.Log(x)
		got := ln(x)
		if want == 0 {
			if got != 0 {
				t.Errorf("ln(%v) = %v, want 0", x, got)
			}
			return
		}
		if e := math.Abs(got-want) / math.Abs(want); e > worst {
			worst, worstX = e, x
		}
	}
	for i := 0; i < 1_000_000; i++ {
		switch i % 4 {
		case 0: // anywhere
			check(math.Exp((rng.Float64()*2 - 1) * 700))
		case 1: // price ratios
			check(math.Exp((rng.Float64()*2 - 1) * 3))
		case 2: // near 1
			check(1 + (rng.Float64()*2-1)*0x1p-6)
		default: // across the interval ends of z
			j := rng.IntN(lnN + 1)
			b := lnOff + uint64(j)<<(52-7) + uint64(rng.IntN(64)) - 32
			check(math.Float64frombits(b))
		}
	}
	if worst > 4*ulp {
		t.Errorf("largest relative error %g at %v, want at most 4 ulp (%g)", worst, worstX, 4*ulp)
	}
	t.Logf("largest relative error %.3g ulp at %v", worst/ulp, worstX)
	for _, x := range []float64{0, math.Copysign(0, -1), -1, 1e-310, 5e-324, math.SmallestNonzeroFloat64, math.MaxFloat64, math.Inf(1), math.Inf(-1), math.NaN(), 2, 0.5, math.E} {
		want, got := math.Log(x), ln(x)
		if !(got == want || math.Abs(got-want) <= 4*ulp*math.Abs(want) || math.IsNaN(want) && math.IsNaN(got)) {
			t.Errorf("ln(%v) = %v, want %v", x, got, want)
		}
	}
	// Monotone to within an ulp across interval ends.
	for j := 0; j <= lnN; j++ {
		for _, k := range []uint64{0x3fe6000000000000, 0x4006000000000000, 0x3f76000000000000, 0x40f6000000000000} {
			x := math.Float64frombits(k + uint64(j)<<(52-7))
			lo, mid, hi := ln(math.Nextafter(x, 0)), ln(x), ln(math.Nextafter(x, math.Inf(1)))
			if tol := ulp * math.Abs(mid); lo > mid+tol || mid > hi+tol {
				t.Fatalf("ln not monotone at %v: %v %v %v", x, lo, mid, hi)
			}
		}
	}
}

func BenchmarkLn(b *testing.B) {
	x, s := 1.0, 0.0
	for b.Loop() {
		s += ln(x)
		x += 1e-6
	}
	sinkF = s
}

func BenchmarkMathLog(b *testing.B) {
	x, s := 1.0, 0.0
	for b.Loop() {
		s += math.Log(x)
		x += 1e-6
	}
	sinkF = s
}

// Along a chain of dependent evaluations, as in the model.
func BenchmarkLnChain(b *testing.B) {
	x := 1.5
	for b.Loop() {
		x = 1.5 + ln(x)*1e-3
	}
	sinkF = x
}

func BenchmarkMathLogChain(b *testing.B) {
	x := 1.5
	for b.Loop() {
		x = 1.5 + math.Log(x)*1e-3
	}
	sinkF = x
}
