package main

import (
	"context"
	"flag"
	"fmt"
	"github.com/reesim/reesim/internal/tomlfile"
	"math"
	"math/bits"
	"strconv"
	"strings"

	"github.com/reesim/reesim/design"
	"github.com/reesim/reesim/scenarios"
	"github.com/reesim/reesim/sim"
	"github.com/reesim/reesim/study"
)

// precisionLimit is the most paths reesim run --precision simulates when
// --paths is not given, as for studies.
const precisionLimit = study.DefaultPathLimit

// precisionFlags defines --precision and --precision-metric on fs.
func precisionFlags(fs *flag.FlagSet, o *runOptions) {
	o.precisionMetric = "cum_shortfall_t"
	fs.Func("precision", "add paths in doubling stages (1,024, 2,048, ...) until the 95 % confidence interval of the mean of --precision-metric is narrower than ± `X`, in the metric's unit, or ± X % of the mean when written with %, or --paths is reached, 100,000 when not given (default: off: run --paths paths)", func(s string) error {
		rel := strings.HasSuffix(s, "%")
		v, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(s, "%")), 64)
		if err != nil || !(v > 0) || math.IsInf(v, 0) || rel && v >= 100 {
			return fmt.Errorf("expected a number above 0 (such as 500), or a percentage of the mean from 0 to 100 (such as 2%%), got %q", s)
		}
		if rel {
			v /= 100
		}
		o.precision, o.precisionRel = v, rel
		return nil
	})
	fs.Func("precision-metric", "the headline `METRIC` whose mean --precision is about (default: cum_shortfall_t)", func(s string) error {
		if metricIndex(s) < 0 {
			var names []string
			for _, m := range sim.MetricInfo {
				names = append(names, m.Name)
			}
			return fmt.Errorf("expected a headline metric (%s), got %q%s", strings.Join(names, ", "), s, tomlfile.DidYouMean(s, names))
		}
		o.precisionMetric = s
		return nil
	})
}

// metricIndex returns the index of the headline metric name, or -1.
func metricIndex(name string) int {
	for i, m := range sim.MetricInfo {
		if m.Name == name {
			return i
		}
	}
	return -1
}

// samplingOf returns the sampling design of a run of s: the --sampling
// flag's, else the scenario's sampling key.
func samplingOf(s *scenarios.Scenario, o *runOptions) (design.Kind, error) {
	if o.sampling != "" {
		return design.Parse(o.sampling)
	}
	k, err := design.Parse(s.Sampling)
	if err != nil {
		return k, fmt.Errorf("scenario %s: sampling: %w", s.Name, err)
	}
	return k, nil
}

// samplingArg is the --sampling flag that makes a run of design k again,
// or "" for plain Monte Carlo.
func samplingArg(k design.Kind) string {
	if k == design.MC {
		return ""
	}
	return " --sampling " + k.String()
}

// qmcWarning says why a QMC run of n paths is not at its best, or returns
// "" when n is a power of two.
func qmcWarning(name string, n int) string {
	if n < 1 || bits.OnesCount(uint(n)) == 1 {
		return ""
	}
	lo := 1 << (bits.Len(uint(n)) - 1)
	return fmt.Sprintf("reesim run: warning: %s: --sampling qmc with %s paths, not a power of two: the design's points are evenly spread only in runs of 2^k paths (and 3^k, 5^k, ... in its other dimensions), so the estimates are not as precise as they could be; use --paths %s or %s",
		name, groupInt(n), groupInt(lo), groupInt(2*lo))
}

// simulateAll runs the scenario's paths: paths of them, or, with
// --precision, doubling stages until the mean of the precision metric is
// known to the precision asked or paths are done. Every stage is a whole
// number of Latin hypercube slices and engine blocks, so the result is
// the same, byte for byte, as a run of the same number of paths without
// --precision.
func (r *scenarioRun) simulateAll(ctx context.Context, paths int) error {
	o := r.o
	name := r.lr.Compiled().Scenario.Name
	if o.precision <= 0 {
		if r.lr.Sampling == design.QMC {
			if w := qmcWarning(name, paths); w != "" {
				fmt.Fprintln(o.stderr, w)
			}
		}
		return r.simulate(ctx, paths, nil)
	}
	k := metricIndex(o.precisionMetric)
	info := sim.MetricInfo[k]
	done := 0
	for {
		target := min(paths, max(study.FirstStage, 2*done))
		if err := r.simulate(ctx, target-done, nil); err != nil {
			return err
		}
		if ctx.Err() != nil || r.res.Partial {
			return nil
		}
		done = target
		m := r.res.Metric[k]
		hw, goal := study.Z95*m.SE(), o.precision
		what := fmt.Sprintf("%s %s", human(goal, ""), info.Unit)
		if o.precisionRel {
			goal *= math.Abs(m.Mean)
			what = fmt.Sprintf("%s %% of the mean, %s %s", human(100*o.precision, ""), human(goal, ""), info.Unit)
		}
		fmt.Fprintf(o.stderr, "%s: %s paths: mean %s %s ± %s %s (95 %% CI half-width; target %s)\n",
			name, groupInt(done), info.Name, human(m.Mean, ""), human(hw, ""), info.Unit, what)
		if hw < goal {
			fmt.Fprintf(o.stderr, "%s: precision reached at %s paths\n", name, groupInt(done))
			break
		}
		if target == paths {
			fmt.Fprintf(o.stderr, "%s: stopped at the path limit of %s paths before reaching the precision asked (raise it with --paths)\n", name, groupInt(paths))
			if r.lr.Sampling == design.QMC {
				if w := qmcWarning(name, paths); w != "" {
					fmt.Fprintln(o.stderr, w)
				}
			}
			break
		}
	}
	return nil
}
