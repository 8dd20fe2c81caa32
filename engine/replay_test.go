package engine

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/reesim/reesim/scenarios"
	"github.com/reesim/reesim/sim"
)

// The 2010-2014 replay (scenarios/history/2010-quota-crisis.toml) must
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
	dec2011 = 35
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
		if s, err2 = scenarios.Load("../scenarios/history/2010-quota-crisis.toml"); err2 != nil {
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

	// Ex-China NdPr (Nd oxide) price: peaks during 2011 at 5-20x its 2009
	// average (observed ~14x: ~$260/kg over ~$18/kg).
	nd, ndAt := rp.peak(sim.SPriceNdPrX)
	if ndAt < jan2011 || ndAt > dec2011 {
		t.Errorf("ex-China NdPr price peaks in %s; want during 2011", rp.monthName(ndAt))
	}
	if nd < 5 || nd > 20 {
		t.Errorf("ex-China NdPr price peaks at %.1fx its 2009 average; want 5-20x", nd)
	}

	// Dy/Tb rises more than NdPr (observed ~20-30x against ~14x).
	dy, dyAt := rp.peak(sim.SPriceDyTbX)
	if !(dy > nd) {
		t.Errorf("ex-China Dy/Tb price peaks at %.1fx (%s), NdPr at %.1fx: want Dy/Tb above NdPr", dy, rp.monthName(dyAt), nd)
	}

	// China's domestic price rises far less: at the ex-China peak its
	// multiple is below half the ex-China multiple, for both oxides.
	for _, k := range []struct {
		name   string
		cn, ex int
		at     int
		exMult float64
	}{
		{"NdPr", sim.SPriceNdPrCN, sim.SPriceNdPrX, ndAt, nd},
		{"Dy/Tb", sim.SPriceDyTbCN, sim.SPriceDyTbX, dyAt, dy},
	} {
		if cn := rp.multiple(k.cn, k.at); !(cn < 0.5*k.exMult) {
			t.Errorf("%s: China's domestic price is %.2fx its 2009 average at the ex-China peak (%s), ex-China %.1fx: want below half", k.name, cn, rp.monthName(k.at), k.exMult)
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
	var n int
	var high []string
	for t := 12; t < rp.T; t++ {
		if rp.multiple(sim.SPriceNdPrX, t) > 3 {
			sum += rp.multiple(sim.SMagConsX, t)
			n++
			high = append(high, rp.monthName(t))
		}
	}
	if n == 0 {
		t.Fatal("the ex-China NdPr price never exceeds 3x its 2009 average")
	}
	if c := sum / float64(n); !(c < 1) {
		t.Errorf("ex-China magnet consumption averages %.3f of its 2009 level in the %d high-price months (%s); want below 1", c, n, strings.Join(high, " "))
	}

	// Magnet makers outside China pass their dearer oxide into the magnet
	// price (the cost floor, docs/MODEL.md §3.12): the ex-China magnet
	// price at least doubles in 2011-2012 ([D] cost pass-through of the
	// observed Nd and Dy peaks would make a ~$40 magnet ~4.5x dearer,
	// docs/CALIBRATION.md §3).
	var mag float64
	for t := jan2011; t <= dec2012; t++ {
		mag = math.Max(mag, rp.multiple(sim.SPriceMagX, t))
	}
	if !(mag >= 2) {
		t.Errorf("ex-China magnet price peaks at %.2fx its 2009 average in 2011-2012; want at least 2x", mag)
	}

	// Magnets do not pile up outside China: in 2011 ex-China magnet supply
	// (production plus imports) is at most 1.25 times ex-China consumption.
	// This guards the glut rule of docs/MODEL.md §3.9 (China exports only
	// what ex-China lacks at its price): before it, supply ran at ~2.5x
	// consumption in the replay.
	var sup, con float64
	for t := jan2011; t <= dec2011; t++ {
		sup += rp.median(sim.SMagSupplyX, t)
		con += rp.median(sim.SMagConsX, t)
	}
	if !(sup <= 1.25*con) {
		t.Errorf("ex-China magnet supply in 2011 is %.2f times ex-China consumption; want at most 1.25 (magnets piling up in stocks outside China)", sup/con)
	}

	if testing.Verbose() {
		t.Logf("median path: NdPr peak %.1fx in %s, Dy/Tb peak %.1fx in %s; China NdPr %.2fx at the NdPr peak; Dec 2013 NdPr %.1fx, Dy/Tb %.1fx; ex-China consumption %.3f of 2009 over %d high-price months",
			nd, rp.monthName(ndAt), dy, rp.monthName(dyAt), rp.multiple(sim.SPriceNdPrCN, ndAt),
			rp.multiple(sim.SPriceNdPrX, dec2013), rp.multiple(sim.SPriceDyTbX, dec2013), sum/float64(n), n)
		t.Logf("ex-China magnet price peak in 2011-2012 %.2fx; ex-China magnet supply / consumption in 2011 %.3f", mag, sup/con)
	}
}
