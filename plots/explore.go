package plots

import (
	"context"
	"fmt"
	"image/color"
	"math"
	"path/filepath"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/reesim/reesim/report"
)

// InputLabel names a sampled input in words, from the key path of the
// first key that uses it and the number of keys that use it (several:
// the label is the input's name with the count).
func InputLabel(name, key string, keys int) string {
	if keys > 1 {
		return inputLabel(name) + fmt.Sprintf(" (%d keys)", keys)
	}
	if key == "" {
		key = name
	}
	return inputLabel(key)
}

// Kinds of inputs, as sensitivity charts tell them apart.
const (
	KindLever       = "lever"
	KindUncertainty = "uncertainty"
	KindSetting     = "setting"
)

// InputKind classifies a sampled input by its key path: a policy lever of
// the allies (a stockpile, a price floor, a tariff, a recycling target or
// an origin rule's start), a model setting (a calibrated behavioural
// parameter: elasticities, inventory cover, thrifting, price caps, the
// supply response) or an uncertainty about the world (everything else:
// China's controls, plant delays, demand, ...).
func InputKind(key string) string {
	key = strings.TrimRight(key, "'")
	top, _, _ := strings.Cut(key, ".")
	field := key[strings.LastIndexByte(key, '.')+1:]
	switch {
	case isSetting(key):
		return KindSetting
	case top == "stockpile", top == "price_floor", top == "tariff", field == "origin_rule_start", top == "recycling" && field == "share_target":
		return KindLever
	}
	return KindUncertainty
}

// kindColour is the colour of a kind of input.
func kindColour(kind string) color.Color {
	switch kind {
	case KindLever:
		return okBlue
	case KindSetting:
		return rgb(0x999999)
	case "mixed":
		return okPurple
	}
	return okOrange
}

// kindWord names a kind of input for legends.
func kindWord(kind string) string {
	switch kind {
	case KindLever:
		return "policy lever"
	case KindSetting:
		return "model setting"
	case "mixed":
		return "mixed group"
	}
	return "uncertainty"
}

// SensitivityFactor is one factor's Sobol' indices for one metric.
type SensitivityFactor struct {
	Label string
	// Kind is KindLever, KindUncertainty, KindSetting or "mixed".
	Kind string
	// Inputs counts the factor's inputs; Rest marks the factor of every
	// input not analysed on its own.
	Inputs int
	Rest   bool
	// S1 and ST with their 95 % bootstrap intervals.
	S1, S1Lo, S1Hi, ST, STLo, STHi float64
}

// SensitivityMetric is the analysis of one metric.
type SensitivityMetric struct {
	Name, Title, Unit string
	Mean, SD          float64
	// Factors are sorted by ST, largest first.
	Factors []SensitivityFactor
}

// SensitivityChart draws the Sobol' indices of the factors of one metric:
// the total index as a bar, the first-order index as a dot, each with its
// 95 % interval, the factors coloured by kind, at most rows of them (the
// factor of every other input always shown). name is the chart's file
// name and src its source line.
func SensitivityChart(m *SensitivityMetric, rows int, name string) (*Figure, error) {
	s := newStyle()
	fs := m.Factors
	var shown []SensitivityFactor
	var rest *SensitivityFactor
	for i := range fs {
		switch {
		case fs[i].Rest:
			rest = &fs[i]
		case len(shown) < rows:
			shown = append(shown, fs[i])
		}
	}
	if rest != nil {
		shown = append(shown, *rest)
	}
	if len(shown) == 0 {
		return nil, fmt.Errorf("no factor to draw for %s", m.Name)
	}
	p := s.newPlotGrid(true, false)
	names := make([]string, len(shown))
	bars := &rects{Color: okOrange}
	var stBars, s1Bars []errorBar
	var dots plotter.XYs
	var ls []label
	for i, f := range shown {
		y := float64(len(shown) - 1 - i)
		names[len(shown)-1-i] = clip(f.Label, 44)
		c := kindColour(f.Kind)
		if f.Rest {
			c = rgb(0xBBBBBB)
		}
		bars.R = append(bars.R, rect{X0: 0, X1: math.Max(0, f.ST), Y0: y - 0.34, Y1: y + 0.34, Color: alpha(c, 0.85)})
		stBars = append(stBars, errorBar{Lo: math.Max(0, f.STLo), Hi: f.STHi, Y: y + 0.12})
		s1Bars = append(s1Bars, errorBar{Lo: math.Max(0, f.S1Lo), Hi: f.S1Hi, Y: y - 0.12})
		dots = append(dots, plotter.XY{X: math.Max(0, f.S1), Y: y - 0.12})
		ls = append(ls, label{X: math.Max(f.STHi, f.ST), Y: y, Text: fmt.Sprintf("%s (first order %s)", pct(f.ST), pct(math.Max(0, f.S1))), XAlign: draw.XLeft, DX: vg.Points(4)})
	}
	p.Add(bars)
	p.Add(&errorBars{B: stBars, Line: draw.LineStyle{Color: s.Ink, Width: vg.Points(0.8)}, Cap: vg.Points(4)})
	p.Add(&errorBars{B: s1Bars, Line: draw.LineStyle{Color: s.Ink, Width: vg.Points(0.6)}, Cap: vg.Points(3)})
	sc, err := plotter.NewScatter(dots)
	if err != nil {
		return nil, err
	}
	sc.GlyphStyle = draw.GlyphStyle{Color: s.Ink, Radius: vg.Points(2.6), Shape: draw.CircleGlyph{}}
	p.Add(sc)
	p.Add(&labels{L: ls, Text: s.text(s.NoteSize, s.Ink, false), Box: true})
	p.NominalY(names...)
	pad := math.Max(0, float64(7-len(shown))/2)
	p.Y.Min, p.Y.Max = -0.5-pad, float64(len(shown))-0.5+pad
	p.X.Min, p.X.Max = 0, 1.25
	p.X.Tick.Marker = plot.ConstantTicks(shareTicks())
	p.X.Label.Text = "Share of the variance of " + lowerFirst(m.Title) + " (Sobol' index)"
	fig := &Figure{f: &figure{Name: name, Panels: []*plot.Plot{p}}}
	lead := shown[0]
	fig.f.Title = fmt.Sprintf("%s drives %s most: %s of its variance", shortLabel(lead.Label), lowerFirst(m.Title), pct(lead.ST))
	if lead.Rest {
		fig.f.Title = fmt.Sprintf("No single input drives %s: the largest share is %s", lowerFirst(m.Title), pct(lead.ST))
	}
	fig.f.Subtitle = fmt.Sprintf("Variance-based sensitivity of %s (%s; mean %s, standard deviation %s). Bar: total effect, with interactions; dot: first-order effect, alone. Lines: 95 %% bootstrap intervals.",
		lowerFirst(m.Title), m.Unit, qty(m.Mean, m.Unit), qty(m.SD, m.Unit))
	kinds := map[string]bool{}
	for _, f := range shown {
		if !f.Rest {
			kinds[f.Kind] = true
		}
	}
	for _, k := range []string{KindUncertainty, KindLever, KindSetting, "mixed"} {
		if kinds[k] {
			fig.f.Legend = append(fig.f.Legend, legendEntry{Label: kindWord(k), Thumbs: []plot.Thumbnailer{swatch{alpha(kindColour(k), 0.85)}}})
		}
	}
	if rest != nil {
		fig.f.Legend = append(fig.f.Legend, legendEntry{Label: "every other input together (its total effect bounds each one's)", Thumbs: []plot.Thumbnailer{swatch{rgb(0xBBBBBB)}}})
	}
	fig.f.Note = "Total effect (ST): the share of the variance that would go if the factor were known, interactions included; first order (S1): the share it explains alone. ST ≥ S1; factors with ST near 0 do not matter. Inputs linked by a rank correlation are one factor."
	var alt []string
	for _, f := range shown[:min(6, len(shown))] {
		alt = append(alt, fmt.Sprintf("%s: total %s, first order %s", f.Label, pct(f.ST), pct(f.S1)))
	}
	fig.f.Alt = fig.f.Title + ". " + strings.Join(alt, "; ") + "."
	return fig, nil
}

// shortLabel is a label without its parenthesis.
func shortLabel(l string) string {
	short, _, _ := strings.Cut(l, " (")
	return short
}

// pct writes a share as a whole percentage, or "< 1 %".
func pct(v float64) string {
	switch {
	case math.IsNaN(v):
		return "n/a"
	case math.Abs(v) < 0.005:
		return "0 %"
	case math.Abs(v) < 0.01:
		return "< 1 %"
	}
	return fmt.Sprintf("%.0f %%", 100*v)
}

// shareTicks mark 0 to 1 every 0.1, labelled as percentages every 0.2.
func shareTicks() []plot.Tick {
	var t []plot.Tick
	for i := 0; i <= 10; i++ {
		tk := plot.Tick{Value: float64(i) / 10}
		if i%2 == 0 {
			tk.Label = fmt.Sprintf("%d %%", 10*i)
		}
		t = append(t, tk)
	}
	return t
}

// Figure is a chart built outside the package's own renderers, to be
// written by WriteFigures.
type Figure struct{ f *figure }

// TradeoffPoint is one box of PRIM's peeling trajectory.
type TradeoffPoint struct {
	Coverage, Density, Mass float64
	Restricted              int
}

// TradeoffChart draws PRIM's coverage-density trade-off: each box of the
// peeling trajectory, the chosen one marked, and the share of crises in
// all futures (the density of the box of everything).
func TradeoffChart(pts []TradeoffPoint, chosen TradeoffPoint, peeledChoice int, crisis string, name string) (*Figure, error) {
	s := newStyle()
	p := s.newPlot()
	line := make(plotter.XYs, len(pts))
	for i, t := range pts {
		line[i] = plotter.XY{X: 100 * t.Coverage, Y: 100 * t.Density}
	}
	l, err := plotter.NewLine(line)
	if err != nil {
		return nil, err
	}
	l.LineStyle = draw.LineStyle{Color: okBlue, Width: vg.Points(1.5)}
	sc, err := plotter.NewScatter(line)
	if err != nil {
		return nil, err
	}
	sc.GlyphStyle = draw.GlyphStyle{Color: okBlue, Radius: vg.Points(2), Shape: draw.CircleGlyph{}}
	ch, err := plotter.NewScatter(plotter.XYs{{X: 100 * chosen.Coverage, Y: 100 * chosen.Density}})
	if err != nil {
		return nil, err
	}
	ch.GlyphStyle = draw.GlyphStyle{Color: okVermilion, Radius: vg.Points(6), Shape: draw.RingGlyph{}}
	base := 100 * pts[0].Density
	hl, err := plotter.NewLine(plotter.XYs{{X: 0, Y: base}, {X: 100, Y: base}})
	if err != nil {
		return nil, err
	}
	hl.LineStyle = draw.LineStyle{Color: s.Muted, Width: vg.Points(0.8), Dashes: []vg.Length{vg.Points(3), vg.Points(3)}}
	p.Add(hl, l, sc, ch)
	var ls []label
	for i, t := range pts {
		if i > 0 && (i%5 == 0 || i == len(pts)-1) {
			ls = append(ls, label{X: 100 * t.Coverage, Y: 100 * t.Density, Text: fmt.Sprintf("%d", t.Restricted), XAlign: draw.XLeft, DX: vg.Points(4), DY: vg.Points(6)})
		}
	}
	ls = append(ls, label{X: 100 * chosen.Coverage, Y: 100 * chosen.Density, Text: "chosen box", XAlign: draw.XRight, DX: -vg.Points(9), Color: okVermilion})
	p.Add(&labels{L: ls, Text: s.text(s.NoteSize, s.Ink, false), Box: true})
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 102, 0, 102
	p.X.Label.Text = "Coverage: share of the crisis futures inside the box (%)"
	p.Y.Label.Text = "Density: share of crises in the box (%)"
	fig := &Figure{f: &figure{Name: name, Panels: []*plot.Plot{p}}}
	fig.f.Title = fmt.Sprintf("A box holds %s of the crisis futures, and %s of the futures in it are crises", pct(chosen.Coverage), pct(chosen.Density))
	fig.f.Subtitle = fmt.Sprintf("PRIM's peeling trajectory for the crisis %s: each point a box, from all futures (right) to ever smaller, denser boxes. Numbers: inputs restricted.", crisis)
	fig.f.Legend = []legendEntry{
		{Label: "peeled boxes", Thumbs: []plot.Thumbnailer{stroke{l.LineStyle}, dot{sc.GlyphStyle}}},
		{Label: "chosen box, pruned and pasted", Thumbs: []plot.Thumbnailer{dot{ch.GlyphStyle}}},
		{Label: fmt.Sprintf("crises in all futures (%s)", pct(pts[0].Density)), Thumbs: []plot.Thumbnailer{stroke{hl.LineStyle}}},
	}
	fig.f.Note = fmt.Sprintf("The chosen box starts from peeled box %d, the best balance of coverage and density (or the densest above the coverage asked); restrictions that do not raise the density significantly are then dropped and the limits pasted outwards.", peeledChoice)
	fig.f.Alt = fig.f.Title + "."
	return fig, nil
}

// BoxLimit is one input restricted by a PRIM box.
type BoxLimit struct {
	Label string
	// Min and Max are the input's range over the futures; Lo and Hi the
	// box's limits (−Inf, +Inf when a side is not restricted).
	Min, Max, Lo, Hi float64
	// Text says the restriction in words; Stability how often resamples
	// restrict it ("9 of 10").
	Text, Stability string
	Month           bool
}

// BoxChart draws each restricted input's range in the futures and the
// box's limits within it, on a scale of each input's own range.
func BoxChart(limits []BoxLimit, headline, crisis, name string) (*Figure, error) {
	s := newStyle()
	p := s.newPlotGrid(true, false)
	names := make([]string, len(limits))
	bars := &rects{Color: okVermilion}
	var ls []label
	for i, b := range limits {
		y := float64(len(limits) - 1 - i)
		names[len(limits)-1-i] = clip(b.Label, 40)
		span := b.Max - b.Min
		if span <= 0 {
			span = 1
		}
		lo, hi := 0.0, 1.0
		if !math.IsInf(b.Lo, -1) {
			lo = (b.Lo - b.Min) / span
		}
		if !math.IsInf(b.Hi, 1) {
			hi = (b.Hi - b.Min) / span
		}
		bars.R = append(bars.R, rect{X0: 0, X1: 1, Y0: y - 0.3, Y1: y + 0.3, Color: rgb(0xDDDDDD)})
		bars.R = append(bars.R, rect{X0: math.Max(0, lo), X1: math.Min(1, hi), Y0: y - 0.3, Y1: y + 0.3, Color: alpha(okVermilion, 0.85)})
		ls = append(ls, label{X: 1, Y: y + 0.05, Text: b.Text + " (" + b.Stability + ")", XAlign: draw.XLeft, DX: vg.Points(6)})
		ls = append(ls, label{X: 0, Y: y - 0.45, Text: limitText(b.Min, b.Month), XAlign: draw.XLeft, Color: s.Muted})
		ls = append(ls, label{X: 1, Y: y - 0.45, Text: limitText(b.Max, b.Month), XAlign: draw.XRight, Color: s.Muted})
	}
	p.Add(bars, &labels{L: ls, Text: s.text(s.NoteSize, s.Ink, false)})
	p.NominalY(names...)
	pad := math.Max(0, float64(5-len(limits))/2)
	p.Y.Min, p.Y.Max = -0.7-pad, float64(len(limits))-0.5+pad
	p.X.Min, p.X.Max = -0.02, 2.1
	p.X.Tick.Marker = plot.ConstantTicks([]plot.Tick{{Value: 0, Label: "lowest"}, {Value: 0.5, Label: "middle"}, {Value: 1, Label: "highest"}})
	p.X.Label.Text = "Each input's range over the futures (grey) and the box's part of it (orange)"
	fig := &Figure{f: &figure{Name: name, Panels: []*plot.Plot{p}}}
	fig.f.Title = headline
	fig.f.Subtitle = fmt.Sprintf("The conditions under which %s: the inputs the box restricts, each on its own range. In brackets: how many of the resamples (random halves of the futures) restrict it too.", crisis)
	fig.f.Legend = []legendEntry{{Label: "range in the futures", Thumbs: []plot.Thumbnailer{swatch{rgb(0xDDDDDD)}}}, {Label: "inside the box", Thumbs: []plot.Thumbnailer{swatch{alpha(okVermilion, 0.85)}}}}
	fig.f.Note = "An input the box does not restrict may take any value. A restriction found in most resamples is stable; one found in few is likely noise."
	var alt []string
	for _, b := range limits {
		alt = append(alt, b.Label+": "+b.Text)
	}
	fig.f.Alt = headline + ". " + strings.Join(alt, "; ") + "."
	return fig, nil
}

// limitText writes a limit: a month as YYYY-MM, a number to three
// significant figures.
func limitText(v float64, month bool) string {
	if month {
		return monthLabel(v)
	}
	return num(v)
}

// LimitText writes a box limit or range end of an input, as the charts
// do.
func LimitText(v float64, month bool) string { return limitText(v, month) }

// Quantity writes a value with its unit, as the charts' sentences do.
func Quantity(v float64, unit string) string { return qty(v, unit) }

// Percent writes a share as the sensitivity charts do.
func Percent(v float64) string { return pct(v) }

// WriteFigures writes the figures into dir/charts as PNG, SVG and PDF with
// the source line src, and returns them as the HTML pages show them.
func WriteFigures(ctx context.Context, dir string, figs []*Figure, src string) ([]report.Chart, error) {
	s := newStyle()
	fs := make([]*figure, len(figs))
	for i, f := range figs {
		fs[i] = f.f
	}
	files, err := s.writeCharts(ctx, filepath.Join(dir, "charts"), fs, source{Text: src}, nil)
	if err != nil {
		return nil, err
	}
	out := make([]report.Chart, len(files))
	for i, c := range files {
		out[i] = chartOf(c)
	}
	return out, nil
}

// SortFactors sorts factors by total index, largest first (NaN last).
func SortFactors(fs []SensitivityFactor) {
	slices.SortStableFunc(fs, func(a, b SensitivityFactor) int {
		av, bv := a.ST, b.ST
		switch {
		case math.IsNaN(av) && math.IsNaN(bv):
			return 0
		case math.IsNaN(av):
			return 1
		case math.IsNaN(bv):
			return -1
		case av > bv:
			return -1
		case av < bv:
			return 1
		}
		return 0
	})
}

// ReadInputKeys reads a run's scenario.resolved.toml and maps each named
// input to the first key path that uses it, and counts the keys that use
// it; both maps are empty when the file is missing or unreadable.
func ReadInputKeys(resolved string) (keys map[string]string, uses map[string]int) {
	keys, uses = inputKeys(resolved)
	if keys == nil {
		keys, uses = map[string]string{}, map[string]int{}
	}
	return keys, uses
}

// IsMonthInput reports whether an input whose values run from min to max
// holds months counted as year·12 + month − 1.
func IsMonthInput(name string, min, max float64) bool { return isMonthInput(name, min, max) }

// clip shortens s to at most n characters, ending it with "…".
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
