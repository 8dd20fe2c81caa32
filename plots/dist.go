package plots

import (
	"fmt"
	"image/color"
	"math"
	"sort"

	"golang.org/x/exp/stats"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// distSpec names a headline metric whose distribution over paths is
// charted.
type distSpec struct {
	Name   string // chart file name
	Metric string // column of paths.csv
	Color  color.Color
}

// distSpecs are the distribution charts of a run.
func distSpecs() []distSpec {
	return []distSpec{
		{"dist-cum-shortfall", "cum_shortfall_t", okVermilion},
		{"dist-cum-shortfall-defence", "cum_shortfall_defence_t", okPurple},
		{"dist-peak-price-magnet", "peak_price_magnet_exchina", okBlue},
		{"dist-peak-price-dytb", "peak_price_dytb_exchina", okOrange},
	}
}

// exceedance returns points (x, 100·P(X > x)) of the exceedance curve of
// sorted values at n evenly spaced x from the smallest value to hi,
// starting at (min, 100).
func exceedance(sorted []float64, n int, hi float64) plotter.XYs {
	m := len(sorted)
	if m == 0 {
		return nil
	}
	lo := sorted[0]
	xy := plotter.XYs{{X: lo, Y: 100}}
	for j := 0; j < n; j++ {
		x := lo + (hi-lo)*float64(j)/float64(n-1)
		if j == n-1 {
			x = hi
		}
		k := sort.Search(m, func(i int) bool { return sorted[i] > x })
		xy = append(xy, plotter.XY{X: x, Y: 100 * float64(m-k) / float64(m)})
	}
	return xy
}

// histogram returns bins of equal width over [min, max] with the percent
// of values in each.
func histogram(sorted []float64, bins int) []rect {
	m := len(sorted)
	lo, hi := sorted[0], sorted[m-1]
	if lo == hi {
		d := math.Max(math.Abs(lo)*0.02, 0.5)
		return []rect{{X0: lo - d, X1: lo + d, Y1: 100}}
	}
	w := (hi - lo) / float64(bins)
	out := make([]rect, bins)
	for i := range out {
		out[i] = rect{X0: lo + float64(i)*w, X1: lo + float64(i+1)*w}
	}
	for _, v := range sorted {
		i := int((v - lo) / w)
		if i >= bins {
			i = bins - 1
		}
		out[i].Y1++
	}
	for i := range out {
		out[i].Y1 *= 100 / float64(m)
	}
	return out
}

// distChart draws a metric's histogram beside its exceedance curve, with
// the mean and the 95th percentile marked. It returns nil when paths.csv
// lacks the metric.
func (s *style) distChart(r *run, spec distSpec) (*figure, error) {
	vals := r.Paths.Metric[spec.Metric]
	if len(vals) == 0 {
		return nil, nil
	}
	sorted := append([]float64(nil), vals...)
	sort.Float64s(sorted)
	title, unit := spec.Metric, ""
	mean, p95 := meanOf(sorted), quantileSorted(sorted, 0.95)
	var m *metricSummary
	if sm := r.metric(spec.Metric); sm != nil {
		title, unit = sm.Title, sm.Unit
		m = &metricSummary{Mean: sm.Mean, SE: sm.SE, P95: sm.P95}
		mean, p95 = sm.Mean, sm.P95
	}
	col := spec.Color
	fig := &figure{Name: spec.Name, Title: title + horizonText(r), About: []string{"dist:" + spec.Metric}}
	n := len(sorted)
	zeros := sort.Search(n, func(i int) bool { return sorted[i] > 0 })
	fig.Subtitle = "Mean " + qty(mean, unit)
	if m != nil && m.SE > 0 {
		fig.Subtitle += " (95% CI " + ci(m.Mean, m.SE, unit) + ")"
	}
	fig.Subtitle += "."
	if zeros > 0 && sorted[0] >= 0 {
		fig.Subtitle += fmt.Sprintf(" %s of paths have none.", percent(float64(zeros)/float64(n)))
	}
	xlabel := title + " (" + unit + ")"
	mark := func(p *plot.Plot) {
		meanLine := &vline{X: mean, Label: "Mean " + num(mean), Line: draw.LineStyle{Color: s.Ink, Width: vg.Points(1.2), Dashes: []vg.Length{vg.Points(4), vg.Points(2.5)}}, Text: s.text(s.NoteSize, s.Ink, false)}
		p95Line := &vline{X: p95, Label: "p95 " + num(p95), Row: 1, Line: draw.LineStyle{Color: s.Ink, Width: vg.Points(1.2), Dashes: []vg.Length{vg.Points(1), vg.Points(2)}}, Text: s.text(s.NoteSize, s.Ink, false)}
		p.Add(meanLine, p95Line)
	}

	if sorted[0] == sorted[n-1] {
		// Every path gives the same value: there is no distribution to
		// draw, so the chart says so in words.
		p := s.newPlotGrid(false, false)
		p.HideAxes()
		p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1
		msg := s.text(s.TitleSize, col, true)
		p.Add(&labels{Text: msg, L: []label{{X: 0.5, Y: 0.55, Text: fmt.Sprintf("%s %s on all %s paths", num(sorted[0]), unit, group(fmt.Sprint(n))), XAlign: draw.XCenter}}})
		fig.Panels = []*plot.Plot{p}
		fig.Subtitle = "Every simulated path gives the same value, so there is no spread to chart."
		fig.Alt = fmt.Sprintf("%s: %s %s on every one of the %s paths.", fig.Title, num(sorted[0]), unit, group(fmt.Sprint(n)))
		fig.Note = "From paths.csv, one value per path."
		return fig, nil
	}

	hist := s.newPlot()
	hist.Title.Text = "How often each value occurs"
	binned := sorted
	if sorted[0] == 0 && zeros < n && float64(zeros) >= 0.05*float64(n) {
		// A spike of paths at exactly zero would swamp the first bin and
		// read as "small"; the subtitle gives its share instead.
		binned = binned[zeros:]
		hist.Title.Text = "How often each value above zero occurs"
	}
	// A heavy right tail (the 99.5th percentile four times the median or
	// more) squeezes the bulk of the paths into one bin on a linear axis:
	// such a metric is drawn on a logarithmic axis, with bins of equal
	// width on it. A lighter tail is cut at the 99.5th percentile.
	nb := len(binned)
	logX := binned[0] > 0 && binned[int(0.995*float64(nb-1))] >= 4*binned[nb/2]
	xmin, xmax := sorted[0], sorted[n-1]
	beyond := 0
	var bins []rect
	if logX {
		xmin = binned[0]
		bins = histogramLog(binned, binsFor(nb))
		for _, p := range []*plot.Plot{hist} {
			p.X.Scale = plot.LogScale{}
		}
	} else {
		// The order statistic at or below the 99.5th percentile, so
		// that one outlier in a small run cannot drag the cut out.
		if q := sorted[int(0.995*float64(n-1))]; sorted[n-1]-q > 0.5*(q-sorted[0]) && q > sorted[0] {
			xmax = q
			beyond = n - sort.Search(n, func(i int) bool { return sorted[i] > q })
			binned = binned[:len(binned)-min(beyond, len(binned))]
		}
		bins = histogram(binned, binsFor(len(binned)))
	}
	for i := range bins {
		bins[i].Y1 *= float64(len(binned)) / float64(n) // share of all paths
		bins[i].Color = alpha(col, 0.85)
	}
	hist.Add(&rects{R: bins, Color: col})
	mark(hist)
	hist.X.Label.Text, hist.Y.Label.Text = xlabel, "Share of paths (%)"
	hist.X.Tick.Marker, hist.Y.Tick.Marker = numberTicks{}, numberTicks{}
	hist.Y.Min = 0
	// Head room above the bars for the labels of the mean and p95.
	hist.Y.Max = niceMax(hist.Y.Max) * 1.3

	exc := s.newPlot()
	exc.Title.Text = "Chance of exceeding each value"
	var curve *plotter.Line
	var err error
	if logX {
		exc.X.Scale = plot.LogScale{}
		curve, err = plotter.NewLine(exceedanceLog(sorted, 600, xmin, xmax))
	} else {
		curve, err = plotter.NewLine(exceedance(sorted, 600, xmax))
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", spec.Metric, err)
	}
	curve.LineStyle = draw.LineStyle{Color: col, Width: vg.Points(2)}
	exc.Add(curve)
	mark(exc)
	var thr []plotter.XY
	var thrLabels []label
	if sm := r.metric(spec.Metric); sm != nil {
		for _, e := range sm.Exceedances {
			if e.Threshold >= xmin && e.Threshold <= xmax {
				y := 100 * e.Probability
				thr = append(thr, plotter.XY{X: e.Threshold, Y: y})
				thrLabels = append(thrLabels, label{X: e.Threshold, Y: y, Text: fmt.Sprintf("%s above %s", percent(e.Probability), qty(e.Threshold, unit)), XAlign: draw.XLeft, DX: vg.Points(6), DY: vg.Points(9)})
			}
		}
	}
	if len(thr) > 0 {
		sc, err := plotter.NewScatter(plotter.XYs(thr))
		if err == nil {
			sc.GlyphStyle = draw.GlyphStyle{Color: s.Ink, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
			exc.Add(sc, &labels{L: thrLabels, Text: s.text(s.NoteSize, s.Ink, false), Box: true})
			fig.Legend = append(fig.Legend, legendEntry{Label: "Thresholds the scenario names, with their chance", Thumbs: []plot.Thumbnailer{dot{sc.GlyphStyle}}})
		}
	}
	exc.X.Label.Text, exc.Y.Label.Text = xlabel, "Chance of exceeding (%)"
	exc.X.Tick.Marker, exc.Y.Tick.Marker = numberTicks{}, numberTicks{}
	if logX {
		hist.X.Tick.Marker, exc.X.Tick.Marker = logTicks{}, logTicks{}
		hist.X.Label.Text, exc.X.Label.Text = "", ""
		fig.XLabels = []string{xlabel + ", log scale", xlabel + ", log scale"}
	}
	// 0 to 100 %, with head room above for the labels of the mean and p95.
	exc.Y.Min, exc.Y.Max = 0, 128
	exc.Y.Tick.Marker = plot.ConstantTicks(percentTicks())
	exc.X.Min, exc.X.Max = xmin, xmax
	hist.X.Min, hist.X.Max = xmin, xmax

	fig.Panels = []*plot.Plot{hist, exc}
	marks := []legendEntry{
		{Label: "Paths", Thumbs: []plot.Thumbnailer{swatch{alpha(col, 0.85)}}},
		{Label: "Mean", Thumbs: []plot.Thumbnailer{stroke{draw.LineStyle{Color: s.Ink, Width: vg.Points(1.2), Dashes: []vg.Length{vg.Points(4), vg.Points(2.5)}}}}},
	}
	if !logX || p95 > 0 { // a log axis has no place for a p95 of 0
		marks = append(marks, legendEntry{Label: "95th percentile (p95)", Thumbs: []plot.Thumbnailer{stroke{draw.LineStyle{Color: s.Ink, Width: vg.Points(1.2), Dashes: []vg.Length{vg.Points(1), vg.Points(2)}}}}})
	}
	fig.Legend = append(marks, fig.Legend...)
	fig.Note = fmt.Sprintf("From the first %s paths of paths.csv, a random sample of the %s; mean, p95 and thresholds from summary.json, over every path.", group(fmt.Sprint(n)), group(fmt.Sprint(r.Manifest.Paths)))
	if logX {
		fig.Note += " The value axis is logarithmic: the tail is long."
	}
	if beyond > 0 {
		lie := "paths lie"
		if beyond == 1 {
			lie = "path lies"
		}
		fig.Note += fmt.Sprintf(" The axis stops at the 99.5th percentile, %s %s: %s %s beyond, up to %s %s.", num(xmax), unit, group(fmt.Sprint(beyond)), lie, num(sorted[n-1]), unit)
	}
	// The title states the tail; the descriptive title leads the
	// subtitle.
	fig.Subtitle = fig.Title + ". " + fig.Subtitle
	fig.Title = fmt.Sprintf("In 1 future in 20 the %s exceeds %s", lowerStart(title), qty(p95, unit))
	if p95 <= 0 && zeros < n && sorted[0] >= 0 {
		// Fewer than 1 path in 20 has any: the share that has is the
		// answer.
		fig.Title = fmt.Sprintf("Only %s of futures have any %s", percent(float64(n-zeros)/float64(n)), lowerStart(title))
	}
	fig.Alt = fmt.Sprintf("%s: histogram and exceedance curve over %s paths. %s", fig.Title, group(fmt.Sprint(n)), fig.Subtitle)
	return fig, nil
}

// histogramLog returns bins of equal width in log(x) over the range of
// sorted values, all above zero, with the percent of values in each.
func histogramLog(sorted []float64, bins int) []rect {
	logs := make([]float64, len(sorted))
	for i, v := range sorted {
		logs[i] = math.Log(v)
	}
	out := histogram(logs, bins)
	for i := range out {
		out[i].X0, out[i].X1 = math.Exp(out[i].X0), math.Exp(out[i].X1)
	}
	return out
}

// exceedanceLog is exceedance at n x evenly spaced in log(x) from lo to
// hi, both above zero.
func exceedanceLog(sorted []float64, n int, lo, hi float64) plotter.XYs {
	m := len(sorted)
	xy := make(plotter.XYs, 0, n)
	for j := 0; j < n; j++ {
		x := lo * math.Pow(hi/lo, float64(j)/float64(n-1))
		if j == n-1 {
			x = hi
		}
		k := sort.Search(m, func(i int) bool { return sorted[i] > x })
		xy = append(xy, plotter.XY{X: x, Y: 100 * float64(m-k) / float64(m)})
	}
	return xy
}

// logTicks mark a logarithmic axis at 1, 2 and 5 times the powers of ten,
// labelled with thousands separated.
type logTicks struct{}

// Ticks implements plot.Ticker.
func (logTicks) Ticks(min, max float64) []plot.Tick {
	if !(min > 0) || !(max > min) {
		return nil
	}
	var ticks []plot.Tick
	for e := math.Floor(math.Log10(min)); e <= math.Ceil(math.Log10(max)); e++ {
		for _, m := range []float64{1, 2, 5} {
			v := m * math.Pow(10, e)
			if v < min*(1-1e-9) || v > max*(1+1e-9) {
				continue
			}
			ticks = append(ticks, plot.Tick{Value: v, Label: num(v)})
		}
	}
	if len(ticks) < 2 {
		ticks = append(ticks, plot.Tick{Value: min, Label: num(min)}, plot.Tick{Value: max, Label: num(max)})
	}
	return ticks
}

// metricSummary is the part of a summary.json metric the charts mark.
type metricSummary struct{ Mean, SE, P95 float64 }

// percentTicks label 0 to 100 % every 20.
func percentTicks() []plot.Tick {
	var t []plot.Tick
	for v := 0; v <= 100; v += 10 {
		tk := plot.Tick{Value: float64(v)}
		if v%20 == 0 {
			tk.Label = fmt.Sprint(v)
		}
		t = append(t, tk)
	}
	return t
}

// binsFor returns a number of histogram bins for n values.
func binsFor(n int) int {
	b := int(math.Ceil(2 * math.Cbrt(float64(n)))) // Rice rule
	return max(10, min(b, 60))
}

func meanOf(v []float64) float64 { return stats.Mean(v) }

// quantileSorted is the empirical quantile of sorted values, linear
// between order statistics (Hyndman and Fan type 7, numpy's default), as
// golang.org/x/exp/stats computes it.
func quantileSorted(v []float64, p float64) float64 { return stats.Quantiles(v, p)[0] }

// horizonText says over what time a cumulative metric adds up.
func horizonText(r *run) string {
	if len(r.Fans) == 0 || len(r.Fans[0].X) == 0 {
		return ""
	}
	f := r.Fans[0]
	y0, _ := yearOf(f.X[0])
	y1, _ := yearOf(f.X[len(f.X)-1])
	return fmt.Sprintf(", %d–%d", y0, y1)
}
