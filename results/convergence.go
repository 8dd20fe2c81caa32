package results

import (
	"encoding/csv"
	"io"
	"math"
	"strconv"

	"github.com/reesim/reesim/engine"
	"github.com/reesim/reesim/sim"
)

// z95 is the standard normal quantile of a two-sided 95 % interval.
const z95 = 1.959963984540054

// WriteConvergence writes convergence.csv: for each headline metric and
// each checkpoint of the run (after 64 paths, then about 1.25 times more
// each time, and after the last path), the mean of the metric over the
// first paths paths with its Monte Carlo standard error and 95 %
// confidence interval, in long format.
func WriteConvergence(w io.Writer, r *engine.Result) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"metric", "unit", "paths", "mean", "se", "ci95_lo", "ci95_hi"})
	cps := r.Checkpoints
	if n := len(cps); n == 0 || cps[n-1].Paths != r.Paths {
		cps = append(cps[:n:n], engine.Checkpoint{Paths: r.Paths, Metric: r.Metric})
	}
	for k, info := range sim.MetricInfo {
		for _, cp := range cps {
			m := cp.Metric[k]
			se := m.SE()
			if math.IsNaN(se) {
				se = 0
			}
			cw.Write([]string{info.Name, info.Unit, strconv.Itoa(cp.Paths), FormatNumber(m.Mean), FormatNumber(se), FormatNumber(m.Mean - z95*se), FormatNumber(m.Mean + z95*se)})
		}
	}
	cw.Flush()
	return cw.Error()
}
