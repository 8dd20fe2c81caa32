package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
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

// shardFlags are the flags that make reesim run or reesim study simulate
// one shard of the work: --shard I/N, or --shards N with I from the
// environment.
type shardFlags struct {
	spec   shard.Spec
	set    bool
	shards int
}

// define defines --shard and --shards on fs.
func (f *shardFlags) define(fs *flag.FlagSet, what string) {
	fs.Func("shard", "simulate only shard `I/N` of the "+what+", counted from 0 (0/4 to 3/4 for four shards), and write its shard file into OUT, a folder or an s3://BUCKET/PREFIX, for reesim merge (default: all of it, and the results)", func(s string) error {
		spec, err := shard.ParseSpec(s)
		if err != nil {
			return err
		}
		f.spec, f.set = spec, true
		return nil
	})
	fs.IntVar(&f.shards, "shards", 0, "as --shard I/`N`, with I from JOB_COMPLETION_INDEX (Kubernetes Indexed Jobs) or SLURM_ARRAY_TASK_ID (Slurm arrays) (default: off)")
}

// resolve returns the shard asked for, if any.
func (f *shardFlags) resolve(fs *flag.FlagSet) (shard.Spec, bool, error) {
	given := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { given[fl.Name] = true })
	switch {
	case given["shard"] && given["shards"]:
		return shard.Spec{}, false, errUsage{"give --shard I/N or --shards N, not both"}
	case given["shard"]:
		return f.spec, true, nil
	case given["shards"]:
		spec, err := shard.FromEnv(f.shards, os.Getenv)
		if err != nil {
			return spec, false, errUsage{err.Error()}
		}
		return spec, true, nil
	}
	return shard.Spec{}, false, nil
}

// hostname names the machine a shard ran on, in its file.
func hostname() string {
	h, _ := os.Hostname()
	return h
}

// shardStore opens the store of shard files at out.
func shardStore(ctx context.Context, out string, log io.Writer) (shard.Store, error) {
	st, err := shard.OpenStore(ctx, out)
	if err != nil {
		return nil, err
	}
	if f, ok := st.(*shard.Folder); ok {
		f.Log = log
	}
	return st, nil
}

// alreadyDone reports whether the store holds the shard file name of the
// run h already, complete: a re-submitted job then has nothing to do. A
// file there of another run is refused unless force.
func alreadyDone(ctx context.Context, st shard.Store, name string, h *shard.Header, force bool) (bool, error) {
	ok, err := st.Exists(ctx, name)
	if err != nil || !ok || force {
		return false, err
	}
	f, err := st.Open(ctx, name)
	if err != nil {
		return false, err
	}
	defer f.Close()
	r, err := shard.NewReader(f, st.Where(name))
	if err != nil {
		return false, fmt.Errorf("%w; use --force to replace it", err)
	}
	old := r.Header()
	if why := old.SameRun(h); why != "" || old.Shard != h.Shard {
		if why == "" {
			why = "it is shard " + old.Shard.String()
		}
		return false, fmt.Errorf("%s already exists and holds a shard of another run (%s): use --force to replace it, or --out to write elsewhere", st.Where(name), why)
	}
	return true, nil
}

// writeShard simulates the parts of the header h (its cases compiled as
// cases) with the sampling design kind (under QMC, its dimensions named
// by dims) and writes the shard file into o.out. arg is the scenario or
// study as given, for the trace command of a path that fails.
func writeShard(ctx context.Context, h *shard.Header, cases []*scenarios.Compiled, kind design.Kind, dims []string, arg string, o *runOptions) error {
	st, err := shardStore(ctx, o.out, o.stderr)
	if err != nil {
		return err
	}
	name := shard.FileName(h.Name, h.Shard)
	done, err := alreadyDone(ctx, st, name, h, o.force)
	if err != nil {
		return err
	}
	paths := 0
	for _, p := range h.Parts {
		paths += p.Paths
	}
	if done {
		fmt.Fprintf(o.stdout, "%s: shard %s (%s paths) is already in %s; nothing to do (--force to run it again)\n", h.Name, h.Shard, groupInt(paths), st.Where(name))
		return nil
	}
	layouts := make([]shard.Layout, len(cases))
	for i, c := range cases {
		layouts[i] = shard.LayoutOf(c)
	}
	err = st.Put(ctx, name, func(w io.Writer) error {
		sw, err := shard.NewWriter(w, h)
		if err != nil {
			return err
		}
		p := termProgress{o.stderr, o.tty}
		for _, part := range h.Parts {
			c := cases[part.Case]
			l := layouts[part.Case]
			label := h.Name
			if h.Kind == shard.KindStudy {
				label += "/" + h.Cases[part.Case].Name
			}
			res, err := engine.Run(ctx, c, engine.Options{First: part.First, Paths: part.Paths, Total: h.Paths, Seed: h.Seed, Workers: o.workers,
				Sampling: kind, Dims: dims,
				Block:    func(b *engine.Block) error { return sw.Block(l, b) },
				Progress: p.Paths(label, part.Paths)})
			p.Clear()
			if ctx.Err() != nil {
				return errInterrupted
			}
			if err != nil {
				var pe *engine.PathError
				if errors.As(err, &pe) {
					return pathFailure{pe, traceCommand(pe, arg, o)}
				}
				return err
			}
			if err := sw.EndPart(res.Series, res.MetricSketch); err != nil {
				return err
			}
		}
		return sw.Close()
	})
	if err != nil {
		if ctx.Err() != nil {
			return errInterrupted
		}
		return err
	}
	first, last := h.Parts[0], h.Parts[len(h.Parts)-1]
	span := fmt.Sprintf("paths %s to %s", groupInt(first.First), groupInt(last.First+last.Paths-1))
	if h.Kind == shard.KindStudy {
		span = fmt.Sprintf("%s of %s to %s of %s", groupInt(first.First), h.Cases[first.Case].Name, groupInt(last.First+last.Paths-1), h.Cases[last.Case].Name)
	}
	fmt.Fprintf(o.stdout, "%s: shard %s, %s (%s paths), seed %d -> %s\n", h.Name, h.Shard, span, groupInt(paths), h.Seed, st.Where(name))
	fmt.Fprintf(o.stdout, "  once all %d shards are there: reesim merge %s --out DIR\n", h.Shard.Count, shellQuote(o.out))
	return nil
}

// newHeader returns the header of shard spec of a run of cases with the
// given paths each, sampled with the design sampling, without its cases'
// descriptions.
func newHeader(kind, name, arg string, seed uint64, paths, cases int, sampling design.Kind, spec shard.Spec, o *runOptions) (*shard.Header, error) {
	blocks := (paths + engine.BlockSize - 1) / engine.BlockSize
	units := blocks * cases
	if spec.Count > units {
		what := fmt.Sprintf("%s paths make %d blocks of %d paths", groupInt(paths), blocks, engine.BlockSize)
		if kind == shard.KindStudy {
			what = fmt.Sprintf("%d variants of %s paths make %d blocks of %d paths", cases, groupInt(paths), units, engine.BlockSize)
		}
		return nil, errUsage{fmt.Sprintf("--shard %s: %s, the smallest part a shard can take: use at most %d shards", spec, what, units)}
	}
	lo, hi := spec.Units(units)
	h := &shard.Header{Kind: kind, Name: name, Arg: arg, Seed: seed, Paths: paths, Version: version, Commit: commit(),
		Shard: spec, Units: units, First: lo, End: hi, Workers: o.workers, Host: hostname(), Started: time.Now().UTC(),
		Parts: shard.PartsOf(lo, hi, blocks, paths)}
	if sampling != design.MC {
		h.Sampling = sampling.String()
	}
	return h, nil
}

// runShard simulates shard spec of the scenario s, loaded from arg.
func runShard(ctx context.Context, s *scenarios.Scenario, arg string, spec shard.Spec, o *runOptions) error {
	c, err := scenarios.Compile(s)
	if err != nil {
		return err
	}
	if o.precision > 0 {
		return errUsage{"--precision adds paths until the answer is precise enough, which one shard cannot know: give --paths instead of --precision with --shard"}
	}
	paths, seed := runPaths(s, o)
	kind, err := samplingOf(s, o)
	if err != nil {
		return err
	}
	if kind == design.QMC {
		if w := qmcWarning(s.Name, paths); w != "" {
			fmt.Fprintln(o.stderr, w)
		}
	}
	h, err := newHeader(shard.KindRun, s.Name, arg, seed, paths, 1, kind, spec, o)
	if err != nil {
		return err
	}
	resolved, err := lifecycle.Resolved(s, seed, paths, kind)
	if err != nil {
		return err
	}
	h.Hash = results.Hash(resolved)
	h.Cases = []shard.Case{shard.LayoutOf(c).Case("", resolved, h.Hash)}
	return writeShard(ctx, h, []*scenarios.Compiled{c}, kind, nil, arg, o)
}

// runPaths returns the paths and seed of a run of s: the flags', else
// the scenario's; with --precision and no --paths, the most paths
// --precision runs.
func runPaths(s *scenarios.Scenario, o *runOptions) (int, uint64) {
	paths := o.paths
	if paths == 0 {
		paths = s.Paths
		if o.precision > 0 {
			paths = precisionLimit
		}
	}
	if paths <= 0 {
		paths = 10000
	}
	seed := s.Seed
	if o.seedSet {
		seed = o.seed
	}
	return paths, seed
}

// caseFolder returns the results folder of a study's case, within the
// study's: the variant, or base/variant when the study has several bases.
func caseFolder(st *study.Study, c *study.Case) string {
	if len(st.Bases) > 1 {
		return filepath.Join(c.Base.Name, c.Variant.Name)
	}
	return c.Variant.Name
}

// studyCases returns the header's cases of the study st run with seed,
// paths and sampling design kind, in the order the study runs them, and
// the study's SHA-256: of its file and of its cases' resolved scenarios.
func studyCases(st *study.Study, arg string, seed uint64, paths int, kind design.Kind) ([]shard.Case, []*scenarios.Compiled, string, error) {
	text, ok := study.ShippedText(arg)
	if !ok {
		b, err := os.ReadFile(st.File)
		if err != nil {
			return nil, nil, "", err
		}
		text = b
	}
	h := sha256.New()
	fmt.Fprintf(h, "study %d\n", len(text))
	h.Write(text)
	var cases []shard.Case
	var compiled []*scenarios.Compiled
	for _, c := range st.Order() {
		resolved, err := lifecycle.Resolved(c.Scenario, seed, paths, kind)
		if err != nil {
			return nil, nil, "", err
		}
		hash := results.Hash(resolved)
		name := caseFolder(st, c)
		fmt.Fprintf(h, "%s %s\n", strconv.Quote(name), hash)
		cases = append(cases, shard.LayoutOf(c.Compiled).Case(name, resolved, hash))
		compiled = append(compiled, c.Compiled)
	}
	return cases, compiled, hex.EncodeToString(h.Sum(nil)), nil
}

// studyShard simulates shard spec of the study st, loaded from arg.
func studyShard(ctx context.Context, st *study.Study, arg string, spec shard.Spec, o *studyOptions) error {
	if o.precision > 0 {
		return errUsage{"--precision adds paths until the answer is precise enough, which one shard cannot know: give --paths instead of --precision with --shard"}
	}
	seed := st.Seed
	if o.run.seedSet {
		seed = o.run.seed
	}
	paths := o.run.paths
	if paths == 0 {
		paths = st.Paths
	}
	kind, err := samplingOf(st.Bases[0].Scenario, &o.run)
	if err != nil {
		return err
	}
	if kind == design.QMC {
		if w := qmcWarning(st.Name, paths); w != "" {
			fmt.Fprintln(o.run.stderr, strings.Replace(w, "reesim run:", "reesim study:", 1))
		}
	}
	cases, compiled, hash, err := studyCases(st, arg, seed, paths, kind)
	if err != nil {
		return err
	}
	h, err := newHeader(shard.KindStudy, st.Name, arg, seed, paths, len(cases), kind, spec, &o.run)
	if err != nil {
		return err
	}
	h.Hash, h.Cases = hash, cases
	return writeShard(ctx, h, compiled, kind, studyDims(st, kind), arg, &o.run)
}

// shardResolvedDiff says where two resolved scenario texts first differ,
// for the message of a merge that finds the scenario changed.
func shardResolvedDiff(a, b []byte) string {
	la, lb := bytes.Split(a, []byte("\n")), bytes.Split(b, []byte("\n"))
	for i := 0; i < min(len(la), len(lb)); i++ {
		if !bytes.Equal(la[i], lb[i]) {
			return fmt.Sprintf("line %d of the resolved scenario was %q and is now %q", i+1, la[i], lb[i])
		}
	}
	return fmt.Sprintf("the resolved scenario had %d lines and now has %d", len(la), len(lb))
}
