package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/reesim/reesim/design"
	"github.com/reesim/reesim/engine"
	"github.com/reesim/reesim/plots"
	"github.com/reesim/reesim/results"
	"github.com/reesim/reesim/shard"
	"github.com/reesim/reesim/study"
)

const studyUsage = `usage: reesim study [flags] STUDY
       reesim study --list

Runs a policy study: every variant of STUDY (a shipped study's name or a
study .toml file) on every base scenario it names, with the same seed, so
that path i of every variant sees the same shocks, and compares each
variant with the reference path by path. Writes OUT/<study>/:
comparison.csv, cost_benefit.csv (when the study values avoided shortfall),
summary.json, summary.xlsx, report.html, the study's charts in charts/ (PNG, SVG and
PDF, also drawn into report.html), and each variant's full results in
<variant>/ (<base>/<variant>/ when the study has several bases).

With --precision X, paths are added in doubling stages (1,024, 2,048, ...)
until the 95 % confidence interval of every variant's paired difference in
the study's key metric is narrower than ± X (in the metric's unit), or the
path limit --paths (default 100,000) is reached. docs/STUDIES.md describes
study files and every output column.

Flags:
`

// studyOptions are the flags of reesim study.
type studyOptions struct {
	run       runOptions
	precision float64
	list      bool
	// merge, when not nil, holds the shards whose paths a merge reads
	// instead of simulating; order numbers the cases as the shards do.
	merge     *shard.Source
	mergeHead *shard.Header
	order     map[*study.Case]int
}

// newStudyFlags returns the flags of reesim study, which set o.
func newStudyFlags(o *studyOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("study", flag.ContinueOnError)
	fs.IntVar(&o.run.paths, "paths", 0, "`N` paths per variant; with --precision, the most paths (default: the study's paths key, else 10,000; with --precision 100,000)")
	fs.Func("seed", "random `SEED` of every variant, a whole number (default: the study's seed key)", func(s string) error {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return fmt.Errorf("expected a whole number of 0 or more, got %q", s)
		}
		o.run.seed, o.run.seedSet = v, true
		return nil
	})
	fs.IntVar(&o.run.workers, "workers", runtime.NumCPU(), "`N` paths simulated at once; results do not depend on it (default: one per CPU)")
	fs.StringVar(&o.run.out, "out", "out", "write the study into `DIR`/<study>/ (default: out)")
	fs.BoolVar(&o.run.force, "force", false, "replace an existing study folder (default: refuse, and run nothing)")
	fs.Func("precision", "stop when every paired difference in the key metric is known to ± `X` (95 % CI half-width, in the metric's unit) (default: off: run --paths paths)", func(s string) error {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || !(v > 0) || math.IsInf(v, 0) {
			return fmt.Errorf("expected a number above 0, got %q", s)
		}
		o.precision = v
		return nil
	})
	fs.Func("sampling", "sampling `DESIGN` of every variant: mc, lhs or qmc, on the same points for every variant (common random numbers hold); see docs/EXPLORE.md (default: the first base scenario's sampling key, else mc)", func(s string) error {
		if _, err := design.Parse(s); err != nil {
			return err
		}
		o.run.sampling = s
		return nil
	})
	fs.BoolVar(&o.run.charts, "charts", true, "draw the study's charts and each variant's charts and briefing (default: true)")
	noCharts(fs, &o.run.charts, "write tables only, no charts (default: charts are drawn)")
	fs.BoolVar(&o.list, "list", false, "list the shipped studies and do nothing else (default: off)")
	o.run.shard.define(fs, "variant-by-path work")
	return fs
}

// cmdStudy is reesim study.
func cmdStudy(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o := studyOptions{run: runOptions{stdout: stdout, stderr: stderr}}
	fs := newStudyFlags(&o)
	pos, helped, err := parseFlags(fs, args, studyUsage, stdout)
	if err != nil || helped {
		return err
	}
	if o.list {
		if len(pos) > 0 {
			return errUsage{"--list takes no study"}
		}
		return listStudies(stdout)
	}
	switch {
	case len(pos) == 0:
		return errUsage{"study needs a study: a shipped study's name (see reesim study --list) or a .toml file"}
	case len(pos) > 1:
		return errUsage{fmt.Sprintf("study takes one study, got %d: %s", len(pos), strings.Join(pos, " "))}
	}
	if err := checkCounts(fs, o.run.paths, o.run.workers, -1); err != nil {
		return err
	}
	if strings.TrimSpace(o.run.out) == "" {
		return errUsage{"--out must name a folder, got an empty name"}
	}
	if f, ok := stderr.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			o.run.tty = true
		}
	}
	spec, sharded, err := o.run.shard.resolve(fs)
	if err != nil {
		return err
	}
	st, err := study.Load(pos[0])
	if err != nil {
		return err
	}
	if sharded {
		return studyShard(ctx, st, pos[0], spec, &o)
	}
	return runStudy(ctx, st, pos[0], &o)
}

// listStudies prints the shipped studies.
func listStudies(w io.Writer) error {
	infos, err := study.Shipped()
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, info := range infos {
		fmt.Fprintf(tw, "%s\t%s\n", info.Name, info.Description)
	}
	return tw.Flush()
}

// runStudy runs a loaded study and writes its folder.
func runStudy(ctx context.Context, st *study.Study, arg string, o *studyOptions) error {
	seed := st.Seed
	if o.run.seedSet {
		seed = o.run.seed
	}
	paths := o.run.paths
	if paths == 0 {
		paths = st.Paths
		if o.precision > 0 {
			paths = study.DefaultPathLimit
		}
	}
	final := filepath.Join(o.run.out, st.Name)
	if o.run.force {
		if err := results.CheckReplaceable(final); err != nil {
			return err
		}
	}
	dir, err := results.Create(final, o.run.force)
	if err != nil {
		return err
	}
	for _, n := range dir.Notes {
		fmt.Fprintf(o.run.stderr, "reesim study: %s\n", n)
	}
	committed := false
	defer func() {
		if !committed {
			dir.Abort()
		}
	}()

	kind, err := samplingOf(st.Bases[0].Scenario, &o.run)
	if err != nil {
		return err
	}
	dims := studyDims(st, kind)
	if kind == design.QMC && o.precision <= 0 {
		if w := qmcWarning(st.Name, paths); w != "" {
			fmt.Fprintln(o.run.stderr, strings.Replace(w, "reesim run:", "reesim study:", 1))
		}
	}
	command := fmt.Sprintf("reesim study --paths %d --seed %d%s", paths, seed, samplingArg(kind))
	if o.precision > 0 {
		command += " --precision " + strconv.FormatFloat(o.precision, 'g', -1, 64)
	}
	command += " " + arg
	// Each variant's folder is written inside the study's temporary
	// folder, which moves into place only when the whole study is done.
	inner := o.run
	inner.force = false
	opt := study.Options{
		Paths: paths, Seed: seed, Workers: o.run.workers, Precision: o.precision, Log: o.run.stdout,
		Sampling: kind, Dims: dims,
		NewRunner: func(c *study.Case) (study.Runner, error) {
			folder := dir.Path(c.Variant.Name)
			if len(st.Bases) > 1 {
				folder = dir.Path(filepath.Join(c.Base.Name, c.Variant.Name))
			}
			sr, err := startScenarioRun(c.Compiled, seed, folder, &inner)
			if err != nil {
				return nil, err
			}
			sr.lr.Sampling, sr.lr.Dims = kind, dims
			if o.merge != nil {
				return &mergeRunner{sr: sr, command: command, src: o.merge, h: o.mergeHead, index: o.order[c]}, nil
			}
			return &studyRunner{sr: sr, command: command}, nil
		},
	}
	out, err := study.Run(ctx, st, opt)
	if err == nil && o.merge != nil {
		err = o.merge.Done(ctx)
	}
	if err != nil {
		if ctx.Err() != nil {
			return errInterrupted
		}
		return err
	}
	if err := dir.WriteFile("comparison.csv", func(w io.Writer) error { return study.WriteComparisonCSV(w, out) }); err != nil {
		return err
	}
	if st.HasCostBenefit() {
		if err := dir.WriteFile("cost_benefit.csv", func(w io.Writer) error { return study.WriteCostBenefitCSV(w, out) }); err != nil {
			return err
		}
	}
	if err := dir.WriteFile("robustness.csv", func(w io.Writer) error { return study.WriteRobustnessCSV(w, out) }); err != nil {
		return err
	}
	if err := dir.WriteJSON("summary.json", out); err != nil {
		return err
	}
	if err := dir.WriteFile("summary.xlsx", func(w io.Writer) error { return results.WriteXLSX(w, study.Sheets(out)) }); err != nil {
		return err
	}
	info := study.ReportInfo{
		Source:  fmt.Sprintf("reesim %s (%s), study %s, %s paths per variant, seed %d.", version, commit(), st.Name, strconv.Itoa(out.Paths), seed),
		Command: command,
		Notes:   st.Notes,
	}
	if o.run.charts {
		// The study's charts are drawn from the files just written, in
		// the temporary folder, as reesim run draws a run's.
		charts, err := plots.RenderStudyChartsContext(ctx, dir.Tmp)
		if ctx.Err() != nil {
			return errInterrupted
		}
		if err != nil {
			return fmt.Errorf("study %s: charts: %w", st.Name, err)
		}
		for _, c := range charts {
			info.Charts = append(info.Charts, study.Chart{Title: c.Title, Alt: c.Alt, PNG: c.PNG, Name: c.Name})
		}
	}
	if err := dir.WriteFile("report.html", func(w io.Writer) error { return study.WriteReport(w, out, info) }); err != nil {
		return err
	}
	if ctx.Err() != nil {
		return errInterrupted
	}
	final, clash, err := dir.Settle(func(w error) { fmt.Fprintf(o.run.stderr, "reesim study: warning: %v\n", w) })
	if err != nil {
		return err
	}
	committed = true
	printStudy(o.run.stdout, final, out)
	if clash != nil {
		return clash
	}
	return nil
}

// studyRunner runs one case of a study into its results folder.
type studyRunner struct {
	sr      *scenarioRun
	command string
}

func (r *studyRunner) Simulate(ctx context.Context, n int, row func(int, []float64) error) error {
	return r.sr.simulate(ctx, n, func(i int, _, m []float64) error { return row(i, m) })
}

func (r *studyRunner) Close() error {
	if r.sr.ctx != nil && r.sr.ctx.Err() != nil {
		return errInterrupted // a study keeps nothing of an interrupted run
	}
	_, err := r.sr.finish(r.command)
	if err == nil && r.sr.chartsSkipped {
		return errInterrupted
	}
	return err
}

func (r *studyRunner) Abort() { r.sr.abort() }

// printStudy prints where the study is, the key metric per variant and the
// answer, in words and with units.
func printStudy(w io.Writer, dir string, o *study.Outcome) {
	b0 := o.Bases[0]
	key := b0.Variants[0].Metrics[0]
	bases := "the " + b0.Base + " scenario"
	if len(o.Bases) > 1 {
		bases = fmt.Sprintf("%d base scenarios", len(o.Bases))
	}
	fmt.Fprintf(w, "study %s: %d options on %s, %s paths each, seed %d -> %s\n", o.Study, len(b0.Variants), bases, groupInt(o.Paths), o.Seed, dir)
	fmt.Fprintf(w, "  %s\n", o.Stopping.Message)
	money := func(v float64) string { return human(v, "$M") }
	for _, b := range o.Bases {
		if len(o.Bases) > 1 {
			fmt.Fprintf(w, "  under %s:\n", b.Base)
		}
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		head := fmt.Sprintf("  rank\toption\texpected %s (%s)\tchange from the reference\t95 %% CI\t", strings.ToLower(key.Title), key.Unit)
		if o.ValuePerTonneUSD > 0 {
			head += fmt.Sprintf("net benefit at %s/t\t95 %% CI\t", human(o.ValuePerTonneUSD/1e6, "$M"))
		}
		fmt.Fprintln(tw, head)
		for _, name := range b.Ranking {
			for _, v := range b.Variants {
				if v.Name != name {
					continue
				}
				k := v.Metrics[0]
				line := fmt.Sprintf("  %d\t%s\t%s\t%s\t%s to %s\t", v.Rank, v.Name, human(k.Mean, ""), human(k.Diff.Mean, ""), human(k.Diff.Lo, ""), human(k.Diff.Hi, ""))
				if cb := v.CostBenefit; cb != nil {
					line += fmt.Sprintf("%s\t%s to %s\t", money(cb.NetBenefit.Mean), money(cb.NetBenefit.Lo), money(cb.NetBenefit.Hi))
				}
				fmt.Fprintln(tw, line)
			}
		}
		tw.Flush()
	}
	for _, line := range wrapText(o.Answer, 76) {
		fmt.Fprintf(w, "  %s\n", line)
	}
	for _, b := range o.Bases {
		if b.Robust == "" {
			continue
		}
		for _, line := range wrapText(b.Robust, 76) {
			fmt.Fprintf(w, "  %s\n", line)
		}
	}
}

// human writes v to three significant figures with thousands separated;
// in $M it is written in millions or billions of dollars.
func human(v float64, unit string) string {
	if unit == "$M" {
		sign := ""
		if v < 0 {
			sign, v = "-", -v
		}
		if v >= 1000 {
			return sign + "$" + human(v/1000, "") + " bn"
		}
		return sign + "$" + human(v, "") + " M"
	}
	r := round4(v)
	if r != 0 {
		p := math.Pow(10, 3-math.Ceil(math.Log10(math.Abs(v))))
		r = math.Round(v*p) / p
	}
	if math.Abs(r) >= 1000 {
		return groupInt(int(math.Round(r)))
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}

// round4 rounds v to 4 significant digits for the terminal.
func round4(v float64) float64 {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	p := math.Pow(10, 4-math.Ceil(math.Log10(math.Abs(v))))
	return math.Round(v*p) / p
}

// studyDims returns, under QMC, the dimensions every case of st shares:
// the sampled inputs of every case, each base's reference first, in
// input order, each name once. An input so keeps its dimension, and its
// points, in a variant that fixes or adds another. Nil for other designs.
func studyDims(st *study.Study, kind design.Kind) []string {
	if kind != design.QMC {
		return nil
	}
	var dims []string
	seen := map[string]bool{}
	add := func(c *study.Case) {
		for _, n := range engine.DefaultDims(c.Compiled) {
			if !seen[n] {
				seen[n] = true
				dims = append(dims, n)
			}
		}
	}
	for b := range st.Cases {
		add(st.Cases[b][st.Ref])
		for v := range st.Cases[b] {
			add(st.Cases[b][v])
		}
	}
	return dims
}
