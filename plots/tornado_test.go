package plots

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
)

// TestRankDrivers builds a metric that is 3·a plus noise, with b
// independent and k constant: a ranks first, k is left out.
func TestRankDrivers(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const n = 2000
	in := map[string][]float64{}
	y := make([]float64, n)
	for i := 0; i < n; i++ {
		a, b, c := rng.Float64(), rng.Float64(), rng.Float64()
		in["a"] = append(in["a"], a)
		in["b"] = append(in["b"], b)
		in["c"] = append(in["c"], c)
		in["k"] = append(in["k"], 4)
		y[i] = 3*a - 0.5*c + 0.3*rng.NormFloat64()
	}
	ds, _ := rankDrivers(context.Background(), []string{"b", "k", "c", "a"}, in, y)
	if len(ds) != 3 {
		t.Fatalf("%d drivers, want 3 (the constant input left out): %+v", len(ds), ds)
	}
	if ds[0].Input != "a" || ds[0].Rho < 0.9 {
		t.Errorf("first driver %+v, want a with ρ > 0.9", ds[0])
	}
	if ds[1].Input != "c" || ds[1].Rho > 0 {
		t.Errorf("second driver %+v, want c, negative", ds[1])
	}
	if ds[2].Input != "b" || math.Abs(ds[2].Rho) > 3/math.Sqrt(n) {
		t.Errorf("third driver %+v, want b, near zero", ds[2])
	}
}

// TestTornadoChartRanking checks the chart drawn from the fixture's
// paths.csv, where the shortfall is 3·a plus noise and the peak magnet
// price rises with b.
func TestTornadoChartRanking(t *testing.T) {
	dir := newRun(t, defaultFixture())
	r, err := readRun(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := newStyle()
	for _, tc := range []struct {
		spec  tornadoSpec
		first string
		label string
	}{
		{tornadoSpecs()[0], inA, "Heavy ban: share blocked"},
		{tornadoSpecs()[1], inB, "Iluka Eneabba: delay (months)"},
	} {
		fig, err := s.tornadoChart(context.Background(), r, tc.spec)
		if err != nil || fig == nil {
			t.Fatalf("%s: %v, %v", tc.spec.Name, fig, err)
		}
		if d := fig.drivers[0]; d.Input != tc.first || d.Label != tc.label || d.Rho < 0.8 {
			t.Errorf("%s: first driver %+v, want %s (%q)", tc.spec.Name, d, tc.first, tc.label)
		}
		for _, d := range fig.drivers {
			if d.Input == inK {
				t.Errorf("%s: the constant input is ranked", tc.spec.Name)
			}
		}
	}
}

// rankDrivers returns the inputs ordered by the absolute value of their
// Spearman correlation with y, largest first, leaving out inputs that
// are constant. y must not be longer than any input column.
func rankDrivers(ctx context.Context, names []string, in map[string][]float64, y []float64) ([]driver, error) {
	return rankDriversCached(ctx, names, in, y, rankCache{})
}
