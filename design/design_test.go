package design

import (
	"math"
	"slices"
	"testing"
)

func TestParse(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Kind
		ok   bool
	}{{"", MC, true}, {"mc", MC, true}, {"lhs", LHS, true}, {"qmc", QMC, true}, {"sobol", MC, false}, {"LHS", MC, false}} {
		got, err := Parse(c.in)
		if (err == nil) != c.ok || (c.ok && got != c.want) {
			t.Errorf("Parse(%q) = %v, %v; want %v, ok %v", c.in, got, err, c.want, c.ok)
		}
		if c.ok && c.in != "" && got.String() != c.in {
			t.Errorf("%v.String() = %q, want %q", got, got.String(), c.in)
		}
	}
}

// TestMCIsUniform checks that the MC design is the engine's frozen stream
// (docs/MODEL.md §5).
func TestMCIsUniform(t *testing.T) {
	p, err := NewPlan(MC, 1, 10, []string{"ban_share", "tariff_level"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := p.U(0, 0), 0.6811077024189036; got != want {
		t.Errorf("U(0, ban_share) = %v, want %v", got, want)
	}
	if got, want := p.U(0, 1), 0.2766139609218074; got != want {
		t.Errorf("U(0, tariff_level) = %v, want %v", got, want)
	}
}

func TestPermute(t *testing.T) {
	for _, n := range []uint32{1, 2, 3, 5, 64, 100, 1000, 1024, 1808, 4097} {
		for _, key := range []uint64{0, 1, 0xdeadbeef} {
			seen := make([]bool, n)
			for x := range n {
				y := permute(x, n, key)
				if y >= n || seen[y] {
					t.Fatalf("permute(%d, %d, %d) = %d: not a permutation", x, n, key, y)
				}
				seen[y] = true
			}
		}
	}
}

// strata returns floor(u·n) of dimension d over paths [from, from+n).
func strata(p *Plan, d, from, n int) []int {
	out := make([]int, n)
	for i := range n {
		u := p.U(from+i, d)
		if !(u > 0 && u < 1) {
			panic("uniform out of (0, 1)")
		}
		out[i] = int(u * float64(n))
	}
	slices.Sort(out)
	return out
}

func isPerm(s []int) bool {
	for i, v := range s {
		if v != i {
			return false
		}
	}
	return true
}

// TestLHSStrata checks that every slice, the last shorter one included,
// puts one path in each of its strata in every dimension.
func TestLHSStrata(t *testing.T) {
	const paths = 2*SliceSize + 300
	p, err := NewPlan(LHS, 7, paths, []string{"a", "b", "c"})
	if err != nil {
		t.Fatal(err)
	}
	for d := range 3 {
		for _, s := range [][2]int{{0, SliceSize}, {SliceSize, SliceSize}, {2 * SliceSize, 300}} {
			if !isPerm(strata(p, d, s[0], s[1])) {
				t.Errorf("dimension %d, slice from %d: not one path per stratum", d, s[0])
			}
		}
	}
}

// TestQMCStrata checks the net property of the scrambled Halton points:
// the first b^m points put one point in each of the b^m strata of the
// dimension of base b.
func TestQMCStrata(t *testing.T) {
	p, err := NewPlan(QMC, 3, 5000, []string{"a", "b", "c", "d"})
	if err != nil {
		t.Fatal(err)
	}
	for d, n := range []int{1024, 729, 625, 343} {
		if !isPerm(strata(p, d, 0, n)) {
			t.Errorf("dimension %d (base %d): the first %d points are not one per stratum", d, p.base[d], n)
		}
	}
}

// TestDesignsUniform checks the mean, variance and pairwise correlation
// of the uniforms of every design.
func TestDesignsUniform(t *testing.T) {
	names := []string{"x", "y", "z", "w", "v"}
	const n = 4096
	for _, k := range []Kind{MC, LHS, QMC} {
		p, err := NewPlan(k, 11, n, names)
		if err != nil {
			t.Fatal(err)
		}
		var sum, sq [5]float64
		var cross float64
		for i := range n {
			for d := range names {
				u := p.U(i, d)
				sum[d] += u
				sq[d] += u * u
			}
			cross += (p.U(i, 0) - 0.5) * (p.U(i, 4) - 0.5)
		}
		for d := range names {
			m := sum[d] / n
			v := sq[d]/n - m*m
			if math.Abs(m-0.5) > 4*math.Sqrt(1.0/12/n) || math.Abs(v-1.0/12) > 0.005 {
				t.Errorf("%v dimension %d: mean %.4f, variance %.4f; want 0.5 and 1/12", k, d, m, v)
			}
		}
		if r := cross / n * 12; math.Abs(r) > 4/math.Sqrt(n) {
			t.Errorf("%v: correlation of dimensions 0 and 4 is %.3f, want about 0", k, r)
		}
	}
}

// TestNamesKeyStreams checks that under MC and LHS an input's uniforms
// depend on its name, not its dimension; under QMC the scrambling does.
func TestNamesKeyStreams(t *testing.T) {
	for _, k := range []Kind{MC, LHS} {
		a, _ := NewPlan(k, 5, 3000, []string{"x", "y"})
		b, _ := NewPlan(k, 5, 3000, []string{"z", "y", "x"})
		for i := 0; i < 3000; i += 97 {
			if a.U(i, 0) != b.U(i, 2) || a.U(i, 1) != b.U(i, 1) {
				t.Fatalf("%v: path %d: an input's uniform changed when other inputs changed", k, i)
			}
		}
	}
	a, _ := NewPlan(QMC, 5, 3000, []string{"x", "y"})
	b, _ := NewPlan(QMC, 5, 3000, []string{"x", "y", "z"})
	for i := 0; i < 3000; i += 97 {
		if a.U(i, 0) != b.U(i, 0) || a.U(i, 1) != b.U(i, 1) {
			t.Fatalf("qmc: path %d: adding a dimension at the end changed the others", i)
		}
	}
}

func TestQMCTooManyDims(t *testing.T) {
	if _, err := NewPlan(QMC, 1, 10, make([]string, MaxQMCDims+1)); err == nil {
		t.Error("a QMC plan of too many dimensions was accepted")
	}
	if _, err := NewPlan(MC, 1, 0, nil); err == nil {
		t.Error("a plan of 0 paths was accepted")
	}
}

// BenchmarkU measures one uniform of each design.
func BenchmarkU(b *testing.B) {
	for _, k := range []Kind{MC, LHS, QMC} {
		p, _ := NewPlan(k, 1, 1<<20, []string{"a", "b", "c"})
		b.Run(k.String(), func(b *testing.B) {
			s := 0.0
			for i := range b.N {
				s += p.U(i&(1<<20-1), 2)
			}
			_ = s
		})
	}
}
