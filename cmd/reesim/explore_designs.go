package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"text/tabwriter"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/reesim/reesim/design"
	"github.com/reesim/reesim/engine"
	"github.com/reesim/reesim/results"
	"github.com/reesim/reesim/scenarios"
)

// designEstimates are the estimates whose spread over seeds reesim
// explore designs measures: the mean of a metric, or a percentile.
type designEstimate struct {
	metric string
	q      float64 // 0: the mean; else the quantile
}

func (e designEstimate) name() string {
	if e.q == 0 {
		return "mean " + e.metric
	}
	return fmt.Sprintf("p%g %s", 100*e.q, e.metric)
}

// exploreDesigns is reesim explore designs: for each sampling design,
// runs of o.paths paths with seeds 1..o.seeds (or from --seed), and the
// spread over seeds of the mean cumulative shortfall and the 95th
// percentile of the peak ex-China magnet price.
func exploreDesigns(ctx context.Context, o *exploreOptions, arg string) error {
	s, err := scenarios.Load(arg)
	if err != nil {
		return err
	}
	c, err := scenarios.Compile(s)
	if err != nil {
		return err
	}
	first := uint64(1)
	if o.seedSet {
		first = o.seed
	}
	name := filepath.Join(o.out, s.Name+"-designs.csv")
	seedName := filepath.Join(o.out, s.Name+"-designs-seeds.csv")
	for _, f := range []string{name, seedName} {
		if _, err := os.Lstat(f); err == nil && !o.force {
			return fmt.Errorf("%s already exists: use --force to replace it, or --out to write elsewhere", f)
		}
	}
	if err := results.CheckWritable(o.out); err != nil {
		return err
	}
	ests := []designEstimate{{"cum_shortfall_t", 0}, {"peak_price_magnet_exchina", 0.95}}
	kinds := []design.Kind{design.MC, design.LHS, design.QMC}
	// vals[kind][estimate][seed]
	vals := make([][][]float64, len(kinds))
	var perSeed [][]string
	fmt.Fprintf(o.stdout, "%s: %d seeds × %s paths per design (%s runs)\n", s.Name, o.seeds, groupInt(o.paths), groupInt(3*o.seeds*o.paths))
	if w := qmcWarning(s.Name, o.paths); w != "" {
		fmt.Fprintln(o.stderr, w)
	}
	col := make([][]float64, len(ests))
	for ki, kind := range kinds {
		vals[ki] = make([][]float64, len(ests))
		for sd := range o.seeds {
			seed := first + uint64(sd)
			for e := range col {
				col[e] = col[e][:0]
			}
			res, err := engine.Run(ctx, c, engine.Options{Paths: o.paths, Seed: seed, Workers: o.workers, Sampling: kind,
				Row: func(_ int, _, m []float64) error {
					for e, est := range ests {
						col[e] = append(col[e], m[metricIndex(est.metric)])
					}
					return nil
				}})
			if err != nil {
				return err
			}
			if ctx.Err() != nil {
				return errInterrupted
			}
			rec := []string{kind.String(), strconv.FormatUint(seed, 10), strconv.Itoa(res.Paths)}
			for e, est := range ests {
				v := res.Metric[metricIndex(est.metric)].Mean
				if est.q > 0 {
					slices.Sort(col[e])
					v = stat.Quantile(est.q, stat.LinInterp, col[e], nil)
				}
				vals[ki][e] = append(vals[ki][e], v)
				rec = append(rec, results.FormatNumber(v))
			}
			perSeed = append(perSeed, rec)
			fmt.Fprintf(o.stderr, "\r%s: %s seed %d of %d", s.Name, kind, sd+1, o.seeds)
		}
	}
	fmt.Fprint(o.stderr, "\r\033[K")
	tw := tabwriter.NewWriter(o.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "estimate\tdesign\tmean over seeds\tSD over seeds\tvariance reduction vs mc\t95 % CI\t")
	var rows [][]string
	for e, est := range ests {
		_, mcSD := stat.MeanStdDev(vals[0][e], nil)
		for ki, kind := range kinds {
			m, sd := stat.MeanStdDev(vals[ki][e], nil)
			ratio, lo, hi := varianceRatio(mcSD, sd, o.seeds)
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s to %s\t\n", est.name(), kind, human(m, ""), human(sd, ""), ratioText(ratio), ratioText(lo), ratioText(hi))
			rows = append(rows, []string{est.name(), kind.String(), strconv.Itoa(o.seeds), strconv.Itoa(o.paths), results.FormatNumber(m), results.FormatNumber(sd), results.FormatNumber(ratio), results.FormatNumber(lo), results.FormatNumber(hi)})
		}
	}
	tw.Flush()
	head := []string{"estimate", "design", "seeds", "paths", "mean", "sd_over_seeds", "variance_reduction_vs_mc", "ci95_lo", "ci95_hi"}
	if err := results.WriteFileAtomic(name, func(w io.Writer) error {
		if err := writeCSV(w, head, rows); err != nil {
			return err
		}
		_, err := fmt.Fprintln(w)
		return err
	}); err != nil {
		return err
	}
	seedHead := []string{"design", "seed", "paths"}
	for _, est := range ests {
		seedHead = append(seedHead, est.name())
	}
	if err := results.WriteFileAtomic(seedName, func(w io.Writer) error { return writeCSV(w, seedHead, perSeed) }); err != nil {
		return err
	}
	fmt.Fprintf(o.stdout, "Variance reduction: the variance over seeds of plain Monte Carlo's estimate divided by the design's, at equal paths (95 %% CI from the F distribution). Tables: %s, %s\n", name, seedName)
	return nil
}

// varianceRatio returns (sdMC/sd)² and its 95 % confidence interval from
// the F distribution with n−1 and n−1 degrees of freedom.
func varianceRatio(sdMC, sd float64, n int) (r, lo, hi float64) {
	if sd == 0 {
		return math.Inf(1), math.Inf(1), math.Inf(1)
	}
	r = sdMC * sdMC / (sd * sd)
	f := distuv.F{D1: float64(n - 1), D2: float64(n - 1)}
	return r, r / f.Quantile(0.975), r / f.Quantile(0.025)
}

// ratioText writes a variance ratio.
func ratioText(r float64) string {
	if math.IsInf(r, 1) {
		return "∞"
	}
	return strconv.FormatFloat(round4(r), 'f', -1, 64) + "×"
}
