package lifecycle

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/reesim/reesim/design"
	"github.com/reesim/reesim/engine"
	"github.com/reesim/reesim/plots"
	"github.com/reesim/reesim/results"
	"github.com/reesim/reesim/scenarios"
	"github.com/reesim/reesim/sim"
	"github.com/reesim/reesim/sketch"
)

// ErrInterrupted reports a run stopped by its context (Ctrl-C or SIGTERM)
// before anything was kept.
var ErrInterrupted = errors.New("interrupted")

// Options say how a run writes its folder.
type Options struct {
	// Workers is the number of paths simulated at once.
	Workers int
	// Force replaces results already in the final folder.
	Force bool
	// Charts draws the charts, briefing.pdf and report.html.
	Charts bool
	// Parquet writes paths.parquet instead of paths.csv.
	Parquet bool
	// Version and Commit are reesim's, recorded in the manifest.
	Version, Commit string
	// Log receives notes and warnings, a line each (nil: none).
	Log io.Writer
	// Progress shows the progress of the paths and charts (nil: none).
	Progress Progress
}

// Progress shows a run's progress.
type Progress interface {
	// Paths returns the function told the number of paths done, as
	// total paths of the scenario name are simulated.
	Paths(name string, total int) func(done int)
	// Charts returns the function told the charts done of the scenario
	// name as they are drawn.
	Charts(name string) func(done, total int)
	// Clear ends what Paths or Charts showed.
	Clear()
}

// Run is one scenario's results folder being written: the per-path table
// streams while paths come, and Finish writes the other files and moves
// the folder into place.
type Run struct {
	// Final is the folder the results are for.
	Final string
	// Result is the aggregate of the paths so far (nil before any).
	Result *engine.Result
	// Sample holds the first paths, for the charts and the headline.
	Sample *plots.PathSample
	// Sampling is the sampling design of the paths (set before the first
	// Simulate or Add); Dims, under QMC, names the inputs in the order of
	// the design's dimensions (nil: the scenario's sampled inputs; see
	// engine.Options.Dims).
	Sampling design.Kind
	Dims     []string

	// After Finish: At is where the results are (Final, unless another
	// run put results there first: then Kept says where they went), and
	// ChartsSkipped says whether the charts were left out because of an
	// interrupt.
	At            string
	Kept          *results.ClashError
	ChartsSkipped bool

	opt     Options
	c       *scenarios.Compiled
	seed    uint64
	dir     *results.Dir
	pname   string // paths.csv or paths.parquet
	pf      *os.File
	pbuf    *bufio.Writer
	pw      pathsWriter
	sampled []int // the indices of the sampled inputs
	ins     []float64
	started time.Time
	done    bool
}

// pathsWriter writes the per-path table: paths.csv or paths.parquet.
type pathsWriter interface {
	Row(path int, inputs, metrics []float64) error
	Flush() error
}

// Start creates the temporary results folder for c beside final (refused
// when final exists, unless opt.Force) and starts the per-path table.
func Start(c *scenarios.Compiled, seed uint64, final string, opt Options) (*Run, error) {
	r := &Run{opt: opt, c: c, seed: seed, Final: final, At: final}
	dir, err := results.Create(final, opt.Force)
	if err != nil {
		return nil, err
	}
	for _, n := range dir.Notes {
		r.logf("reesim: %s\n", n)
	}
	r.dir = dir
	r.started = time.Now()
	r.pname = "paths.csv"
	if opt.Parquet {
		r.pname = "paths.parquet"
	}
	r.pf, err = dir.Create(r.pname)
	if err != nil {
		dir.Abort()
		return nil, err
	}
	r.pbuf = bufio.NewWriterSize(r.pf, 1<<16)
	if opt.Parquet {
		r.pw = results.NewParquetPathsWriter(r.pbuf, c)
	} else {
		r.pw = results.NewPathsWriter(r.pbuf, c)
	}
	var ins, ms []string
	for i, in := range c.Inputs {
		if in.Sampled() {
			r.sampled = append(r.sampled, i)
			ins = append(ins, in.Name)
		}
	}
	for _, info := range sim.MetricInfo {
		ms = append(ms, info.Name)
	}
	r.ins = make([]float64, len(r.sampled))
	r.Sample = plots.NewPathSample(ins, ms, plots.MaxSample)
	return r, nil
}

// logf prints a note on opt.Log.
func (r *Run) logf(format string, args ...any) {
	if r.opt.Log != nil {
		fmt.Fprintf(r.opt.Log, format, args...)
	}
}

// Seed returns the run's seed.
func (r *Run) Seed() uint64 { return r.seed }

// Compiled returns the run's scenario.
func (r *Run) Compiled() *scenarios.Compiled { return r.c }

// row writes a path's row to the per-path table (unless written) and the
// sample, then passes it to next when it is not nil.
func (r *Run) row(i int, in, m []float64, written bool, next func(path int, inputs, metrics []float64) error) error {
	if !written {
		if err := r.pw.Row(i, in, m); err != nil {
			return err
		}
	}
	if r.Sample.Len() < r.Sample.Max {
		for j, k := range r.sampled {
			r.ins[j] = in[k]
		}
		r.Sample.Add(r.ins, m)
	}
	if next != nil {
		return next(i, in, m)
	}
	return nil
}

// Simulate runs n more paths, numbered on from those run before, writing
// their rows to the per-path table and passing them to row when it is
// not nil. An interrupted first call keeps the partial result; Finish
// writes it. It returns ErrInterrupted when ctx is done before any path.
func (r *Run) Simulate(ctx context.Context, n int, row func(path int, inputs, metrics []float64) error) error {
	r.Sample.Reserve(n)
	opt := engine.Options{Paths: n, Seed: r.seed, Workers: r.opt.Workers, Sampling: r.Sampling, Dims: r.Dims, Row: func(i int, in, m []float64) error {
		return r.row(i, in, m, false, row)
	}}
	if p := r.opt.Progress; p != nil {
		opt.Progress = p.Paths(r.c.Scenario.Name, n)
	}
	var err error
	if r.Result == nil {
		r.Result, err = engine.Run(ctx, r.c, opt)
	} else {
		err = engine.Extend(ctx, r.Result, opt)
	}
	if p := r.opt.Progress; p != nil {
		p.Clear()
	}
	if err != nil && (r.Result == nil || ctx.Err() == nil) {
		if ctx.Err() != nil {
			return ErrInterrupted
		}
		return r.dir.Explain(err)
	}
	return nil
}

// Add adds a block of paths simulated elsewhere (a shard of the run,
// engine.Options.Block), the block that follows those added before:
// it merges the block's aggregate, and writes its rows to the per-path
// table, passing them to row when it is not nil. b.Rows holds every
// path's inputs (all of them) then metrics. lines, when not nil, are the
// block's lines of paths.csv as results.PathsWriter.AppendRow makes them,
// written as they are when the table is paths.csv. The paths' sketches
// are added with AddSketches.
func (r *Run) Add(b *engine.Block, lines []byte, row func(path int, inputs, metrics []float64) error) error {
	if r.Result == nil {
		r.Result = engine.NewResult(r.c, r.seed, r.Sampling)
	}
	if err := r.Result.Add(b); err != nil {
		return err
	}
	written := false
	if csv, ok := r.pw.(*results.PathsWriter); ok && lines != nil {
		if err := csv.Lines(lines); err != nil {
			return r.dir.Explain(err)
		}
		written = true
	}
	if written && row == nil && r.Sample.Len() >= r.Sample.Max {
		return nil // nothing else reads the rows
	}
	nIn := len(r.c.Inputs)
	rowLen := nIn + sim.NumMetrics
	for i := 0; i < b.N; i++ {
		v := b.Rows[i*rowLen : (i+1)*rowLen]
		if err := r.row(b.Index*engine.BlockSize+i, v[:nIn], v[nIn:], written, row); err != nil {
			return r.dir.Explain(err)
		}
	}
	return nil
}

// AddSketches adds the sketches of paths added with Add (those of a
// shard of the run, in any order).
func (r *Run) AddSketches(series, metrics *sketch.Set) error {
	if r.Result == nil {
		r.Result = engine.NewResult(r.c, r.seed, r.Sampling)
	}
	return r.Result.AddSketches(series, metrics)
}

// Resolved returns the resolved scenario text that a run of s with the
// given seed, number of paths and sampling design writes to
// scenario.resolved.toml: the seed, the paths run and the design, as
// given on the command line or in the file, so that running it again
// makes the same results. The design is written when it is not plain
// Monte Carlo or the scenario names one.
func Resolved(s *scenarios.Scenario, seed uint64, paths int, sampling design.Kind) ([]byte, error) {
	ran := *s
	ran.Seed, ran.Paths = seed, paths
	if sampling != design.MC || ran.Sampling != "" {
		ran.Sampling = sampling.String()
	}
	var resolved bytes.Buffer
	if err := ran.WriteResolved(&resolved); err != nil {
		return nil, fmt.Errorf("scenario %s: %w", s.Name, err)
	}
	return resolved.Bytes(), nil
}

// Finish writes the run's tables, charts and manifest, and moves the
// folder into place. command is how to make the run again; edit, when not
// nil, may add to the manifest before it is written.
//
// Once ctx is done (the run is interrupted), the charts and the briefing
// page are not drawn, or no longer: the tables are written and moved into
// place at once, and ChartsSkipped is set. When another run has put
// results where this run's were to go, this run's are kept beside them
// and Kept says where.
func (r *Run) Finish(ctx context.Context, command string, edit func(*results.Manifest)) (*engine.Result, error) {
	s, res, dir, o := r.c.Scenario, r.Result, r.dir, r.opt
	if res == nil {
		return nil, fmt.Errorf("scenario %s: no paths were simulated", s.Name)
	}
	if err := r.pw.Flush(); err != nil {
		return nil, dir.Explain(fmt.Errorf("writing %s: %w", r.pname, err))
	}
	if err := r.pbuf.Flush(); err != nil {
		return nil, dir.Explain(fmt.Errorf("writing %s: %w", r.pname, err))
	}
	if err := r.pf.Sync(); err != nil {
		return nil, dir.Explain(fmt.Errorf("writing %s: %w", r.pname, err))
	}
	if err := r.pf.Close(); err != nil {
		return nil, dir.Explain(fmt.Errorf("writing %s: %w", r.pname, err))
	}
	if err := dir.WriteFile("quantiles.csv", func(w io.Writer) error { return results.WriteQuantiles(w, res) }); err != nil {
		return nil, err
	}
	sum := results.Summarise(res)
	if err := dir.WriteFile("summary.csv", func(w io.Writer) error { return results.WriteSummaryCSV(w, sum) }); err != nil {
		return nil, err
	}
	if err := dir.WriteJSON("summary.json", sum); err != nil {
		return nil, err
	}
	if err := dir.WriteFile("summary.xlsx", func(w io.Writer) error { return results.WriteXLSX(w, results.RunSheets(res, sum)) }); err != nil {
		return nil, err
	}
	if err := dir.WriteFile("convergence.csv", func(w io.Writer) error { return results.WriteConvergence(w, res) }); err != nil {
		return nil, err
	}
	resolved, err := Resolved(s, r.seed, res.Paths, r.Sampling)
	if err != nil {
		return nil, err
	}
	if err := dir.WriteFile("scenario.resolved.toml", func(w io.Writer) error { _, err := w.Write(resolved); return err }); err != nil {
		return nil, err
	}
	// Observed series beside the scenario file travel with the results so
	// that charts can overlay them.
	if obs, ok := scenarios.Observed(s); ok {
		if err := dir.WriteFile("observed.csv", func(w io.Writer) error { _, err := w.Write(obs); return err }); err != nil {
			return nil, err
		}
	}
	man := results.Manifest{
		Scenario: s.Name, Description: s.Description, File: s.File, Seed: r.seed, Paths: res.Paths, PathsAsked: res.Asked,
		Partial: res.Partial, Workers: o.Workers, Version: o.Version, Commit: o.Commit,
		ScenarioHash: results.Hash(resolved), Started: r.started.UTC(), Finished: time.Now().UTC(),
		Command: command,
	}
	if r.Sampling != design.MC {
		man.Sampling = r.Sampling.String()
	}
	man.Extends, man.Changes = parentOf(s)
	if edit != nil {
		edit(&man)
	}
	if ctx == nil {
		ctx = context.Background()
	}
	if o.Charts && ctx.Err() == nil {
		if err := dir.MkdirAll("charts"); err != nil {
			return nil, err
		}
		opt := plots.Options{Manifest: &man, Sample: r.Sample}
		if o.Progress != nil {
			opt.Progress = o.Progress.Charts(s.Name)
		}
		err := plots.RenderWith(ctx, dir.Tmp, opt)
		if o.Progress != nil {
			o.Progress.Clear()
		}
		if err != nil {
			if ctx.Err() == nil {
				return nil, dir.Explain(fmt.Errorf("scenario %s: charts: %w", s.Name, err))
			}
			// Interrupted while drawing: what was drawn goes.
			for _, name := range []string{"charts", "briefing.pdf", "report.html"} {
				if err := os.RemoveAll(dir.Path(name)); err != nil {
					return nil, err
				}
			}
		}
	}
	r.ChartsSkipped = o.Charts && ctx.Err() != nil
	if err := dir.WriteJSON("manifest.json", man); err != nil {
		return nil, err
	}
	r.At, r.Kept, err = dir.Settle(func(w error) { r.logf("reesim: warning: %v\n", w) })
	if err != nil {
		return nil, err
	}
	r.done = true
	return res, nil
}

// Abort removes the temporary folder, unless Finish has moved it into
// place.
func (r *Run) Abort() {
	if r.done {
		return
	}
	r.done = true
	r.pf.Close()
	r.dir.Abort()
}
