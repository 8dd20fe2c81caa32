package uncertain_test

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/reesim/reesim/internal/stat"
	"github.com/reesim/reesim/uncertain"
)

// correlatedDraws returns m draws of the n correlated uniforms of c, as
// one slice per variable.
func correlatedDraws(c *uncertain.Copula, n, m int) [][]float64 {
	rng := rand.New(rand.NewPCG(1, 2))
	cols := make([][]float64, n)
	for i := range cols {
		cols[i] = make([]float64, m)
	}
	u := make([]float64, n)
	v := make([]float64, n)
	for k := range m {
		for i := range u {
			u[i] = rng.Float64()
		}
		c.Transform(v, u)
		for i, x := range v {
			cols[i][k] = x
		}
	}
	return cols
}

func TestCopulaRecoversSpearman(t *testing.T) {
	const m = 100_000
	tests := []struct {
		name string
		n    int
		rho  []float64
	}{
		{"independent", 2, []float64{
			1, 0,
			0, 1,
		}},
		{"three", 3, []float64{
			1, 0.6, -0.4,
			0.6, 1, -0.4,
			-0.4, -0.4, 1,
		}},
		{"three mixed", 3, []float64{
			1, 0.6, -0.4,
			0.6, 1, 0.1,
			-0.4, 0.1, 1,
		}},
		{"strong", 2, []float64{
			1, 0.95,
			0.95, 1,
		}},
		{"four", 4, []float64{
			1, 0.6, -0.4, 0.3,
			0.6, 1, -0.4, 0,
			-0.4, -0.4, 1, 0.2,
			0.3, 0, 0.2, 1,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := uncertain.NewCopula(tc.n, tc.rho)
			if err != nil {
				t.Fatal(err)
			}
			cols := correlatedDraws(c, tc.n, m)
			for i, col := range cols {
				// The outputs are still uniform.
				mean, variance, _ := moments(col)
				if math.Abs(mean-0.5) > 5*math.Sqrt(1.0/12/m) || math.Abs(variance-1.0/12) > 0.002 {
					t.Errorf("variable %d: mean %v, variance %v, want 0.5, %v", i, mean, variance, 1.0/12)
				}
				for _, x := range col {
					if !(x >= 0 && x <= 1) {
						t.Fatalf("variable %d: %v is not in [0, 1]", i, x)
					}
				}
			}
			for i := range tc.n {
				for j := i + 1; j < tc.n; j++ {
					want := tc.rho[i*tc.n+j]
					if got := stat.Spearman(cols[i], cols[j]); math.Abs(got-want) > 0.02 {
						t.Errorf("Spearman(%d, %d) = %.4f, want %v ± 0.02", i, j, got, want)
					}
				}
			}
		})
	}
}

// TestCopulaSpearmanPrecision checks the rank correlation closely enough
// to tell Spearman from Pearson: asking for Pearson 0.5 between the normals
// instead of converting would give a rank correlation of about 0.483.
func TestCopulaSpearmanPrecision(t *testing.T) {
	const m = 400_000
	for _, rho := range []float64{0.5, -0.5} {
		c, err := uncertain.NewCopula(2, []float64{1, rho, rho, 1})
		if err != nil {
			t.Fatal(err)
		}
		cols := correlatedDraws(c, 2, m)
		// The standard error is about 0.0012 here.
		if got := stat.Spearman(cols[0], cols[1]); math.Abs(got-rho) > 0.006 {
			t.Errorf("Spearman = %.4f, want %v ± 0.006", got, rho)
		}
	}
}

// TestCopulaThroughQuantile checks that the rank correlations survive
// mapping the correlated uniforms through each input's Quantile.
func TestCopulaThroughQuantile(t *testing.T) {
	const m = 100_000
	rho := []float64{
		1, 0.6, -0.4,
		0.6, 1, -0.4,
		-0.4, -0.4, 1,
	}
	ds := []uncertain.Dist{
		uncertain.PERT{Min: 1, Mode: 2, Max: 10},
		uncertain.LogNormal{Median: 5, P90: 20},
		uncertain.Normal{Mean: 0, SD: 1, Min: -1, HasMin: true},
	}
	c, err := uncertain.NewCopula(3, rho)
	if err != nil {
		t.Fatal(err)
	}
	cols := correlatedDraws(c, 3, m)
	for i, col := range cols {
		for k, u := range col {
			col[k] = ds[i].Quantile(u)
		}
	}
	for i := range 3 {
		for j := i + 1; j < 3; j++ {
			want := rho[i*3+j]
			if got := stat.Spearman(cols[i], cols[j]); math.Abs(got-want) > 0.02 {
				t.Errorf("Spearman(%v, %v) = %.4f, want %v ± 0.02", ds[i], ds[j], got, want)
			}
		}
	}
}

func TestNewCopulaErrors(t *testing.T) {
	tests := []struct {
		name string
		n    int
		rho  []float64
		want string
	}{
		{"not positive definite", 3, []float64{
			1, 0.9, 0.9,
			0.9, 1, -0.9,
			0.9, -0.9, 1,
		}, "not positive definite"},
		{"perfect correlation", 2, []float64{
			1, 1,
			1, 1,
		}, "not positive definite"},
		{"n = 0", 0, nil, "at least one variable"},
		{"wrong length", 2, []float64{1, 0, 1}, "has 3 entries: expected n×n = 4"},
		{"not symmetric", 2, []float64{
			1, 0.5,
			0.4, 1,
		}, "not symmetric"},
		{"diagonal", 2, []float64{
			0.9, 0,
			0, 1,
		}, "expected 1 on the diagonal"},
		{"out of range", 2, []float64{
			1, 1.2,
			1.2, 1,
		}, "outside [-1, 1]"},
		{"NaN", 2, []float64{
			1, math.NaN(),
			math.NaN(), 1,
		}, "not a finite number"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := uncertain.NewCopula(tc.n, tc.rho)
			if err == nil {
				t.Fatalf("NewCopula succeeded (%v), want an error containing %q", c, tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("NewCopula error %q, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestCopulaIdentity(t *testing.T) {
	c, err := uncertain.NewCopula(3, []float64{1, 0, 0, 0, 1, 0, 0, 0, 1})
	if err != nil {
		t.Fatal(err)
	}
	u := []float64{0.1, 0.5, 0.975}
	v := make([]float64, 3)
	c.Transform(v, u)
	for i := range u {
		if math.Abs(v[i]-u[i]) > 1e-12 {
			t.Errorf("identity copula: Transform gave %v for %v", v, u)
		}
	}
}

func TestCopulaEdgeUniforms(t *testing.T) {
	c, err := uncertain.NewCopula(2, []float64{1, -0.7, -0.7, 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range [][]float64{{0, 0}, {0, 1}, {1, 1}, {1, 0}, {0.5, 0}} {
		v := make([]float64, 2)
		c.Transform(v, u)
		for _, x := range v {
			if !(x >= 0 && x <= 1) {
				t.Errorf("Transform(%v) = %v, want values in [0, 1]", u, v)
			}
		}
	}
}

func TestCopulaInPlace(t *testing.T) {
	rho := []float64{
		1, 0.6, -0.4,
		0.6, 1, -0.4,
		-0.4, -0.4, 1,
	}
	c, err := uncertain.NewCopula(3, rho)
	if err != nil {
		t.Fatal(err)
	}
	u := []float64{0.2, 0.9, 0.4}
	want := make([]float64, 3)
	c.Transform(want, u)

	inPlace := []float64{0.2, 0.9, 0.4}
	c.Transform(inPlace, inPlace)
	for i := range want {
		if inPlace[i] != want[i] {
			t.Errorf("in-place Transform = %v, want %v", inPlace, want)
		}
	}

	// Copulas made apart give the same values, one per goroutine (run
	// with -race to check that they share nothing).
	done := make(chan []float64)
	for range 4 {
		c, err := uncertain.NewCopula(3, rho)
		if err != nil {
			t.Fatal(err)
		}
		go func() {
			v := make([]float64, 3)
			for range 1000 {
				c.Transform(v, u)
			}
			done <- v
		}()
	}
	for range 4 {
		v := <-done
		for i := range want {
			if v[i] != want[i] {
				t.Errorf("a copula of its own gave %v, want %v", v, want)
			}
		}
	}
}

func TestTransformNoAllocs(t *testing.T) {
	c, err := uncertain.NewCopula(3, []float64{
		1, 0.6, -0.4,
		0.6, 1, -0.4,
		-0.4, -0.4, 1,
	})
	if err != nil {
		t.Fatal(err)
	}
	u := []float64{0.2, 0.9, 0.4}
	v := make([]float64, 3)
	if n := testing.AllocsPerRun(100, func() { c.Transform(v, u) }); n != 0 {
		t.Errorf("Transform allocates %v times per call", n)
	}
}

func TestTransformLengthPanics(t *testing.T) {
	c, err := uncertain.NewCopula(2, []float64{1, 0.5, 0.5, 1})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if recover() == nil {
			t.Error("Transform with a short dst did not panic")
		}
	}()
	c.Transform(make([]float64, 1), []float64{0.5, 0.5})
}

func BenchmarkCopulaTransform(b *testing.B) {
	for _, n := range []int{3, 20} {
		rho := make([]float64, n*n)
		for i := range n {
			for j := range n {
				rho[i*n+j] = 0.3
			}
			rho[i*n+i] = 1
		}
		c, err := uncertain.NewCopula(n, rho)
		if err != nil {
			b.Fatal(err)
		}
		b.Run("n="+strconv.Itoa(n), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 2))
			u := make([]float64, n)
			v := make([]float64, n)
			for b.Loop() {
				for i := range u {
					u[i] = rng.Float64()
				}
				c.Transform(v, u)
			}
		})
	}
}
