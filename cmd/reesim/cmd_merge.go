package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/reesim/reesim/engine"
	"github.com/reesim/reesim/lifecycle"
	"github.com/reesim/reesim/results"
	"github.com/reesim/reesim/scenarios"
	"github.com/reesim/reesim/shard"
	"github.com/reesim/reesim/sketch"
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
	h := files[0].h
	if h.Version != version || h.Commit != commit() {
		return &shard.Error{File: files[0].where, Msg: fmt.Sprintf("made by reesim %s (commit %s), and this is reesim %s (commit %s): merge with the reesim that made the shards, whose charts and tables are the same", h.Version, h.Commit, version, commit())}
	}
	for _, f := range files {
		o.run.workers = max(o.run.workers, f.h.Workers)
	}
	src := &shardSource{files: files}
	defer src.close()
	if shard.IsS3(o.run.out) {
		return mergeToS3(ctx, h, src, &o)
	}
	if h.Kind == shard.KindStudy {
		return mergeStudy(ctx, h, src, &o)
	}
	return mergeRun(ctx, h, src, &o)
}

// mergeToS3 merges into a temporary local folder and uploads the results
// to --out's bucket and prefix, under the run's or study's name.
func mergeToS3(ctx context.Context, h *shard.Header, src *shardSource, o *mergeOptions) error {
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
		err = mergeRun(ctx, h, src, &local)
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

// shardFile is a shard file found for a merge, with its header.
type shardFile struct {
	store shard.Store
	name  string
	where string
	h     *shard.Header
}

// findShards returns the shard files that args name, files or folders,
// with their headers, sorted by the work they hold.
func findShards(ctx context.Context, args []string) ([]*shardFile, error) {
	var files []*shardFile
	seen := map[string]bool{}
	add := func(st shard.Store, name string) error {
		where := st.Where(name)
		if seen[where] {
			return nil
		}
		seen[where] = true
		f, err := st.Open(ctx, name)
		if err != nil {
			return &shard.Error{File: where, Msg: "cannot read it: " + scenarios.ReadError(err)}
		}
		defer f.Close()
		r, err := shard.NewReader(f, where)
		if err != nil {
			return err
		}
		files = append(files, &shardFile{store: st, name: name, where: where, h: r.Header()})
		return nil
	}
	for _, a := range args {
		if shard.IsS3(a) {
			loc, name := a, ""
			if strings.HasSuffix(a, shard.Ext) {
				loc, name = "s3://"+path.Dir(strings.TrimPrefix(a, "s3://")), path.Base(a)
			}
			st, err := shard.OpenStore(ctx, loc)
			if err != nil {
				return nil, &shard.Error{File: a, Msg: err.Error()}
			}
			if err := addAll(ctx, st, name, a, add); err != nil {
				return nil, err
			}
			continue
		}
		fi, err := os.Stat(a)
		switch {
		case err != nil:
			return nil, &shard.Error{File: a, Msg: "cannot read it: " + scenarios.ReadError(err) + "; expected a shard file (NAME-I-of-N.shard) or a folder of them"}
		case fi.IsDir():
			if err := addAll(ctx, &shard.Folder{Dir: a}, "", a, add); err != nil {
				return nil, err
			}
		default:
			if err := add(&shard.Folder{Dir: filepath.Dir(a)}, filepath.Base(a)); err != nil {
				return nil, err
			}
		}
	}
	slices.SortStableFunc(files, func(a, b *shardFile) int {
		if a.h.First != b.h.First {
			return a.h.First - b.h.First
		}
		return a.h.End - b.h.End
	})
	return files, nil
}

// msgNoShards says that a folder or prefix holds no shard files (yet).
const msgNoShards = "holds no shard files (*" + shard.Ext + ")"

// addAll adds the file name of st, or every shard file in it when name
// is "".
func addAll(ctx context.Context, st shard.Store, name, arg string, add func(shard.Store, string) error) error {
	if name != "" {
		return add(st, name)
	}
	names, err := st.List(ctx)
	if err != nil {
		return &shard.Error{File: arg, Msg: "cannot list it: " + err.Error()}
	}
	if len(names) == 0 {
		return &shard.Error{File: arg, Msg: msgNoShards}
	}
	for _, n := range names {
		if err := add(st, n); err != nil {
			return err
		}
	}
	return nil
}

// checkShards checks that files are the shards of one run, each work unit
// in exactly one of them. It returns a *shard.Error naming the files
// that do not belong, overlap or are missing; missing is true when the
// only problem is shards still missing.
func checkShards(files []*shardFile) (missing bool, err error) {
	h := files[0].h
	var problems []string
	for _, f := range files[1:] {
		if why := sameRun(f.h, h); why != "" {
			problems = append(problems, fmt.Sprintf("%s is not a shard of the same run as %s: %s", f.where, files[0].where, why))
		}
	}
	if len(problems) > 0 {
		return false, &shard.Error{Msg: strings.Join(problems, "\n")}
	}
	var gaps [][2]int
	pos := 0
	var prev *shardFile
	for _, f := range files {
		switch {
		case f.h.First < pos && prev != nil && f.h.First == prev.h.First && f.h.End == prev.h.End:
			problems = append(problems, fmt.Sprintf("%s and %s are the same shard (%s: %s): remove one", prev.where, f.where, f.h.Shard, unitsText(h, f.h.First, f.h.End)))
		case f.h.First < pos:
			problems = append(problems, fmt.Sprintf("%s (shard %s) overlaps %s (shard %s): both hold %s; keep the shards of one split", f.where, f.h.Shard, prev.where, prev.h.Shard, unitsText(h, f.h.First, min(pos, f.h.End))))
		case f.h.First > pos:
			gaps = append(gaps, [2]int{pos, f.h.First})
		}
		if f.h.End > pos {
			pos, prev = f.h.End, f
		}
	}
	if pos < h.Units {
		gaps = append(gaps, [2]int{pos, h.Units})
	}
	if len(problems) > 0 {
		return false, &shard.Error{Msg: strings.Join(problems, "\n")}
	}
	if len(gaps) == 0 {
		return false, nil
	}
	where := files[0].store.Where("")
	for _, g := range gaps {
		problems = append(problems, "missing: "+missingText(files, g[0], g[1], where))
	}
	return true, &shard.Error{Msg: fmt.Sprintf("the shards of %s %s (seed %d, %s paths) are not all there:\n  %s\nmerge again once they are (or wait for them with --wait)",
		h.Kind, h.Name, h.Seed, groupInt(h.Paths), strings.Join(problems, "\n  "))}
}

// missingText names the shards that would hold the units lo to hi-1,
// when every file found is of one split, else the paths missing.
func missingText(files []*shardFile, lo, hi int, where string) string {
	h := files[0].h
	n := h.Shard.Count
	for _, f := range files {
		if f.h.Shard.Count != n {
			return unitsText(h, lo, hi)
		}
	}
	var out []string
	for i := 0; i < n; i++ {
		s := shard.Spec{Index: i, Count: n}
		a, b := s.Units(h.Units)
		if a < hi && b > lo {
			out = append(out, fmt.Sprintf("shard %s (%s), expected as %s", s, unitsText(h, a, b), filepath.Join(where, shard.FileName(h.Name, s))))
		}
	}
	return strings.Join(out, "; ")
}

// unitsText describes the paths of the work units lo to hi-1 of the run
// of h.
func unitsText(h *shard.Header, lo, hi int) string {
	blocks := (h.Paths + engine.BlockSize - 1) / engine.BlockSize
	var out []string
	for _, p := range shard.PartsOf(lo, hi, blocks, h.Paths) {
		t := fmt.Sprintf("paths %s to %s", groupInt(p.First), groupInt(p.First+p.Paths-1))
		if h.Kind == shard.KindStudy {
			t += " of " + h.Cases[p.Case].Name
		}
		out = append(out, t)
	}
	return strings.Join(out, ", ")
}

// waitForShards finds the shard files args name and checks them, waiting
// for missing ones with --wait.
func waitForShards(ctx context.Context, args []string, o *mergeOptions) ([]*shardFile, error) {
	deadline := time.Now().Add(o.wait)
	said := ""
	for {
		files, err := findShards(ctx, args)
		var missing bool
		if err == nil {
			missing, err = checkShards(files)
			if err == nil {
				return files, nil
			}
		}
		var se *shard.Error
		if !missing && !(errors.As(err, &se) && se.Msg == msgNoShards) {
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

// shardSource reads the parts of a run's shard files in order, each file
// once, from the first work unit to the last.
type shardSource struct {
	files  []*shardFile
	next   int // the next file to open
	cur    *shard.Reader
	closer io.Closer
	// used[c] lists the shards that held paths of case c.
	used map[int][]results.ShardFile
}

// replay reads the parts of case c that come next: it passes each block to
// add and each part's sketches to sketches. It returns the paths read.
func (s *shardSource) replay(ctx context.Context, c int, l shard.Layout, add func(*engine.Block, []byte) error, sketches func(series, metrics *sketch.Set) error) (int, error) {
	if s.used == nil {
		s.used = map[int][]results.ShardFile{}
	}
	paths := 0
	for {
		if err := ctx.Err(); err != nil {
			return paths, errInterrupted
		}
		if s.cur == nil {
			if s.next == len(s.files) {
				return paths, nil
			}
			f := s.files[s.next]
			s.next++
			rc, err := f.store.Open(ctx, f.name)
			if err != nil {
				return paths, &shard.Error{File: f.where, Msg: "cannot read it: " + err.Error()}
			}
			r, err := shard.NewReader(rc, f.where)
			if err != nil {
				rc.Close()
				return paths, err
			}
			s.cur, s.closer = r, rc
		}
		p, ok := s.cur.Part()
		if !ok {
			err := s.cur.Close()
			s.closer.Close()
			s.cur = nil
			if err != nil {
				return paths, err
			}
			continue
		}
		if p.Case != c {
			return paths, nil
		}
		series, metrics, err := s.cur.ReadPart(l, add)
		if err != nil {
			return paths, err
		}
		if err := sketches(series, metrics); err != nil {
			return paths, err
		}
		f := s.files[s.next-1]
		s.used[c] = append(s.used[c], results.ShardFile{File: f.where, Shard: f.h.Shard.String(), FirstPath: p.First, Paths: p.Paths,
			Host: f.h.Host, Workers: f.h.Workers, Started: f.h.Started})
		paths += p.Paths
	}
}

// close closes the file being read, if any.
func (s *shardSource) close() {
	if s.cur != nil {
		s.closer.Close()
		s.cur = nil
	}
}

// done reads what is left (nothing but end records) and checks that
// every file was read to its end.
func (s *shardSource) done(ctx context.Context) error {
	for s.cur != nil || s.next < len(s.files) {
		if s.cur != nil {
			if _, ok := s.cur.Part(); ok {
				return errors.New("merge: shards hold parts that were not read")
			}
		}
		if _, err := s.replay(ctx, -1, shard.Layout{}, nil, nil); err != nil {
			return err
		}
	}
	return nil
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
	resolved, err := lifecycle.Resolved(s, h.Seed, h.Paths)
	if err != nil {
		return nil, nil, err
	}
	if results.Hash(resolved) != h.Hash {
		return nil, nil, &shard.Error{File: h.Arg, Msg: fmt.Sprintf("this is not the scenario the shards ran (%s): merge where the shards' scenario files are as they were", shardResolvedDiff([]byte(h.Cases[0].Resolved), resolved))}
	}
	return s, c, nil
}

// mergeRun merges the shards of a run into OUT/<scenario>/.
func mergeRun(ctx context.Context, h *shard.Header, src *shardSource, o *mergeOptions) error {
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
	l := shard.LayoutOf(c)
	p := termProgress{o.run.stderr, o.run.tty}
	progress, done := p.Paths(s.Name+" (merging)", h.Paths), 0
	n, err := src.replay(ctx, 0, l, func(b *engine.Block, lines []byte) error {
		done += b.N
		progress(done)
		return sr.lr.Add(b, lines, nil)
	}, sr.lr.AddSketches)
	p.Clear()
	if err == nil {
		err = src.done(ctx)
	}
	if err != nil {
		return err
	}
	if n != h.Paths {
		return fmt.Errorf("merge: the shards held %d paths, want %d", n, h.Paths)
	}
	sr.res = sr.lr.Result
	res, err := sr.finishWith(runCommand(h.Paths, h.Seed, h.Arg), shardEdit(src.used[0]))
	if err != nil {
		return err
	}
	fmt.Fprintf(o.run.stdout, "merged %d shards of %s\n", len(src.files), h.Name)
	var row indexRow
	return reportRun(s.Name, sr, res, &row, &o.run)
}

// mergeStudy merges the shards of a study into OUT/<study>/, running the
// study with runners that read the shards instead of simulating.
func mergeStudy(ctx context.Context, h *shard.Header, src *shardSource, o *mergeOptions) error {
	st, err := study.Load(h.Arg)
	if err != nil {
		return err
	}
	cases, _, hash, err := studyCases(st, h.Arg, h.Seed, h.Paths)
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
	so.merge = src
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
	src     *shardSource
	index   int // in the study's order of cases
}

func (r *mergeRunner) Simulate(ctx context.Context, n int, row func(int, []float64) error) error {
	r.sr.ctx = ctx
	l := shard.LayoutOf(r.sr.lr.Compiled())
	h := r.src.files[0].h
	p := termProgress{r.sr.o.stderr, r.sr.o.tty}
	progress, done := p.Paths(h.Name+"/"+h.Cases[r.index].Name+" (merging)", n), 0
	add := func(b *engine.Block, lines []byte) error {
		done += b.N
		progress(done)
		return r.sr.lr.Add(b, lines, func(i int, _, m []float64) error { return row(i, m) })
	}
	got, err := r.src.replay(ctx, r.index, l, add, r.sr.lr.AddSketches)
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
	_, err := r.sr.finishWith(r.command, shardEdit(r.src.used[r.index]))
	if err == nil && r.sr.chartsSkipped {
		return errInterrupted
	}
	return err
}

func (r *mergeRunner) Abort() { r.sr.abort() }
