package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/reesim/reesim/design"
	"github.com/reesim/reesim/engine"
	"github.com/reesim/reesim/lifecycle"
	"github.com/reesim/reesim/results"
	"github.com/reesim/reesim/scenarios"
	"github.com/reesim/reesim/shard"
	"github.com/reesim/reesim/study"
)

const mergeUsage = `usage: reesim merge [flags] SHARDS...

Puts together the shard files of a run or a study made with --shard I/N
(or --shards N) on several machines, and writes the same results folder as
a run on one machine: OUT/<scenario>/ or OUT/<study>/, byte for byte the
same but for manifest.json's times, workers and list of shards. SHARDS
are shard files (NAME-I-of-N.shard) or folders that hold them, local or
s3://BUCKET/PREFIX addresses. The shards must be of one run (same
scenario or study, seed, paths and reesim version) and cover every path
once. A missing, duplicated or damaged shard is an error that names it,
and nothing is written; merge again once it is there, or wait for it with
--wait. The scenario or study is read again from where the shards read it
(shipped ones are built in), and must be the same.

Flags:
`

// mergeOptions are the flags of reesim merge.
type mergeOptions struct {
	run  runOptions
	wait time.Duration
	poll time.Duration // how often --wait looks (0: every 10 s)
}

func newMergeFlags(o *mergeOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("merge", flag.ContinueOnError)
	fs.StringVar(&o.run.out, "out", "out", "write the results into `DIR`/<scenario>/ or DIR/<study>/; DIR may be an s3://BUCKET/PREFIX, where they are uploaded (default: out)")
	fs.BoolVar(&o.run.force, "force", false, "replace existing results (default: refuse, and merge nothing)")
	fs.BoolVar(&o.run.charts, "charts", true, "draw charts, briefing.pdf and report.html (default: true)")
	noCharts(fs, &o.run.charts, "write tables only: no charts, briefing.pdf or report.html (default: they are drawn)")
	fs.Func("paths-format", "`FORMAT` of the per-path table: csv (paths.csv) or parquet (paths.parquet) (default: csv)", func(s string) error {
		switch s {
		case "csv", "parquet":
			o.run.parquet = s == "parquet"
			return nil
		}
		return fmt.Errorf("expected csv or parquet, got %q", s)
	})
	fs.DurationVar(&o.wait, "wait", 0, "wait up to `DURATION` (such as 30m or 2h) for missing shards to arrive, looking every 10 s (default: 0, do not wait)")
	return fs
}

// cmdMerge is reesim merge.
func cmdMerge(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o := mergeOptions{run: runOptions{stdout: stdout, stderr: stderr, trace: -1}}
	fs := newMergeFlags(&o)
	pos, helped, err := parseFlags(fs, args, mergeUsage, stdout)
	if err != nil || helped {
		return err
	}
	switch {
	case len(pos) == 0:
		return errUsage{"merge needs the shard files of a run, or the folders that hold them"}
	case strings.TrimSpace(o.run.out) == "":
		return errUsage{"--out must name a folder, got an empty name"}
	case o.wait < 0:
		return errUsage{fmt.Sprintf("--wait must be 0 or more, got %s", o.wait)}
	}
	if f, ok := stderr.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			o.run.tty = true
		}
	}
	files, err := waitForShards(ctx, pos, &o)
	if err != nil {
		return err
	}
	h := files[0].Header
	if h.Version != version || h.Commit != commit() {
		return &shard.Error{File: files[0].Where, Msg: fmt.Sprintf("made by reesim %s (commit %s), and this is reesim %s (commit %s): merge with the reesim that made the shards, whose charts and tables are the same", h.Version, h.Commit, version, commit())}
	}
	for _, f := range files {
		o.run.workers = max(o.run.workers, f.Header.Workers)
	}
	src := shard.NewSource(files)
	defer src.Close()
	if shard.IsS3(o.run.out) {
		return mergeToS3(ctx, h, len(files), src, &o)
	}
	if h.Kind == shard.KindStudy {
		return mergeStudy(ctx, h, src, &o)
	}
	return mergeRun(ctx, h, len(files), src, &o)
}

// mergeToS3 merges into a temporary local folder and uploads the results
// to --out's bucket and prefix, under the run's or study's name.
func mergeToS3(ctx context.Context, h *shard.Header, shards int, src *shard.Source, o *mergeOptions) error {
	st, err := shard.OpenStore(ctx, o.run.out)
	if err != nil {
		return err
	}
	remote := st.(*shard.S3)
	if ok, err := remote.Exists(ctx, h.Name+"/manifest.json"); err != nil {
		return err
	} else if ok && !o.run.force {
		return fmt.Errorf("%s already exists: use --force to replace it, or --out to write elsewhere", remote.Where(h.Name+"/"))
	}
	tmp, err := os.MkdirTemp("", ".reesim-merge-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	local := *o
	local.run.out, local.run.force = tmp, false
	if h.Kind == shard.KindStudy {
		err = mergeStudy(ctx, h, src, &local)
	} else {
		err = mergeRun(ctx, h, shards, src, &local)
	}
	if err != nil {
		return err
	}
	if err := remote.PutTree(ctx, filepath.Join(tmp, h.Name), h.Name); err != nil {
		return err
	}
	fmt.Fprintf(o.run.stdout, "uploaded to %s\n", remote.Where(h.Name+"/"))
	return nil
}

// waitForShards finds the shard files args name and checks them, waiting
// for missing ones with --wait.
func waitForShards(ctx context.Context, args []string, o *mergeOptions) ([]*shard.File, error) {
	deadline := time.Now().Add(o.wait)
	said := ""
	for {
		files, err := shard.Find(ctx, args)
		var missing bool
		if err == nil {
			missing, err = shard.Check(files)
			if err == nil {
				return files, nil
			}
		}
		if !missing && !shard.IsEmpty(err) {
			return nil, err
		}
		if !time.Now().Before(deadline) {
			if o.wait > 0 {
				return nil, fmt.Errorf("%w\n(waited %s)", err, o.wait)
			}
			return nil, err
		}
		if msg := err.Error(); msg != said {
			fmt.Fprintf(o.run.stderr, "reesim merge: waiting: %s\n", msg)
			said = msg
		}
		poll := o.poll
		if poll == 0 {
			poll = 10 * time.Second
		}
		select {
		case <-ctx.Done():
			return nil, errInterrupted
		case <-time.After(poll):
		}
	}
}

// shardEdit returns the manifest edit of a merged case: its shards, and
// the earliest start among them.
func shardEdit(used []results.ShardFile) func(*results.Manifest) {
	return func(m *results.Manifest) {
		m.Shards = used
		for _, u := range used {
			if u.Started.Before(m.Started) {
				m.Started = u.Started
			}
		}
	}
}

// headerSampling returns the sampling design of the shards of h.
func headerSampling(h *shard.Header) (design.Kind, error) {
	if h.Sampling == "" {
		return design.MC, nil
	}
	k, err := design.Parse(h.Sampling)
	if err != nil {
		return k, &shard.Error{File: h.Arg, Msg: fmt.Sprintf("the shards' sampling design: %v", err)}
	}
	return k, nil
}

// loadRun loads the scenario of a run's shards again and checks that it
// is the one they ran.
func loadRun(h *shard.Header) (*scenarios.Scenario, *scenarios.Compiled, error) {
	s, err := scenarios.Load(h.Arg)
	if err != nil {
		return nil, nil, err
	}
	c, err := scenarios.Compile(s)
	if err != nil {
		return nil, nil, err
	}
	kind, err := headerSampling(h)
	if err != nil {
		return nil, nil, err
	}
	resolved, err := lifecycle.Resolved(s, h.Seed, h.Paths, kind)
	if err != nil {
		return nil, nil, err
	}
	if results.Hash(resolved) != h.Hash {
		return nil, nil, &shard.Error{File: h.Arg, Msg: fmt.Sprintf("this is not the scenario the shards ran (%s): merge where the shards' scenario files are as they were", shardResolvedDiff([]byte(h.Cases[0].Resolved), resolved))}
	}
	return s, c, nil
}

// mergeRun merges the shards of a run into OUT/<scenario>/.
func mergeRun(ctx context.Context, h *shard.Header, shards int, src *shard.Source, o *mergeOptions) error {
	s, c, err := loadRun(h)
	if err != nil {
		return err
	}
	if err := checkOutput([]*scenarios.Scenario{s}, []string{h.Arg}, &o.run); err != nil {
		return err
	}
	sr, err := startScenarioRun(c, h.Seed, filepath.Join(o.run.out, s.Name), &o.run)
	if err != nil {
		return err
	}
	defer sr.abort()
	sr.ctx = ctx
	kind, err := headerSampling(h)
	if err != nil {
		return err
	}
	sr.lr.Sampling = kind
	l := shard.LayoutOf(c)
	p := termProgress{o.run.stderr, o.run.tty}
	progress, done := p.Paths(s.Name+" (merging)", h.Paths), 0
	n, err := src.Replay(ctx, 0, l, func(b *engine.Block, lines []byte) error {
		done += b.N
		progress(done)
		return sr.lr.Add(b, lines, nil)
	}, sr.lr.AddSketches)
	p.Clear()
	if err == nil {
		err = src.Done(ctx)
	}
	if err != nil {
		return err
	}
	if n != h.Paths {
		return fmt.Errorf("merge: the shards held %d paths, want %d", n, h.Paths)
	}
	sr.res = sr.lr.Result
	res, err := sr.finishWith(runCommand(h.Paths, h.Seed, kind, h.Arg), shardEdit(src.Used(0)))
	if err != nil {
		return err
	}
	fmt.Fprintf(o.run.stdout, "merged %d shards of %s\n", shards, h.Name)
	var row indexRow
	return reportRun(s.Name, sr, res, &row, &o.run)
}

// mergeStudy merges the shards of a study into OUT/<study>/, running the
// study with runners that read the shards instead of simulating.
func mergeStudy(ctx context.Context, h *shard.Header, src *shard.Source, o *mergeOptions) error {
	st, err := study.Load(h.Arg)
	if err != nil {
		return err
	}
	kind, err := headerSampling(h)
	if err != nil {
		return err
	}
	cases, _, hash, err := studyCases(st, h.Arg, h.Seed, h.Paths, kind)
	if err != nil {
		return err
	}
	if hash != h.Hash || len(cases) != len(h.Cases) {
		why := "the study file differs"
		for i := range min(len(cases), len(h.Cases)) {
			if cases[i].ScenarioHash != h.Cases[i].ScenarioHash {
				why = fmt.Sprintf("variant %s: %s", cases[i].Name, shardResolvedDiff([]byte(h.Cases[i].Resolved), []byte(cases[i].Resolved)))
				break
			}
		}
		return &shard.Error{File: h.Arg, Msg: fmt.Sprintf("this is not the study the shards ran (%s): merge where the shards' study and scenario files are as they were", why)}
	}
	so := studyOptions{run: o.run}
	so.run.paths, so.run.seed, so.run.seedSet = h.Paths, h.Seed, true
	so.run.sampling = kind.String()
	so.merge, so.mergeHead = src, h
	so.order = map[*study.Case]int{}
	for i, c := range st.Order() {
		so.order[c] = i
	}
	return runStudy(ctx, st, h.Arg, &so)
}

// mergeRunner is a study's case whose paths are read from shard files.
type mergeRunner struct {
	sr      *scenarioRun
	command string
	src     *shard.Source
	h       *shard.Header
	index   int // in the study's order of cases
}

func (r *mergeRunner) Simulate(ctx context.Context, n int, row func(int, []float64) error) error {
	r.sr.ctx = ctx
	l := shard.LayoutOf(r.sr.lr.Compiled())
	h := r.h
	p := termProgress{r.sr.o.stderr, r.sr.o.tty}
	progress, done := p.Paths(h.Name+"/"+h.Cases[r.index].Name+" (merging)", n), 0
	add := func(b *engine.Block, lines []byte) error {
		done += b.N
		progress(done)
		return r.sr.lr.Add(b, lines, func(i int, _, m []float64) error { return row(i, m) })
	}
	got, err := r.src.Replay(ctx, r.index, l, add, r.sr.lr.AddSketches)
	p.Clear()
	if err != nil {
		return err
	}
	if got != n {
		return fmt.Errorf("merge: the shards held %d paths of a variant, want %d", got, n)
	}
	r.sr.res = r.sr.lr.Result
	return nil
}

func (r *mergeRunner) Close() error {
	if r.sr.ctx != nil && r.sr.ctx.Err() != nil {
		return errInterrupted
	}
	_, err := r.sr.finishWith(r.command, shardEdit(r.src.Used(r.index)))
	if err == nil && r.sr.chartsSkipped {
		return errInterrupted
	}
	return err
}

func (r *mergeRunner) Abort() { r.sr.abort() }
