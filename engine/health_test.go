package engine

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/reesim/reesim/sim"
	"github.com/reesim/reesim/uncertain"
)

// TestCheck checks that Check finds each kind of bad number in a path,
// and names the series, the month and the value.
func TestCheck(t *testing.T) {
	c := compile(t, small(t))
	smp, err := NewSampler(c, 1)
	if err != nil {
		t.Fatal(err)
	}
	in := make([]float64, len(c.Inputs))
	smp.Sample(in, 0)
	tests := []struct {
		name  string
		spoil func(p *sim.Path)
		want  string // "" for a healthy path
	}{
		{"healthy", func(*sim.Path) {}, ""},
		{"NaN", func(p *sim.Path) { p.Series[sim.SPriceMagX][4] = math.NaN() }, "price_magnet_exchina is NaN in month 5"},
		{"Inf", func(p *sim.Path) { p.Series[sim.SShortfall][0] = math.Inf(1) }, "shortfall_t is +Inf in month 1"},
		{"negative stock", func(p *sim.Path) { p.Series[sim.SStockMag][11] = -3 }, "stockpile_magnet_t is negative (-3) in month 12"},
		{"rounding below zero", func(p *sim.Path) { p.Series[sim.SStockMag][11] = -1e-9 }, ""},
		{"metric", func(p *sim.Path) { p.Metrics[sim.MCumShort] = math.NaN() }, "cum_shortfall_t is NaN"},
		{"mass balance", func(p *sim.Path) { p.Residual[2] = 50 }, "mass balance is off by 50 t in month 3"},
		{"mass balance NaN", func(p *sim.Path) { p.Residual[2] = math.NaN() }, "mass balance is off by NaN t in month 3"},
	}
	for _, tt := range tests {
		p := c.Model.NewPath()
		p.Run(in)
		tt.spoil(p)
		if got := Check(p); got != tt.want {
			t.Errorf("%s: Check = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestPathErrorNamesThePath makes some paths go wrong (a mine's yearly
// growth of 1e300 on about one path in 200, which the loader would never
// let through, overflows the model) and checks that the run stops with the scenario, the seed and
// the first bad path, whatever the number of workers.
func TestPathErrorNamesThePath(t *testing.T) {
	c := compile(t, small(t))
	j := -1
	for i, in := range c.Inputs {
		if in.Name == "facility.us-mine.growth" {
			j = i
		}
	}
	if j < 0 {
		t.Fatal("no input facility.us-mine.growth")
	}
	c.Inputs[j].Dist = uncertain.Discrete{Values: []float64{0.05, 1e300}, Weights: []float64{0.995, 0.005}}
	// A seed whose first bad path is not in the first block.
	var seed uint64
	first := -1
	in := make([]float64, len(c.Inputs))
	for seed = 1; seed < 100 && first < BlockSize; seed++ {
		smp, err := NewSampler(c, seed)
		if err != nil {
			t.Fatal(err)
		}
		first = -1
		for i := 0; i < 1000 && first < 0; i++ {
			smp.Sample(in, i)
			if in[j] == 1e300 {
				first = i
			}
		}
	}
	seed--
	if first < BlockSize {
		t.Fatal("no seed below 100 has its first huge input after the first block")
	}
	for _, workers := range []int{1, 4} {
		rows := 0
		r, err := Run(context.Background(), c, Options{Paths: 1000, Seed: seed, Workers: workers,
			Row: func(int, []float64, []float64) error { rows++; return nil }})
		var pe *PathError
		if !errors.As(err, &pe) {
			t.Fatalf("%d workers: Run = %v, %v; want a PathError", workers, r, err)
		}
		if pe.Scenario != "small" || pe.Seed != seed || pe.Path != first || pe.What == "" {
			t.Errorf("%d workers: PathError %+v, want scenario small, seed %d, path %d", workers, *pe, seed, first)
		}
		if want := "--trace " + itoa(first); !strings.Contains(err.Error(), want) {
			t.Errorf("%d workers: %q does not say %q", workers, err, want)
		}
		if r != nil {
			t.Errorf("%d workers: a result came with the error", workers)
		}
		if rows > first/BlockSize*BlockSize {
			t.Errorf("%d workers: %d rows were passed on, but path %d's block went wrong", workers, rows, first)
		}
	}
}

func itoa(i int) string { return ff(float64(i)) }
