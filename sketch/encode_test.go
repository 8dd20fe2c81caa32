package sketch

import (
	"bytes"
	"math"
	"math/rand/v2"
	"testing"
)

// sameState reports whether a and b hold the same values: the same
// counts in every bucket, the same minimum and maximum.
func sameState(a, b *Sketch) bool {
	if a.alpha != b.alpha || a.zero != b.zero || a.nan != b.nan || a.count != b.count ||
		math.Float64bits(a.min) != math.Float64bits(b.min) || math.Float64bits(a.max) != math.Float64bits(b.max) {
		return false
	}
	for _, p := range [][2]*store{{&a.pos, &b.pos}, {&a.neg, &b.neg}} {
		x, y := p[0], p[1]
		lx, hx, okx := x.span()
		ly, hy, oky := y.span()
		if okx != oky || lx != ly || hx != hy {
			return false
		}
		if okx && !equalCounts(x.counts[lx-x.offset:hx-x.offset+1], y.counts[ly-y.offset:hy-y.offset+1]) {
			return false
		}
	}
	return true
}

func equalCounts(a, b []uint32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// A sketch or set read back from its binary form is the one written: the
// same state, so the same quantiles, and the same result of a merge.
func TestBinaryRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	set := NewSet(0.005, 5)
	for i := 0; i < 2000; i++ {
		set.At(0).Add(rng.NormFloat64())
		set.At(1).Add(math.Exp(10 * rng.Float64()))
		set.At(2).Add(0)
	}
	set.At(3).Add(math.NaN())
	set.At(3).Add(-1e300)
	// set.At(4) stays empty.
	b, err := set.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var got Set
	if err := got.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if got.Len() != set.Len() || got.Alpha() != set.Alpha() {
		t.Fatalf("read back %d sketches of alpha %v, want %d of %v", got.Len(), got.Alpha(), set.Len(), set.Alpha())
	}
	for i := 0; i < set.Len(); i++ {
		if !sameState(got.At(i), set.At(i)) {
			t.Errorf("sketch %d read back differs", i)
		}
		for _, q := range []float64{0, 0.05, 0.5, 0.95, 1} {
			if a, b := got.At(i).Quantile(q), set.At(i).Quantile(q); math.Float64bits(a) != math.Float64bits(b) {
				t.Errorf("sketch %d: quantile %v read back %v, want %v", i, q, a, b)
			}
		}
	}
	again, _ := got.AppendBinary([]byte("x"))
	if !bytes.Equal(again[1:], b) {
		t.Error("a set read back is written differently")
	}
	// A sketch read back merges as the original.
	m1, m2 := New(0.005), New(0.005)
	m1.Merge(set.At(0))
	m2.Merge(got.At(0))
	m1.Add(7)
	m2.Add(7)
	if !sameState(m1, m2) {
		t.Error("merging a sketch read back differs from merging the original")
	}
	one, err := set.At(1).MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var s Sketch
	if err := s.UnmarshalBinary(one); err != nil {
		t.Fatal(err)
	}
	if !sameState(&s, set.At(1)) {
		t.Error("a single sketch read back differs")
	}
}

// A binary form cut short, with bytes added or changed, is refused with
// an error, never a panic, and the sketch is left as it was.
func TestBinaryDamaged(t *testing.T) {
	set := NewSet(0.01, 3)
	for i := 0; i < 300; i++ {
		set.At(i % 3).Add(float64(i) - 100)
	}
	b, _ := set.MarshalBinary()
	for n := 0; n < len(b); n++ {
		var got Set
		if err := got.UnmarshalBinary(b[:n]); err == nil {
			t.Fatalf("cut to %d of %d bytes: no error", n, len(b))
		}
	}
	if err := new(Set).UnmarshalBinary(append(b, 0)); err == nil {
		t.Error("a byte added: no error")
	}
	for i := range b {
		d := bytes.Clone(b)
		d[i] ^= 0x55
		var got Set
		got.UnmarshalBinary(d) // must not panic
	}
	keep := New(0.01)
	keep.Add(3)
	if err := keep.UnmarshalBinary([]byte{1, 2, 3}); err == nil || keep.Count() != 1 {
		t.Errorf("bad data: error %v, count %d; want an error and the sketch as it was", err, keep.Count())
	}
}

func FuzzUnmarshalBinary(f *testing.F) {
	set := NewSet(0.005, 2)
	set.At(0).Add(1)
	set.At(1).Add(-2)
	b, _ := set.MarshalBinary()
	f.Add(b)
	f.Fuzz(func(t *testing.T, data []byte) {
		var s Set
		if err := s.UnmarshalBinary(data); err != nil {
			return
		}
		// What is accepted can be used, and written and read back the
		// same. (Numbers written with more bytes than they need are
		// accepted, so the bytes need not be those read.)
		for i := 0; i < s.Len(); i++ {
			s.At(i).Quantile(0.5)
		}
		again, _ := s.MarshalBinary()
		var s2 Set
		if err := s2.UnmarshalBinary(again); err != nil {
			t.Fatalf("written back, it is refused: %v", err)
		}
		for i := 0; i < s.Len(); i++ {
			if !sameState(s.At(i), s2.At(i)) {
				t.Fatalf("sketch %d written and read back differs", i)
			}
		}
	})
}
