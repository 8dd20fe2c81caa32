// Package engine runs a compiled scenario over many sampled paths in
// parallel goroutines and aggregates the results with memory that does not
// grow with the number of paths.
//
// Paths are grouped in blocks of consecutive path numbers. Workers take
// blocks in any order; the sums behind means and standard errors are merged
// in block order, and the quantile sketches hold integer counts whose merge
// does not depend on order, so the results are identical, byte for byte,
// whatever the number of workers.
//
// For the same reason a run can be made in parts on several machines: Run
// with Options.First simulates a range of whole blocks and hands each to
// Options.Block; NewResult, Result.Add (every block of the run, in order)
// and Result.AddSketches (every part's sketches) then give the result of
// one Run of all the paths, bit for bit. Under a sampling design other
// than plain Monte Carlo every part gives the run's total number of paths
// (Options.Total), which the design's plan depends on.
package engine

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/reesim/reesim/design"
	"github.com/reesim/reesim/internal/stat"
	"github.com/reesim/reesim/scenarios"
	"github.com/reesim/reesim/sim"
	"github.com/reesim/reesim/sketch"
	"github.com/reesim/reesim/uncertain"
)

// Alpha is the relative accuracy of the reported percentiles.
const Alpha = 0.005

// BlockSize is the number of consecutive paths a worker simulates at once.
const BlockSize = 64

// Options says how to run.
type Options struct {
	Paths   int
	Seed    uint64
	Workers int // 0 means runtime.NumCPU()
	// First is the number of the first path Run simulates (0 unless the
	// run is one of several parts of a larger run; see Block). It must be
	// a multiple of BlockSize. Extend ignores it.
	First int
	// Block, when not nil, receives every block in block order, from one
	// goroutine, once it is merged into the result and before its rows go
	// to Row. b and its slices are reused once Block returns.
	Block func(b *Block) error
	// Row, when not nil, receives every path's inputs and metrics in path
	// order, from one goroutine.
	Row func(path int, inputs []float64, metrics []float64) error
	// Progress, when not nil, is called after each block with the number
	// of paths done (by this call, for Extend).
	Progress func(done int)
	// Sampling is the sampling design (package design); the zero value is
	// plain Monte Carlo. Extend keeps the design of the run it extends.
	Sampling design.Kind
	// Total, for a run made in parts (Options.First), is the number of
	// paths of the whole run: a sampling plan depends on it (the size of
	// the last Latin hypercube slice), so that every part must draw its
	// paths from the plan of the whole run to give the paths one Run of
	// all of them would. 0 means First+Paths. Extend ignores it.
	Total int
	// Dims, under QMC, names the inputs in the order of the design's
	// dimensions; nil means the scenario's sampled inputs in input order.
	// A study passes every variant the same list, so that an input keeps
	// its dimension when a variant fixes another. It must name every
	// sampled input of the scenario.
	Dims []string
}

// Moments accumulates a mean and variance (Welford), merged with Chan's
// formula: package internal/stat's.
type Moments = stat.Moments

// Result is the aggregate of a run.
type Result struct {
	Compiled *scenarios.Compiled
	First    int // number of the first path (Options.First)
	Paths    int // paths done
	Asked    int // paths asked for
	Seed     uint64
	Workers  int
	Partial  bool // interrupted before all paths were done

	// SeriesMean[s][t] is the mean of series s in month t.
	SeriesMean [sim.NumSeries][]float64
	// Series holds a sketch per series and month: Series.At(s*Months+t).
	Series *sketch.Set
	// Metric moments and sketches per headline metric.
	Metric       [sim.NumMetrics]Moments
	MetricSketch *sketch.Set
	// Exceed[i][j] counts paths whose metric i exceeds threshold j.
	Thresholds [sim.NumMetrics][]float64
	Exceed     [sim.NumMetrics][]int

	// Sampling is the sampling design of the paths.
	Sampling design.Kind
	// Checkpoints hold the metrics' moments after the first n paths, for
	// n from 64 growing by about a quarter each time (the last path's
	// are in Metric): the convergence of the means. They do not depend on
	// how the run was extended, nor on whether it was made in parts and
	// put together with Add; a part that does not start at path 0 keeps
	// none.
	Checkpoints []Checkpoint
	checkAt     int // the paths of the next checkpoint

	// sums[s*Months+t] is the sum over paths of series s in month t, kept
	// so that Extend can add paths to the means exactly as Run would.
	sums []float64
	// dims are the names of the design's dimensions (Options.Dims).
	dims []string
}

// Checkpoint is the state of the metrics' means after the first Paths
// paths.
type Checkpoint struct {
	Paths  int
	Metric [sim.NumMetrics]Moments
}

// nextCheckpoint returns the number of paths of the checkpoint after one
// at n paths: about 1.25 n, rounded up to whole blocks.
func nextCheckpoint(n int) int {
	next := (n + n/4 + BlockSize - 1) / BlockSize * BlockSize
	return max(next, n+BlockSize)
}

// PathError reports a path whose numbers went wrong.
type PathError struct {
	Scenario string
	Seed     uint64
	Path     int
	What     string
}

func (e *PathError) Error() string {
	return fmt.Sprintf("scenario %s, seed %d, path %d: %s (re-run it with --trace %d)", e.Scenario, e.Seed, e.Path, e.What, e.Path)
}

// Sampler draws a path's inputs.
type Sampler struct {
	c       *scenarios.Compiled
	hash    []uint64
	cops    []*uncertain.Copula
	u, v    []float64
	seed    uint64
	fixed   []float64 // every input's value if fixed (else 0)
	sampled []int     // the inputs that are not fixed
	q       []func(float64) float64
	// plan, when not nil, gives the uniforms (LHS or QMC); dim[n] is the
	// plan's dimension of sampled input n.
	plan *design.Plan
	dim  []int
}

// NewSampler returns a sampler for c with the given seed, by plain Monte
// Carlo. A Sampler is not safe for concurrent use.
func NewSampler(c *scenarios.Compiled, seed uint64) (*Sampler, error) {
	return newSampler(c, seed, nil)
}

// DefaultDims returns the names of the inputs of c that the engine draws,
// in input order: the dimensions of a sampling plan for c alone. Every
// input not of the Fixed family is drawn, a degenerate distribution (a
// triangular with min = max, say) too, although its draws cannot vary.
func DefaultDims(c *scenarios.Compiled) []string {
	var out []string
	for _, in := range c.Inputs {
		if _, fixed := in.Dist.(uncertain.Fixed); !fixed {
			out = append(out, in.Name)
		}
	}
	return out
}

// NewPlan returns the sampling plan of a run of c over paths paths (in
// total, for Extend) under design kind, with dimensions dims (nil:
// DefaultDims(c)).
func NewPlan(c *scenarios.Compiled, kind design.Kind, seed uint64, paths int, dims []string) (*design.Plan, error) {
	if dims == nil {
		dims = DefaultDims(c)
	}
	return design.NewPlan(kind, seed, paths, dims)
}

// newSampler returns a sampler for c with the given seed whose uniforms
// come from the sampling plan p (nil, or plain Monte Carlo: from the
// seed's random streams).
func newSampler(c *scenarios.Compiled, seed uint64, p *design.Plan) (*Sampler, error) {
	s := &Sampler{c: c, seed: seed, hash: make([]uint64, len(c.Inputs)), fixed: make([]float64, len(c.Inputs))}
	if p != nil && p.Kind() != design.MC {
		s.plan = p
	}
	var dimOf map[string]int
	if s.plan != nil {
		dimOf = make(map[string]int, p.Dims())
		for d := range p.Dims() {
			dimOf[p.Name(d)] = d
		}
	}
	for i, in := range c.Inputs {
		s.hash[i] = design.Hash(in.Name)
		if f, ok := in.Dist.(uncertain.Fixed); ok {
			s.fixed[i] = f.Value
		} else {
			s.sampled = append(s.sampled, i)
			s.q = append(s.q, uncertain.QuantileFunc(in.Dist))
			if s.plan != nil {
				d, ok := dimOf[in.Name]
				if !ok {
					return nil, fmt.Errorf("the sampling plan has no dimension for the sampled input %s", in.Name)
				}
				s.dim = append(s.dim, d)
			}
		}
	}
	n := 0
	for _, g := range c.Groups {
		cp, err := uncertain.NewCopula(len(g.Members), g.Spearman)
		if err != nil {
			return nil, err
		}
		s.cops = append(s.cops, cp)
		n = max(n, len(g.Members))
	}
	s.u, s.v = make([]float64, n), make([]float64, n)
	return s, nil
}

// Uniform returns the uniform draw in (0, 1) of the input whose name hashes
// to h on path i: the first output of a PCG generator seeded with
// (splitmix(seed ⊕ splitmix(i)), h). It is design.Uniform, the plain Monte
// Carlo design.
func Uniform(seed uint64, i int, h uint64) float64 { return design.Uniform(seed, i, h) }

// Sample writes path i's inputs into dst (len(c.Inputs)).
func (s *Sampler) Sample(dst []float64, i int) {
	copy(dst, s.fixed)
	if s.plan == nil {
		for _, j := range s.sampled {
			dst[j] = Uniform(s.seed, i, s.hash[j])
		}
	} else {
		for n, j := range s.sampled {
			dst[j] = s.plan.U(i, s.dim[n])
		}
	}
	s.Transform(dst)
}

// Transform turns the independent uniforms of the sampled inputs in dst
// into their values: it applies the rank correlations (Gaussian copula)
// within each correlation group, then each input's quantile function.
// Fixed inputs are left as they are.
func (s *Sampler) Transform(dst []float64) {
	for g, grp := range s.c.Groups {
		n := len(grp.Members)
		for k, j := range grp.Members {
			s.u[k] = dst[j]
		}
		s.cops[g].Transform(s.v[:n], s.u[:n])
		for k, j := range grp.Members {
			dst[j] = s.v[k]
		}
	}
	for n, j := range s.sampled {
		dst[j] = s.q[n](dst[j])
	}
}

// A Block is the aggregate of up to BlockSize consecutive paths, the part
// of a result that is merged in path order: the sums behind the series
// means and the moments of the metrics are floating-point numbers, whose
// sums depend on the order of adding.
//
// A run made in parts (by Run with Options.First, on several machines
// perhaps) is put together with NewResult, Add and AddSketches: adding
// every block of the run in order, and every part's sketches, gives the
// same result, bit for bit, as one Run of all the paths.
type Block struct {
	// Index is the block's number: its paths are Index*BlockSize to
	// Index*BlockSize+N-1.
	Index int
	N     int
	// Sums holds the sums over the block's paths, added in path order,
	// of every series in every month (series s, month t at s*Months+t).
	Sums []float64
	// Metric holds the moments of each headline metric over the block's
	// paths, added in path order, and Exceed how many of them exceed each
	// of the metric's thresholds.
	Metric [sim.NumMetrics]Moments
	Exceed [sim.NumMetrics][]int
	// Rows holds every path's inputs (len(Compiled.Inputs)) then metrics
	// (sim.NumMetrics), path after path.
	Rows []float64

	err error
}

// NewResult returns the empty result of c with the given seed and
// sampling design, ready for Add: no paths yet, none asked for.
func NewResult(c *scenarios.Compiled, seed uint64, sampling design.Kind) *Result {
	res := newResult(c, seed)
	res.Sampling = sampling
	res.Series = sketch.NewSet(Alpha, sim.NumSeries*c.Model.Months)
	res.MetricSketch = sketch.NewSet(Alpha, sim.NumMetrics)
	return res
}

// newResult returns the empty result of c, without sketches.
func newResult(c *scenarios.Compiled, seed uint64) *Result {
	T := c.Model.Months
	res := &Result{Compiled: c, Seed: seed, sums: make([]float64, sim.NumSeries*T), checkAt: BlockSize}
	for s := range res.SeriesMean {
		res.SeriesMean[s] = make([]float64, T)
	}
	for i, info := range sim.MetricInfo {
		res.Thresholds[i] = c.Scenario.Thresholds[info.Name]
		res.Exceed[i] = make([]int, len(res.Thresholds[i]))
	}
	return res
}

// Add merges the block b into r, as Run merges the blocks it simulates,
// and brings r's series means up to date. b must be the block that
// follows the paths in r, block (r.First+r.Paths)/BlockSize, and r's
// paths must fill whole blocks; the first block added to an empty result
// sets its First. Add raises r.Asked to r.Paths if it is below. The sketches of
// b's paths are not in b: add them with AddSketches.
func (r *Result) Add(b *Block) error {
	c := r.Compiled
	rowLen := len(c.Inputs) + sim.NumMetrics
	switch {
	case r.sums == nil || r.Series == nil:
		return errors.New("cannot add a block to a result that NewResult or Run did not make")
	case b.Index < 0:
		return fmt.Errorf("block %d: a block number is 0 or more", b.Index)
	case r.Paths%BlockSize != 0:
		return fmt.Errorf("cannot add block %d to a result of %d paths: the count must be a multiple of %d", b.Index, r.Paths, BlockSize)
	case r.Paths > 0 && b.Index != (r.First+r.Paths)/BlockSize:
		return fmt.Errorf("block %d added after block %d: blocks must be added in order", b.Index, (r.First+r.Paths)/BlockSize-1)
	case b.N < 1 || b.N > BlockSize:
		return fmt.Errorf("block %d has %d paths, want 1 to %d", b.Index, b.N, BlockSize)
	case len(b.Sums) != len(r.sums):
		return fmt.Errorf("block %d has %d series sums, want %d", b.Index, len(b.Sums), len(r.sums))
	case b.Rows != nil && len(b.Rows) != b.N*rowLen:
		return fmt.Errorf("block %d has %d row values, want %d", b.Index, len(b.Rows), b.N*rowLen)
	}
	for k := range b.Exceed {
		if len(b.Exceed[k]) != len(r.Exceed[k]) {
			return fmt.Errorf("block %d has %d exceedance counts of %s, want %d", b.Index, len(b.Exceed[k]), sim.MetricInfo[k].Name, len(r.Exceed[k]))
		}
	}
	if r.Paths == 0 {
		r.First = b.Index * BlockSize
	}
	r.add(b)
	r.Asked = max(r.Asked, r.Paths)
	r.means()
	return nil
}

// AddSketches merges into r the sketches of the series and metrics of
// paths added with Add (Result.Series and Result.MetricSketch of a run
// made in parts). Sketch merges do not depend on order.
func (r *Result) AddSketches(series, metrics *sketch.Set) error {
	switch {
	case series.Len() != r.Series.Len() || series.Alpha() != r.Series.Alpha():
		return fmt.Errorf("the series sketches are %d with accuracy %g, want %d with %g", series.Len(), series.Alpha(), r.Series.Len(), r.Series.Alpha())
	case metrics.Len() != r.MetricSketch.Len() || metrics.Alpha() != r.MetricSketch.Alpha():
		return fmt.Errorf("the metric sketches are %d with accuracy %g, want %d with %g", metrics.Len(), metrics.Alpha(), r.MetricSketch.Len(), r.MetricSketch.Alpha())
	}
	r.Series.Merge(series)
	r.MetricSketch.Merge(metrics)
	return nil
}

// add merges b into r: the sums, moments and counts in block order.
func (r *Result) add(b *Block) {
	for i, v := range b.Sums {
		r.sums[i] += v
	}
	for k := range r.Metric {
		r.Metric[k].Merge(b.Metric[k])
		for j, n := range b.Exceed[k] {
			r.Exceed[k][j] += n
		}
	}
	r.Paths += b.N
	if r.First == 0 && r.Paths >= r.checkAt {
		r.Checkpoints = append(r.Checkpoints, Checkpoint{Paths: r.Paths, Metric: r.Metric})
		r.checkAt = nextCheckpoint(r.Paths)
	}
}

// means sets the series means from the sums.
func (r *Result) means() {
	T := r.Compiled.Model.Months
	for s := 0; s < sim.NumSeries; s++ {
		for t := 0; t < T; t++ {
			r.SeriesMean[s][t] = r.sums[s*T+t] / float64(r.Paths)
		}
	}
}

// Run simulates c over opt.Paths paths, numbered from opt.First.
func Run(ctx context.Context, c *scenarios.Compiled, opt Options) (*Result, error) {
	switch {
	case opt.Paths < 1:
		return nil, errors.New("paths must be at least 1")
	case opt.First < 0 || opt.First%BlockSize != 0:
		return nil, fmt.Errorf("the first path must be a multiple of %d, got %d", BlockSize, opt.First)
	case opt.Total != 0 && opt.Total < opt.First+opt.Paths:
		return nil, fmt.Errorf("the run's total of %d paths is below its part's last path, %d", opt.Total, opt.First+opt.Paths-1)
	}
	res := newResult(c, opt.Seed) // the sketches are the workers', merged
	res.First = opt.First
	res.Sampling, res.dims = opt.Sampling, opt.Dims
	if err := res.run(ctx, opt); err != nil {
		return nil, err
	}
	if res.Paths == 0 {
		return nil, ctx.Err()
	}
	return res, ctx.Err()
}

// Extend simulates opt.Paths more paths of r's scenario with r's seed,
// numbered on from r.First+r.Paths, and adds them to r. opt.Seed,
// opt.First, opt.Total, opt.Sampling and opt.Dims are ignored.
//
// The result is the same, byte for byte, as a single Run of all the paths:
// the paths are the same, and the blocks are merged in the same order. For
// that, r.Paths must be a multiple of BlockSize, and r must be complete
// (not Partial). If ctx is cancelled, r holds the paths done, is marked
// Partial and Extend returns ctx.Err(); after any other error r must not be
// used.
func Extend(ctx context.Context, r *Result, opt Options) error {
	switch {
	case opt.Paths < 1:
		return errors.New("paths must be at least 1")
	case r.Partial:
		return errors.New("cannot extend a partial run")
	case r.Paths%BlockSize != 0:
		return fmt.Errorf("cannot extend a run of %d paths: the count must be a multiple of %d", r.Paths, BlockSize)
	case r.sums == nil:
		return errors.New("cannot extend a result that Run did not make")
	case r.Sampling == design.LHS && r.Paths%design.SliceSize != 0:
		return fmt.Errorf("cannot extend a Latin hypercube run of %d paths: the count must be a multiple of %d", r.Paths, design.SliceSize)
	}
	opt.Seed, opt.Total = r.Seed, 0
	opt.Sampling, opt.Dims = r.Sampling, r.dims
	if err := r.run(ctx, opt); err != nil {
		return err
	}
	return ctx.Err()
}

// run simulates opt.Paths paths numbered from res.First+res.Paths and
// adds them to res. It returns the first path or Row error; an interruption is not an
// error here, but leaves res.Partial set.
func (res *Result) run(ctx context.Context, opt Options) error {
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	if res.Workers == 0 {
		res.Workers = workers
	}
	c := res.Compiled
	m := c.Model
	T := m.Months
	done0 := res.Paths
	first := res.First + res.Paths
	res.Asked = done0 + opt.Paths
	nIn := len(c.Inputs)
	rowLen := nIn + sim.NumMetrics
	firstBlock := first / BlockSize
	nBlocks := (opt.Paths + BlockSize - 1) / BlockSize
	var plan *design.Plan
	if opt.Sampling != design.MC {
		var err error
		total := first + opt.Paths
		if opt.Total > 0 {
			total = opt.Total
		}
		if plan, err = NewPlan(c, opt.Sampling, res.Seed, total, opt.Dims); err != nil {
			return err
		}
	}

	// A bounded pool of blocks keeps memory flat: at most 2×workers blocks
	// are in flight or waiting to be merged.
	window := 2 * workers
	free := make(chan *Block, window)
	for i := 0; i < window; i++ {
		b := &Block{Sums: make([]float64, sim.NumSeries*T), Rows: make([]float64, 0, BlockSize*rowLen)}
		for k := range b.Exceed {
			b.Exceed[k] = make([]int, len(res.Thresholds[k]))
		}
		free <- b
	}
	todo := make(chan *Block)
	done := make(chan *Block, window)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	series := make([]*sketch.Set, workers)
	metrics := make([]*sketch.Set, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		series[w] = sketch.NewSet(Alpha, sim.NumSeries*T)
		metrics[w] = sketch.NewSet(Alpha, sim.NumMetrics)
		smp, err := newSampler(c, res.Seed, plan)
		if err != nil {
			return err
		}
		wg.Add(1)
		go func(ss, ms *sketch.Set) {
			defer wg.Done()
			p := m.NewPath()
			in := make([]float64, nIn)
			vals := make([]float64, BlockSize*sim.NumSeries*T)
			for b := range todo {
				b.err = simulate(c, smp, p, in, vals, b, ss, ms, res)
				done <- b
			}
		}(series[w], metrics[w])
	}
	go func() {
		defer close(todo)
		for i := 0; i < nBlocks; i++ {
			var b *Block
			select {
			case <-ctx.Done():
				return
			case b = <-free:
			}
			b.Index = firstBlock + i
			b.N = min(BlockSize, opt.Paths-i*BlockSize)
			select {
			case <-ctx.Done():
				return
			case todo <- b:
			}
		}
	}()
	go func() { wg.Wait(); close(done) }()

	// Merge blocks in order.
	pending := map[int]*Block{}
	next := firstBlock
	var firstErr error
	fail := func(err error) {
		if firstErr == nil {
			firstErr = err
			cancel()
		}
	}
	for b := range done {
		pending[b.Index] = b
		for {
			b, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			if b.err != nil {
				fail(b.err)
			}
			if firstErr == nil {
				res.add(b)
				if opt.Block != nil {
					if err := opt.Block(b); err != nil {
						fail(err)
					}
				}
			}
			if firstErr == nil && opt.Row != nil {
				for i := 0; i < b.N; i++ {
					row := b.Rows[i*rowLen : (i+1)*rowLen]
					if err := opt.Row(b.Index*BlockSize+i, row[:nIn], row[nIn:]); err != nil {
						fail(err)
						break
					}
				}
			}
			if firstErr == nil && opt.Progress != nil {
				opt.Progress(res.Paths - done0)
			}
			next++
			free <- b
		}
	}
	if firstErr != nil {
		res.Partial = true
		return firstErr
	}
	res.Partial = res.Paths < res.Asked
	if res.Paths == 0 {
		return nil
	}

	// Every block handed to a worker is finished and merged, even after a
	// cancel, so the sketches hold exactly the paths counted in res.Paths.
	w0 := 0
	if res.Series == nil {
		res.Series, res.MetricSketch = series[0], metrics[0]
		w0 = 1
	}
	for w := w0; w < workers; w++ {
		res.Series.Merge(series[w])
		res.MetricSketch.Merge(metrics[w])
	}
	res.means()
	return nil
}

// simulate runs the paths of block b. vals is working memory of
// BlockSize×NumSeries×T values: the block's series, path by path, which are
// added to the sketches cell by cell once the block is done, so that each
// sketch's buckets are fetched into cache once per block rather than once
// per path. Sketch counts do not depend on the order of adding.
func simulate(c *scenarios.Compiled, smp *Sampler, p *sim.Path, in, vals []float64, b *Block, ss, ms *sketch.Set, res *Result) error {
	T := c.Model.Months
	cells := sim.NumSeries * T
	clear(b.Sums)
	b.Metric = [sim.NumMetrics]Moments{}
	for k := range b.Exceed {
		clear(b.Exceed[k])
	}
	b.Rows = b.Rows[:0]
	for i := 0; i < b.N; i++ {
		path := b.Index*BlockSize + i
		smp.Sample(in, path)
		p.Run(in)
		// One pass over the series sums them, keeps them for the sketches
		// and checks them (checkSeries says what is wrong, if anything);
		// a failed path ends the run, so its sums do not matter.
		ok := true
		for s := 0; s < sim.NumSeries; s++ {
			row := p.Series[s]
			sums := b.Sums[s*T : (s+1)*T][:len(row)]
			dst := vals[i*cells+s*T:][:len(row)]
			for t, v := range row {
				ok = ok && v >= -1e-6 && v <= math.MaxFloat64
				sums[t] += v
				dst[t] = v
			}
		}
		what := ""
		if !ok {
			what = checkSeries(p)
		}
		if what == "" {
			what = checkRest(p)
		}
		if what != "" {
			return &PathError{Scenario: c.Scenario.Name, Seed: smp.seed, Path: path, What: what}
		}
		for k, v := range p.Metrics {
			ms.At(k).Add(v)
			b.Metric[k].Add(v)
			for j, th := range res.Thresholds[k] {
				if v > th {
					b.Exceed[k][j]++
				}
			}
		}
		b.Rows = append(b.Rows, in...)
		b.Rows = append(b.Rows, p.Metrics[:]...)
	}
	for j := 0; j < cells; j++ {
		sk := ss.At(j)
		for i := 0; i < b.N; i++ {
			sk.Add(vals[i*cells+j])
		}
	}
	return nil
}

// Check returns what is wrong with a simulated path, or "" when its numbers
// are finite, its stocks and flows not negative and its mass balanced.
func Check(p *sim.Path) string {
	if what := checkSeries(p); what != "" {
		return what
	}
	return checkRest(p)
}

// checkSeries is the part of Check about the series.
func checkSeries(p *sim.Path) string {
	for s, row := range p.Series {
		for t, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Sprintf("%s is %v in month %d", sim.SeriesInfo[s].Name, v, t+1)
			}
			if v < -1e-6 {
				return fmt.Sprintf("%s is negative (%g) in month %d", sim.SeriesInfo[s].Name, v, t+1)
			}
		}
	}
	return ""
}

// checkRest is the part of Check about the metrics and the mass balance.
func checkRest(p *sim.Path) string {
	for k, v := range p.Metrics {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Sprintf("%s is %v", sim.MetricInfo[k].Name, v)
		}
	}
	for t, r := range p.Residual {
		if !(r <= 1e-6*(1+p.Series[sim.SMagConsX][t]+p.Series[sim.SMagConsCN][t])) {
			return fmt.Sprintf("mass balance is off by %g t in month %d", r, t+1)
		}
	}
	return ""
}
