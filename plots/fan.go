package plots

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Band returns the polygon of the band between two percentile columns of
// the fan, lo and hi (each one value per month): along the top from the
// first month to the last, then back along the bottom. Values are
// multiplied by scale (100 to show shares as percentages).
func (f *Fan) Band(lo, hi []float64, scale float64) plotter.XYs {
	n := len(f.X)
	xy := make(plotter.XYs, 0, 2*n)
	for i := 0; i < n; i++ {
		xy = append(xy, plotter.XY{X: f.X[i], Y: hi[i] * scale})
	}
	for i := n - 1; i >= 0; i-- {
		xy = append(xy, plotter.XY{X: f.X[i], Y: lo[i] * scale})
	}
	return xy
}

// fanLayer is one series drawn as a fan: the p5–p95 and p25–p75 bands,
// the median and the mean.
type fanLayer struct {
	Fan          *Fan
	Label        string
	Outer, Inner *plotter.Polygon
	Median, Mean *plotter.Line
}

// Opacity of the outer and inner bands.
const (
	outerAlpha = 0.16
	innerAlpha = 0.34
)

// newFanLayer builds the plotters of one fan, in colour c.
func (s *style) newFanLayer(f *Fan, label string, c color.Color, scale float64) (*fanLayer, error) {
	if len(f.X) == 0 {
		return nil, fmt.Errorf("series %s has no months", f.Series)
	}
	outer, err := plotter.NewPolygon(f.Band(f.P5, f.P95, scale))
	if err != nil {
		return nil, fmt.Errorf("series %s: %w", f.Series, err)
	}
	outer.Color = alpha(c, outerAlpha)
	outer.LineStyle.Width = 0
	inner, err := plotter.NewPolygon(f.Band(f.P25, f.P75, scale))
	if err != nil {
		return nil, fmt.Errorf("series %s: %w", f.Series, err)
	}
	inner.Color = alpha(c, innerAlpha)
	inner.LineStyle.Width = 0
	line := func(v []float64) (*plotter.Line, error) {
		xy := make(plotter.XYs, len(v))
		for i := range v {
			xy[i] = plotter.XY{X: f.X[i], Y: v[i] * scale}
		}
		return plotter.NewLine(xy)
	}
	med, err := line(f.P50)
	if err != nil {
		return nil, fmt.Errorf("series %s: %w", f.Series, err)
	}
	med.LineStyle = draw.LineStyle{Color: c, Width: vg.Points(2)}
	mean, err := line(f.Mean)
	if err != nil {
		return nil, fmt.Errorf("series %s: %w", f.Series, err)
	}
	mean.LineStyle = draw.LineStyle{Color: c, Width: vg.Points(1.2), Dashes: []vg.Length{vg.Points(4), vg.Points(2.5)}}
	return &fanLayer{Fan: f, Label: label, Outer: outer, Inner: inner, Median: med, Mean: mean}, nil
}

// fanSeries names one series of a fan chart and its colour.
type fanSeries struct {
	Series string
	Label  string
	Color  color.Color
}

// fanSpec describes a fan chart.
type fanSpec struct {
	Name     string
	Title    string
	Subtitle string
	// Quantity names what the y axis measures; the unit is appended.
	Quantity string
	Series   []fanSeries
	// SkipIfZero drops the chart when every value of every series is
	// zero (a scenario without stockpiles).
	SkipIfZero bool
}

// fanSpecs are the fan charts of a run, in briefing order.
func fanSpecs() []fanSpec {
	const read = "Line: median path; dashed: mean; shaded: middle 50% and 90% of paths."
	return []fanSpec{
		{Name: "price-ndpr", Title: "NdPr oxide price: ex-China against China", Subtitle: "Monthly price. " + read, Quantity: "Price",
			Series: []fanSeries{{"price_ndpr_exchina", "Ex-China", okBlue}, {"price_ndpr_china", "China domestic", okVermilion}}},
		{Name: "price-dytb", Title: "Dy/Tb oxide price: ex-China against China", Subtitle: "Monthly price. " + read, Quantity: "Price",
			Series: []fanSeries{{"price_dytb_exchina", "Ex-China", okBlue}, {"price_dytb_china", "China domestic", okVermilion}}},
		{Name: "price-magnet", Title: "NdFeB magnet price: ex-China against China", Subtitle: "Monthly price. " + read, Quantity: "Price",
			Series: []fanSeries{{"price_magnet_exchina", "Ex-China", okBlue}, {"price_magnet_china", "China domestic", okVermilion}}},
		{Name: "magnet-supply-demand", Title: "Ex-China magnet supply against demand",
			Subtitle: "Supply is production plus imports; demand is what buyers want at the reference price. " + read, Quantity: "Magnets",
			Series: []fanSeries{{"exchina_magnet_supply_t", "Supply", okBlue}, {"exchina_magnet_demand_t", "Demand at reference price", okOrange}}},
		{Name: "shortfall", Title: "Magnet shortfall outside China, all uses",
			Subtitle: "Magnets buyers wanted at the reference price and could not get. " + read, Quantity: "Shortfall",
			Series: []fanSeries{{"shortfall_t", "All uses", okVermilion}}},
		{Name: "shortfall-defence", Title: "Magnet shortfall for defence",
			Subtitle: "Defence magnets wanted at the reference price and not supplied. " + read, Quantity: "Shortfall",
			Series: []fanSeries{{"shortfall_defence_t", "Defence", okPurple}}},
		{Name: "stockpiles", Title: "Government stockpiles", Subtitle: "Stock held at the end of each month. " + read, Quantity: "Stock",
			Series:     []fanSeries{{"stockpile_ndpr_t", "NdPr oxide", okGreen}, {"stockpile_dytb_t", "Dy/Tb oxide", okOrange}, {"stockpile_magnet_t", "Magnets", okBlue}},
			SkipIfZero: true},
		{Name: "china-share", Title: "Chinese-origin share of ex-China magnet supply",
			Subtitle: "Share of magnets supplied outside China that were made from Chinese material. " + read, Quantity: "Share",
			Series: []fanSeries{{"china_share_exchina_supply", "Chinese-origin share", okBlue}}},
	}
}

// allZero reports whether every value of a fan is zero.
func (f *Fan) allZero() bool {
	for _, col := range [][]float64{f.Mean, f.P5, f.P25, f.P50, f.P75, f.P95} {
		for _, v := range col {
			if v != 0 {
				return false
			}
		}
	}
	return true
}

// fanChart draws a fan chart, or returns nil when the run lacks its
// series (or, with SkipIfZero, they are all zero).
func (s *style) fanChart(r *run, spec fanSpec) (*figure, error) {
	fig := &figure{Name: spec.Name, Title: spec.Title, Subtitle: spec.Subtitle}
	p := s.newPlot()
	unit := ""
	var ymin, ymax float64
	var xmin, xmax = math.Inf(1), math.Inf(-1)
	for _, sr := range spec.Series {
		f := r.fan(sr.Series)
		if f == nil || (spec.SkipIfZero && f.allZero()) {
			continue
		}
		scale := 1.0
		u := f.Unit
		if u == "share" {
			scale, u = 100, "%"
		}
		if unit == "" {
			unit = u
		}
		l, err := s.newFanLayer(f, sr.Label, sr.Color, scale)
		if err != nil {
			return nil, err
		}
		fig.fans = append(fig.fans, l)
		fig.About = append(fig.About, f.Series)
		for i := range f.X {
			ymin = math.Min(ymin, math.Min(f.P5[i], f.Mean[i])*scale)
			ymax = math.Max(ymax, math.Max(f.P95[i], f.Mean[i])*scale)
		}
		xmin, xmax = math.Min(xmin, f.X[0]), math.Max(xmax, f.X[len(f.X)-1])
	}
	if len(fig.fans) == 0 {
		return nil, nil
	}
	// Bands first, then lines, so no band hides a line; the first series
	// (ex-China, the one the chart is about) is drawn last, on top.
	for i := len(fig.fans) - 1; i >= 0; i-- {
		p.Add(fig.fans[i].Outer)
	}
	for i := len(fig.fans) - 1; i >= 0; i-- {
		p.Add(fig.fans[i].Inner)
	}
	for i := len(fig.fans) - 1; i >= 0; i-- {
		p.Add(fig.fans[i].Mean, fig.fans[i].Median)
	}
	// Observed values, where the run has them (historical replays).
	nObs := 0
	for _, l := range fig.fans {
		scale := 1.0
		if l.Fan.Unit == "share" {
			scale = 100
		}
		sc, n, err := observedLayer(r.Observed[l.Fan.Series], l.Fan.Unit, l.Median.LineStyle.Color, scale)
		if err != nil {
			return nil, err
		}
		if sc != nil {
			p.Add(sc)
			nObs += n
			for _, xy := range sc.XYs {
				ymax = math.Max(ymax, xy.Y)
			}
		}
	}
	p.X.Min, p.X.Max = xmin, xmax
	p.X.Tick.Marker = yearTicks{}
	p.X.Label.Text = "Year"
	p.Y.Min = ymin
	p.Y.Max = niceMax(ymax)
	if unit == "%" && ymax <= 100 {
		p.Y.Max = math.Min(p.Y.Max, 100)
	}
	p.Y.Tick.Marker = numberTicks{}
	p.Y.Label.Text = spec.Quantity + " (" + unit + ")"
	fig.Panels = []*plot.Plot{p}

	grey := s.Muted
	if len(fig.fans) == 1 && len(spec.Series) > 1 {
		fig.Title += ": " + strings.ToLower(fig.fans[0].Label[:1]) + fig.fans[0].Label[1:]
	}
	if len(fig.fans) == 1 {
		grey = fig.fans[0].Median.LineStyle.Color
	} else {
		for _, l := range fig.fans {
			fig.Legend = append(fig.Legend, legendEntry{Label: l.Label, Thumbs: []plot.Thumbnailer{swatch{alpha(l.Median.LineStyle.Color, innerAlpha+0.1)}, stroke{l.Median.LineStyle}}})
		}
	}
	fig.Legend = append(fig.Legend,
		legendEntry{Label: "Median", Thumbs: []plot.Thumbnailer{stroke{draw.LineStyle{Color: grey, Width: vg.Points(2)}}}},
		legendEntry{Label: "Mean", Thumbs: []plot.Thumbnailer{stroke{draw.LineStyle{Color: grey, Width: vg.Points(1.2), Dashes: []vg.Length{vg.Points(4), vg.Points(2.5)}}}}},
		legendEntry{Label: "Middle 50% of paths", Thumbs: []plot.Thumbnailer{swatch{alpha(grey, innerAlpha+outerAlpha)}}},
		legendEntry{Label: "Middle 90%", Thumbs: []plot.Thumbnailer{swatch{alpha(grey, outerAlpha)}}},
	)
	if nObs > 0 {
		fig.Legend = append(fig.Legend, legendEntry{Label: "Observed", Thumbs: []plot.Thumbnailer{dot{observedGlyph(grey)}}})
	}
	fig.Note = "Percentiles of each month taken across paths, from quantiles.csv; the median line is not one simulated path."
	if nObs > 0 {
		fig.Note += fmt.Sprintf(" Triangles: %d observed values from observed.csv (sources there).", nObs)
	}
	last := fig.fans[0].Fan
	n := len(last.X) - 1
	fig.Alt = fmt.Sprintf("%s, %s to %s. ", spec.Title, last.Months[0], last.Months[n])
	for _, l := range fig.fans {
		f := l.Fan
		k := len(f.X) - 1
		sc := 1.0
		if f.Unit == "share" {
			sc = 100
		}
		fig.Alt += fmt.Sprintf("%s: median %s %s in %s, 90%% of paths between %s and %s; highest median %s %s. ",
			l.Label, num(f.P50[k]*sc), unit, f.Months[k], num(f.P5[k]*sc), num(f.P95[k]*sc), num(maxOf(f.P50)*sc), unit)
	}
	return fig, nil
}

func maxOf(v []float64) float64 {
	m := math.Inf(-1)
	for _, x := range v {
		m = math.Max(m, x)
	}
	return m
}
