package engine

import (
	"context"
	"math"
	"path/filepath"
	"slices"
	"testing"

	"github.com/reesim/reesim/scenarios"
	"github.com/reesim/reesim/sim"
)

// extremeRun is a run of one of the scenarios in testdata/extreme, with
// every path's metrics.
type extremeRun struct {
	r       *Result
	metrics [][]float64 // per path, in the order of sim.MetricInfo
}

// runExtreme runs testdata/extreme/NAME.toml over a few hundred paths and
// checks what every extreme but valid scenario must give: no path error,
// and finite means and percentiles.
func runExtreme(t *testing.T, name string) extremeRun {
	t.Helper()
	s, err := scenarios.Load(filepath.Join("testdata", "extreme", name+".toml"))
	if err != nil {
		t.Fatalf("%s:\n%v", name, err)
	}
	c, err := scenarios.Compile(s)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var out extremeRun
	out.r, err = Run(context.Background(), c, Options{Paths: 320, Seed: 1, Workers: 2,
		Row: func(_ int, _, m []float64) error { out.metrics = append(out.metrics, slices.Clone(m)); return nil }})
	if err != nil {
		t.Fatalf("%s: %v", name, err) // a PathError names the path to trace
	}
	T := c.Model.Months
	for s := 0; s < sim.NumSeries; s++ {
		for m := 0; m < T; m++ {
			v := []float64{out.r.SeriesMean[s][m], out.r.Series.At(s*T + m).Quantile(0.05), out.r.Series.At(s*T + m).Quantile(0.95)}
			if !finite(v...) {
				t.Fatalf("%s: %s in month %d: mean, p5, p95 = %v", name, sim.SeriesInfo[s].Name, m+1, v)
			}
		}
	}
	for k, mo := range out.r.Metric {
		if !finite(mo.Mean, mo.SE(), out.r.MetricSketch.At(k).Quantile(0.5)) {
			t.Fatalf("%s: %s: mean %v, se %v", name, sim.MetricInfo[k].Name, mo.Mean, mo.SE())
		}
	}
	return out
}

func finite(vs ...float64) bool {
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// metric returns the index of the headline metric name.
func metric(t *testing.T, name string) int {
	t.Helper()
	for k, info := range sim.MetricInfo {
		if info.Name == name {
			return k
		}
	}
	t.Fatalf("no metric %s", name)
	return -1
}

// column returns metric name on every path.
func (e extremeRun) column(t *testing.T, name string) []float64 {
	k := metric(t, name)
	out := make([]float64, len(e.metrics))
	for i, m := range e.metrics {
		out[i] = m[k]
	}
	return out
}

func (e extremeRun) mean(t *testing.T, name string) float64 {
	return e.r.Metric[metric(t, name)].Mean
}

// seriesMax returns the largest monthly mean of series s.
func (e extremeRun) seriesMax(s int) float64 { return slices.Max(e.r.SeriesMean[s]) }

// Extreme but valid scenarios run to the end with finite, sensible
// results. Each test says what "sensible" means for its scenario.
func TestExtremeNoCapacityOutsideChina(t *testing.T) {
	e := runExtreme(t, "no-exchina")
	for _, s := range []int{sim.SMagProdX, sim.SNdPrProdX, sim.SDyTbProdX} {
		if got := e.seriesMax(s); got != 0 {
			t.Errorf("%s reaches %v t/month on average with no capacity outside China, want 0", sim.SeriesInfo[s].Name, got)
		}
	}
	if got := e.mean(t, "mean_china_share_exchina"); got < 0.9 {
		t.Errorf("mean Chinese share of ex-China supply %v, want nearly all of it", got)
	}
	base := runExtreme(t, "tariff-0") // the same world with its US chain
	if a, b := e.mean(t, "cum_shortfall_t"), base.mean(t, "cum_shortfall_t"); !(a > b) {
		t.Errorf("mean cumulative shortfall %v without the US chain, %v with it; want more without", a, b)
	}
}

func TestExtremeTotalBan(t *testing.T) {
	e := runExtreme(t, "total-ban")
	for _, s := range []int{sim.SExportMag, sim.SExportNdPr, sim.SExportDyTb} {
		if got := e.seriesMax(s); got != 0 {
			t.Errorf("%s reaches %v t/month on average under a total ban, want 0", sim.SeriesInfo[s].Name, got)
		}
	}
	// The ex-China magnet price reaches its cap (40 times the reference
	// price of 150 $/kg, the default) on some paths, comes close on all,
	// and never passes it.
	const cap = 40 * 150
	peaks := e.column(t, "peak_price_magnet_exchina")
	if hi := slices.Max(peaks); hi < 0.999*cap || hi > 1.000001*cap {
		t.Errorf("highest peak ex-China magnet price %v, want the cap %v", hi, float64(cap))
	}
	atCap := 0
	for _, v := range peaks {
		if v >= 0.999*cap {
			atCap++
		}
	}
	if atCap < len(peaks)/2 {
		t.Errorf("the ex-China magnet price reaches its cap %v on %d of %d paths, want most", float64(cap), atCap, len(peaks))
	}
	for i, v := range e.column(t, "cum_shortfall_t") {
		if !(v > 0) {
			t.Fatalf("path %d: cumulative shortfall %v under a total ban, want above 0", i, v)
		}
	}
}

func TestExtremeTenYearStockpile(t *testing.T) {
	e := runExtreme(t, "stockpile-10y")
	if hi := slices.Max(e.column(t, "cum_shortfall_defence_t")); hi > 1e-6 {
		t.Errorf("defence shortfall up to %v t with a ten-year stockpile for defence, want 0", hi)
	}
	if got := e.mean(t, "defence_unmet"); got != 0 {
		t.Errorf("defence unmet on %v of paths, want none", got)
	}
	if lo := slices.Min(e.column(t, "stockpile_low_t")); !(lo > 0) {
		t.Errorf("the stockpile runs down to %v t, want some left", lo)
	}
}

func TestExtremeInelastic(t *testing.T) {
	e := runExtreme(t, "inelastic")
	ban := runExtreme(t, "total-ban")
	// With no demand response, the magnet price sits at its cap and
	// more demand goes unmet than when buyers respond to prices.
	const cap = 40 * 150
	if lo := slices.Min(e.column(t, "peak_price_magnet_exchina")); lo < 0.999*cap {
		t.Errorf("lowest peak ex-China magnet price %v, want the cap %v on every path", lo, float64(cap))
	}
	if a, b := e.mean(t, "cum_shortfall_t"), ban.mean(t, "cum_shortfall_t"); !(a > b) {
		t.Errorf("mean cumulative shortfall %v with elasticities near 0, %v without; want more", a, b)
	}
}

func TestExtremeTariff500(t *testing.T) {
	e := runExtreme(t, "tariff-500")
	none := runExtreme(t, "tariff-0")
	a, b := e.mean(t, "mean_china_share_exchina"), none.mean(t, "mean_china_share_exchina")
	if !(a < b) {
		t.Errorf("mean Chinese share of ex-China supply %v with a 500 %% tariff, %v without; want lower", a, b)
	}
	if got := e.mean(t, "tariff_paid_musd"); !(got > 0) {
		t.Errorf("tariffs paid %v $M, want more than 0", got)
	}
}

// Values at the edges of their ranges give finite numbers, however
// absurd (runExtreme checks).
func TestExtremeLimits(t *testing.T) {
	runExtreme(t, "limits")
}
