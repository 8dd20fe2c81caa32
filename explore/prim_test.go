package explore

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
)

// synthetic returns n points of p uniform inputs on [0, 1] whose cases are
// the points with x0 > 0.7 and x3 < 0.4 (a box holding 12 % of the
// points), each label flipped with probability noise.
func synthetic(n, p int, noise float64, seed uint64) *Data {
	g := rand.New(rand.NewPCG(seed, 1))
	x := make([][]float64, p)
	for j := range x {
		x[j] = make([]float64, n)
		for i := range x[j] {
			x[j][i] = g.Float64()
		}
	}
	y := make([]bool, n)
	for i := range y {
		y[i] = x[0][i] > 0.7 && x[3][i] < 0.4
		if g.Float64() < noise {
			y[i] = !y[i]
		}
	}
	d, err := NewData(x, y)
	if err != nil {
		panic(err)
	}
	return d
}

// TestPRIMRecoversBox checks that PRIM finds the box the cases were made
// from: x0 above 0.7 and x3 below 0.4, no other input restricted, with
// high coverage and density, and that the box is stable over resamples.
func TestPRIMRecoversBox(t *testing.T) {
	d := synthetic(10000, 12, 0.02, 7)
	res, err := Find(context.Background(), d, nil, 0, PRIMOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b := res.Box
	dims := b.Dims()
	if len(dims) != 2 || dims[0] != 0 || dims[1] != 3 {
		t.Fatalf("the box restricts inputs %v, want [0 3]; box %+v", dims, b)
	}
	if math.Abs(b.Lo[0]-0.7) > 0.02 || !math.IsInf(b.Hi[0], 1) && b.Hi[0] < 0.98 {
		t.Errorf("x0 in [%.3f, %.3f], want above 0.7", b.Lo[0], b.Hi[0])
	}
	if math.Abs(b.Hi[3]-0.4) > 0.02 || !math.IsInf(b.Lo[3], -1) && b.Lo[3] > 0.02 {
		t.Errorf("x3 in [%.3f, %.3f], want below 0.4", b.Lo[3], b.Hi[3])
	}
	if b.Coverage < 0.85 || b.Density < 0.8 {
		t.Errorf("coverage %.3f, density %.3f; want at least 0.85 and 0.8", b.Coverage, b.Density)
	}
	for _, r := range res.Restrictions {
		if r.QP > 1e-6 {
			t.Errorf("restriction of input %d: quasi-p-value %.3g, want tiny", r.Input, r.QP)
		}
	}
	// The trajectory starts with every point and its density rises.
	if tr := res.Trajectory; tr[0].Mass != 1 || tr[0].Coverage != 1 || tr[len(tr)-1].Density < tr[0].Density {
		t.Errorf("trajectory from %+v to %+v", tr[0], tr[len(tr)-1])
	}
	st, err := Resample(context.Background(), d, 10, 3, 0, PRIMOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for j, share := range st.Share {
		want := 0.0
		if j == 0 || j == 3 {
			want = 1
		}
		if math.Abs(share-want) > 0.2 {
			t.Errorf("input %d restricted in %.0f %% of resamples, want about %.0f %%", j, 100*share, 100*want)
		}
	}
	if math.Abs(st.LoMedian[0]-0.7) > 0.03 || math.Abs(st.HiMedian[3]-0.4) > 0.03 {
		t.Errorf("median limits over resamples: x0 above %.3f, x3 below %.3f", st.LoMedian[0], st.HiMedian[3])
	}
}

// Select picks the densest box above a coverage, or the best balance.
func TestSelect(t *testing.T) {
	traj := []Box{{Coverage: 1, Density: 0.1}, {Coverage: 0.9, Density: 0.5}, {Coverage: 0.7, Density: 0.8}, {Coverage: 0.3, Density: 0.95}}
	if k := Select(traj, 0); k != 2 {
		t.Errorf("Select(balance) = %d, want 2", k)
	}
	if k := Select(traj, 0.85); k != 1 {
		t.Errorf("Select(coverage ≥ 0.85) = %d, want 1", k)
	}
}

// Bad data are refused.
func TestNewDataErrors(t *testing.T) {
	if _, err := NewData([][]float64{{1, math.NaN()}}, []bool{true, false}); err == nil {
		t.Error("NaN accepted")
	}
	if _, err := NewData([][]float64{{1, 2, 3}}, []bool{true, false}); err == nil {
		t.Error("columns of the wrong length accepted")
	}
}

// BenchmarkFind runs PRIM on 10,000 points of 240 inputs, the size of a
// heavy-ree-ban run.
func BenchmarkFind(b *testing.B) {
	d := synthetic(10000, 240, 0.05, 1)
	b.ResetTimer()
	for range b.N {
		if _, err := Find(context.Background(), d, nil, 0, PRIMOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
