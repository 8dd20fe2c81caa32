package study

import (
	"bytes"
	"context"
	"encoding/json"
	"github.com/reesim/reesim/sim"
	"math"
	"strings"
	"testing"
)

// recorder is a Runner that runs a case in memory and keeps its per-path
// metrics, for the tests to compare path by path.
type recorder struct {
	memRunner
	rows [][]float64
}

func (r *recorder) Simulate(ctx context.Context, n int, row func(int, []float64) error) error {
	return r.memRunner.Simulate(ctx, n, func(i int, m []float64) error {
		r.rows = append(r.rows, append([]float64(nil), m...))
		return row(i, m)
	})
}

// runRecorded runs st and returns the outcome and the recorders of its
// cases, [base][variant].
func runRecorded(t *testing.T, st *Study, opt Options) (*Outcome, [][]*recorder) {
	t.Helper()
	recs := make([][]*recorder, len(st.Bases))
	for b := range recs {
		recs[b] = make([]*recorder, len(st.Variants))
	}
	opt.NewRunner = func(c *Case) (Runner, error) {
		r := &recorder{memRunner: memRunner{c: c, seed: opt.Seed, workers: opt.Workers}}
		recs[c.B][c.V] = r
		return r, nil
	}
	o, err := Run(context.Background(), st, opt)
	if err != nil {
		t.Fatal(err)
	}
	return o, recs
}

// metric returns the comparison of metric name for variant v on base b.
func metric(t *testing.T, o *Outcome, b, v int, name string) MetricComparison {
	t.Helper()
	for _, m := range o.Bases[b].Variants[v].Metrics {
		if m.Metric == name {
			return m
		}
	}
	t.Fatalf("no metric %s", name)
	return MetricComparison{}
}

// A variant identical to the reference differs from it by exactly zero on
// every path, in every metric.
func TestIdenticalVariantDiffersByZero(t *testing.T) {
	st := loadText(t, `name = "s"
base = ["small.toml", "small-b.toml"]
reference = "ref"
value_per_tonne_usd = 1e6
[[variant]]
name = "ref"
[[variant]]
name = "same"
[variant.set]
"stockpile.allied.size_days" = 0
`)
	o, recs := runRecorded(t, st, Options{Paths: 300, Seed: 5, Workers: 3})
	for b := range st.Bases {
		ref, same := recs[b][0].rows, recs[b][1].rows
		if len(ref) != 300 || len(same) != 300 {
			t.Fatalf("%d and %d paths recorded, want 300", len(ref), len(same))
		}
		for i := range ref {
			for k := range ref[i] {
				if d := same[i][k] - ref[i][k]; d != 0 {
					t.Fatalf("base %d path %d metric %d: difference %v", b, i, k, d)
				}
			}
		}
		for j := range st.Metrics {
			m := o.Bases[b].Variants[1].Metrics[j]
			if m.Diff != (Estimate{}) || m.DiffSD != 0 || m.DiffP5 != 0 || m.DiffP95 != 0 {
				t.Errorf("base %d %s: paired difference %+v, sd %v, p5 %v, p95 %v; want all 0", b, m.Metric, m.Diff, m.DiffSD, m.DiffP5, m.DiffP95)
			}
			if m.ShareBetter != nil && (*m.ShareBetter != 0 || *m.ShareWorse != 0) {
				t.Errorf("base %d %s: better on %v, worse on %v of paths", b, m.Metric, *m.ShareBetter, *m.ShareWorse)
			}
		}
		if cb := o.Bases[b].Variants[1].CostBenefit; cb.NetBenefit != (Estimate{}) || cb.Cost != (Estimate{}) {
			t.Errorf("base %d: net benefit %+v, cost %+v; want 0", b, cb.NetBenefit, cb.Cost)
		}
	}
}

// A larger stockpile serving defence never leaves more defence shortfall,
// on any path, so the means fall with the size too. (The [scenario] table
// empties the base's own defence stockpile.)
func TestMonotoneLever(t *testing.T) {
	st := loadText(t, `name = "s"
base = "small.toml"
reference = "defence-0"
key_metric = "cum_shortfall_defence_t"
[[scenario.stockpile]]
name = "us-nds"
size_days = 0
[[scenario.stockpile]]
name = "defence"
holder = "us"
product = "magnet"
size_days = 0
serves = ["us-defence"]
trigger_on_control = true
refill_months = 0
[[sweep]]
name = "defence"
key = "stockpile.defence.size_days"
values = [0, 5, 10, 20, 40]
`)
	o, recs := runRecorded(t, st, Options{Paths: 400, Seed: 2, Workers: 2})
	const k = sim.MCumShortDef
	if metricNames()[k] != "cum_shortfall_defence_t" {
		t.Fatalf("metric %d is %s", k, metricNames()[k])
	}
	prev := math.Inf(1)
	for v := range st.Variants {
		m := metric(t, o, 0, v, "cum_shortfall_defence_t")
		if m.Mean > prev {
			t.Errorf("%s: mean defence shortfall %v > %v with a smaller stockpile", st.Variants[v].Name, m.Mean, prev)
		}
		prev = m.Mean
		t.Logf("%s: mean defence shortfall %v t", st.Variants[v].Name, m.Mean)
		if v == 0 {
			continue
		}
		for i, row := range recs[0][v].rows {
			if smaller := recs[0][v-1].rows[i][k]; row[k] > smaller+1e-6 {
				t.Fatalf("path %d: defence shortfall %v with %s > %v with %s", i, row[k], st.Variants[v].Name, smaller, st.Variants[v-1].Name)
			}
		}
		if *m.ShareWorse != 0 {
			t.Errorf("%s is worse than the reference on %v of paths", st.Variants[v].Name, *m.ShareWorse)
		}
	}
	if last := metric(t, o, 0, len(st.Variants)-1, "cum_shortfall_defence_t"); !(last.Diff.Hi < 0) {
		t.Errorf("the largest stockpile does not cut defence shortfall for sure: %+v", last.Diff)
	}
}

// A stockpile that is bought full and never released costs, on every path,
// its purchase at the reference price plus a known holding cost, and
// changes nothing else: the paired difference is exactly that and its
// interval has no width, while the unpaired interval is wide.
func TestPairedAgainstUnpaired(t *testing.T) {
	st := loadText(t, `name = "s"
base = "small.toml"
reference = "without"
key_metric = "stockpile_cost_musd"
metrics = ["stockpile_cost_musd", "cum_shortfall_t"]
[[scenario.stockpile]]
name = "idle"
holder = "us"
product = "magnet"
size_t = 0
trigger_price_ratio = 1000
holding_cost = 0.05
[[variant]]
name = "without"
[[variant]]
name = "with"
[variant.set]
"stockpile.idle.size_t" = 1000
`)
	o, _ := runRecorded(t, st, Options{Paths: 500, Seed: 3})
	// 1,000 t at 150 $/kg, plus 5 % a year of that for 3 years.
	want := 1000 * 150.0 / 1000 * (1 + 0.05*3)
	cost := metric(t, o, 0, 1, "stockpile_cost_musd")
	if math.Abs(cost.Diff.Mean-want) > 1e-9*want || cost.DiffSD > 1e-9*want {
		t.Errorf("paired difference in cost %v (sd %v), want %v exactly", cost.Diff.Mean, cost.DiffSD, want)
	}
	if !(cost.UnpairedHalfWidth > 0) || cost.Diff.HalfWidth() > 1e-6*cost.UnpairedHalfWidth {
		t.Errorf("paired half-width %v, unpaired %v: want the paired interval far narrower", cost.Diff.HalfWidth(), cost.UnpairedHalfWidth)
	}
	if cost.Diff.Lo > want || cost.Diff.Hi < want {
		t.Errorf("the paired interval %v to %v misses %v", cost.Diff.Lo, cost.Diff.Hi, want)
	}
	short := metric(t, o, 0, 1, "cum_shortfall_t")
	if short.Diff != (Estimate{}) || !(short.UnpairedHalfWidth > 0) {
		t.Errorf("an idle stockpile changes shortfall by %+v (unpaired half-width %v), want exactly 0", short.Diff, short.UnpairedHalfWidth)
	}

	// On the stockpile sizes the paired interval is still far narrower
	// than the unpaired one, though not of zero width.
	st = loadText(t, `name = "s"
base = "small.toml"
reference = "p-0"
[[sweep]]
name = "p"
key = "stockpile.allied.size_days"
values = [0, 60]
`)
	o, _ = runRecorded(t, st, Options{Paths: 500, Seed: 3})
	m := metric(t, o, 0, 1, "cum_shortfall_t")
	if !(m.Diff.HalfWidth() > 0) || m.Diff.HalfWidth() > m.UnpairedHalfWidth/3 {
		t.Errorf("cumulative shortfall: paired half-width %v, unpaired %v", m.Diff.HalfWidth(), m.UnpairedHalfWidth)
	}
}

// The confidence interval of a paired difference narrows like 1/√N: four
// times the paths, about half the width.
func TestHalfWidthShrinks(t *testing.T) {
	st := loadText(t, `name = "s"
base = "small.toml"
reference = "p-0"
[[sweep]]
name = "p"
key = "stockpile.allied.size_days"
values = [0, 60]
`)
	width := func(n int) float64 {
		o, _ := runRecorded(t, st, Options{Paths: n, Seed: 11})
		return metric(t, o, 0, 1, st.KeyMetric).Diff.HalfWidth()
	}
	w1, w4 := width(400), width(1600)
	if r := w4 / w1; r < 0.35 || r > 0.7 {
		t.Errorf("half-width %v with 400 paths, %v with 1,600: ratio %v, want about 0.5", w1, w4, r)
	}
}

// With a precision target, the run stops at the first stage whose
// intervals are narrow enough, or at the path limit, says which, and
// equals a single run of that many paths.
func TestPrecision(t *testing.T) {
	st := loadText(t, `name = "s"
base = "small.toml"
reference = "p-0"
value_per_tonne_usd = 1e6
[[sweep]]
name = "p"
key = "stockpile.allied.size_days"
values = [0, 30, 90]
`)
	// The widest half-width after the first stage sets the targets.
	first, _ := runRecorded(t, st, Options{Paths: FirstStage, Seed: 4})
	hw := first.Stopping.HalfWidth
	if !(hw > 0) {
		t.Fatalf("half-width %v after %d paths", hw, FirstStage)
	}

	var log bytes.Buffer
	o, _ := runRecorded(t, st, Options{Paths: 50000, Seed: 4, Precision: 2 * hw, Log: &log})
	if s := o.Stopping; !s.Reached || s.Paths != FirstStage || s.Rule != "precision" || len(s.Stages) != 1 {
		t.Errorf("a loose target: stopping %+v, want reached after %d paths", s, FirstStage)
	}
	if !strings.Contains(o.Stopping.Message, "precision reached") || !strings.Contains(log.String(), "1024 paths") {
		t.Errorf("message %q, log %q", o.Stopping.Message, log.String())
	}

	// Half the first half-width needs about four times the paths: 4,096.
	o, _ = runRecorded(t, st, Options{Paths: 50000, Seed: 4, Precision: hw / 2})
	if s := o.Stopping; !s.Reached || s.Paths < 2*FirstStage || s.Paths > 8*FirstStage || s.HalfWidth >= hw/2 {
		t.Errorf("target %v: stopping %+v", hw/2, s)
	}
	fixed, _ := runRecorded(t, st, Options{Paths: o.Stopping.Paths, Seed: 4})
	o.Stopping, fixed.Stopping = Stopping{}, Stopping{}
	a, _ := json.Marshal(o)
	b, _ := json.Marshal(fixed)
	if !bytes.Equal(a, b) {
		t.Error("a run stopped by precision differs from a single run of as many paths")
	}

	// A target out of reach runs to the limit and says so.
	o, _ = runRecorded(t, st, Options{Paths: 2500, Seed: 4, Precision: hw / 1000})
	s := o.Stopping
	if s.Reached || s.Paths != 2500 || len(s.Stages) != 3 || s.Stages[1].Paths != 2048 {
		t.Errorf("an unreachable target: stopping %+v", s)
	}
	if !strings.Contains(s.Message, "path limit") || !strings.Contains(s.Message, "2,500") {
		t.Errorf("message %q", s.Message)
	}
}

// The outcome's cost-benefit terms add up, and the choice is the smallest
// size within the margin of the best.
func TestCostBenefit(t *testing.T) {
	st := loadText(t, `name = "s"
base = "small.toml"
reference = "p-0"
value_per_tonne_usd = 2e6
margin = 0.5
[[sweep]]
name = "p"
key = "stockpile.allied.size_days"
values = [0, 30, 180]
`)
	o, recs := runRecorded(t, st, Options{Paths: 300, Seed: 8})
	bo := o.Bases[0]
	for v, vo := range bo.Variants {
		cb := vo.CostBenefit
		if d := cb.Benefit.Mean - cb.AvoidedShortfallValue.Mean - cb.AvoidedBuyerCost.Mean; math.Abs(d) > 1e-6*(1+math.Abs(cb.Benefit.Mean)) {
			t.Errorf("%s: benefit %v is not the sum of its parts (off by %v)", vo.Name, cb.Benefit.Mean, d)
		}
		if d := cb.NetBenefit.Mean - (cb.Benefit.Mean - cb.Cost.Mean); math.Abs(d) > 1e-6*(1+math.Abs(cb.NetBenefit.Mean)) {
			t.Errorf("%s: net benefit %v is not benefit − cost (off by %v)", vo.Name, cb.NetBenefit.Mean, d)
		}
		if d := cb.AvoidedShortfallValue.Mean - 2*cb.AvoidedShortfallT.Mean; math.Abs(d) > 1e-6*(1+math.Abs(cb.AvoidedShortfallValue.Mean)) {
			t.Errorf("%s: the value of the avoided shortfall is not $2M a tonne", vo.Name)
		}
		// Check the mean against the recorded paths.
		var net float64
		for i, row := range recs[0][v].rows {
			ref := recs[0][0].rows[i]
			net += ((ref[sim.MCumShort]-row[sim.MCumShort])*2 + (ref[sim.MBuyerCost] - row[sim.MBuyerCost]) - (row[sim.MStockCost] - ref[sim.MStockCost])) / float64(len(recs[0][v].rows))
		}
		if math.Abs(net-cb.NetBenefit.Mean) > 1e-6*(1+math.Abs(net)) {
			t.Errorf("%s: net benefit %v, from the paths %v", vo.Name, cb.NetBenefit.Mean, net)
		}
	}
	c := bo.Choice
	if c == nil {
		t.Fatal("no choice")
	}
	best := math.Inf(-1)
	for _, vo := range bo.Variants {
		best = math.Max(best, vo.CostBenefit.NetBenefit.Mean)
	}
	for _, vo := range bo.Variants {
		within := vo.CostBenefit.NetBenefit.Mean >= best-0.5*math.Abs(best)
		if vo.Name == c.Variant && !within {
			t.Errorf("the choice %s is not within the margin of the best", vo.Name)
		}
		if within && vo.Levels[0] < bo.Variants[indexOf(bo, c.Variant)].Levels[0] {
			t.Errorf("%s is smaller than the choice %s and within the margin", vo.Name, c.Variant)
		}
	}
	if c.Sentence == "" || !strings.Contains(bo.Answer, "small") {
		t.Errorf("sentence %q, answer %q", c.Sentence, bo.Answer)
	}
}

func indexOf(bo BaseOutcome, name string) int {
	for i, v := range bo.Variants {
		if v.Name == name {
			return i
		}
	}
	return -1
}

// Order lists the cases in the order Run simulates them, which the shards
// of a study split.
func TestOrderIsRunOrder(t *testing.T) {
	st := loadText(t, `name = "s"
base = ["small.toml", "small-b.toml"]
reference = "defence-10"
[[sweep]]
name = "defence"
key = "stockpile.us-nds.size_days"
values = [0, 10, 20]
`)
	var ran []*Case
	opt := Options{Paths: 64, Seed: 1, Workers: 1}
	opt.NewRunner = func(c *Case) (Runner, error) {
		ran = append(ran, c)
		return &memRunner{c: c, seed: opt.Seed, workers: opt.Workers}, nil
	}
	if _, err := Run(context.Background(), st, opt); err != nil {
		t.Fatal(err)
	}
	order := st.Order()
	if len(order) != len(ran) || len(order) != 6 {
		t.Fatalf("Order has %d cases, Run ran %d, want 6", len(order), len(ran))
	}
	for i := range order {
		if order[i] != ran[i] {
			t.Errorf("case %d: Order gives %s/%s, Run ran %s/%s", i, order[i].Base.Name, order[i].Variant.Name, ran[i].Base.Name, ran[i].Variant.Name)
		}
	}
	if order[0].V != st.Ref || order[3].V != st.Ref {
		t.Errorf("a base's reference does not come first")
	}
}
