package study

import (
	"bytes"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/reesim/reesim/sim"
)

// TestRobustness checks regret against the recorded paths: on each future
// a variant's regret is its key metric less the smallest of any variant
// on the same future, so it is never negative and on every future some
// variant has none; the robust ranking follows the 90th percentile of
// regret, and the share meeting the thresholds matches the paths.
func TestRobustness(t *testing.T) {
	st := loadText(t, `name = "s"
base = "small.toml"
reference = "p-0"
thresholds = {cum_shortfall_t = 2000, peak_price_magnet_exchina = 400}
[[sweep]]
name = "p"
key = "stockpile.allied.size_days"
values = [0, 30, 180]
`)
	o, recs := runRecorded(t, st, Options{Paths: 300, Seed: 5})
	bo := o.Bases[0]
	n := len(recs[0][0].rows)
	zero := make([]bool, n)
	for v, vo := range bo.Variants {
		r := vo.Robustness
		if r == nil || r.Basis != "cum_shortfall_t" || r.ShareMeeting == nil {
			t.Fatalf("%s: robustness %+v", vo.Name, r)
		}
		var regret []float64
		meets := 0
		for i, row := range recs[0][v].rows {
			best := math.Inf(1)
			for w := range bo.Variants {
				best = math.Min(best, recs[0][w].rows[i][sim.MCumShort])
			}
			g := row[sim.MCumShort] - best
			regret = append(regret, g)
			if g == 0 {
				zero[i] = true
			}
			if row[sim.MCumShort] <= 2000 && row[sim.MPeakMagX] <= 400 {
				meets++
			}
		}
		mean := 0.0
		for _, g := range regret {
			mean += g / float64(n)
		}
		slices.Sort(regret)
		if math.Abs(mean-r.RegretMean) > 1e-9*(1+mean) || regret[0] < 0 || r.RegretMax != regret[n-1] || math.Abs(typ7(regret, 0.9)-r.RegretP90) > 1e-9*(1+mean) {
			t.Errorf("%s: regret mean %v, p90 %v, max %v; from the paths %v, %v, %v", vo.Name, r.RegretMean, r.RegretP90, r.RegretMax, mean, typ7(regret, 0.9), regret[n-1])
		}
		if got := *r.ShareMeeting; math.Abs(got-float64(meets)/float64(n)) > 1e-12 {
			t.Errorf("%s: share meeting the thresholds %v, from the paths %v", vo.Name, got, float64(meets)/float64(n))
		}
	}
	if slices.Contains(zero, false) {
		t.Error("a future on which every variant has regret")
	}
	for k := 1; k < len(bo.RobustRanking); k++ {
		a := bo.Variants[indexOf(bo, bo.RobustRanking[k-1])].Robustness
		b := bo.Variants[indexOf(bo, bo.RobustRanking[k])].Robustness
		if a.RegretP90 > b.RegretP90 {
			t.Errorf("robust ranking out of order: %v before %v", a.RegretP90, b.RegretP90)
		}
	}
	if !strings.Contains(bo.Robust, "rankings") {
		t.Errorf("robustness sentence %q", bo.Robust)
	}
	var b bytes.Buffer
	if err := WriteRobustnessCSV(&b, o); err != nil || strings.Count(b.String(), "\n") != 4 {
		t.Errorf("robustness.csv: %v\n%s", err, b.String())
	}
}
