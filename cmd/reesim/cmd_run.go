package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/reesim/reesim/engine"
	"github.com/reesim/reesim/plots"
	"github.com/reesim/reesim/results"
	"github.com/reesim/reesim/scenarios"
	"github.com/reesim/reesim/sim"
)

// runOptions are the flags of reesim run.
type runOptions struct {
	paths   int
	seed    uint64
	seedSet bool
	workers int
	out     string
	force   bool
	trace   int
	charts  bool
	stdout  io.Writer
	stderr  io.Writer
	tty     bool // stderr is a terminal: show progress
}

const runUsage = `usage: reesim run [flags] SCENARIO...

Runs each SCENARIO (a shipped scenario's name, a .toml file, or a folder of
them) over many sampled paths and writes its tables and charts to
OUT/<scenario>/. Flags may come before or after the scenarios.

Flags:
`

func newRunFlags(o *runOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.IntVar(&o.paths, "paths", 0, "number of paths (default: the scenario's paths, 10000)")
	fs.Func("seed", "random seed (default: the scenario's seed)", func(s string) error {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return fmt.Errorf("expected a whole number of 0 or more, got %q", s)
		}
		o.seed, o.seedSet = v, true
		return nil
	})
	fs.IntVar(&o.workers, "workers", runtime.NumCPU(), "parallel workers")
	fs.StringVar(&o.out, "out", "out", "output folder")
	fs.BoolVar(&o.force, "force", false, "replace existing results")
	fs.IntVar(&o.trace, "trace", -1, "re-run one path `N` and write its month-by-month state to OUT/<scenario>/trace-N.csv")
	fs.BoolVar(&o.charts, "charts", true, "draw charts and the briefing page")
	return fs
}

// parseInterspersed parses flags that may come before or after the
// positional arguments, which the standard flag package does not.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// errUsage marks an error in the command line.
type errUsage struct{ msg string }

func (e errUsage) Error() string { return e.msg }

// errInterrupted marks a run stopped by a signal.
var errInterrupted = errors.New("interrupted")

// cmdRun is reesim run.
func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o := runOptions{stdout: stdout, stderr: stderr}
	fs := newRunFlags(&o)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, runUsage); fs.PrintDefaults() }
	names, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return errUsage{err.Error()}
	}
	if len(names) == 0 {
		fs.Usage()
		return errUsage{"run needs at least one scenario"}
	}
	if o.paths < 0 || o.workers < 1 {
		return errUsage{"--paths must be at least 1 and --workers at least 1"}
	}
	if f, ok := stderr.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			o.tty = true
		}
	}
	args, err = expand(names)
	if err != nil {
		return err
	}
	// Load and check everything before simulating anything.
	var list []*scenarios.Scenario
	seen := map[string]string{}
	for _, a := range args {
		s, err := scenarios.Load(a)
		if err != nil {
			return err
		}
		if prev, ok := seen[s.Name]; ok {
			return errUsage{fmt.Sprintf("%s and %s are both named %q: their results would share a folder", prev, a, s.Name)}
		}
		seen[s.Name] = a
		list = append(list, s)
	}
	var rows []indexRow
	for _, s := range list {
		row, err := runOne(ctx, s, &o)
		if err != nil {
			return err
		}
		rows = append(rows, row)
		if ctx.Err() != nil {
			return errInterrupted
		}
	}
	if len(list) > 1 && o.trace < 0 {
		if err := writeIndex(o.out, rows); err != nil {
			return err
		}
		if o.charts {
			var dirs []string
			for _, r := range rows {
				dirs = append(dirs, filepath.Join(o.out, r.name))
			}
			if err := plots.RenderIndex(o.out, dirs); err != nil {
				return fmt.Errorf("batch charts: %w", err)
			}
		}
		fmt.Fprintf(stdout, "index of %d scenarios: %s\n", len(rows), filepath.Join(o.out, "index.csv"))
	}
	return nil
}

// expand turns folders into the .toml files in them, sorted.
func expand(names []string) ([]string, error) {
	var out []string
	for _, n := range names {
		st, err := os.Stat(n)
		if err != nil || !st.IsDir() {
			out = append(out, n)
			continue
		}
		files, err := filepath.Glob(filepath.Join(n, "*.toml"))
		if err != nil {
			return nil, err
		}
		if len(files) == 0 {
			return nil, errUsage{fmt.Sprintf("folder %s holds no .toml scenario files", n)}
		}
		sort.Strings(files)
		out = append(out, files...)
	}
	return out, nil
}

// indexRow is one scenario's line in index.csv.
type indexRow struct {
	name    string
	paths   int
	metrics [sim.NumMetrics]float64
}

func runOne(ctx context.Context, s *scenarios.Scenario, o *runOptions) (indexRow, error) {
	row := indexRow{name: s.Name}
	c, err := scenarios.Compile(s)
	if err != nil {
		return row, err
	}
	paths := o.paths
	if paths == 0 {
		paths = s.Paths
	}
	if paths <= 0 {
		paths = 10000
	}
	seed := s.Seed
	if o.seedSet {
		seed = o.seed
	}
	final := filepath.Join(o.out, s.Name)
	if o.trace >= 0 {
		return row, writeTrace(c, seed, o.trace, final, o)
	}
	sr, err := startScenarioRun(c, seed, final, o)
	if err != nil {
		return row, err
	}
	defer sr.abort()
	if err := sr.simulate(ctx, paths, nil); err != nil {
		return row, err
	}
	command := "reesim run --paths " + strconv.Itoa(paths) + " --seed " + strconv.FormatUint(seed, 10) + " " + s.Name
	res, err := sr.finish(command)
	if err != nil {
		return row, err
	}
	row.paths = res.Paths
	for k := range row.metrics {
		row.metrics[k] = res.Metric[k].Mean
	}
	headline(o.stdout, final, res)
	if res.Partial {
		return row, errInterrupted
	}
	return row, nil
}

// scenarioRun is one scenario's results folder being written: paths.csv
// streams while paths are simulated, and finish writes the other files and
// moves the folder into place. reesim run simulates all the paths at once;
// reesim study may add paths in several steps before finishing.
type scenarioRun struct {
	o        *runOptions
	c        *scenarios.Compiled
	seed     uint64
	final    string
	dir      *results.Dir
	pf       *os.File
	pbuf     *bufio.Writer
	pw       *results.PathsWriter
	resolved bytes.Buffer
	started  time.Time
	res      *engine.Result
	done     bool
}

// startScenarioRun creates the temporary results folder for c beside
// final (refused when final exists, unless o.force) and starts paths.csv.
func startScenarioRun(c *scenarios.Compiled, seed uint64, final string, o *runOptions) (*scenarioRun, error) {
	s := c.Scenario
	r := &scenarioRun{o: o, c: c, seed: seed, final: final}
	if err := s.WriteResolved(&r.resolved); err != nil {
		return nil, fmt.Errorf("scenario %s: %w", s.Name, err)
	}
	dir, err := results.Create(final, o.force)
	if err != nil {
		return nil, err
	}
	r.dir = dir
	r.started = time.Now()
	r.pf, err = os.Create(dir.Path("paths.csv"))
	if err != nil {
		dir.Abort()
		return nil, err
	}
	r.pbuf = newBuffered(r.pf)
	r.pw = results.NewPathsWriter(r.pbuf, c)
	return r, nil
}

// simulate runs n more paths, numbered on from those run before, writing
// their rows to paths.csv and passing them to row when it is not nil. An
// interrupted first call keeps the partial result; finish writes it.
func (r *scenarioRun) simulate(ctx context.Context, n int, row func(path int, inputs, metrics []float64) error) error {
	o := r.o
	opt := engine.Options{Paths: n, Seed: r.seed, Workers: o.workers, Row: r.pw.Row}
	if row != nil {
		opt.Row = func(i int, in, m []float64) error {
			if err := r.pw.Row(i, in, m); err != nil {
				return err
			}
			return row(i, in, m)
		}
	}
	if o.tty {
		opt.Progress = progress(o.stderr, r.c.Scenario.Name, n, time.Now())
	}
	var err error
	if r.res == nil {
		r.res, err = engine.Run(ctx, r.c, opt)
	} else {
		err = engine.Extend(ctx, r.res, opt)
	}
	if o.tty {
		fmt.Fprint(o.stderr, "\r\033[K")
	}
	if err != nil && (r.res == nil || ctx.Err() == nil) {
		if ctx.Err() != nil {
			return errInterrupted
		}
		return err
	}
	return nil
}

// finish writes the run's tables, charts and manifest, and moves the
// folder into place. command is how to make the run again.
func (r *scenarioRun) finish(command string) (*engine.Result, error) {
	s, res, dir, o := r.c.Scenario, r.res, r.dir, r.o
	if res == nil {
		return nil, fmt.Errorf("scenario %s: no paths were simulated", s.Name)
	}
	if err := r.pw.Flush(); err != nil {
		return nil, err
	}
	if err := r.pbuf.Flush(); err != nil {
		return nil, err
	}
	if err := r.pf.Sync(); err != nil {
		return nil, err
	}
	if err := r.pf.Close(); err != nil {
		return nil, err
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
	if err := dir.WriteFile("scenario.resolved.toml", func(w io.Writer) error { _, err := w.Write(r.resolved.Bytes()); return err }); err != nil {
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
		Partial: res.Partial, Workers: o.workers, Version: version, Commit: commit(),
		ScenarioHash: results.Hash(r.resolved.Bytes()), Started: r.started.UTC(), Finished: time.Now().UTC(),
		Command: command,
	}
	if o.charts {
		if err := plots.RenderManifest(dir.Tmp, man); err != nil {
			return nil, fmt.Errorf("scenario %s: charts: %w", s.Name, err)
		}
	}
	if err := dir.WriteJSON("manifest.json", man); err != nil {
		return nil, err
	}
	if err := dir.Commit(); err != nil {
		return nil, err
	}
	r.done = true
	return res, nil
}

// abort removes the temporary folder, unless finish has moved it into
// place.
func (r *scenarioRun) abort() {
	if r.done {
		return
	}
	r.done = true
	r.pf.Close()
	r.dir.Abort()
}

// headline prints where the results are and a few headline numbers.
func headline(w io.Writer, dir string, r *engine.Result) {
	M := &r.Metric
	note := ""
	if r.Partial {
		note = fmt.Sprintf(" (PARTIAL: %d of %d paths)", r.Paths, r.Asked)
	}
	fmt.Fprintf(w, "%s: %d paths, seed %d -> %s%s\n", r.Compiled.Scenario.Name, r.Paths, r.Seed, dir, note)
	fmt.Fprintf(w, "  peak ex-China NdPr price   %8.0f $/kg (mean over paths; ± %.1f)\n", M[sim.MPeakNdPrX].Mean, 1.96*M[sim.MPeakNdPrX].SE())
	fmt.Fprintf(w, "  peak ex-China Dy/Tb price  %8.0f $/kg (± %.1f)\n", M[sim.MPeakDyTbX].Mean, 1.96*M[sim.MPeakDyTbX].SE())
	fmt.Fprintf(w, "  peak ex-China magnet price %8.0f $/kg (± %.1f)\n", M[sim.MPeakMagX].Mean, 1.96*M[sim.MPeakMagX].SE())
	fmt.Fprintf(w, "  cumulative shortfall       %8.0f t (± %.0f); defence %.0f t\n", M[sim.MCumShort].Mean, 1.96*M[sim.MCumShort].SE(), M[sim.MCumShortDef].Mean)
	fmt.Fprintf(w, "    of which no price could buy %5.0f t (rationed at the price cap or by origin rules)\n", M[sim.MRationed].Mean)
	fmt.Fprintf(w, "  defence demand unmet on    %8.1f %% of paths\n", 100*M[sim.MDefUnmet].Mean)
}

// progress returns a progress callback that redraws one line on stderr.
func progress(w io.Writer, name string, total int, start time.Time) func(int) {
	last := time.Time{}
	return func(done int) {
		now := time.Now()
		if now.Sub(last) < 200*time.Millisecond && done < total {
			return
		}
		last = now
		el := now.Sub(start).Seconds()
		rate := float64(done) / el
		left := time.Duration(float64(total-done)/rate) * time.Second
		fmt.Fprintf(w, "\r\033[K%s: %d/%d paths, %.0f paths/s, %s left", name, done, total, rate, left.Round(time.Second))
	}
}

// writeIndex writes OUT/index.csv with each scenario's headline means.
func writeIndex(out string, rows []indexRow) error {
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	head := []string{"scenario", "paths"}
	for _, info := range sim.MetricInfo {
		head = append(head, info.Name)
	}
	cw.Write(head)
	for _, r := range rows {
		rec := []string{r.name, strconv.Itoa(r.paths)}
		for _, v := range r.metrics {
			rec = append(rec, results.F(v))
		}
		cw.Write(rec)
	}
	cw.Flush()
	return writeAtomic(filepath.Join(out, "index.csv"), b.Bytes())
}

// writeAtomic writes data to a temporary file and renames it into place.
func writeAtomic(name string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp-")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), name)
}

// writeTrace re-runs one path and writes its month-by-month state.
func writeTrace(c *scenarios.Compiled, seed uint64, path int, final string, o *runOptions) error {
	smp, err := engine.NewSampler(c, seed)
	if err != nil {
		return err
	}
	in := make([]float64, len(c.Inputs))
	smp.Sample(in, path)
	p := c.Model.NewPath()
	p.Run(in)
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	head := []string{"month"}
	for _, info := range sim.SeriesInfo {
		head = append(head, info.Name)
	}
	head = append(head, "mass_balance_residual_t")
	cw.Write(head)
	for t := 0; t < c.Model.Months; t++ {
		rec := []string{scenarios.MonthString(c.Model.StartAbs + t)}
		for s := range p.Series {
			rec = append(rec, results.F(p.Series[s][t]))
		}
		rec = append(rec, results.F(p.Residual[t]))
		cw.Write(rec)
	}
	cw.Flush()
	if err := os.MkdirAll(final, 0o755); err != nil {
		return err
	}
	name := filepath.Join(final, fmt.Sprintf("trace-%d.csv", path))
	if err := writeAtomic(name, b.Bytes()); err != nil {
		return err
	}
	fmt.Fprintf(o.stdout, "%s: path %d, seed %d traced -> %s\n", c.Scenario.Name, path, seed, name)
	if what := engine.Check(p); what != "" {
		fmt.Fprintf(o.stdout, "  this path fails its check: %s\n", what)
	}
	var parts []string
	for i, in2 := range c.Inputs {
		if in2.Sampled() {
			parts = append(parts, fmt.Sprintf("%s=%s", in2.Name, results.F(in[i])))
		}
	}
	if len(parts) > 0 {
		fmt.Fprintf(o.stdout, "  inputs: %s\n", strings.Join(parts, ", "))
	}
	return nil
}
