package engine

import (
	"context"
	"github.com/reesim/reesim/internal/stat"
	"math"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/reesim/reesim/design"
	"github.com/reesim/reesim/scenarios"
	"github.com/reesim/reesim/sim"
)

func compile(t testing.TB, text string) *scenarios.Compiled {
	t.Helper()
	s, err := scenarios.LoadBytes("small.toml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	c, err := scenarios.Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func small(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile("testdata/small.toml")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// fingerprint renders everything a run reports, at full precision.
func fingerprint(t *testing.T, r *Result, rows [][]float64) string {
	var b strings.Builder
	T := r.Compiled.Model.Months
	for s := 0; s < sim.NumSeries; s++ {
		for mo := 0; mo < T; mo++ {
			sk := r.Series.At(s*T + mo)
			b.WriteString(strings.Join([]string{
				ff(r.SeriesMean[s][mo]), ff(sk.Quantile(0.05)), ff(sk.Quantile(0.5)), ff(sk.Quantile(0.95)),
			}, ","))
			b.WriteByte('\n')
		}
	}
	for k := range r.Metric {
		b.WriteString(ff(r.Metric[k].Mean) + "," + ff(r.Metric[k].M2) + "," + ff(r.MetricSketch.At(k).Quantile(0.5)) + "\n")
	}
	for _, row := range rows {
		for _, v := range row {
			b.WriteString(ff(v) + ",")
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func ff(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

func runCollect(t *testing.T, c *scenarios.Compiled, paths, workers int, seed uint64) (*Result, [][]float64) {
	t.Helper()
	var rows [][]float64
	next := 0
	r, err := Run(context.Background(), c, Options{Paths: paths, Seed: seed, Workers: workers,
		Row: func(i int, in, m []float64) error {
			if i != next {
				t.Fatalf("row %d arrived, want %d", i, next)
			}
			next++
			rows = append(rows, append(slices.Clone(in), m...))
			return nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	return r, rows
}

func TestSameResultsWhateverTheWorkers(t *testing.T) {
	c := compile(t, small(t))
	var want string
	for _, w := range []int{1, 2, 8} {
		r, rows := runCollect(t, c, 700, w, 42)
		got := fingerprint(t, r, rows)
		if w == 1 {
			want = got
			continue
		}
		if got != want {
			t.Errorf("%d workers give different results from 1 worker", w)
		}
	}
}

func TestSeedChangesResults(t *testing.T) {
	c := compile(t, small(t))
	r1, _ := runCollect(t, c, 200, 2, 1)
	r2, _ := runCollect(t, c, 200, 2, 2)
	if r1.Metric[sim.MCumShort].Mean == r2.Metric[sim.MCumShort].Mean {
		t.Error("two seeds give the same mean shortfall")
	}
}

// Two variants that differ only in a policy lever (the stockpile's size)
// draw identical shocks on every path.
func TestCommonRandomNumbers(t *testing.T) {
	a := compile(t, small(t))
	b := compile(t, strings.Replace(small(t), "size_days = 60", "size_days = 180", 1))
	_, ra := runCollect(t, a, 300, 2, 9)
	_, rb := runCollect(t, b, 300, 2, 9)
	shocks := 0
	for j, in := range a.Inputs {
		if !in.Sampled() {
			continue
		}
		jb := slices.IndexFunc(b.Inputs, func(x scenarios.Input) bool { return x.Name == in.Name })
		if jb < 0 {
			t.Fatalf("input %s missing from the variant", in.Name)
		}
		shocks++
		for i := range ra {
			if ra[i][j] != rb[i][jb] {
				t.Fatalf("path %d: %s = %v in one variant, %v in the other", i, in.Name, ra[i][j], rb[i][jb])
			}
		}
	}
	if shocks < 5 {
		t.Fatalf("only %d sampled inputs compared", shocks)
	}
	// And the larger stockpile never leaves more defence shortfall.
	nIn := len(a.Inputs)
	for i := range ra {
		sa, sb := ra[i][nIn+sim.MCumShortDef], rb[i][len(b.Inputs)+sim.MCumShortDef]
		if sb > sa+1e-6 {
			t.Fatalf("path %d: defence shortfall %v with 180 days > %v with 60 days", i, sb, sa)
		}
	}
}

// The standard error a run reports matches the spread of means over
// independent seeds.
func TestStandardErrorMatchesSpread(t *testing.T) {
	c := compile(t, small(t))
	const seeds, paths = 30, 200
	var means []float64
	var se float64
	for s := uint64(0); s < seeds; s++ {
		r, err := Run(context.Background(), c, Options{Paths: paths, Seed: 1000 + s, Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		means = append(means, r.Metric[sim.MPeakMagX].Mean)
		se += r.Metric[sim.MPeakMagX].SE() / seeds
	}
	var m, v float64
	for _, x := range means {
		m += x / seeds
	}
	for _, x := range means {
		v += (x - m) * (x - m) / (seeds - 1)
	}
	spread := math.Sqrt(v)
	// With 30 seeds the sample SD is within about ±35 % of the truth at 95 %.
	if spread < 0.6*se || spread > 1.5*se {
		t.Errorf("spread of means over seeds %v, reported standard error %v", spread, se)
	}
}

// Percentiles read from the sketch are within Alpha of exact percentiles
// of the same sampled values.
func TestQuantileAccuracy(t *testing.T) {
	c := compile(t, small(t))
	r, rows := runCollect(t, c, 2000, 2, 5)
	nIn := len(c.Inputs)
	for _, k := range []int{sim.MPeakMagX, sim.MPeakDyTbX, sim.MMeanNdPrX} {
		vals := make([]float64, len(rows))
		for i, row := range rows {
			vals[i] = row[nIn+k]
		}
		sort.Float64s(vals)
		for _, q := range []float64{0.05, 0.25, 0.5, 0.75, 0.95} {
			idx := int(math.Ceil(q*float64(len(vals)))) - 1
			exact := vals[idx]
			got := r.MetricSketch.At(k).Quantile(q)
			if math.Abs(got-exact) > Alpha*math.Abs(exact)+1e-12 {
				t.Errorf("%s p%g: sketch %v, exact %v", sim.MetricInfo[k].Name, 100*q, got, exact)
			}
		}
	}
}

// The sampled inputs follow their distributions, and the asked-for rank
// correlation is obtained.
func TestSampledInputs(t *testing.T) {
	c := compile(t, small(t))
	_, rows := runCollect(t, c, 4000, 2, 11)
	col := func(name string) []float64 {
		j := slices.IndexFunc(c.Inputs, func(x scenarios.Input) bool { return x.Name == name })
		if j < 0 {
			t.Fatalf("no input %s", name)
		}
		out := make([]float64, len(rows))
		for i, r := range rows {
			out[i] = r[j]
		}
		return out
	}
	share, tariff := col("ban_share"), col("tariff_level")
	if rho := stat.Spearman(share, tariff); math.Abs(rho-0.6) > 0.04 {
		t.Errorf("rank correlation of ban_share and tariff_level = %v, want 0.6", rho)
	}
	var m float64
	for _, v := range share {
		if v < 0.3 || v > 0.9 {
			t.Fatalf("ban_share %v outside [0.3, 0.9]", v)
		}
		m += v / float64(len(share))
	}
	if math.Abs(m-0.6) > 0.01 {
		t.Errorf("mean ban_share = %v, want 0.6", m)
	}
}

func TestInterruptGivesConsistentPartialResult(t *testing.T) {
	c := compile(t, small(t))
	ctx, cancel := context.WithCancel(context.Background())
	var rows int
	r, err := Run(ctx, c, Options{Paths: 100000, Seed: 3, Workers: 2,
		Row: func(int, []float64, []float64) error { rows++; return nil },
		Progress: func(done int) {
			if done >= 640 {
				cancel()
			}
		}})
	if err == nil || r == nil {
		t.Fatalf("want a partial result and an error, got %v, %v", r, err)
	}
	if !r.Partial || r.Paths != rows || r.Paths >= 100000 {
		t.Errorf("partial=%v paths=%d rows=%d", r.Partial, r.Paths, rows)
	}
	if got := r.Series.At(0).Count(); got != uint64(r.Paths) {
		t.Errorf("sketches hold %d paths, result says %d", got, r.Paths)
	}
}

// BenchmarkRunBaseline runs the baseline as reesim run does by default:
// 10,000 paths on every core, with sketches, rows and checks.
func BenchmarkRunBaseline(b *testing.B) {
	s, err := scenarios.Load("baseline")
	if err != nil {
		b.Skip(err)
	}
	c, err := scenarios.Compile(s)
	if err != nil {
		b.Fatal(err)
	}
	const paths = 10000 // reesim run's default
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Run(context.Background(), c, Options{Paths: paths, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(paths*float64(b.N)/b.Elapsed().Seconds(), "paths/s")
}

func BenchmarkPathBaseline(b *testing.B) {
	s, err := scenarios.Load("baseline")
	if err != nil {
		b.Skip(err)
	}
	c, err := scenarios.Compile(s)
	if err != nil {
		b.Fatal(err)
	}
	smp, _ := NewSampler(c, 1)
	in := make([]float64, len(c.Inputs))
	p := c.Model.NewPath()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		smp.Sample(in, i)
		p.Run(in)
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "paths/s")
	b.ReportMetric(float64(testing.AllocsPerRun(5, func() { p.Run(in) }))/float64(c.Model.Months), "allocs/path-month")
}

// A run extended in steps equals, byte for byte, one run of all the
// paths, and its rows continue the path numbers.
func TestExtendEqualsOneRun(t *testing.T) {
	c := compile(t, small(t))
	one, oneRows := runCollect(t, c, 3*BlockSize+17, 3, 8)
	want := fingerprint(t, one, oneRows)

	var rows [][]float64
	row := func(i int, in, m []float64) error {
		if i != len(rows) {
			t.Fatalf("row %d arrived, want %d", i, len(rows))
		}
		rows = append(rows, append(slices.Clone(in), m...))
		return nil
	}
	r, err := Run(context.Background(), c, Options{Paths: BlockSize, Seed: 8, Workers: 2, Row: row})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{BlockSize, BlockSize + 17} {
		if err := Extend(context.Background(), r, Options{Paths: n, Workers: 1 + n%4, Row: row}); err != nil {
			t.Fatal(err)
		}
	}
	if r.Paths != one.Paths || r.Asked != one.Asked || r.Partial {
		t.Fatalf("extended run: paths %d, asked %d, partial %v; one run: %d, %d", r.Paths, r.Asked, r.Partial, one.Paths, one.Asked)
	}
	if got := fingerprint(t, r, rows); got != want {
		t.Error("a run extended in steps differs from one run of all the paths")
	}
	if err := Extend(context.Background(), r, Options{Paths: 10}); err == nil {
		t.Error("extending a run of a path count that is not a multiple of BlockSize: no error")
	}
}

// On the shipped shock scenarios, simulating segments that behave alike as
// one class (sim's segClasses, which needs Model.FixedInputs) changes no
// output beyond rounding: without FixedInputs no two baseline segments
// merge, so the two runs differ only in that.
func TestSegmentClassesOnShippedScenarios(t *testing.T) {
	for _, name := range []string{"baseline", "full-embargo", "magnet-tariff"} {
		s, err := scenarios.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		c, err := scenarios.Compile(s)
		if err != nil {
			t.Fatal(err)
		}
		apart := *c.Model
		apart.FixedInputs = nil
		smp, err := NewSampler(c, 3)
		if err != nil {
			t.Fatal(err)
		}
		in := make([]float64, len(c.Inputs))
		pm, pa := c.Model.NewPath(), apart.NewPath()
		for path := 0; path < 16; path++ {
			smp.Sample(in, path)
			pm.Run(in)
			pa.Run(in)
			close := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*(1+math.Abs(a)+math.Abs(b)) }
			for i := range pa.Series {
				for mo := range pa.Series[i] {
					if a, b := pa.Series[i][mo], pm.Series[i][mo]; !close(a, b) {
						t.Fatalf("%s path %d: %s month %d: %v apart, %v merged", name, path, sim.SeriesInfo[i].Name, mo, a, b)
					}
				}
			}
			for i := range pa.Metrics {
				if a, b := pa.Metrics[i], pm.Metrics[i]; !close(a, b) {
					t.Fatalf("%s path %d: %s: %v apart, %v merged", name, path, sim.MetricInfo[i].Name, a, b)
				}
			}
		}
	}
}

// A run made in parts (Options.First and Options.Block), put together
// with NewResult, Add and AddSketches, equals one run of all the paths,
// bit for bit, whatever the parts and the order their sketches are added.
func TestPartsEqualOneRun(t *testing.T) {
	c := compile(t, small(t))
	const paths = 5*BlockSize + 9
	one, oneRows := runCollect(t, c, paths, 3, 5)
	want := fingerprint(t, one, oneRows)
	for _, cuts := range [][]int{{0, 5 * BlockSize}, {0, BlockSize, 2 * BlockSize}, {0, 3 * BlockSize, 4 * BlockSize}} {
		blocks, r, rows := runParts(t, c, Options{Paths: paths, Seed: 5}, cuts)
		if r.Paths != paths || r.Asked != paths || r.Partial {
			t.Fatalf("cuts %v: paths %d, asked %d, partial %v", cuts, r.Paths, r.Asked, r.Partial)
		}
		if got := fingerprint(t, r, rows); got != want {
			t.Errorf("cuts %v: a run made in parts differs from one run", cuts)
		}
		if !slices.Equal(r.Checkpoints, one.Checkpoints) {
			t.Errorf("cuts %v: the checkpoints of a run made in parts differ from one run's", cuts)
		}
		// Blocks out of order, or after a short block, are refused.
		r2 := NewResult(c, 5, design.MC)
		if err := r2.Add(blocks[1]); err != nil {
			t.Fatal(err)
		}
		if err := r2.Add(blocks[0]); err == nil {
			t.Error("a block added before the one it follows: no error")
		}
		last := blocks[len(blocks)-1]
		r3 := NewResult(c, 5, design.MC)
		if err := r3.Add(last); err != nil {
			t.Fatal(err)
		}
		if err := r3.Add(blocks[0]); err == nil {
			t.Error("a block added after a short block: no error")
		}
	}
	if _, err := Run(context.Background(), c, Options{First: 3, Paths: 10}); err == nil {
		t.Error("a first path that is not a multiple of BlockSize: no error")
	}
	if _, err := Run(context.Background(), c, Options{First: 64, Paths: 64, Total: 100}); err == nil {
		t.Error("a part beyond the run's total: no error")
	}
}

// Under the Latin hypercube and QMC designs too, a run made in parts
// equals one run when each part is told the run's total number of paths
// (Options.Total): the last Latin hypercube slice, cut short, is the same
// slice in every part. Without it, the parts' plans differ.
func TestPartsEqualOneRunUnderDesigns(t *testing.T) {
	c := compile(t, small(t))
	const paths = design.SliceSize + 3*BlockSize + 5
	cuts := []int{0, 7 * BlockSize, design.SliceSize + BlockSize}
	for _, kind := range []design.Kind{design.LHS, design.QMC} {
		one, oneRows := runDesign(t, c, kind, paths, 2, 4, nil)
		want := fingerprint(t, one, oneRows)
		_, r, rows := runParts(t, c, Options{Paths: paths, Total: paths, Seed: 4, Sampling: kind}, cuts)
		if got := fingerprint(t, r, rows); got != want {
			t.Errorf("%v: a run made in parts differs from one run", kind)
		}
		if r.Sampling != kind {
			t.Errorf("%v: the result put together says %v", kind, r.Sampling)
		}
		if !slices.Equal(r.Checkpoints, one.Checkpoints) {
			t.Errorf("%v: the checkpoints of a run made in parts differ from one run's", kind)
		}
		if kind == design.LHS {
			_, r, rows := runParts(t, c, Options{Paths: paths, Seed: 4, Sampling: kind}, cuts)
			if fingerprint(t, r, rows) == want {
				t.Errorf("lhs: parts that do not know the run's total give the same paths; the test proves nothing")
			}
		}
	}
}

// runParts runs opt.Paths paths of c in parts starting at the paths cuts
// (the first 0), each part on 1 to 3 workers with opt's seed, design and
// total, and puts them together with NewResult, Add and AddSketches (the
// sketches in reverse order). It returns the blocks, the result and the
// rows.
func runParts(t *testing.T, c *scenarios.Compiled, opt Options, cuts []int) ([]*Block, *Result, [][]float64) {
	t.Helper()
	bounds := append(slices.Clone(cuts), opt.Paths)
	var blocks []*Block
	var parts []*Result
	for i := range cuts {
		o := opt
		o.First, o.Paths, o.Workers = bounds[i], bounds[i+1]-bounds[i], 1+i%3
		o.Block = func(b *Block) error {
			cp := *b
			cp.Sums, cp.Rows = slices.Clone(b.Sums), slices.Clone(b.Rows)
			for k := range b.Exceed {
				cp.Exceed[k] = slices.Clone(b.Exceed[k])
			}
			blocks = append(blocks, &cp)
			return nil
		}
		part, err := Run(context.Background(), c, o)
		if err != nil {
			t.Fatal(err)
		}
		if part.First != bounds[i] || part.Paths != bounds[i+1]-bounds[i] {
			t.Fatalf("part %d: first %d, paths %d", i, part.First, part.Paths)
		}
		parts = append(parts, part)
	}
	r := NewResult(c, opt.Seed, opt.Sampling)
	var rows [][]float64
	rowLen := len(c.Inputs) + sim.NumMetrics
	for _, b := range blocks {
		if err := r.Add(b); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < b.N; i++ {
			rows = append(rows, b.Rows[i*rowLen:(i+1)*rowLen])
		}
	}
	for i := len(parts) - 1; i >= 0; i-- {
		if err := r.AddSketches(parts[i].Series, parts[i].MetricSketch); err != nil {
			t.Fatal(err)
		}
	}
	return blocks, r, rows
}
