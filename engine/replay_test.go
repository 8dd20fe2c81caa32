package engine

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/reesim/reesim/scenarios"
	"github.com/reesim/reesim/sim"
)

// The 2010-2014 replay (scenarios/shipped/history/2010-quota-crisis.toml) must
// reproduce the shape of the one full rare-earth crisis on record, which is
// what its behavioural parameters were calibrated on (docs/CALIBRATION.md).
// The checks are on the median path: the p50 of each series in each month.
// Observed (market.md §4a, §4b, §5a): Nd oxide export price ~10-20x its
// end-2009 level at the Q3-2011 peak; Dy oxide ~20-30x; China's domestic
// prices far below the export prices; year-end 2013 prices a quarter of
// the peak; consumption outside China cut by substitution (Sprecher et al.
// 2017: up to 10 % of demand a year). Two further checks guard the magnet
// market: dear oxide passes into the ex-China magnet price, and magnets do
// not pile up outside China (China exports in a glut only what ex-China
// lacks, docs/MODEL.md §3.9).

const (
	replayScenario = "history/2010-quota-crisis"
	replayPaths    = 400
	replaySeed     = 2010
)

// Months of the replay, counted from its start in January 2009.
const (
	jan2011 = 24
	dec2012 = 47
	dec2013 = 59
)

type replay struct {
	r     *Result
	T     int
	start int // first month as year*12 + month-1
}

// median returns the median of series s in month t.
func (rp replay) median(s, t int) float64 { return rp.r.Series.At(s*rp.T + t).Quantile(0.5) }

// base returns the 2009 average of the median path of series s.
func (rp replay) base(s int) float64 {
	var v float64
	for t := 0; t < 12; t++ {
		v += rp.median(s, t)
	}
	return v / 12
}

// multiple returns the median path of series s in month t over its 2009
// average.
func (rp replay) multiple(s, t int) float64 { return rp.median(s, t) / rp.base(s) }

// peak returns the highest multiple of series s over the horizon and its
// month.
func (rp replay) peak(s int) (float64, int) {
	best, at := math.Inf(-1), -1
	for t := 0; t < rp.T; t++ {
		if m := rp.multiple(s, t); m > best {
			best, at = m, t
		}
	}
	return best, at
}

func runReplay(t *testing.T) replay {
	t.Helper()
	s, err := scenarios.Load(replayScenario)
	if err != nil {
		// Not among the embedded scenarios: read it from the source tree.
		var err2 error
		if s, err2 = scenarios.Load("../scenarios/shipped/history/2010-quota-crisis.toml"); err2 != nil {
			t.Fatalf("%v; from the source tree: %v", err, err2)
		}
	}
	c, err := scenarios.Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Run(context.Background(), c, Options{Paths: replayPaths, Seed: replaySeed, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if r.Paths != replayPaths {
		t.Fatalf("ran %d paths, asked for %d", r.Paths, replayPaths)
	}
	if got, want := scenarios.MonthString(c.Model.StartAbs), "2009-01"; got != want {
		t.Fatalf("the replay starts in %s; the checks assume %s", got, want)
	}
	return replay{r: r, T: c.Model.Months, start: c.Model.StartAbs}
}

func (rp replay) monthName(t int) string { return scenarios.MonthString(rp.start + t) }

func TestReplay2010QuotaCrisis(t *testing.T) {
	rp := runReplay(t)
	if rp.T < dec2013+1 {
		t.Fatalf("the replay runs %d months; the checks need it to reach December 2013", rp.T)
	}

	// The observed prices of the episode (2010-quota-crisis.observed.csv)
	// fall inside the model's p5-p95 band in their month: at least 75 %
	// of the ex-China observations and 60 % of China's domestic ones.
	obs := rp.observations(t)
	var in, n [2]int
	for _, o := range obs {
		sk := rp.r.Series.At(o.series*rp.T + o.month)
		lo, hi := sk.Quantile(0.05), sk.Quantile(0.95)
		n[o.china]++
		inside := o.value >= lo && o.value <= hi
		if inside {
			in[o.china]++
		}
		if testing.Verbose() {
			mark := " "
			if inside {
				mark = "*"
			}
			t.Logf("%s %s %-22s observed %8.1f, p5 %8.1f, p50 %8.1f, p95 %8.1f", mark, rp.monthName(o.month), o.name, o.value, lo, sk.Quantile(0.5), hi)
		}
	}
	if n[0] < 10 || n[1] < 8 {
		t.Fatalf("%d ex-China and %d China observations in the horizon; the file has more", n[0], n[1])
	}
	if in[0]*4 < n[0]*3 {
		t.Errorf("%d of %d ex-China price observations inside the p5-p95 band, want at least 75 %%", in[0], n[0])
	}
	if in[1]*5 < n[1]*3 {
		t.Errorf("%d of %d China domestic price observations inside the p5-p95 band, want at least 60 %%", in[1], n[1])
	}
	t.Logf("observations inside the p5-p95 band: ex-China %d of %d, China %d of %d", in[0], n[0], in[1], n[1])

	// Ex-China NdPr (Nd oxide) price: peaks in 2011-2012 at 5-20x its 2009
	// average (observed ~14x: ~$260/kg over ~$18/kg, Q3 2011).
	nd, ndAt := rp.peak(sim.SPriceNdPrX)
	if ndAt < jan2011 || ndAt > dec2012 {
		t.Errorf("ex-China NdPr price peaks in %s; want in 2011-2012", rp.monthName(ndAt))
	}
	if nd < 5 || nd > 20 {
		t.Errorf("ex-China NdPr price peaks at %.1fx its 2009 average; want 5-20x", nd)
	}

	// Dy/Tb rises more than NdPr (observed ~20-30x against ~14x).
	dy, dyAt := rp.peak(sim.SPriceDyTbX)
	if !(dy > nd) {
		t.Errorf("ex-China Dy/Tb price peaks at %.1fx (%s), NdPr at %.1fx: want Dy/Tb above NdPr", dy, rp.monthName(dyAt), nd)
	}

	// China's domestic prices rise too (observed: Dy oxide ~$1,290/kg in
	// September 2011, ~11x, Nd oxide ~9x), with the quotas and the State
	// Reserve, though less than ex-China's at their peak.
	for _, k := range []struct {
		name   string
		cn, ex int
		exMult float64
	}{
		{"NdPr", sim.SPriceNdPrCN, sim.SPriceNdPrX, nd},
		{"Dy/Tb", sim.SPriceDyTbCN, sim.SPriceDyTbX, dy},
	} {
		cn, at := rp.peak(k.cn)
		if !(cn > 1.5) || !(cn < k.exMult) {
			t.Errorf("%s: China's domestic price peaks at %.2fx its 2009 average (%s), ex-China at %.1fx: want above 1.5x and below ex-China's", k.name, cn, rp.monthName(at), k.exMult)
		}
	}

	// Prices fall back: by December 2013 both are below half their peak
	// (observed: Nd oxide $65-70 and Dy oxide $440-490/kg, about a quarter
	// of the peak).
	for _, k := range []struct {
		name string
		s    int
		peak float64
	}{{"NdPr", sim.SPriceNdPrX, nd}, {"Dy/Tb", sim.SPriceDyTbX, dy}} {
		if m := rp.multiple(k.s, dec2013); !(m < 0.5*k.peak) {
			t.Errorf("%s: ex-China price in December 2013 is %.1fx its 2009 average, peak %.1fx: want below half the peak", k.name, m, k.peak)
		}
	}

	// Consumption outside China falls while prices are high: in the months
	// of 2010-2014 when the ex-China NdPr price is above 3x its 2009
	// average, ex-China magnet consumption is below its 2009 level.
	var sum float64
	var cnt int
	for t := 12; t < rp.T; t++ {
		if rp.multiple(sim.SPriceNdPrX, t) > 3 {
			sum += rp.multiple(sim.SMagConsX, t)
			cnt++
		}
	}
	if cnt == 0 {
		t.Fatal("the ex-China NdPr price never exceeds 3x its 2009 average")
	}
	if c := sum / float64(cnt); !(c < 1) {
		t.Errorf("ex-China magnet consumption averages %.3f of its 2009 level in the %d high-price months; want below 1", c, cnt)
	}

	// Magnet makers outside China pass their dearer oxide into the magnet
	// price (the cost floor, docs/MODEL.md §3.12): the ex-China magnet
	// price at least doubles in 2011-2012.
	var mag float64
	for t := jan2011; t <= dec2012; t++ {
		mag = math.Max(mag, rp.multiple(sim.SPriceMagX, t))
	}
	if !(mag >= 2) {
		t.Errorf("ex-China magnet price peaks at %.2fx its 2009 average in 2011-2012; want at least 2x", mag)
	}

	if testing.Verbose() {
		t.Logf("median path: NdPr peak %.1fx in %s, Dy/Tb peak %.1fx in %s; Dec 2013 NdPr %.1fx, Dy/Tb %.1fx; ex-China consumption %.3f of 2009 over %d high-price months; ex-China magnet price peak %.2fx",
			nd, rp.monthName(ndAt), dy, rp.monthName(dyAt), rp.multiple(sim.SPriceNdPrX, dec2013), rp.multiple(sim.SPriceDyTbX, dec2013), sum/float64(cnt), cnt, mag)
	}
}

// observation is one observed price of the replay's episode.
type observation struct {
	name   string // the series as the file names it
	series int    // the model's series it is compared with
	month  int    // months from the start
	value  float64
	china  int // 1 for China's domestic prices, 0 for ex-China's
}

// observations reads the replay's observed prices that fall in its
// horizon: export and China domestic prices of NdPr (Nd oxide) and Dy/Tb
// (Dy oxide), each compared with the model's series of the same month.
// The end-2009 export price, which the file marks as the base of the
// multiples and not an observation, and the annual averages are left out.
func (rp replay) observations(t *testing.T) []observation {
	t.Helper()
	s, err := scenarios.Load(replayScenario)
	if err != nil {
		t.Fatal(err)
	}
	b, ok := scenarios.Observed(s)
	if !ok {
		t.Fatal("the replay has no observed.csv")
	}
	series := map[string]int{"price_ndpr_exchina": sim.SPriceNdPrX, "price_dytb_exchina": sim.SPriceDyTbX,
		"price_ndpr_china": sim.SPriceNdPrCN, "price_nd_oxide_china": sim.SPriceNdPrCN, "price_dytb_china": sim.SPriceDyTbCN}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []observation
	for _, r := range rows[1:] {
		s, ok := series[r[1]]
		if !ok || strings.Contains(r[4], "Not an observation") {
			continue
		}
		var y, m int
		if _, err := fmt.Sscanf(r[0], "%d-%d", &y, &m); err != nil {
			t.Fatalf("observed date %q: %v", r[0], err)
		}
		mo := y*12 + m - 1 - rp.start
		if mo < 0 || mo >= rp.T {
			continue
		}
		v, err := strconv.ParseFloat(r[2], 64)
		if err != nil {
			t.Fatal(err)
		}
		ch := 0
		if strings.HasSuffix(r[1], "_china") {
			ch = 1
		}
		out = append(out, observation{name: r[1], series: s, month: mo, value: v, china: ch})
	}
	return out
}
