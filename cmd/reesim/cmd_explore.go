package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/reesim/reesim/internal/tomlfile"

	"github.com/reesim/reesim/design"
	"github.com/reesim/reesim/results"
	"github.com/reesim/reesim/sim"
)

const exploreUsage = `usage: reesim explore sensitivity [flags] SCENARIO
       reesim explore discover [flags] RUN_DIR --crisis 'METRIC > VALUE'
       reesim explore designs [flags] SCENARIO

Explores a scenario's futures (docs/EXPLORE.md):

  sensitivity  which sampled inputs drive each headline metric, and how
               much of its variance each explains: Sobol' indices by
               Saltelli's design with bootstrap intervals, after a Morris
               screen when there are many inputs. Writes
               OUT/<scenario>-sensitivity/.
  discover     under which conditions a crisis happens: PRIM on the
               per-path inputs of a finished run (paths.csv or
               paths.parquet). Writes RUN_DIR/discover/ (or
               OUT/<scenario>-discover/ with --out).
  designs      how much Latin hypercube and quasi-Monte Carlo sampling
               narrow the estimates against plain Monte Carlo: the spread
               of the mean cumulative shortfall and of the 95th percentile
               of the peak magnet price over many seeds. Prints a table
               and writes OUT/<scenario>-designs.csv.

Flags may come before or after the arguments; each applies to the
subcommands named in its help.

Flags:
`

// exploreOptions are the flags of reesim explore.
type exploreOptions struct {
	out     string
	force   bool
	workers int
	seed    uint64
	seedSet bool
	charts  bool
	stdout  io.Writer
	stderr  io.Writer
	tty     bool

	// sensitivity
	base         int
	by           string
	metrics      []string
	maxFactors   int
	trajectories int
	bootstrap    int
	sampling     string

	// discover
	crisis      string
	minCoverage float64
	resamples   int

	// designs
	paths int
	seeds int
}

// exploreFlagUse says which subcommands use each flag.
var exploreFlagUse = map[string][]string{
	"base": {"sensitivity"}, "by": {"sensitivity"}, "metrics": {"sensitivity", "designs"}, "max-factors": {"sensitivity"},
	"trajectories": {"sensitivity"}, "bootstrap": {"sensitivity"}, "sampling": {"sensitivity"},
	"crisis": {"discover"}, "min-coverage": {"discover"}, "resamples": {"discover"},
	"paths": {"designs"}, "seeds": {"designs"},
}

// defaultSensitivityMetrics are the metrics reesim explore sensitivity
// screens and charts unless --metrics names others.
var defaultSensitivityMetrics = []string{"cum_shortfall_t", "peak_price_magnet_exchina", "peak_price_dytb_exchina", "buyer_extra_cost_musd"}

func newExploreFlags(o *exploreOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("explore", flag.ContinueOnError)
	fs.StringVar(&o.out, "out", "out", "write results under `DIR` (default: out; discover: inside RUN_DIR unless given)")
	fs.BoolVar(&o.force, "force", false, "replace existing results (default: refuse, and run nothing)")
	fs.IntVar(&o.workers, "workers", runtime.NumCPU(), "`N` paths simulated at once; results do not depend on it (default: one per CPU)")
	fs.Func("seed", "random `SEED` of the design and the bootstrap (default: the scenario's seed key; designs: seeds from 1)", func(s string) error {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return fmt.Errorf("expected a whole number of 0 or more, got %q", s)
		}
		o.seed, o.seedSet = v, true
		return nil
	})
	fs.BoolVar(&o.charts, "charts", true, "draw charts and report.html (default: true)")
	noCharts(fs, &o.charts, "write tables only, no charts or report.html (default: they are drawn)")
	fs.IntVar(&o.base, "base", 1024, "sensitivity: `N` base samples of Saltelli's design, a power of two is best; the runs are N × (factors + 2) (default: 1,024)")
	fs.Func("by", "sensitivity: `UNIT` of analysis: input (every sampled input; inputs linked by a correlation together) or group (the scenario's [[input_group]]s, the rest as one) (default: input)", func(s string) error {
		if s != "input" && s != "group" {
			return fmt.Errorf("expected input or group, got %q", s)
		}
		o.by = s
		return nil
	})
	o.by = "input"
	o.metrics = slices.Clone(defaultSensitivityMetrics)
	fs.Func("metrics", "sensitivity: comma-separated headline `METRICS` to screen and chart, the first two the key charts (default: cum_shortfall_t,peak_price_magnet_exchina,peak_price_dytb_exchina,buyer_extra_cost_musd); the tables hold every metric", func(s string) error {
		var ms []string
		for _, m := range strings.Split(s, ",") {
			m = strings.TrimSpace(m)
			if metricIndex(m) < 0 {
				var names []string
				for _, info := range sim.MetricInfo {
					names = append(names, info.Name)
				}
				return fmt.Errorf("%q is not a headline metric%s; expected names from %s", m, didYouMean(m, names), strings.Join(names, ", "))
			}
			ms = append(ms, m)
		}
		o.metrics = ms
		return nil
	})
	fs.IntVar(&o.maxFactors, "max-factors", 30, "sensitivity: with more factors than `N`, a Morris screen picks the N − 1 that matter most for the metrics and the others form one factor (default: 30)")
	fs.IntVar(&o.trajectories, "trajectories", 20, "sensitivity: `R` Morris trajectories of the screen, R × (factors + 1) runs (default: 20)")
	fs.IntVar(&o.bootstrap, "bootstrap", 500, "sensitivity: `B` bootstrap resamples of the intervals (default: 500)")
	fs.Func("sampling", "sensitivity: `DESIGN` of the base matrices: qmc, lhs or mc (default: qmc)", func(s string) error {
		if _, err := design.Parse(s); err != nil {
			return err
		}
		o.sampling = s
		return nil
	})
	o.sampling = "qmc"
	fs.StringVar(&o.crisis, "crisis", "", "discover: the crisis, `EXPR` such as 'cum_shortfall_t > 80000': a headline metric, >, >=, < or <=, and a number; several joined by 'and' (default: none; required for discover)")
	fs.Func("min-coverage", "discover: choose the densest box holding at least this `SHARE` (0 to 1) of the crisis futures (default: the box with the best balance of coverage and density)", func(s string) error {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || !(v > 0 && v <= 1) {
			return fmt.Errorf("expected a share above 0 and at most 1, got %q", s)
		}
		o.minCoverage = v
		return nil
	})
	fs.IntVar(&o.resamples, "resamples", 20, "discover: `R` random halves of the futures on which the box is found again, to check its stability (default: 20)")
	fs.IntVar(&o.paths, "paths", 1024, "designs: `N` paths of each run (default: 1,024)")
	fs.IntVar(&o.seeds, "seeds", 30, "designs: `N` seeds, one run of each design per seed (default: 30)")
	return fs
}

// didYouMean suggests a close name, or returns "".
func didYouMean(s string, names []string) string { return tomlfile.DidYouMean(s, names) }

// cmdExplore is reesim explore.
func cmdExplore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o := exploreOptions{stdout: stdout, stderr: stderr}
	fs := newExploreFlags(&o)
	pos, helped, err := parseFlags(fs, args, exploreUsage, stdout)
	if err != nil || helped {
		return err
	}
	if len(pos) == 0 {
		return errUsage{"explore needs a subcommand: sensitivity, discover or designs"}
	}
	sub, rest := pos[0], pos[1:]
	switch sub {
	case "sensitivity", "discover", "designs":
	default:
		return errUsage{fmt.Sprintf("unknown explore subcommand %q; expected sensitivity, discover or designs%s", sub, didYouMean(sub, []string{"sensitivity", "discover", "designs"}))}
	}
	var bad []string
	fs.Visit(func(f *flag.Flag) {
		if use, ok := exploreFlagUse[f.Name]; ok && !slices.Contains(use, sub) {
			bad = append(bad, fmt.Sprintf("--%s is a flag of explore %s, not of explore %s", f.Name, strings.Join(use, " and "), sub))
		}
	})
	if len(bad) > 0 {
		return errUsage{strings.Join(bad, "; ")}
	}
	switch {
	case o.workers < 1 || o.workers > maxWorkers():
		return errUsage{fmt.Sprintf("--workers must be a whole number from 1 to %d, got %d", maxWorkers(), o.workers)}
	case o.base < 2 || o.base > 1<<20:
		return errUsage{fmt.Sprintf("--base must be a whole number from 2 to %d, got %d", 1<<20, o.base)}
	case o.maxFactors < 2 || o.maxFactors > 10000:
		return errUsage{fmt.Sprintf("--max-factors must be a whole number from 2 to 10000, got %d", o.maxFactors)}
	case o.trajectories < 2 || o.trajectories > 10000:
		return errUsage{fmt.Sprintf("--trajectories must be a whole number from 2 to 10000, got %d", o.trajectories)}
	case o.bootstrap < 10 || o.bootstrap > 100000:
		return errUsage{fmt.Sprintf("--bootstrap must be a whole number from 10 to 100000, got %d", o.bootstrap)}
	case o.resamples < 2 || o.resamples > 1000:
		return errUsage{fmt.Sprintf("--resamples must be a whole number from 2 to 1000, got %d", o.resamples)}
	case o.paths < 2 || o.paths > maxPaths:
		return errUsage{fmt.Sprintf("--paths must be a whole number from 2 to %d, got %d", maxPaths, o.paths)}
	case o.seeds < 2 || o.seeds > 10000:
		return errUsage{fmt.Sprintf("--seeds must be a whole number from 2 to 10000, got %d", o.seeds)}
	case strings.TrimSpace(o.out) == "":
		return errUsage{"--out must name a folder, got an empty name"}
	}
	if len(rest) != 1 {
		what := "a scenario: a shipped scenario's name (see reesim list) or a .toml file"
		if sub == "discover" {
			what = "the results folder of a finished run (reesim run writes OUT/<scenario>/)"
		}
		return errUsage{fmt.Sprintf("explore %s takes one argument, %s; got %d", sub, what, len(rest))}
	}
	if f, ok := stderr.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			o.tty = true
		}
	}
	outSet := false
	fs.Visit(func(f *flag.Flag) { outSet = outSet || f.Name == "out" })
	start := time.Now()
	switch sub {
	case "sensitivity":
		err = exploreSensitivity(ctx, &o, rest[0])
	case "discover":
		if strings.TrimSpace(o.crisis) == "" {
			return errUsage{"explore discover needs --crisis, such as --crisis 'cum_shortfall_t > 80000'"}
		}
		err = exploreDiscover(ctx, &o, rest[0], outSet)
	case "designs":
		err = exploreDesigns(ctx, &o, rest[0])
	}
	if err == nil {
		fmt.Fprintf(stderr, "reesim explore %s: done in %s\n", sub, time.Since(start).Round(100*time.Millisecond))
	}
	if err != nil && ctx.Err() != nil {
		return errInterrupted
	}
	return err
}

// exploreDir creates the output folder final, written in a temporary
// folder and moved into place by commit.
func exploreDir(final string, o *exploreOptions) (*results.Dir, error) {
	if o.force {
		if err := results.CheckReplaceable(final); err != nil {
			return nil, err
		}
	}
	dir, err := results.Create(final, o.force)
	if err != nil {
		return nil, err
	}
	for _, n := range dir.Notes {
		fmt.Fprintf(o.stderr, "reesim explore: %s\n", n)
	}
	return dir, nil
}

// commitDir moves dir into place and says where it went (dir.Final, or
// where a clash with another run put it, with the clash as the error).
func commitDir(dir *results.Dir, o *exploreOptions) (string, error) {
	at, clash, err := dir.Settle(func(w error) { fmt.Fprintf(o.stderr, "reesim explore: warning: %v\n", w) })
	if clash != nil {
		return at, clash
	}
	return at, err
}

// progressFor returns a progress callback for n model runs of a stage.
func progressFor(o *exploreOptions, what string, n int) func(int) {
	return progress(o.stderr, what, n, time.Now(), o.tty)
}

// endProgress clears a terminal's progress line.
func endProgress(o *exploreOptions) {
	if o.tty {
		fmt.Fprint(o.stderr, "\r\033[K")
	}
}
