package study

import (
	"context"
	"errors"
	"fmt"
	"github.com/reesim/reesim/internal/stat"
	"github.com/reesim/reesim/internal/tomlfile"
	"io"

	"github.com/reesim/reesim/design"
	"github.com/reesim/reesim/engine"
	"github.com/reesim/reesim/sim"
	"github.com/reesim/reesim/sketch"
)

// FirstStage is the number of paths of the first stage of a run with a
// precision target. It is a multiple of engine.BlockSize, as are the
// doubled stages after it, so that a run extended stage by stage is the
// same as one run of all its paths.
const FirstStage = 1024

// DefaultPathLimit is the most paths a run with a precision target
// simulates when no limit is given.
const DefaultPathLimit = 100000

// A Runner simulates one case of a study.
type Runner interface {
	// Simulate runs the case's next n paths, numbered on from those it
	// ran before, with the study's seed, and passes each path's headline
	// metrics (indexed as sim.MetricInfo) to row, in path order. When ctx
	// is cancelled it may return nil after fewer paths; Run then stops.
	Simulate(ctx context.Context, n int, row func(path int, metrics []float64) error) error
	// Close is called once the case will not be simulated again.
	Close() error
	// Abort is called instead of Close when the study fails or is
	// interrupted.
	Abort()
}

// Options say how to run a study.
type Options struct {
	// Paths is the number of paths per case; with a precision target, the
	// most paths per case (0: DefaultPathLimit).
	Paths int
	// Seed is the seed of every case.
	Seed uint64
	// Workers is the number of parallel workers of the default runner
	// (0: one per CPU).
	Workers int
	// Precision, when above 0, is the target half-width of the 95 %
	// confidence interval of every paired difference in the key metric,
	// in the metric's unit: paths are added in doubling stages until every
	// variant's interval is that narrow or Paths is reached.
	Precision float64
	// NewRunner makes the runner of a case when it is first simulated. When
	// nil, cases run in memory with the engine and only the study's
	// statistics are kept.
	NewRunner func(c *Case) (Runner, error)
	// Log, when not nil, receives a line after every stage of a run with
	// a precision target.
	Log io.Writer
	// Sampling is the sampling design of every case and Dims its
	// dimensions under QMC (engine.Options), for the default runner;
	// Outcome.Sampling records it.
	Sampling design.Kind
	Dims     []string
}

// Run simulates every case of st and compares the variants with the
// reference on the same paths.
//
// Cases run one after another, each base's reference first. Without a
// precision target every case runs opt.Paths paths and is closed at once.
// With one, every case runs stage by stage (FirstStage paths, then the
// total doubles) and the cases are closed when the run stops.
func Run(ctx context.Context, st *Study, opt Options) (*Outcome, error) {
	limit := opt.Paths
	if limit == 0 && opt.Precision > 0 {
		limit = DefaultPathLimit
	}
	switch {
	case limit < 1:
		return nil, errors.New("study: paths must be at least 1")
	case opt.Precision < 0:
		return nil, errors.New("study: the precision target must be above 0")
	}
	newRunner := opt.NewRunner
	if newRunner == nil {
		newRunner = func(c *Case) (Runner, error) {
			return &memRunner{c: c, seed: opt.Seed, workers: opt.Workers, sampling: opt.Sampling, dims: opt.Dims}, nil
		}
	}
	acc := newAccumulator(st)
	runners := make([][]Runner, len(st.Bases))
	closed := make([][]bool, len(st.Bases))
	for b := range runners {
		runners[b] = make([]Runner, len(st.Variants))
		closed[b] = make([]bool, len(st.Variants))
	}
	abort := func() {
		for b := range runners {
			for v, r := range runners[b] {
				if r != nil && !closed[b][v] {
					r.Abort()
				}
			}
		}
	}
	order := make([]int, 0, len(st.Variants))
	order = append(order, st.Ref)
	for v := range st.Variants {
		if v != st.Ref {
			order = append(order, v)
		}
	}

	stop := Stopping{Rule: "fixed", Limit: limit}
	if opt.Precision > 0 {
		stop = Stopping{Rule: "precision", Target: opt.Precision, Limit: limit}
	}
	done := 0
	for {
		target := limit
		if opt.Precision > 0 {
			target = min(limit, max(FirstStage, 2*done))
		}
		last := target == limit
		for b := range st.Bases {
			for _, v := range order {
				c := st.Cases[b][v]
				if runners[b][v] == nil {
					r, err := newRunner(c)
					if err != nil {
						abort()
						return nil, fmt.Errorf("study %s: variant %s of base %s: %w", st.Name, c.Variant.Name, c.Base.Name, err)
					}
					runners[b][v] = r
				}
				if err := runners[b][v].Simulate(ctx, target-done, acc.row(b, v)); err != nil {
					abort()
					return nil, err
				}
				if err := ctx.Err(); err != nil {
					abort()
					return nil, err
				}
				if acc.cases[b][v].n != target {
					abort()
					return nil, fmt.Errorf("study %s: variant %s of base %s gave %d paths, want %d", st.Name, c.Variant.Name, c.Base.Name, acc.cases[b][v].n, target)
				}
				if last {
					closed[b][v] = true
					if err := runners[b][v].Close(); err != nil {
						abort()
						return nil, err
					}
				}
			}
		}
		done = target
		hw, worst := acc.widest()
		stop.Paths, stop.HalfWidth, stop.Widest = done, hw, worst
		if opt.Precision > 0 {
			stop.Stages = append(stop.Stages, Stage{Paths: done, HalfWidth: hw})
			if opt.Log != nil {
				fmt.Fprintf(opt.Log, "%s: %d paths: widest 95 %% CI half-width of the paired difference in %s: %s %s (target %s)\n",
					st.Name, done, st.KeyMetric, tomlfile.FormatNum(round(hw, 4)), unitOf(st.KeyMetric), tomlfile.FormatNum(opt.Precision))
			}
			if hw < opt.Precision {
				stop.Reached = true
				break
			}
		}
		if last {
			break
		}
	}
	for b := range runners {
		for v, r := range runners[b] {
			if !closed[b][v] {
				closed[b][v] = true
				if err := r.Close(); err != nil {
					abort()
					return nil, err
				}
			}
		}
	}
	stop.Message = stop.message(st)
	out := acc.outcome(opt.Seed, stop)
	if opt.Sampling != design.MC {
		out.Sampling = opt.Sampling.String()
	}
	return out, nil
}

// memRunner runs a case in memory with the engine.
type memRunner struct {
	c        *Case
	seed     uint64
	workers  int
	sampling design.Kind
	dims     []string
	res      *engine.Result
}

func (r *memRunner) Simulate(ctx context.Context, n int, row func(int, []float64) error) error {
	opt := engine.Options{Paths: n, Seed: r.seed, Workers: r.workers, Sampling: r.sampling, Dims: r.dims,
		Row: func(i int, _, m []float64) error { return row(i, m) }}
	if r.res == nil {
		res, err := engine.Run(ctx, r.c.Compiled, opt)
		if res == nil && err != nil {
			return err
		}
		r.res = res
		return nil
	}
	if err := engine.Extend(ctx, r.res, opt); err != nil && ctx.Err() == nil {
		return err
	}
	return nil
}

func (r *memRunner) Close() error { r.res = nil; return nil }
func (r *memRunner) Abort()       { r.res = nil }

// caseAcc accumulates one case's statistics as its paths stream past.
type caseAcc struct {
	n             int
	own, diff     []stat.Moments // per compared metric
	ownSk, diffSk *sketch.Set
	better, worse []int

	// Cost-benefit, per path against the reference: incremental cost,
	// shortfall avoided (t and $M), buyers' extra spending avoided,
	// benefit, net benefit; (benefit, cost) pairs for their ratio.
	cost, shortT, shortV, buyer, benefit, net stat.Moments
	netPositive                               int
	bc                                        comoments
}

// accumulator holds a study's running statistics.
type accumulator struct {
	st  *Study
	idx []int // index in sim.MetricInfo of each compared metric
	dir []int // Direction of each compared metric
	// ref[b][j] holds the reference's value of compared metric j on every
	// path so far, for base b.
	ref   [][][]float64
	cases [][]*caseAcc
	// Positions in st.Metrics of the metrics the cost-benefit reads.
	iShort, iBuyer, iCost int
	// loss[b][v][i] is case (b, v)'s loss on path i, what regret is
	// measured in (lower is better); meets[b][v][i] whether path i meets
	// the study's thresholds.
	loss  [][][]float64
	meets [][][]bool
	// thr are the thresholds by metric index.
	thr map[int]float64
}

func newAccumulator(st *Study) *accumulator {
	a := &accumulator{st: st}
	for _, m := range st.Metrics {
		a.idx = append(a.idx, metricIndex(m))
		a.dir = append(a.dir, Direction(m))
	}
	pos := func(name string) int {
		for j, m := range st.Metrics {
			if m == name {
				return j
			}
		}
		return -1
	}
	a.iShort, a.iBuyer, a.iCost = pos(shortfallMetric), pos(buyerMetric), pos(st.CostMetric)
	M := len(st.Metrics)
	for range st.Bases {
		a.ref = append(a.ref, make([][]float64, M))
		row := make([]*caseAcc, len(st.Variants))
		for v := range row {
			row[v] = &caseAcc{
				own: make([]stat.Moments, M), diff: make([]stat.Moments, M),
				ownSk: sketch.NewSet(engine.Alpha, M), diffSk: sketch.NewSet(engine.Alpha, M),
				better: make([]int, M), worse: make([]int, M),
			}
		}
		a.cases = append(a.cases, row)
		a.loss = append(a.loss, make([][]float64, len(st.Variants)))
		a.meets = append(a.meets, make([][]bool, len(st.Variants)))
	}
	a.thr = map[int]float64{}
	for m, t := range st.Thresholds {
		a.thr[metricIndex(m)] = t
	}
	return a
}

// row returns the function that takes case (b, v)'s paths.
func (a *accumulator) row(b, v int) func(int, []float64) error {
	ca := a.cases[b][v]
	ref := a.ref[b]
	isRef := v == a.st.Ref
	cb := a.st.HasCostBenefit()
	value := a.st.ValuePerTonneUSD / 1e6 // $M per tonne
	keyDir := float64(Direction(a.st.KeyMetric))
	if keyDir == 0 {
		keyDir = -1
	}
	return func(path int, m []float64) error {
		if path != ca.n {
			return fmt.Errorf("study: path %d arrived, want %d", path, ca.n)
		}
		if len(m) != sim.NumMetrics {
			return fmt.Errorf("study: a path has %d metrics, want %d", len(m), sim.NumMetrics)
		}
		if isRef {
			for j, k := range a.idx {
				ref[j] = append(ref[j], m[k])
			}
		} else if path >= len(ref[0]) {
			return fmt.Errorf("study: path %d of a variant came before the reference's", path)
		}
		ca.n++
		for j, k := range a.idx {
			x := m[k]
			d := x - ref[j][path]
			ca.own[j].Add(x)
			ca.ownSk.At(j).Add(x)
			ca.diff[j].Add(d)
			ca.diffSk.At(j).Add(d)
			switch s := float64(a.dir[j]) * d; {
			case s > 0:
				ca.better[j]++
			case s < 0:
				ca.worse[j]++
			}
		}
		if cb {
			cost := m[a.idx[a.iCost]] - ref[a.iCost][path]
			shortT := ref[a.iShort][path] - m[a.idx[a.iShort]]
			buyer := ref[a.iBuyer][path] - m[a.idx[a.iBuyer]]
			benefit := shortT*value + buyer
			ca.cost.Add(cost)
			ca.shortT.Add(shortT)
			ca.shortV.Add(shortT * value)
			ca.buyer.Add(buyer)
			ca.benefit.Add(benefit)
			ca.net.Add(benefit - cost)
			if benefit-cost > 0 {
				ca.netPositive++
			}
			ca.bc.add(benefit, cost)
		}
		// Regret is in net benefit with a cost-benefit analysis, else in
		// the key metric.
		loss := -keyDir * m[a.idx[0]]
		if cb {
			cost := m[a.idx[a.iCost]] - ref[a.iCost][path]
			benefit := (ref[a.iShort][path]-m[a.idx[a.iShort]])*value + ref[a.iBuyer][path] - m[a.idx[a.iBuyer]]
			loss = cost - benefit
		}
		a.loss[b][v] = append(a.loss[b][v], loss)
		if len(a.thr) > 0 {
			ok := true
			for k, t := range a.thr {
				if Direction(sim.MetricInfo[k].Name) > 0 {
					ok = ok && m[k] >= t
				} else {
					ok = ok && m[k] <= t
				}
			}
			a.meets[b][v] = append(a.meets[b][v], ok)
		}
		return nil
	}
}

// widest returns the widest 95 % CI half-width of a paired difference in
// the key metric (compared metric 0), over every base and variant, and
// which variant has it.
func (a *accumulator) widest() (float64, string) {
	hw, who := 0.0, ""
	for b, row := range a.cases {
		for v, ca := range row {
			if v == a.st.Ref {
				continue
			}
			if h := Z95 * ca.diff[0].SE(); h > hw || who == "" {
				hw, who = h, a.st.Variants[v].Name
				if len(a.st.Bases) > 1 {
					who = a.st.Bases[b].Name + "/" + who
				}
			}
		}
	}
	return hw, who
}

// unitOf returns the unit of a headline metric.
func unitOf(metric string) string {
	if i := metricIndex(metric); i >= 0 {
		return sim.MetricInfo[i].Unit
	}
	return ""
}
