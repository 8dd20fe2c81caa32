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
