package explore

import (
	"context"
	"math"
	"testing"
)

func evalMorris(m *Morris, f func(u []float64) float64) [][]float64 {
	y := make([][]float64, m.Rows())
	u := make([]float64, m.D)
	for r := range y {
		m.Row(r, u)
		y[r] = []float64{f(u)}
	}
	return y
}

// On a linear function every elementary effect is the coefficient times
// the step (half the range): μ = μ* = |c|/2 with the sign of c, σ = 0.
func TestMorrisLinear(t *testing.T) {
	c := []float64{4, -2, 0, 1}
	m, err := NewMorris(10, 4, singles(4), 1)
	if err != nil {
		t.Fatal(err)
	}
	res, err := AnalyzeMorris(context.Background(), m, evalMorris(m, func(u []float64) float64 {
		s := 0.0
		for j, cj := range c {
			s += cj * u[j]
		}
		return s
	}), SobolOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for j, cj := range c {
		r := res[0]
		if math.Abs(r.Mu[j]-cj/2) > 1e-12 || math.Abs(r.MuStar[j].Value-math.Abs(cj)/2) > 1e-12 || r.Sigma[j] > 1e-12 {
			t.Errorf("x%d: μ %v, μ* %v, σ %v; want %v, %v, 0", j, r.Mu[j], r.MuStar[j].Value, r.Sigma[j], cj/2, math.Abs(cj)/2)
		}
	}
}

// Morris ranks the g-function's inputs as their total indices do, and a
// trajectory stays on the grid and moves one factor a step.
func TestMorrisGFunction(t *testing.T) {
	a := []float64{0, 1, 4.5, 9, 99, 99}
	m, err := NewMorris(40, len(a), singles(len(a)), 2)
	if err != nil {
		t.Fatal(err)
	}
	u, prev := make([]float64, len(a)), make([]float64, len(a))
	for r := range m.Rows() {
		m.Row(r, u)
		if r%(len(a)+1) != 0 {
			moved := 0
			for j := range u {
				if u[j] != prev[j] {
					moved++
					if math.Abs(math.Abs(u[j]-prev[j])-0.5) > 1e-12 {
						t.Fatalf("row %d: dimension %d moved from %v to %v", r, j, prev[j], u[j])
					}
				}
			}
			if moved != 1 {
				t.Fatalf("row %d: %d dimensions moved", r, moved)
			}
		}
		copy(prev, u)
	}
	res, err := AnalyzeMorris(context.Background(), m, evalMorris(m, gFunction(a)), SobolOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	ms := res[0].MuStar
	for j := 1; j < 4; j++ {
		if !(ms[j-1].Value > ms[j].Value) {
			t.Errorf("μ*: x%d %.4f not above x%d %.4f", j, ms[j-1].Value, j+1, ms[j].Value)
		}
	}
	if ms[4].Value > 0.05*ms[0].Value {
		t.Errorf("μ* of an unimportant input %.4f against %.4f of the most important", ms[4].Value, ms[0].Value)
	}
}
