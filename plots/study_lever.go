package plots

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/reesim/reesim/study"
)

// leverMetrics are the metrics of a lever chart, one panel each, after
// the study's key metric when it is not one of them.
var leverMetrics = []string{"cum_shortfall_t", "peak_price_magnet_exchina"}

// leverPanel is one panel of a lever chart: a metric's expected value,
// its 95 % confidence interval and its 95th percentile for every variant.
type leverPanel struct {
	Metric, Title, Unit string
	// Variants are the variants' names in the order of the points, and
	// Pos their positions on the lever's axis: the lever's value on a
	// number axis, else rows from the bottom (the first variant at the
	// top).
	Variants []string
	Pos      []float64
	// Mean, Lo, Hi and P95 are each variant's mean, the edges of its 95 %
	// confidence interval (mean ∓ 1.96 SE) and its 95th percentile: the
	// numbers the plotters draw.
	Mean, Lo, Hi, P95 []float64
	// Band is the confidence band's polygon on a number axis; nil when
	// the variants are categories, whose intervals are error bars.
	Band *plotter.Polygon
}

// xys pairs the panel's positions with values: (position, value) on a
// number axis, (value, position) in rows.
func (lp *leverPanel) xys(vals []float64, rows bool) plotter.XYs {
	xy := make(plotter.XYs, len(vals))
	for k, v := range vals {
		xy[k] = plotter.XY{X: lp.Pos[k], Y: v}
		if rows {
			xy[k] = plotter.XY{X: v, Y: lp.Pos[k]}
		}
	}
	return xy
}

// unitWords names a unit for an axis label.
func unitWords(unit string) string {
	switch unit {
	case "t":
		return "Tonnes"
	case "t/month":
		return "Tonnes a month"
	case "$/kg":
		return "$ per kg"
	case "$M":
		return "$ million"
	case "months":
		return "Months"
	case "share", "0/1":
		return "Share"
	}
	return unit
}

// leverChart draws the lever chart of base b: for each metric, the
// expected value with its 95 % confidence band and the 95th percentile
// against the lever. It returns nil when comparison.csv has none of the
// metrics.
func (s *style) leverChart(sf *studyFolder, b int) (*studyFigure, error) {
	o := sf.Outcome
	bo := o.Bases[b]
	metrics := slices.Clone(leverMetrics)
	if !slices.Contains(metrics, o.KeyMetric) {
		metrics = append([]string{o.KeyMetric}, metrics...)
	}
	numeric := sf.levelAxis(b)
	// The variants in order along the axis: by lever value on a number
	// axis, else in the study's order.
	order := make([]int, len(bo.Variants))
	for i := range order {
		order[i] = i
	}
	if numeric {
		slices.SortStableFunc(order, func(x, y int) int {
			return cmp.Compare(bo.Variants[x].Levels[0], bo.Variants[y].Levels[0])
		})
	}
	pos := func(k int) float64 {
		if numeric {
			return bo.Variants[order[k]].Levels[0]
		}
		return float64(len(order) - 1 - k)
	}

	sfig := &studyFigure{base: bo.Base}
	var titles []string
	for _, m := range metrics {
		ref := sf.row(b, bo.Variants[sf.reference(b)].Name, m)
		if ref == nil {
			continue
		}
		lp := &leverPanel{Metric: m, Title: metricTitleOf(o, m), Unit: ref.Unit}
		for k, i := range order {
			v := bo.Variants[i]
			r := sf.row(b, v.Name, m)
			if r == nil {
				return nil, fmt.Errorf("comparison.csv has no row for variant %s of base %s in %s", v.Name, bo.Base, m)
			}
			lp.Variants = append(lp.Variants, v.Name)
			lp.Pos = append(lp.Pos, pos(k))
			lp.Mean = append(lp.Mean, r.Mean)
			lp.Lo = append(lp.Lo, r.Mean-study.Z95*r.SE)
			lp.Hi = append(lp.Hi, r.Mean+study.Z95*r.SE)
			lp.P95 = append(lp.P95, r.P95)
		}
		sfig.lever = append(sfig.lever, lp)
		titles = append(titles, lp.Title)
	}
	if len(sfig.lever) == 0 {
		return nil, nil
	}

	rows := !numeric
	xlabel := ""
	if numeric {
		xlabel = o.Sweeps[0].Label
	}
	meanStyle := draw.LineStyle{Color: okBlue, Width: vg.Points(1.5)}
	p95Style := draw.LineStyle{Color: okVermilion, Width: vg.Points(1.6), Dashes: []vg.Length{vg.Points(5), vg.Points(3)}}
	meanGlyph := draw.GlyphStyle{Color: okBlue, Radius: vg.Points(3.2), Shape: draw.CircleGlyph{}}
	p95Glyph := draw.GlyphStyle{Color: okVermilion, Radius: vg.Points(3), Shape: draw.TriangleGlyph{}}
	bandColor := alpha(okBlue, 0.3)
	ci := &errorBars{Line: draw.LineStyle{Color: okBlue, Width: vg.Points(1.5)}, Cap: vg.Points(8)}
	// Rows are labelled once, on the first panel; the others share them.
	names := make([]string, len(order))
	for k, i := range order {
		names[len(order)-1-k] = categoryLabel(bo.Variants[i], 26)
	}
	var panels []*plot.Plot
	for j, lp := range sfig.lever {
		p := s.newPlotGrid(true, numeric)
		p.Title.Text = lp.Title
		if numeric {
			band, err := plotter.NewPolygon(bandRing(lp.xys(lp.Lo, false), lp.xys(lp.Hi, false)))
			if err != nil {
				return nil, fmt.Errorf("%s: %w", lp.Metric, err)
			}
			band.Color = bandColor
			band.LineStyle.Width = 0
			lp.Band = band
			p.Add(band)
		} else {
			bars := &errorBars{Line: ci.Line, Cap: ci.Cap}
			for k := range lp.Mean {
				bars.B = append(bars.B, errorBar{Lo: lp.Lo[k], Hi: lp.Hi[k], Y: lp.Pos[k]})
			}
			p.Add(bars)
		}
		for _, series := range []struct {
			vals  []float64
			line  draw.LineStyle
			glyph draw.GlyphStyle
		}{{lp.P95, p95Style, p95Glyph}, {lp.Mean, meanStyle, meanGlyph}} {
			xy := lp.xys(series.vals, rows)
			if numeric {
				l, err := plotter.NewLine(xy)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", lp.Metric, err)
				}
				l.LineStyle = series.line
				p.Add(l)
			}
			sc, err := plotter.NewScatter(xy)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", lp.Metric, err)
			}
			sc.GlyphStyle = series.glyph
			p.Add(sc)
		}
		vmin, vmax := 0.0, 0.0
		for k := range lp.Mean {
			vmin = math.Min(vmin, math.Min(lp.Lo[k], lp.P95[k]))
			vmax = math.Max(vmax, math.Max(lp.Hi[k], lp.P95[k]))
		}
		value, lever := &p.Y, &p.X
		if rows {
			value, lever = &p.X, &p.Y
		}
		value.Min, value.Max = vmin, niceMax(vmax)
		value.Tick.Marker = stepTicks{}
		value.Label.Text = unitWords(lp.Unit)
		lever.Label.Text = breakLabel(xlabel)
		if numeric {
			x0, x1 := lp.Pos[0], lp.Pos[len(lp.Pos)-1]
			pad := math.Max((x1-x0)*0.04, 0.5)
			lever.Min, lever.Max = x0-pad, x1+pad
			lever.Tick.Marker = leverTicks(lp.Pos)
		} else {
			lever.Min, lever.Max = -0.5, float64(len(order))-0.5
			shown := names
			if j > 0 {
				shown = make([]string, len(names))
			}
			lever.Tick.Marker = categoryTicks(shown)
		}
		panels = append(panels, p)
	}

	fig := &figure{Name: "lever", Panels: panels}
	fig.Title = joinWords(titles) + " of each option" + sf.baseText(b)
	band := "band"
	if numeric {
		fig.Title = joinWords(titles) + ", by " + leverName(o.Sweeps[0].Label) + sf.baseText(b)
	} else {
		band = "interval"
	}
	ref := bo.Variants[sf.reference(b)]
	fig.Subtitle = fmt.Sprintf("Expected value (the mean over %s simulated futures) with its 95%% confidence %s, and the 95th percentile: 1 future in 20 is higher. Reference: %s.",
		group(fmt.Sprint(o.Paths)), band, ref.Label)
	var ciThumb plot.Thumbnailer = swatch{bandColor}
	if !numeric {
		ciThumb = ci
	}
	fig.Legend = []legendEntry{
		{Label: "Expected (mean)", Thumbs: []plot.Thumbnailer{stroke{meanStyle}, dot{meanGlyph}}},
		{Label: "95% confidence interval of the mean", Thumbs: []plot.Thumbnailer{ciThumb}},
		{Label: "95th percentile of futures", Thumbs: []plot.Thumbnailer{stroke{p95Style}, dot{p95Glyph}}},
	}
	if !numeric {
		fig.Legend[0].Thumbs = fig.Legend[0].Thumbs[1:]
		fig.Legend[2].Thumbs = fig.Legend[2].Thumbs[1:]
	}
	fig.Note = fmt.Sprintf("From comparison.csv: each option's mean ± 1.96 standard errors (hidden where narrower than the mark) and p95. The %s says how precisely each mean is known on its own; "+
		"differences between options are known more precisely, as all ran on the same futures (see the paired-difference chart).", band)
	var alt []string
	for _, lp := range sfig.lever {
		var pts []string
		for k, name := range lp.Variants {
			pts = append(pts, fmt.Sprintf("%s: mean %s (95%% CI %s to %s), p95 %s", variantLabel(bo, name), num(lp.Mean[k]), num(lp.Lo[k]), num(lp.Hi[k]), num(lp.P95[k])))
		}
		alt = append(alt, fmt.Sprintf("%s (%s): %s.", lp.Title, lp.Unit, strings.Join(pts, "; ")))
	}
	fig.Alt = fig.Title + ". " + strings.Join(alt, " ")
	sfig.fig = fig
	return sfig, nil
}

// breakLabel puts a long axis label's parenthesis on a line of its own.
func breakLabel(s string) string {
	if i := strings.Index(s, " ("); i > 0 && len(s) > 40 {
		return s[:i] + "\n" + s[i+1:]
	}
	return s
}

// bandRing returns the polygon between two edges: along hi from the
// first point to the last, then back along lo.
func bandRing(lo, hi plotter.XYs) plotter.XYs {
	ring := make(plotter.XYs, 0, 2*len(hi))
	ring = append(ring, hi...)
	for i := len(lo) - 1; i >= 0; i-- {
		ring = append(ring, lo[i])
	}
	return ring
}

// leverTicks labels the lever's values themselves, unless there are so
// many that their labels would collide.
func leverTicks(vals []float64) plot.Ticker {
	if len(vals) > 12 {
		return numberTicks{}
	}
	var t []plot.Tick
	for _, v := range vals {
		t = append(t, plot.Tick{Value: v, Label: num(v)})
	}
	return plot.ConstantTicks(t)
}

// categoryTicks labels the positions 0, 1, ... with names.
func categoryTicks(names []string) plot.Ticker {
	t := make([]plot.Tick, len(names))
	for i, n := range names {
		t[i] = plot.Tick{Value: float64(i), Label: n}
	}
	return plot.ConstantTicks(t)
}

// categoryLabel is how a category axis shows a variant: its label
// broken into lines of about width characters.
func categoryLabel(v study.VariantOutcome, width int) string {
	label := v.Label
	if label == "" {
		label = v.Name
	}
	if v.Reference {
		label += " (reference)"
	}
	return breakLines(label, width)
}

// breakLines breaks s into lines of at most about width characters.
func breakLines(s string, width int) string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		if line != "" && len([]rune(line))+1+len([]rune(w)) > width {
			lines = append(lines, line)
			line = w
			continue
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	if line != "" {
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

// lowerTitle writes a title as it reads inside a sentence: the first
// letter in lower case, unless the first word is a name written with
// capitals inside it ("NdPr", "Dy/Tb"); "Ex-China" becomes "ex-China".
func lowerTitle(s string) string {
	word, _, _ := strings.Cut(s, " ")
	switch {
	case strings.HasPrefix(word, "Ex-"):
		return "e" + s[1:]
	case len(word) > 1 && strings.ToLower(word[1:]) != word[1:]:
		return s
	}
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// joinWords joins titles as a sentence does: "a", "a and b", "a, b and
// c", each after the first in lower case.
func joinWords(titles []string) string {
	out := slices.Clone(titles)
	for i := 1; i < len(out); i++ {
		out[i] = lowerTitle(out[i])
	}
	switch len(out) {
	case 0:
		return ""
	case 1:
		return out[0]
	}
	return strings.Join(out[:len(out)-1], ", ") + " and " + out[len(out)-1]
}

// metricTitleOf returns a compared metric's title from summary.json.
func metricTitleOf(o study.Outcome, metric string) string {
	for _, m := range o.Bases[0].Variants[0].Metrics {
		if m.Metric == metric && m.Title != "" {
			return m.Title
		}
	}
	return metric
}

// variantLabel returns the label of the named variant on a base.
func variantLabel(bo study.BaseOutcome, name string) string {
	for _, v := range bo.Variants {
		if v.Name == name {
			if v.Label != "" {
				return v.Label
			}
			break
		}
	}
	return name
}
