package plots

import (
	"context"
	"fmt"
	"math"
	"path/filepath"

	"github.com/reesim/reesim/internal/stat"
	"github.com/reesim/reesim/report"
	"github.com/reesim/reesim/results"
)

// differencesOf compares a run with the results of the scenario it
// extends, when they are in the folder beside it (as a batch that names
// both writes them) and were made with the same seed, paths and version:
// path i of both then draws the same shocks, and the difference of the
// two means is the mean of the paired differences. Its standard error
// comes from the paired differences on the sample of paths. It returns
// nil when the scenario extends nothing. When ctx is done the parent's
// paths are not read and the note says why.
func differencesOf(ctx context.Context, r *run) *report.Differences {
	m := r.Manifest
	if m.Extends == "" {
		return nil
	}
	d := &report.Differences{Parent: m.Extends}
	for _, c := range m.Changes {
		d.Changes = append(d.Changes, report.Change{Label: inputLabel(c.Key), Key: c.Key, Parent: c.Parent, Value: c.Value})
	}
	how := fmt.Sprintf("To see what the changes do to the headline numbers on the same futures, run %s with the same seed and paths into the same folder, for example in one batch with this scenario: reesim run --paths %d --seed %d %s %s.",
		m.Extends, m.Paths, m.Seed, m.Extends, m.Scenario)
	dir := filepath.Join(filepath.Dir(r.Dir), m.Extends)
	var ps results.Summary
	var pm results.Manifest
	if readJSON(filepath.Join(dir, "summary.json"), &ps) != nil || readJSON(filepath.Join(dir, "manifest.json"), &pm) != nil {
		d.Note = "The results of " + m.Extends + " are not beside this run's. " + how
		return d
	}
	if pm.Seed != m.Seed || pm.Paths != m.Paths || pm.Partial || m.Partial || pm.Version != m.Version || pm.Commit != m.Commit {
		d.Note = fmt.Sprintf("The results of %s beside this run's were made with another seed, number of paths or reesim version (seed %d, %s paths, %s %s), so the paths do not pair. %s",
			m.Extends, pm.Seed, group(fmt.Sprint(pm.Paths)), pm.Version, shortCommit(pm.Commit), how)
		return d
	}
	var names []string
	for _, x := range ps.Metrics {
		names = append(names, x.Name)
	}
	sample, err := readSample(ctx, dir, names, r.Paths.N)
	if err != nil {
		d.Note = "The paths of " + m.Extends + " could not be read (" + err.Error() + "). " + how
		return d
	}
	parent := sample.table()
	for _, x := range r.Summary.Metrics {
		var p *results.Metric
		for i := range ps.Metrics {
			if ps.Metrics[i].Name == x.Name {
				p = &ps.Metrics[i]
			}
		}
		if p == nil || (x.Mean == 0 && p.Mean == 0) {
			continue
		}
		a, b := r.Paths.Metric[x.Name], parent.Metric[x.Name]
		n := min(len(a), len(b))
		if n < 2 {
			continue
		}
		var mo stat.Moments
		higher := 0
		for i := range n {
			mo.Add(a[i] - b[i])
			// paths.csv keeps 7 significant digits: a path the changes
			// leave alone may differ in the last one.
			if a[i]-b[i] > 1e-6*math.Max(math.Abs(a[i]), math.Abs(b[i])) {
				higher++
			}
		}
		diff := x.Mean - p.Mean
		se := mo.SD() / math.Sqrt(float64(m.Paths))
		e := report.Effect{
			Title:  x.Title + " (" + x.Unit + ")",
			Parent: qty(p.Mean, p.Unit), Value: qty(x.Mean, x.Unit),
			Diff: signedQty(diff, x.Unit), CI: rangeText(diff-1.96*se, diff+1.96*se, x.Unit),
			Higher: futures(float64(higher) / float64(n)),
		}
		d.Effects = append(d.Effects, e)
	}
	d.Note = fmt.Sprintf("Means over all %s paths of each run; the confidence intervals and the share of futures in which this scenario's value is higher are taken from the paired differences of the first %s paths. Metrics that are zero in both runs are left out.",
		group(fmt.Sprint(m.Paths)), group(fmt.Sprint(min(r.Paths.N, parent.N))))
	return d
}

// signedQty writes a difference with its sign: "+12,300 t", "−$1.2 bn",
// and a difference of shares in percentage points: "−2.26 points".
func signedQty(v float64, unit string) string {
	if v == 0 {
		return "no change"
	}
	s := qty(math.Abs(v), unit)
	if unit == "share" || unit == "0/1" {
		s = num(100*math.Abs(v)) + " points"
	}
	if v < 0 {
		return "−" + s
	}
	return "+" + s
}
