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
	// Lo and Hi are the p5 and p95 as dotted lines, drawn instead of the
	// bands for a series laid over another's bands.
	Lo, Hi *plotter.Line
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
	lo, err := line(f.P5)
	if err != nil {
		return nil, fmt.Errorf("series %s: %w", f.Series, err)
	}
	hi, err := line(f.P95)
	if err != nil {
		return nil, fmt.Errorf("series %s: %w", f.Series, err)
	}
	lo.LineStyle = overlayEdge(c)
	hi.LineStyle = overlayEdge(c)
	return &fanLayer{Fan: f, Label: label, Outer: outer, Inner: inner, Median: med, Mean: mean, Lo: lo, Hi: hi}, nil
}

// overlayEdge is the dotted line of the p5 and p95 of a series laid over
// another's bands.
func overlayEdge(c color.Color) draw.LineStyle {
	return draw.LineStyle{Color: c, Width: vg.Points(1.3), Dashes: []vg.Length{vg.Points(1.5), vg.Points(2)}}
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
	// Message says how the chart's title states what it shows (see
	// fanMessage); the descriptive Title then becomes the subtitle.
	Message messageKind
}

// messageKind says what a fan chart's message title compares.
type messageKind int

const (
	_ messageKind = iota // the zero value: a descriptive title, no message
	// gapMessage: the first series against the second, as a multiple
	// (ex-China price against China's).
	gapMessage
	// coverMessage: the first series as a share of the second (supply
	// against demand).
	coverMessage
	// peakMessage: the highest median month, and the p95 then.
	peakMessage
	// lowMessage: the lowest median of the series' sum against its
	// first month (stocks drawn down).
	lowMessage
	// rangeMessage: from the first month's median to the lowest and
	// highest.
	rangeMessage
)

// fanSpecs are the fan charts of a run, in briefing order.
func fanSpecs() []fanSpec {
	const read = "Line: median path; dashed: mean; shaded: middle 50% and 90% of paths."
	return []fanSpec{
		{Name: "price-ndpr", Title: "NdPr oxide price: ex-China against China", Subtitle: "Monthly price. " + read, Quantity: "Price", Message: gapMessage,
			Series: []fanSeries{{"price_ndpr_exchina", "Ex-China", okBlue}, {"price_ndpr_china", "China domestic", okVermilion}}},
		{Name: "price-dytb", Title: "Dy/Tb oxide price: ex-China against China", Subtitle: "Monthly price. " + read, Quantity: "Price", Message: gapMessage,
			Series: []fanSeries{{"price_dytb_exchina", "Ex-China", okBlue}, {"price_dytb_china", "China domestic", okVermilion}}},
		{Name: "price-magnet", Title: "NdFeB magnet price: ex-China against China", Subtitle: "Monthly price. " + read, Quantity: "Price", Message: gapMessage,
			Series: []fanSeries{{"price_magnet_exchina", "Ex-China", okBlue}, {"price_magnet_china", "China domestic", okVermilion}}},
		{Name: "magnet-supply-demand", Title: "Ex-China magnet supply against demand",
			Subtitle: "Supply is production plus imports; demand is what buyers want at the reference price. " + read, Quantity: "Magnets", Message: coverMessage,
			Series: []fanSeries{{"exchina_magnet_supply_t", "Supply", okBlue}, {"exchina_magnet_demand_t", "Demand at reference price", okOrange}}},
		{Name: "shortfall", Title: "Magnet shortfall outside China, all uses",
			Subtitle: "Magnets buyers wanted at the reference price and could not get. " + read, Quantity: "Shortfall", Message: peakMessage,
			Series: []fanSeries{{"shortfall_t", "All uses", okVermilion}}},
		{Name: "shortfall-defence", Title: "Magnet shortfall for defence",
			Subtitle: "Defence magnets wanted at the reference price and not supplied. " + read, Quantity: "Shortfall", Message: peakMessage,
			Series: []fanSeries{{"shortfall_defence_t", "Defence", okPurple}}},
		{Name: "stockpiles", Title: "Government stockpiles", Subtitle: "Stock held at the end of each month. " + read, Quantity: "Stock", Message: lowMessage,
			Series:     []fanSeries{{"stockpile_ndpr_t", "NdPr oxide", okGreen}, {"stockpile_dytb_t", "Dy/Tb oxide", okOrange}, {"stockpile_magnet_t", "Magnets", okBlue}},
			SkipIfZero: true},
		{Name: "china-share", Title: "Chinese-origin share of ex-China magnet supply",
			Subtitle: "Share of magnets supplied outside China that were made from Chinese material. " + read, Quantity: "Share", Message: rangeMessage,
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

// flat reports whether every column of a fan stays within 3 % of its
// first month: ten years of level lines, as stockpiles that no shock
// draws down give.
func (f *Fan) flat() bool {
	for _, col := range [][]float64{f.Mean, f.P5, f.P25, f.P50, f.P75, f.P95} {
		for _, v := range col {
			if math.Abs(v-col[0]) > 0.03*math.Abs(col[0])+1e-9 {
				return false
			}
		}
	}
	return true
}

// flatNote says in words what a chart whose series never change would
// have shown, or returns "" when some series changes.
func flatNote(r *run, spec fanSpec) string {
	var parts []string
	for _, sr := range spec.Series {
		f := r.fan(sr.Series)
		if f == nil {
			continue
		}
		if !f.flat() {
			return ""
		}
		parts = append(parts, fmt.Sprintf("%s %s", lowerStart(sr.Label), qty(f.P50[0], f.Unit)))
	}
	if len(parts) == 0 {
		return ""
	}
	zero := true
	for _, sr := range spec.Series {
		if f := r.fan(sr.Series); f != nil && !f.allZero() {
			zero = false
		}
	}
	if zero {
		return fmt.Sprintf("No chart of %s: it is zero on every path in every month.", lowerStart(spec.Title))
	}
	return fmt.Sprintf("No chart of %s: nothing draws on them, and on every path they stay within 3%% of where they start (medians: %s) for the whole horizon.", lowerStart(spec.Title), strings.Join(parts, ", "))
}

// fanChart draws a fan chart, or returns nil when the run lacks its
// series (or, with SkipIfZero, they are all zero). The first series is
// drawn as bands; any others are laid over it as lines (median, and p5
// and p95 dotted), so that no two bands mix into a colour the legend
// does not show and every median stays in sight.
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
	first := fig.fans[0]
	p.Add(first.Outer, first.Inner, first.Mean, first.Median)
	for _, l := range fig.fans[1:] {
		p.Add(l.Lo, l.Hi, l.Median)
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

	if len(fig.fans) == 1 && len(spec.Series) > 1 {
		fig.Title += ": " + strings.ToLower(first.Label[:1]) + first.Label[1:]
	}
	c := first.Median.LineStyle.Color
	who := ""
	if len(fig.fans) > 1 {
		who = first.Label + ": "
	}
	fig.Legend = append(fig.Legend,
		legendEntry{Label: who + "median", Thumbs: []plot.Thumbnailer{stroke{first.Median.LineStyle}}},
		legendEntry{Label: "mean", Thumbs: []plot.Thumbnailer{stroke{first.Mean.LineStyle}}},
		legendEntry{Label: "middle 50%", Thumbs: []plot.Thumbnailer{swatch{alpha(c, innerAlpha+outerAlpha)}}},
		legendEntry{Label: "middle 90% of paths", Thumbs: []plot.Thumbnailer{swatch{alpha(c, outerAlpha)}}},
	)
	for _, l := range fig.fans[1:] {
		fig.Legend = append(fig.Legend,
			legendEntry{Label: l.Label + ": median", Thumbs: []plot.Thumbnailer{stroke{l.Median.LineStyle}}},
			legendEntry{Label: "middle 90%", Thumbs: []plot.Thumbnailer{stroke{l.Lo.LineStyle}}},
		)
	}
	if nObs > 0 {
		fig.Legend = append(fig.Legend, legendEntry{Label: "Observed", Thumbs: []plot.Thumbnailer{dot{observedGlyph(s.Muted)}}})
	}
	fig.Note = "Percentiles of each month taken across paths, from quantiles.csv; the median line is not one simulated path."
	if nObs > 0 {
		fig.Note += fmt.Sprintf(" Triangles: %d observed values from observed.csv (sources there).", nObs)
	}
	if m := fanMessage(spec.Message, spec.Quantity, fig.fans); m != "" {
		fig.Subtitle = fig.Title + ". " + fig.Subtitle
		fig.Title = m
	}
	last := first.Fan
	n := len(last.X) - 1
	fig.Alt = fmt.Sprintf("%s, %s to %s. ", fig.Title, last.Months[0], last.Months[n])
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

// fanMessage writes the title that states what a fan chart shows, from
// the medians of its series, or "" when the data support no message.
func fanMessage(kind messageKind, quantity string, fans []*fanLayer) string {
	if len(fans) == 0 {
		return ""
	}
	a := fans[0].Fan
	name := fans[0].Label
	switch kind {
	case gapMessage:
		if len(fans) < 2 {
			return ""
		}
		b := fans[1].Fan
		peak, at, opens := 0.0, 0, -1
		if b.P50[0] <= 0 || a.P50[0] <= 0 {
			return ""
		}
		base := a.P50[0] / b.P50[0]
		for t := range a.P50 {
			if b.P50[t] <= 0 {
				continue
			}
			ratio := a.P50[t] / b.P50[t]
			if ratio > peak {
				peak, at = ratio, t
			}
			if opens < 0 && ratio > 1.1*base {
				opens = t
			}
		}
		what := priceWord(fans[0].Fan.Series, name)
		if opens < 0 {
			return fmt.Sprintf("%s stays within 10%% of its starting gap to China's", what)
		}
		if at-opens == 0 {
			return fmt.Sprintf("%s jumps to %s China's as the gap opens", what, sig(peak, 2)+"×")
		}
		return fmt.Sprintf("%s peaks at %s China's, %s into the gap", what, sig(peak, 2)+"×", monthsText(at-opens))
	case coverMessage:
		if len(fans) < 2 {
			return ""
		}
		b := fans[1].Fan
		low, at := math.Inf(1), 0
		for t := range a.P50 {
			if b.P50[t] > 0 && a.P50[t]/b.P50[t] < low {
				low, at = a.P50[t]/b.P50[t], t
			}
		}
		if math.IsInf(low, 1) {
			return ""
		}
		if low >= 0.995 {
			return fmt.Sprintf("%s meets %s in every month (medians)", name, lowerStart(fans[1].Label))
		}
		return fmt.Sprintf("%s falls to %s of %s at the low point, %s", name, percent1(low), lowerStart(fans[1].Label), monthWords(a.Months[at]))
	case peakMessage:
		if len(fans) != 1 {
			return ""
		}
		peak, at := maxAt(a.P50)
		p95, at95 := maxAt(a.P95)
		what := quantity + " (" + lowerStart(fans[0].Label) + ")"
		if p95 <= 0 {
			return fmt.Sprintf("%s: none on any path in any month", what)
		}
		if peak <= 0 {
			return fmt.Sprintf("%s: none in the median future; 1 in 20 reaches %s at worst, %s", what, qty(p95, a.Unit), monthWords(a.Months[at95]))
		}
		return fmt.Sprintf("%s peaks at %s in %s (median); 1 future in 20 reaches %s", what, qty(peak, a.Unit), monthWords(a.Months[at]), qty(p95, a.Unit))
	case lowMessage:
		sum := make([]float64, len(a.P50))
		for _, l := range fans {
			for t, v := range l.Fan.P50 {
				if t < len(sum) {
					sum[t] += v
				}
			}
		}
		if sum[0] <= 0 {
			return ""
		}
		low, at := math.Inf(1), 0
		for t, v := range sum {
			if v < low {
				low, at = v, t
			}
		}
		if low >= 0.995*sum[0] {
			return "Stocks are not drawn down in the median future"
		}
		return fmt.Sprintf("Stocks fall to %s of their starting level at the low point, %s", percent1(low/sum[0]), monthWords(a.Months[at]))
	case rangeMessage:
		lo, atLo := math.Inf(1), 0
		for t, v := range a.P50 {
			if v < lo {
				lo, atLo = v, t
			}
		}
		start := a.P50[0]
		if math.Abs(lo-start) <= 0.02*math.Abs(start) {
			return ""
		}
		return fmt.Sprintf("%s falls from %s to %s by %s (medians)", name, qty(start, a.Unit), qty(lo, a.Unit), monthWords(a.Months[atLo]))
	}
	return ""
}

// priceWord names the price of a series for a message: "Ex-China NdFeB
// magnet price" from the series' label and its chart's product.
func priceWord(series, label string) string {
	for _, p := range []struct{ key, word string }{{"ndpr", "NdPr oxide"}, {"dytb", "Dy/Tb oxide"}, {"magnet", "NdFeB magnet"}, {"concentrate", "concentrate"}} {
		if strings.Contains(series, p.key) {
			return label + " " + p.word + " price"
		}
	}
	return label + " price"
}

// monthsText writes a number of months: "1 month", "31 months".
func monthsText(n int) string {
	if n == 1 {
		return "1 month"
	}
	return fmt.Sprintf("%d months", n)
}

// maxAt returns the largest value and its index.
func maxAt(v []float64) (float64, int) {
	m, at := math.Inf(-1), 0
	for i, x := range v {
		if x > m {
			m, at = x, i
		}
	}
	return m, at
}

func maxOf(v []float64) float64 {
	m := math.Inf(-1)
	for _, x := range v {
		m = math.Max(m, x)
	}
	return m
}
