package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/reesim/reesim/design"
	"github.com/reesim/reesim/engine"
	"github.com/reesim/reesim/internal/safetext"
	"github.com/reesim/reesim/lifecycle"
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
	// parquet writes paths.parquet instead of paths.csv.
	parquet bool
	// sampling is the --sampling flag ("" when not given: the
	// scenario's sampling key).
	sampling string
	// precision, when above 0, adds paths in doubling stages until the
	// 95 % confidence half-width of the mean of precisionMetric is below
	// it (relative to the mean when precisionRel).
	precision       float64
	precisionRel    bool
	precisionMetric string
	stdout          io.Writer
	stderr          io.Writer
	tty             bool // stderr is a terminal: show progress
	// shard asks for one shard of the work (--shard, --shards).
	shard shardFlags
}

const runUsage = `usage: reesim run [flags] SCENARIO...

Runs each SCENARIO (a shipped scenario's name, a .toml file, or a folder of
them) over many sampled paths and writes its tables and charts to
OUT/<scenario>/. Flags may come before or after the scenarios.

Flags:
`

// maxPaths is the most paths a run may ask for, as in a scenario file.
const maxPaths = 100_000_000

// maxWorkers is the most parallel workers: each holds quantile sketches of
// every series in every month, some MB for a long horizon.
func maxWorkers() int { return max(256, 4*runtime.NumCPU()) }

// checkCounts checks the --paths, --workers and --trace flags of fs, as
// far as they are defined and given.
func checkCounts(fs *flag.FlagSet, paths, workers, trace int) error {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	switch {
	case set["paths"] && (paths < 1 || paths > maxPaths):
		return errUsage{fmt.Sprintf("--paths must be a whole number from 1 to %d, got %d", maxPaths, paths)}
	case workers < 1 || workers > maxWorkers():
		return errUsage{fmt.Sprintf("--workers must be a whole number from 1 to %d, got %d", maxWorkers(), workers)}
	case set["trace"] && trace < 0:
		return errUsage{fmt.Sprintf("--trace must be a path number, 0 or more, got %d", trace)}
	}
	return nil
}

func newRunFlags(o *runOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.IntVar(&o.paths, "paths", 0, "simulate `N` paths (futures), 1 to 100,000,000 (default: the scenario's paths key, else 10,000)")
	fs.Func("seed", "random `SEED`, a whole number; the same seed gives the same results (default: the scenario's seed key)", func(s string) error {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return fmt.Errorf("expected a whole number of 0 or more, got %q", s)
		}
		o.seed, o.seedSet = v, true
		return nil
	})
	fs.IntVar(&o.workers, "workers", runtime.NumCPU(), "`N` paths simulated at once; results do not depend on it (default: one per CPU)")
	fs.StringVar(&o.out, "out", "out", "write results into `DIR`/<scenario>/ (default: out)")
	fs.BoolVar(&o.force, "force", false, "replace existing results (default: refuse, and run nothing)")
	fs.IntVar(&o.trace, "trace", -1, "re-run path `N` alone and write its month-by-month state to OUT/<scenario>/trace-N.csv (default: off)")
	fs.BoolVar(&o.charts, "charts", true, "draw charts, briefing.pdf and report.html (default: true)")
	noCharts(fs, &o.charts, "write tables only: no charts, briefing.pdf or report.html (default: they are drawn)")
	fs.Func("sampling", "sampling `DESIGN`: mc (plain Monte Carlo), lhs (Latin hypercube) or qmc (randomised quasi-Monte Carlo, best with a power of two of paths); see docs/EXPLORE.md (default: the scenario's sampling key, else mc)", func(s string) error {
		if _, err := design.Parse(s); err != nil {
			return err
		}
		o.sampling = s
		return nil
	})
	precisionFlags(fs, o)
	fs.Func("paths-format", "`FORMAT` of the per-path table: csv (paths.csv) or parquet (paths.parquet, for pandas, R arrow or DuckDB) (default: csv)", func(s string) error {
		switch s {
		case "csv":
			o.parquet = false
		case "parquet":
			o.parquet = true
		default:
			return fmt.Errorf("expected csv or parquet, got %q", s)
		}
		return nil
	})
	o.shard.define(fs, "paths")
	return fs
}

// errUsage marks an error in the command line.
type errUsage struct{ msg string }

func (e errUsage) Error() string { return e.msg }

// errInterrupted marks a run stopped by a signal.
var errInterrupted = lifecycle.ErrInterrupted

// cmdRun is reesim run.
func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o := runOptions{stdout: stdout, stderr: stderr}
	fs := newRunFlags(&o)
	names, helped, err := parseFlags(fs, args, runUsage, stdout)
	if err != nil || helped {
		return err
	}
	if len(names) == 0 {
		return errUsage{"run needs at least one scenario: a shipped scenario's name (see reesim list), a .toml file or a folder of them"}
	}
	if err := checkCounts(fs, o.paths, o.workers, o.trace); err != nil {
		return err
	}
	if strings.TrimSpace(o.out) == "" {
		return errUsage{"--out must name a folder, got an empty name"}
	}
	if f, ok := stderr.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			o.tty = true
		}
	}
	spec, sharded, err := o.shard.resolve(fs)
	if err != nil {
		return err
	}
	args, err = expand(names)
	if err != nil {
		return err
	}
	if sharded {
		switch {
		case len(args) != 1:
			return errUsage{fmt.Sprintf("--shard runs one scenario, got %d: run each in its own job, or make them the variants of a study", len(args))}
		case o.trace >= 0:
			return errUsage{"--trace re-runs one path: it takes no --shard"}
		}
		s, err := scenarios.Load(args[0])
		if err != nil {
			return err
		}
		return runShard(ctx, s, args[0], spec, &o)
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
	if err := checkOutput(list, args, &o); err != nil {
		return err
	}
	var rows []indexRow
	for i, s := range list {
		row, err := runOne(ctx, s, args[i], &o)
		if err == nil && ctx.Err() != nil {
			err = errInterrupted
		}
		if err != nil {
			if len(list) > 1 && o.trace < 0 {
				if ierr := refreshIndex(list, &o); ierr != nil {
					fmt.Fprintf(stderr, "reesim run: the batch index in %s could not be brought up to date: %v\n", o.out, ierr)
				}
			}
			return err
		}
		rows = append(rows, row)
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
	if o.trace < 0 {
		pagesToOpen(stdout, &o, rows)
	}
	return nil
}

// pagesToOpen ends a run by naming the pages to open: the batch's index
// and comparison, then each scenario's briefing, or its tables when no
// charts were drawn.
func pagesToOpen(w io.Writer, o *runOptions, rows []indexRow) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "\nOpen:")
	if len(rows) > 1 && o.charts {
		fmt.Fprintf(tw, "  %s\tthe batch: every scenario's headline numbers, linked to its briefing\n", filepath.Join(o.out, "index.html"))
		fmt.Fprintf(tw, "  %s\tthe comparison charts, one a page\n", filepath.Join(o.out, "comparison.pdf"))
	}
	if len(rows) > 1 {
		fmt.Fprintf(tw, "  %s\tthe comparison for spreadsheets (each scenario's tables: <scenario>/summary.xlsx)\n", filepath.Join(o.out, "summary.xlsx"))
	}
	for _, r := range rows {
		dir := filepath.Join(o.out, r.name)
		if o.charts {
			fmt.Fprintf(tw, "  %s\tbriefing on %s: the message, key charts, tables (briefing.pdf beside it)\n", filepath.Join(dir, "report.html"), r.name)
		} else {
			fmt.Fprintf(tw, "  %s\ttables of %s (no charts: --no-charts)\n", filepath.Join(dir, "summary.csv"), r.name)
		}
	}
	tw.Flush()
}

// refreshIndex rewrites the index of a batch that stopped part way (it
// was interrupted, or a scenario failed) when an index of an earlier batch
// is in OUT: some of the scenarios' folders may now hold this batch's
// results, which the earlier index does not describe. The new index
// describes the folders of this batch's scenarios as they are, partial
// runs marked so in the charts' index.
func refreshIndex(list []*scenarios.Scenario, o *runOptions) error {
	_, csvErr := os.Stat(filepath.Join(o.out, "index.csv"))
	_, htmlErr := os.Stat(filepath.Join(o.out, "index.html"))
	if csvErr != nil && htmlErr != nil {
		return nil
	}
	var rows []indexRow
	var dirs []string
	for _, s := range list {
		dir := filepath.Join(o.out, s.Name)
		b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
		if err != nil {
			continue
		}
		var sum results.Summary
		if err := json.Unmarshal(b, &sum); err != nil {
			continue
		}
		row := indexRow{name: s.Name, paths: sum.Paths}
		for k, info := range sim.MetricInfo {
			row.metrics[k] = math.NaN()
			for _, m := range sum.Metrics {
				if m.Name == info.Name {
					row.metrics[k] = m.Mean
				}
			}
		}
		rows = append(rows, row)
		dirs = append(dirs, dir)
	}
	if err := writeIndex(o.out, rows); err != nil {
		return err
	}
	if o.charts && len(dirs) > 0 {
		return plots.RenderIndex(o.out, dirs)
	}
	return nil
}

// batchNames are the files and folders a batch of several scenarios
// writes into OUT besides the scenarios' folders.
var batchNames = []string{"index.csv", "index.html", "comparison.pdf", "summary.xlsx", "charts"}

// checkOutput checks, before anything is simulated, that the results of
// the scenarios in list (loaded from args) can be written: that no folder
// would be replaced without --force, that results --force is to replace
// can be deleted, that no other run is writing them now, that a batch's
// own files would not land on an earlier run's results, and that OUT is a
// folder reesim can write in. A full disk can only be found out while
// writing. It removes what runs that were killed left behind, and says so.
func checkOutput(list []*scenarios.Scenario, args []string, o *runOptions) error {
	if o.trace >= 0 {
		return nil // a trace writes one file, beside any results
	}
	var problems []string
	tidy := func(final string) bool {
		notes, err := results.Tidy(final)
		for _, n := range notes {
			fmt.Fprintf(o.stderr, "reesim run: %s\n", n)
		}
		if err != nil {
			problems = append(problems, err.Error())
			return false
		}
		return true
	}
	for i, s := range list {
		final := filepath.Join(o.out, s.Name)
		if len(list) > 1 && slices.Contains(batchNames, s.Name) {
			kind := "file"
			if filepath.Ext(s.Name) == "" {
				kind = "folder"
			}
			problems = append(problems, fmt.Sprintf("%s: a scenario named %q cannot run in a batch: its folder %s would take the place of the batch's own %s %s; rename the scenario", args[i], s.Name, final, s.Name, kind))
			continue
		}
		if !tidy(final) {
			continue
		}
		if _, err := os.Lstat(final); err == nil {
			if !o.force {
				problems = append(problems, fmt.Sprintf("%s already exists: use --force to replace it, or --out to write elsewhere", final))
			} else if err := results.CheckReplaceable(final); err != nil {
				problems = append(problems, err.Error())
			}
		}
	}
	if len(list) > 1 {
		for _, name := range batchNames {
			p := filepath.Join(o.out, name)
			if !tidy(p) {
				continue
			}
			if msg := batchClash(p, name, o.charts); msg != "" {
				problems = append(problems, msg)
			}
		}
	}
	if len(problems) > 0 {
		if len(problems) > 1 || len(list) > 1 {
			problems = append(problems, "nothing was run")
		}
		return errors.New(strings.Join(problems, "\n"))
	}
	return results.CheckWritable(o.out)
}

// batchClash says why the batch file or folder p (OUT/name) cannot be
// written, or returns "": an earlier single run of a scenario called name
// may have put its results there. Without charts, a batch writes only
// index.csv and summary.xlsx.
func batchClash(p, name string, charts bool) string {
	fi, err := os.Lstat(p)
	if err != nil || !charts && name != "index.csv" && name != "summary.xlsx" {
		return ""
	}
	isRun := false
	if fi.IsDir() {
		_, err := os.Lstat(filepath.Join(p, "summary.json"))
		isRun = err == nil
	}
	switch {
	case name == "charts" && fi.IsDir() && !isRun:
		return "" // the charts of an earlier batch, redrawn
	case name == "charts" && isRun:
		return fmt.Sprintf("%s holds the results of an earlier run of a scenario named %q, and a batch writes its comparison charts there: write the batch elsewhere with --out, or move those results", p, name)
	case name == "charts":
		return fmt.Sprintf("%s is a file, and a batch writes its comparison charts into a folder of that name: write the batch elsewhere with --out, or move the file", p)
	case fi.Mode().IsRegular():
		return "" // the batch's own file, from an earlier batch
	case isRun:
		return fmt.Sprintf("%s holds the results of an earlier run of a scenario named %q, and a batch writes its %s there: write the batch elsewhere with --out, or move those results", p, name, name)
	}
	return fmt.Sprintf("%s is not a file, and a batch writes its %s there: write the batch elsewhere with --out, or move it", p, name)
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

// runOne runs the scenario s, loaded from arg, and writes its results.
func runOne(ctx context.Context, s *scenarios.Scenario, arg string, o *runOptions) (indexRow, error) {
	row := indexRow{name: s.Name}
	c, err := scenarios.Compile(s)
	if err != nil {
		return row, err
	}
	paths, seed := runPaths(s, o)
	kind, err := samplingOf(s, o)
	if err != nil {
		return row, err
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
	sr.lr.Sampling = kind
	if err := sr.simulateAll(ctx, paths); err != nil {
		var pe *engine.PathError
		if errors.As(err, &pe) {
			return row, pathFailure{pe, traceCommand(pe, arg, o)}
		}
		return row, err
	}
	if sr.res.Partial {
		if _, err := os.Lstat(final); err == nil {
			// --force asked to replace the old results with new ones,
			// not with a part of them: the old ones stay.
			fmt.Fprintf(o.stderr, "reesim run: %s: interrupted after %d of %d paths; %s was left as it was and the paths done were not kept\n",
				s.Name, sr.res.Paths, sr.res.Asked, final)
			return row, errInterrupted
		}
	}
	res, err := sr.finish(runCommand(sr.res.Asked, seed, kind, arg))
	if err != nil {
		return row, err
	}
	return row, reportRun(s.Name, sr, res, &row, o)
}

// runCommand is how to make a run again, for its manifest.
func runCommand(paths int, seed uint64, kind design.Kind, arg string) string {
	return "reesim run --paths " + strconv.Itoa(paths) + " --seed " + strconv.FormatUint(seed, 10) + samplingArg(kind) + " " + shellQuote(arg)
}

// reportRun prints what the finished run sr found and where, fills the
// batch index's row, and returns the error the run ends with: results
// kept beside those that appeared in their place, or an interrupt.
func reportRun(name string, sr *scenarioRun, res *engine.Result, row *indexRow, o *runOptions) error {
	row.paths = res.Paths
	for k := range row.metrics {
		row.metrics[k] = res.Metric[k].Mean
	}
	headline(o.stdout, sr.at, res, sr.sample)
	if sr.chartsSkipped {
		what := "the tables of the " + strconv.Itoa(res.Paths) + " paths done, marked partial,"
		if !res.Partial {
			what = "its complete tables"
		}
		fmt.Fprintf(o.stderr, "reesim run: %s: interrupted: %s are in %s; its charts and report.html were not drawn (to draw them: reesim plot %s)\n",
			name, what, sr.at, shellQuote(sr.at))
	}
	if sr.kept != nil {
		return sr.kept
	}
	if res.Partial || sr.chartsSkipped {
		return errInterrupted
	}
	return nil
}

// scenarioRun is one scenario's results folder being written, through
// the lifecycle package: reesim run simulates all the paths at once;
// reesim study may add paths in several steps before finishing.
type scenarioRun struct {
	lr     *lifecycle.Run
	o      *runOptions
	res    *engine.Result
	sample *plots.PathSample
	ctx    context.Context // of the last simulate: finish draws no charts once it is done

	// After finish: where the results are (final, unless another run
	// put results there first: then kept says where they went), and
	// whether the charts were left out because of an interrupt.
	at            string
	kept          *results.ClashError
	chartsSkipped bool
}

// lifecycleOptions are the lifecycle's options for o.
func lifecycleOptions(o *runOptions) lifecycle.Options {
	return lifecycle.Options{Workers: o.workers, Force: o.force, Charts: o.charts, Parquet: o.parquet,
		Version: version, Commit: commit(), Log: o.stderr, Progress: termProgress{o.stderr, o.tty}}
}

// startScenarioRun creates the temporary results folder for c beside
// final (refused when final exists, unless o.force) and starts paths.csv.
func startScenarioRun(c *scenarios.Compiled, seed uint64, final string, o *runOptions) (*scenarioRun, error) {
	lr, err := lifecycle.Start(c, seed, final, lifecycleOptions(o))
	if err != nil {
		return nil, err
	}
	return &scenarioRun{lr: lr, o: o, sample: lr.Sample, at: final}, nil
}

// simulate runs n more paths, numbered on from those run before, writing
// their rows to paths.csv and passing them to row when it is not nil. An
// interrupted first call keeps the partial result; finish writes it.
func (r *scenarioRun) simulate(ctx context.Context, n int, row func(path int, inputs, metrics []float64) error) error {
	r.ctx = ctx
	err := r.lr.Simulate(ctx, n, row)
	r.res = r.lr.Result
	return err
}

// finish writes the run's tables, charts and manifest, and moves the
// folder into place (lifecycle.Run.Finish). command is how to make the
// run again.
func (r *scenarioRun) finish(command string) (*engine.Result, error) {
	return r.finishWith(command, nil)
}

// finishWith is finish, with edit adding to the manifest.
func (r *scenarioRun) finishWith(command string, edit func(*results.Manifest)) (*engine.Result, error) {
	res, err := r.lr.Finish(r.ctx, command, edit)
	r.at, r.kept, r.chartsSkipped = r.lr.At, r.lr.Kept, r.lr.ChartsSkipped
	return res, err
}

// abort removes the temporary folder, unless finish has moved it into
// place.
func (r *scenarioRun) abort() { r.lr.Abort() }

// termProgress shows a run's progress on stderr (see progress).
type termProgress struct {
	w   io.Writer
	tty bool
}

func (p termProgress) Paths(name string, total int) func(int) {
	return progress(p.w, name, total, time.Now(), p.tty)
}

func (p termProgress) Charts(name string) func(done, total int) {
	return chartProgress(p.w, name, p.tty)
}

func (p termProgress) Clear() {
	if p.tty {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

// headline prints where the results are and what they say: the
// sentences that open the briefing, from the results' files (so that they
// follow the metrics the model reports, whatever they are).
func headline(w io.Writer, dir string, r *engine.Result, sample *plots.PathSample) {
	note := ""
	if r.Partial {
		note = fmt.Sprintf(" (PARTIAL: %d of %d paths)", r.Paths, r.Asked)
	}
	fmt.Fprintf(w, "%s: %s paths, seed %d -> %s%s\n", r.Compiled.Scenario.Name, groupInt(r.Paths), r.Seed, dir, note)
	// The run is finished, interrupted or not: the message is read whole
	// (with the sample at hand, paths.csv is not read).
	msg, err := plots.Message(context.Background(), dir, plots.Options{Sample: sample})
	if err != nil {
		fmt.Fprintf(w, "  (the headline numbers could not be read back: %s)\n", safetext.Escape(err.Error()))
		return
	}
	for _, s := range msg {
		for i, line := range wrapText(s, 76) {
			lead := "  - "
			if i > 0 {
				lead = "    "
			}
			fmt.Fprintln(w, lead+safetext.Escape(line))
		}
	}
}

// wrapText breaks s into lines of at most width characters.
func wrapText(s string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		if line != "" && len([]rune(line))+1+len([]rune(word)) > width {
			lines = append(lines, line)
			line = word
			continue
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	return append(lines, line)
}

// progressEvery is how often progress is reported when stderr is not a
// terminal, one line each time.
const progressEvery = 5 * time.Second

// progress returns a progress callback for a run of total paths. On a
// terminal it redraws one line on stderr; elsewhere (a log file, CI, make
// piped to tee) it prints a line every progressEvery.
func progress(w io.Writer, name string, total int, start time.Time, tty bool) func(int) {
	last := start
	every := progressEvery
	if tty {
		every = 200 * time.Millisecond
		last = time.Time{}
	}
	return func(done int) {
		now := time.Now()
		if now.Sub(last) < every && (done < total || !tty) {
			return
		}
		last = now
		el := now.Sub(start).Seconds()
		rate := float64(done) / el
		left := time.Duration(float64(total-done)/rate) * time.Second
		line := fmt.Sprintf("%s: %s/%s paths (%.0f%%), %s paths/s, %s left", name, groupInt(done), groupInt(total), 100*float64(done)/float64(total), groupInt(int(rate)), left.Round(time.Second))
		if tty {
			fmt.Fprintf(w, "\r\033[K%s", line)
		} else {
			fmt.Fprintln(w, line)
		}
	}
}

// chartProgress returns a callback that reports charts drawn: on a
// terminal as one line redrawn, elsewhere as a line at the first chart,
// every progressEvery and at the last.
func chartProgress(w io.Writer, name string, tty bool) func(done, total int) {
	start := time.Now()
	last := time.Time{}
	return func(done, total int) {
		now := time.Now()
		if !tty && done > 1 && done < total && now.Sub(last) < progressEvery {
			return
		}
		last = now
		line := fmt.Sprintf("%s: drawing charts, %d of %d done (%s)", name, done, total, now.Sub(start).Round(100*time.Millisecond))
		if tty {
			fmt.Fprintf(w, "\r\033[K%s", line)
		} else {
			fmt.Fprintln(w, line)
		}
	}
}

// groupInt writes n with its thousands separated by commas.
func groupInt(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
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
			if math.IsNaN(v) {
				rec = append(rec, "") // a metric an earlier version did not report
				continue
			}
			rec = append(rec, results.FormatNumber(v))
		}
		cw.Write(rec)
	}
	cw.Flush()
	if err := writeAtomic(filepath.Join(out, "index.csv"), b.Bytes()); err != nil {
		return err
	}
	// The same comparison for spreadsheets, units in the header.
	sh := results.Sheet{Name: "Comparison", Header: []string{"scenario", "paths"}, Widths: []float64{20, 10}}
	for _, info := range sim.MetricInfo {
		sh.Header = append(sh.Header, "mean "+info.Name+" ("+info.Unit+")")
	}
	for _, r := range rows {
		row := []any{r.name, r.paths}
		for _, v := range r.metrics {
			if math.IsNaN(v) {
				row = append(row, nil)
				continue
			}
			row = append(row, v)
		}
		sh.Rows = append(sh.Rows, row)
	}
	return results.WriteFileAtomic(filepath.Join(out, "summary.xlsx"), func(w io.Writer) error { return results.WriteXLSX(w, []results.Sheet{sh}) })
}

// pathFailure is a path whose numbers went wrong, with the command that
// traces it.
type pathFailure struct {
	err   *engine.PathError
	trace string
}

func (e pathFailure) Error() string {
	return fmt.Sprintf("scenario %s, seed %d, path %d: %s; no results were written. To see that path month by month, run: %s",
		e.err.Scenario, e.err.Seed, e.err.Path, e.err.What, e.trace)
}

func (e pathFailure) Unwrap() error { return e.err }

// traceCommand is the command that traces the failed path pe of the
// scenario loaded from arg.
func traceCommand(pe *engine.PathError, arg string, o *runOptions) string {
	return fmt.Sprintf("reesim run --trace %d --seed %d --out %s %s", pe.Path, pe.Seed, shellQuote(o.out), shellQuote(arg))
}

// shellQuote quotes s for a POSIX shell when it needs quoting.
func shellQuote(s string) string {
	if s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-+,:=@%", r))
	}) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// writeAtomic writes data to name atomically (results.WriteFileAtomic).
func writeAtomic(name string, data []byte) error {
	return results.WriteFileAtomic(name, func(w io.Writer) error { _, err := w.Write(data); return err })
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
			rec = append(rec, results.FormatNumber(p.Series[s][t]))
		}
		rec = append(rec, results.FormatNumber(p.Residual[t]))
		cw.Write(rec)
	}
	cw.Flush()
	if err := os.MkdirAll(final, 0o755); err != nil {
		return fmt.Errorf("cannot create the folder for the trace: %w", err)
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
			parts = append(parts, fmt.Sprintf("%s=%s", in2.Name, results.FormatNumber(in[i])))
		}
	}
	if len(parts) > 0 {
		fmt.Fprintf(o.stdout, "  inputs: %s\n", strings.Join(parts, ", "))
	}
	return nil
}
