package plots

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/reesim/reesim/sim"
	"github.com/reesim/reesim/study"
)

// cbData is what a cost-benefit chart draws: for each option but the
// reference, its expected benefit, extra cost and net benefit with their
// 95 % intervals, in the chart's unit (Scale $M each).
type cbData struct {
	// Scale is the $M in one unit of the axis: 1 ($ million) or 1000
	// ($ billion); Unit names it.
	Scale float64
	Unit  string
	// Variants are the options, top to bottom.
	Variants []string
	// Benefit, Cost and Net are drawn as bars from 0 to Mean with an
	// error bar from Lo to Hi, in axis units.
	Benefit, Cost, Net []study.Estimate
	// Chosen is the cost-benefit choice, "" when it is the reference.
	Chosen string
}

// costBenefitChart draws the cost-benefit chart of base b: each option's
// expected benefit, extra cost and net benefit with their 95 %
// confidence intervals, and the value per tonne at which it breaks even.
// It returns nil when the study has no cost-benefit analysis.
func (s *style) costBenefitChart(sf *studyFolder, b int) (*studyFigure, error) {
	o := sf.Outcome
	if o.ValuePerTonneUSD <= 0 || len(sf.cb) == 0 {
		return nil, nil
	}
	bo := o.Bases[b]
	ref := bo.Variants[sf.reference(b)]
	d := &cbData{Scale: 1, Unit: "$ million"}
	var rows []*cbRow
	big := 0.0
	for _, v := range bo.Variants {
		r := sf.cbOf(b, v.Name)
		if r == nil {
			return nil, fmt.Errorf("cost_benefit.csv has no row for variant %s of base %s", v.Name, bo.Base)
		}
		if r.Chosen && !v.Reference {
			d.Chosen = v.Name
		}
		if v.Reference {
			continue
		}
		d.Variants = append(d.Variants, v.Name)
		rows = append(rows, r)
		for _, e := range []study.Estimate{r.Benefit, r.Cost, r.Net} {
			big = math.Max(big, math.Max(math.Abs(e.Lo), math.Abs(e.Hi)))
		}
	}
	if len(rows) == 0 {
		return nil, nil
	}
	if big >= 10000 {
		d.Scale, d.Unit = 1000, "$ billion"
	}
	scaled := func(e study.Estimate) study.Estimate {
		return study.Estimate{Mean: e.Mean / d.Scale, SE: e.SE / d.Scale, Lo: e.Lo / d.Scale, Hi: e.Hi / d.Scale}
	}
	for _, r := range rows {
		d.Benefit = append(d.Benefit, scaled(r.Benefit))
		d.Cost = append(d.Cost, scaled(r.Cost))
		d.Net = append(d.Net, scaled(r.Net))
	}

	// Each option is a group of three bars, top to bottom: benefit,
	// extra cost, net benefit; the first option at the top.
	const barH = 0.24
	kinds := []struct {
		name string
		col  color.Color
		off  float64
		est  []study.Estimate
	}{
		{"Benefit: shortfall avoided, valued, plus buyers' extra spending avoided", okBlue, barH + 0.02, d.Benefit},
		{"Extra cost", okVermilion, 0, d.Cost},
		{"Net benefit: benefit − extra cost", okGreen, -(barH + 0.02), d.Net},
	}
	n := len(rows)
	p := s.newPlotGrid(true, false)
	bars := &rects{}
	errs := &errorBars{Line: draw.LineStyle{Color: s.Ink, Width: vg.Points(1)}, Cap: vg.Points(5)}
	var highlight []rect
	xmin, xmax := 0.0, 0.0
	for i := range rows {
		y := float64(n - 1 - i)
		if d.Variants[i] == d.Chosen {
			highlight = append(highlight, rect{Y0: y - 0.5, Y1: y + 0.5, Color: alpha(okOrange, 0.16)})
		}
		for _, k := range kinds {
			e := k.est[i]
			yc := y + k.off
			bars.R = append(bars.R, rect{X0: 0, X1: e.Mean, Y0: yc - barH/2, Y1: yc + barH/2, Color: k.col})
			errs.B = append(errs.B, errorBar{Lo: e.Lo, Hi: e.Hi, Y: yc})
			xmin, xmax = math.Min(xmin, math.Min(e.Lo, e.Mean)), math.Max(xmax, math.Max(e.Hi, e.Mean))
		}
	}
	// The labels go right of each group's longest bar; the axis makes
	// room for them.
	span := xmax - xmin
	if span == 0 {
		span = 1
	}
	var ls []label
	noteSty := s.text(s.NoteSize, s.Ink, false)
	labelW := vg.Length(0)
	for i, r := range rows {
		y := float64(n - 1 - i)
		right := 0.0
		for _, k := range kinds {
			right = math.Max(right, math.Max(k.est[i].Hi, k.est[i].Mean))
		}
		text := "net " + money(r.Net.Mean)
		switch {
		case r.Cost.Mean <= 0:
			text += "; pays for itself"
		case r.Ratio != nil:
			text += fmt.Sprintf("; benefit %s× the cost", num(r.Ratio.Mean))
		}
		be := breakEvenText(r.BreakEven)
		ls = append(ls, label{X: right, Y: y + 0.18, Text: text, XAlign: draw.XLeft, DX: vg.Points(6)},
			label{X: right, Y: y - 0.18, Text: be, XAlign: draw.XLeft, DX: vg.Points(6), Color: s.Muted})
		labelW = max(labelW, noteSty.Width(text), noteSty.Width(be))
	}
	names := make([]string, n)
	for i, name := range d.Variants {
		l := variantLabel(bo, name)
		if name == d.Chosen {
			l += " (choice)"
		}
		names[n-1-i] = breakLines(l, 22)
	}
	x0, x1 := xmin-0.02*span, xmax+roomFor(labelW, s.dataWidth(names))*span
	if xmin == 0 {
		x0 = 0
	}
	for i := range highlight {
		highlight[i].X0, highlight[i].X1 = x0, x1
	}
	p.Add(&rects{R: highlight}, bars, errs, &labels{L: ls, Text: noteSty})
	p.Add(&vline{X: 0, Line: draw.LineStyle{Color: s.Ink, Width: vg.Points(1)}})
	p.Y.Tick.Marker = categoryTicks(names)
	p.Y.Min, p.Y.Max = -0.55, float64(n)-0.45
	p.X.Min, p.X.Max = x0, x1
	p.X.Tick.Marker = stepTicks{}
	p.X.Label.Text = fmt.Sprintf("Expected over the horizon against %s, not discounted (%s)", ref.Label, d.Unit)

	fig := &figure{Name: "cost-benefit", Panels: []*plot.Plot{p}}
	fig.Title = "Benefit, cost and net benefit of each option" + sf.baseText(b)
	fig.Subtitle = fmt.Sprintf("A tonne of magnet not delivered is valued at %s (the study's assumption). Each option against %s on the same %s simulated futures.",
		dollars(o.ValuePerTonneUSD), ref.Label, group(fmt.Sprint(o.Paths)))
	// The title states the answer; the descriptive title leads the
	// subtitle.
	desc := fig.Title
	if c := bo.Choice; c != nil && c.Best != "" && c.Best != ref.Name {
		fig.Subtitle = fig.Title + ". " + fig.Subtitle
		fig.Title = fmt.Sprintf("%s has the highest expected net benefit: %s at %s a tonne of shortfall", capital(variantLabel(bo, c.Best)), money(c.BestNet.Mean), dollars(o.ValuePerTonneUSD))
	}
	if c := bo.Choice; d.Chosen == "" && c != nil {
		fig.Subtitle += fmt.Sprintf(" No option does well enough to be chosen over %s.", ref.Label)
	} else if c != nil {
		if c.Variant == c.Best {
			fig.Subtitle += " Shaded: the choice, the highest expected net benefit."
		} else {
			fig.Subtitle += fmt.Sprintf(" Shaded: the choice, the smallest option within %s%% of the best expected net benefit.", num(100*o.Margin))
		}
	}
	for _, k := range kinds {
		fig.Legend = append(fig.Legend, legendEntry{Label: k.name, Thumbs: []plot.Thumbnailer{swatch{k.col}}})
	}
	fig.Legend = append(fig.Legend, legendEntry{Label: "95% CI", Thumbs: []plot.Thumbnailer{errs}})
	fig.Note = "From cost_benefit.csv. Money is in US dollars over the scenario's horizon, not discounted. The break-even value is the value per tonne at which the expected net benefit is zero."
	fig.Note += " Extra cost: the option's " + lowerTitle(costTitle(o)) + " less the reference's. Benefit and net benefit value the shortfall avoided at " + dollars(o.ValuePerTonneUSD) + " a tonne."
	var alt []string
	for i, r := range rows {
		t := fmt.Sprintf("%s: benefit %s, extra cost %s, net benefit %s (95%% CI %s to %s)", variantLabel(bo, d.Variants[i]),
			money(r.Benefit.Mean), money(r.Cost.Mean), money(r.Net.Mean), money(r.Net.Lo), money(r.Net.Hi))
		alt = append(alt, t+", "+breakEvenText(r.BreakEven))
	}
	fig.Alt = desc + fmt.Sprintf(", at %s a tonne of magnet not delivered, against %s. By option: ", dollars(o.ValuePerTonneUSD), ref.Label) + strings.Join(alt, "; ") + "."
	if desc != fig.Title {
		fig.Alt = fig.Title + ". " + fig.Alt
	}
	if d.Chosen != "" {
		fig.Alt += " The choice: " + variantLabel(bo, d.Chosen) + "."
	}
	return &studyFigure{fig: fig, base: bo.Base, cb: d}, nil
}

// costTitle names a study's cost metric: its title among the compared
// metrics, or the model's.
func costTitle(o study.Outcome) string {
	if t := metricTitleOf(o, o.CostMetric); t != o.CostMetric {
		return t
	}
	for _, info := range sim.MetricInfo {
		if info.Name == o.CostMetric {
			return info.Title
		}
	}
	return o.CostMetric
}

// breakEvenText says at what value per tonne an option breaks even.
func breakEvenText(usd float64) string {
	switch {
	case math.IsNaN(usd):
		return "avoids no shortfall on average"
	case usd == 0:
		return "buyers' savings alone pay for it"
	}
	return "breaks even at " + dollars(usd) + " a tonne"
}

// money formats an amount of $M for a label, in millions or billions
// of US dollars by its size, with a true minus when negative.
func money(musd float64) string {
	if musd < 0 {
		return "−" + money(-musd)
	}
	if sig(musd, 3) == "1,000" || musd >= 1000 {
		return "$" + num(musd/1000) + " billion"
	}
	return "$" + num(musd) + " million"
}

// dollars formats an amount of US dollars in words: "$176,000", "$5
// million", "$1.2 billion".
func dollars(usd float64) string {
	switch a := math.Abs(usd); {
	case a >= 1e9:
		return "$" + num(usd/1e9) + " billion"
	case a >= 1e6:
		return "$" + num(usd/1e6) + " million"
	}
	return "$" + num(usd)
}
