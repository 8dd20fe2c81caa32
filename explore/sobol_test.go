package explore

import (
	"context"
	"math"
	"testing"

	"github.com/reesim/reesim/design"
)

// evalSaltelli runs f on every row of s, the points mapped by x.
func evalSaltelli(s *Saltelli, f func(u []float64) float64) [][]float64 {
	y := make([][]float64, s.Rows())
	u := make([]float64, s.D)
	for r := range y {
		s.Row(r, u)
		y[r] = []float64{f(u)}
	}
	return y
}

func singles(d int) []Factor {
	f := make([]Factor, d)
	for j := range f {
		f[j] = Factor{Name: string(rune('a' + j)), Dims: []int{j}}
	}
	return f
}

// ishigami is the Ishigami function with a = 7, b = 0.1 on [−π, π]³.
func ishigami(u []float64) float64 {
	x1, x2, x3 := math.Pi*(2*u[0]-1), math.Pi*(2*u[1]-1), math.Pi*(2*u[2]-1)
	return math.Sin(x1) + 7*math.Pow(math.Sin(x2), 2) + 0.1*math.Pow(x3, 4)*math.Sin(x1)
}

// within checks that the analytical value is inside the interval and that
// the estimate is close to it.
func within(t *testing.T, what string, got Index, want, tol float64) {
	t.Helper()
	if !(got.Lo <= want && want <= got.Hi) || math.Abs(got.Value-want) > tol {
		t.Errorf("%s = %.4f (95 %% CI %.4f to %.4f), want %.3f", what, got.Value, got.Lo, got.Hi, want)
	}
}

// TestIshigami checks the estimators against the analytical indices of
// the Ishigami function (a = 7, b = 0.1): S1 = 0.314, 0.442, 0 and
// ST = 0.558, 0.442, 0.244, under each design of the base matrices.
func TestIshigami(t *testing.T) {
	// The exact values (Sobol' and Levitan 1999): V = a²/8 + bπ⁴/5 +
	// b²π⁸/18 + 1/2, V1 = (1 + bπ⁴/5)²/2, V2 = a²/8, V13 = b²π⁸/18 −
	// b²π⁸/50.
	a, b := 7.0, 0.1
	p4 := math.Pow(math.Pi, 4)
	v := a*a/8 + b*p4/5 + b*b*p4*p4/18 + 0.5
	v1 := math.Pow(1+b*p4/5, 2) / 2
	v2 := a * a / 8
	v13 := b*b*p4*p4/18 - b*b*p4*p4/50
	s1 := []float64{v1 / v, v2 / v, 0}
	st := []float64{(v1 + v13) / v, v2 / v, v13 / v}
	for i, w := range []float64{0.314, 0.442, 0} {
		if math.Abs(s1[i]-w) > 0.0006 {
			t.Fatalf("analytical S1[%d] = %.4f, the issue says %.3f", i, s1[i], w)
		}
	}
	for i, w := range []float64{0.558, 0.442, 0.244} {
		if math.Abs(st[i]-w) > 0.0006 {
			t.Fatalf("analytical ST[%d] = %.4f, the issue says %.3f", i, st[i], w)
		}
	}
	for _, kind := range []design.Kind{design.QMC, design.MC} {
		s, err := NewSaltelli(8192, 3, singles(3), kind, 1)
		if err != nil {
			t.Fatal(err)
		}
		res, err := AnalyzeSobol(context.Background(), s, evalSaltelli(s, ishigami), SobolOptions{Seed: 2})
		if err != nil {
			t.Fatal(err)
		}
		r := res[0]
		if math.Abs(r.Var-v) > 0.05*v {
			t.Errorf("%v: variance %.3f, want %.3f", kind, r.Var, v)
		}
		for i := range 3 {
			within(t, kind.String()+" S1["+string(rune('1'+i))+"]", r.S1[i], s1[i], 0.05)
			within(t, kind.String()+" ST["+string(rune('1'+i))+"]", r.ST[i], st[i], 0.05)
		}
	}
}

// gFunction is Sobol's g-function with coefficients a.
func gFunction(a []float64) func(u []float64) float64 {
	return func(u []float64) float64 {
		p := 1.0
		for j, aj := range a {
			p *= (math.Abs(4*u[j]-2) + aj) / (1 + aj)
		}
		return p
	}
}

// TestGFunction checks the indices of Sobol's g-function, single inputs
// and groups, against the analytical ones: V_j = 1/(3(1+a_j)²), and a
// group's closed index is the product of (1+V_j) over its members less 1.
func TestGFunction(t *testing.T) {
	a := []float64{0, 1, 4.5, 9, 99, 99, 99, 99}
	d := len(a)
	vj := make([]float64, d)
	total := 1.0
	for j, aj := range a {
		vj[j] = 1 / (3 * (1 + aj) * (1 + aj))
		total *= 1 + vj[j]
	}
	v := total - 1
	closed := func(dims []int) float64 {
		p := 1.0
		for _, j := range dims {
			p *= 1 + vj[j]
		}
		return p - 1
	}
	// Groups: {0}, {1}, {2, 3}, {4..7}.
	groups := []Factor{{"x1", []int{0}}, {"x2", []int{1}}, {"x3-x4", []int{2, 3}}, {"rest", []int{4, 5, 6, 7}}}
	for _, fs := range [][]Factor{singles(d), groups} {
		s, err := NewSaltelli(8192, d, fs, design.QMC, 3)
		if err != nil {
			t.Fatal(err)
		}
		res, err := AnalyzeSobol(context.Background(), s, evalSaltelli(s, gFunction(a)), SobolOptions{Seed: 4})
		if err != nil {
			t.Fatal(err)
		}
		for f, fa := range fs {
			var others []int
			for j := range d {
				if !contains(fa.Dims, j) {
					others = append(others, j)
				}
			}
			wantS1 := closed(fa.Dims) / v
			wantST := 1 - closed(others)/v
			within(t, "g-function S1 of "+fa.Name, res[0].S1[f], wantS1, 0.03)
			within(t, "g-function ST of "+fa.Name, res[0].ST[f], wantST, 0.03)
		}
	}
}

func contains(s []int, x int) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

// TestSaltelliRows checks the design's rows: A_B^f is A but for f's
// columns, which are B's.
func TestSaltelliRows(t *testing.T) {
	fs := []Factor{{"a", []int{0, 2}}, {"b", []int{1}}}
	s, err := NewSaltelli(4, 3, fs, design.QMC, 1)
	if err != nil {
		t.Fatal(err)
	}
	A, B, AB := make([]float64, 3), make([]float64, 3), make([]float64, 3)
	for i := range 4 {
		s.Row(i, A)
		s.Row(4+i, B)
		s.Row(8+i, AB)
		if AB[0] != B[0] || AB[2] != B[2] || AB[1] != A[1] || A[0] == B[0] {
			t.Errorf("row %d: A %v, B %v, A_B^a %v", i, A, B, AB)
		}
	}
	if _, err := NewSaltelli(4, 3, []Factor{{"a", []int{0}}}, design.QMC, 1); err == nil {
		t.Error("factors that leave dimensions out were accepted")
	}
	if _, err := NewSaltelli(4, 2, []Factor{{"a", []int{0, 1}}, {"b", []int{1}}}, design.QMC, 1); err == nil {
		t.Error("a dimension in two factors was accepted")
	}
}

// A constant output has no indices.
func TestSobolConstant(t *testing.T) {
	s, _ := NewSaltelli(16, 2, singles(2), design.MC, 1)
	res, err := AnalyzeSobol(context.Background(), s, evalSaltelli(s, func([]float64) float64 { return 3 }), SobolOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Var != 0 || !math.IsNaN(res[0].S1[0].Value) {
		t.Errorf("constant output: var %v, S1 %v", res[0].Var, res[0].S1[0])
	}
}
