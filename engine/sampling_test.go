package engine

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat"

	"github.com/reesim/reesim/design"
	"github.com/reesim/reesim/scenarios"
)

// spearman returns the rank correlation of x and y (no ties expected).
func spearman(x, y []float64) float64 {
	return stat.Correlation(rankOf(x), rankOf(y), nil)
}

func rankOf(x []float64) []float64 {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case x[a] < x[b]:
			return -1
		case x[a] > x[b]:
			return 1
		}
		return 0
	})
	r := make([]float64, len(x))
	for i := 0; i < len(idx); {
		j := i + 1
		for j < len(idx) && x[idx[j]] == x[idx[i]] {
			j++
		}
		for k := i; k < j; k++ {
			r[idx[k]] = float64(i+j+1) / 2
		}
		i = j
	}
	return r
}

// runDesign is runCollect under a sampling design.
func runDesign(t *testing.T, c *scenarios.Compiled, kind design.Kind, paths, workers int, seed uint64, dims []string) (*Result, [][]float64) {
	t.Helper()
	var rows [][]float64
	r, err := Run(context.Background(), c, Options{Paths: paths, Seed: seed, Workers: workers, Sampling: kind, Dims: dims,
		Row: func(i int, in, m []float64) error {
			if i != len(rows) {
				t.Fatalf("row %d arrived, want %d", i, len(rows))
			}
			rows = append(rows, append(slices.Clone(in), m...))
			return nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	return r, rows
}

// Every design gives the same results whatever the number of workers, and
// a run extended stage by stage (as --precision does) equals one run.
func TestDesignsWorkersAndExtend(t *testing.T) {
	c := compile(t, small(t))
	const n = design.SliceSize + 3*BlockSize + 5
	for _, kind := range []design.Kind{design.LHS, design.QMC} {
		one, oneRows := runDesign(t, c, kind, n, 1, 4, nil)
		want := fingerprint(t, one, oneRows)
		r3, rows3 := runDesign(t, c, kind, n, 3, 4, nil)
		if fingerprint(t, r3, rows3) != want {
			t.Errorf("%v: 3 workers give different results from 1", kind)
		}
		r, rows := runDesign(t, c, kind, design.SliceSize, 2, 4, nil)
		err := Extend(context.Background(), r, Options{Paths: n - design.SliceSize, Workers: 2, Row: func(i int, in, m []float64) error {
			rows = append(rows, append(slices.Clone(in), m...))
			return nil
		}})
		if err != nil {
			t.Fatal(err)
		}
		if fingerprint(t, r, rows) != want {
			t.Errorf("%v: a run extended from %d paths differs from one run", kind, design.SliceSize)
		}
		if !slices.EqualFunc(r.Checkpoints, one.Checkpoints, func(a, b Checkpoint) bool { return a == b }) {
			t.Errorf("%v: the extended run's checkpoints differ from one run's", kind)
		}
		if kind == design.LHS {
			if err := Extend(context.Background(), r, Options{Paths: 64}); err == nil {
				t.Error("lhs: extending a run whose paths are not whole slices: no error")
			}
		}
		mc, _ := runCollect(t, c, n, 2, 4)
		if mc.Metric[0].Mean == one.Metric[0].Mean {
			t.Errorf("%v gives the same mean as mc", kind)
		}
	}
}

// Two variants that differ in a fixed lever see the same inputs on every
// path under every design: common random numbers hold.
func TestDesignsCommonRandomNumbers(t *testing.T) {
	a := compile(t, small(t))
	b := compile(t, strings.Replace(small(t), "size_days = 60", "size_days = 180", 1))
	for _, kind := range []design.Kind{design.MC, design.LHS, design.QMC} {
		_, ra := runDesign(t, a, kind, 300, 2, 9, nil)
		_, rb := runDesign(t, b, kind, 300, 2, 9, nil)
		for j, in := range a.Inputs {
			jb := slices.IndexFunc(b.Inputs, func(x scenarios.Input) bool { return x.Name == in.Name })
			if !in.Sampled() || jb < 0 {
				continue
			}
			for i := range ra {
				if ra[i][j] != rb[i][jb] {
					t.Fatalf("%v: path %d: %s = %v in one variant, %v in the other", kind, i, in.Name, ra[i][j], rb[i][jb])
				}
			}
		}
	}
}

// A QMC plan whose dimensions name the inputs of a larger study keeps
// every input on its dimension, and refuses a list that misses one.
func TestQMCDims(t *testing.T) {
	c := compile(t, small(t))
	dims := DefaultDims(c)
	wider := append([]string{"an-input-of-another-variant"}, dims...)
	_, r1 := runDesign(t, c, design.QMC, 200, 2, 1, nil)
	_, r2 := runDesign(t, c, design.QMC, 200, 2, 1, wider)
	if slices.EqualFunc(r1, r2, slices.Equal) {
		t.Error("moving every input to another dimension changed nothing")
	}
	_, err := Run(context.Background(), c, Options{Paths: 10, Sampling: design.QMC, Dims: dims[1:]})
	if err == nil || !strings.Contains(err.Error(), dims[0]) {
		t.Errorf("dims missing %s: error %v", dims[0], err)
	}
}

// The Gaussian copula gives the asked-for rank correlations under every
// design: heavy-ree-ban correlates the ban's start with the US tariff
// escalation's start (0.9) and the ban's duration with the escalation's
// level (0.5, a discrete input).
func TestDesignsKeepRankCorrelations(t *testing.T) {
	s, err := scenarios.Load("heavy-ree-ban")
	if err != nil {
		t.Fatal(err)
	}
	c, err := scenarios.Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	const n = 4096
	idx := func(name string) int {
		i := slices.IndexFunc(c.Inputs, func(in scenarios.Input) bool { return in.Name == name })
		if i < 0 {
			t.Fatalf("no input %s", name)
		}
		return i
	}
	pairs := []struct {
		a, b string
		rho  float64
	}{{"heavy-ban-start", "us-escalation-start", 0.9}, {"heavy-ban-duration", "heavy-ban-share", 0}}
	for _, kind := range []design.Kind{design.MC, design.LHS, design.QMC} {
		plan, err := NewPlan(c, kind, 5, n, nil)
		if err != nil {
			t.Fatal(err)
		}
		smp, err := newSampler(c, 5, plan)
		if err != nil {
			t.Fatal(err)
		}
		in := make([]float64, len(c.Inputs))
		cols := map[string][]float64{}
		for i := range n {
			smp.Sample(in, i)
			for _, p := range pairs {
				cols[p.a] = append(cols[p.a], in[idx(p.a)])
				cols[p.b] = append(cols[p.b], in[idx(p.b)])
			}
		}
		for _, p := range pairs {
			got := spearman(cols[p.a], cols[p.b])
			if math.Abs(got-p.rho) > 0.04 {
				t.Errorf("%v: rank correlation of %s and %s = %.3f, want %.2f", kind, p.a, p.b, got, p.rho)
			}
		}
	}
}

// Evaluate on the uniforms a run draws gives the run's metrics, path by
// path, whatever the number of workers.
func TestEvaluateMatchesRun(t *testing.T) {
	c := compile(t, small(t))
	const n = 150
	_, rows := runDesign(t, c, design.LHS, n, 2, 6, nil)
	plan, err := NewPlan(c, design.LHS, 6, n, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []int{1, 3} {
		out := MetricRows(n)
		err := Evaluate(context.Background(), c, n, w, func(i int, u []float64) {
			for d := range u {
				u[d] = plan.U(i, d)
			}
		}, out, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i := range n {
			if !slices.Equal(out[i], rows[i][len(c.Inputs):]) {
				t.Fatalf("%d workers: point %d: metrics differ from the run's path", w, i)
			}
		}
	}
}

// An input with a degenerate distribution (a triangular with min = mode =
// max) is drawn like any other, so that it has a dimension in every
// design's plan: runs under each design go through and the input keeps
// its one value on every path.
func TestDesignsDegenerateInput(t *testing.T) {
	text := strings.Replace(small(t), "ndpr_share = 0.2\n", "ndpr_share = {dist = \"triangular\", min = 0.2, mode = 0.2, max = 0.2}\n", 1)
	c := compile(t, text)
	col := -1
	for i, in := range c.Inputs {
		if in.Name == "facility.cn-mine.ndpr_share" {
			col = i
		}
	}
	if col < 0 || c.Inputs[col].Sampled() {
		t.Fatalf("facility.cn-mine.ndpr_share: input %d, not degenerate", col)
	}
	if !slices.Contains(DefaultDims(c), "facility.cn-mine.ndpr_share") {
		t.Error("the degenerate input has no dimension in the default plan")
	}
	for _, kind := range []design.Kind{design.MC, design.LHS, design.QMC} {
		_, rows := runDesign(t, c, kind, 2*BlockSize, 2, 3, nil)
		for i, r := range rows {
			if r[col] != 0.2 {
				t.Fatalf("%v: path %d: the degenerate input is %v, want 0.2", kind, i, r[col])
			}
		}
	}
}
