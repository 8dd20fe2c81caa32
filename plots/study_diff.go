package plots

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// diffRow is one option's row of a paired-difference chart: the
// distribution over paths of (option − reference) in the key metric on
// the same path.
type diffRow struct {
	Variant string
	// Y is the row's position (the first option at the top).
	Y float64
	// FromPaths is true when the percentiles come from paths.csv, N
	// paths of each; else P5, P50 and P95 are comparison.csv's and there
	// is no box.
	FromPaths bool
	N         int
	// PathMean is the mean of the per-path differences in paths.csv
	// (NaN without them); it checks the pairing against comparison.csv.
	PathMean                float64
	P5, P25, P50, P75, P95  float64
	Mean, Lo, Hi            float64 // diff_mean and its 95 % CI, from comparison.csv
	ShareBetter, ShareWorse float64 // NaN when the metric has no better direction
}

// pairedDiffs returns, path by path, the variant's values less the
// reference's. The two must hold the same paths.
func pairedDiffs(ref, v []float64) ([]float64, error) {
	if len(ref) != len(v) {
		return nil, fmt.Errorf("the reference has %d paths and the option %d: they are not paired", len(ref), len(v))
	}
	d := make([]float64, len(v))
	for i := range v {
		d[i] = v[i] - ref[i]
	}
	return d, nil
}

// diffChart draws the distribution of the paired differences in the key
// metric of each option from the reference on base b, one box and
// whisker per option. It returns nil when there is no option but the
// reference.
func (s *style) diffChart(sf *studyFolder, b int) (*studyFigure, error) {
	o := sf.Outcome
	bo := o.Bases[b]
	refV := bo.Variants[sf.reference(b)]
	key := o.KeyMetric
	refRow := sf.row(b, refV.Name, key)
	var refPaths []float64
	pathsFile := func(name string) string { return filepath.Join(sf.variantDir(b, name), "paths.csv") }
	readCol := func(name string) ([]float64, error) {
		v, err := readPathColumn(pathsFile(name), key)
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		return v, err
	}
	refPaths, err := readCol(refV.Name)
	if err != nil {
		return nil, err
	}

	var rows []*diffRow
	missing := 0
	for _, v := range bo.Variants {
		if v.Reference || v.Name == refV.Name {
			continue
		}
		r := sf.row(b, v.Name, key)
		if r == nil {
			return nil, fmt.Errorf("comparison.csv has no row for variant %s of base %s in %s", v.Name, bo.Base, key)
		}
		dr := &diffRow{Variant: v.Name, Mean: r.Diff.Mean, Lo: r.Diff.Lo, Hi: r.Diff.Hi, ShareBetter: r.ShareBetter, ShareWorse: r.ShareWorse,
			P5: r.DiffP5, P50: r.DiffP50, P95: r.DiffP95, PathMean: math.NaN(), N: r.Paths}
		var vals []float64
		if refPaths != nil {
			if vals, err = readCol(v.Name); err != nil {
				return nil, err
			}
		}
		if vals == nil {
			missing++
		} else {
			d, err := pairedDiffs(refPaths, vals)
			if err != nil {
				return nil, fmt.Errorf("%s and %s: %w", pathsFile(refV.Name), pathsFile(v.Name), err)
			}
			dr.PathMean = meanOf(d)
			slices.Sort(d)
			dr.FromPaths, dr.N = true, len(d)
			dr.P5, dr.P25, dr.P50 = quantileSorted(d, 0.05), quantileSorted(d, 0.25), quantileSorted(d, 0.5)
			dr.P75, dr.P95 = quantileSorted(d, 0.75), quantileSorted(d, 0.95)
		}
		rows = append(rows, dr)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	n := len(rows)
	for i, r := range rows {
		r.Y = float64(n - 1 - i)
	}

	title, unit := metricTitleOf(o, key), refRow.Unit
	col := okBlue
	boxH := 0.42
	p := s.newPlotGrid(true, false)
	boxes := &rects{Color: alpha(col, 0.35)}
	whisk := &errorBars{Line: draw.LineStyle{Color: col, Width: vg.Points(1.5)}, Cap: vg.Points(9)}
	med := &rects{Color: s.Ink}
	ci := &errorBars{Line: draw.LineStyle{Color: s.Ink, Width: vg.Points(1.2)}, Cap: vg.Points(5)}
	var means plotter.XYs
	xmin, xmax := 0.0, 0.0
	for _, r := range rows {
		if r.FromPaths {
			boxes.R = append(boxes.R, rect{X0: r.P25, X1: r.P75, Y0: r.Y - boxH/2, Y1: r.Y + boxH/2, Color: alpha(col, 0.35)})
		}
		whisk.B = append(whisk.B, errorBar{Lo: r.P5, Hi: r.P95, Y: r.Y})
		ci.B = append(ci.B, errorBar{Lo: r.Lo, Hi: r.Hi, Y: r.Y})
		means = append(means, plotter.XY{X: r.Mean, Y: r.Y})
		xmin = math.Min(xmin, math.Min(r.P5, r.Lo))
		xmax = math.Max(xmax, math.Max(r.P95, r.Hi))
	}
	span := xmax - xmin
	if span == 0 {
		span = 1
	}
	// The median is a short bar as wide as 0.4 % of the axis.
	for _, r := range rows {
		w := span * 0.002
		med.R = append(med.R, rect{X0: r.P50 - w, X1: r.P50 + w, Y0: r.Y - boxH/2, Y1: r.Y + boxH/2, Color: s.Ink})
	}
	p.Add(&vline{X: 0, Label: "no change", Line: draw.LineStyle{Color: s.Muted, Width: vg.Points(1)}, Text: s.text(s.NoteSize, s.Muted, false)})
	p.Add(boxes, whisk, med, ci)
	meanSc, err := plotter.NewScatter(means)
	if err != nil {
		return nil, err
	}
	meanSc.GlyphStyle = draw.GlyphStyle{Color: s.Ink, Radius: vg.Points(4), Shape: diamondGlyph{}}
	p.Add(meanSc)

	// Words on the right: on how many futures the option does better.
	var ls []label
	better := refRow.Better
	noteSty := s.text(s.NoteSize, s.Ink, false)
	labelW := vg.Length(0)
	for _, r := range rows {
		if math.IsNaN(r.ShareBetter) {
			continue
		}
		t := fmt.Sprintf("%s on %s of futures\n%s on %s", betterWord(better, true), percent(r.ShareBetter), betterWord(better, false), percent(r.ShareWorse))
		if same := 1 - r.ShareBetter - r.ShareWorse; same > 0.0005 {
			t += ", unchanged on " + percent(same)
		}
		ls = append(ls, label{X: xmax, Y: r.Y, XAlign: draw.XLeft, DX: vg.Points(8), Text: t})
		labelW = max(labelW, noteSty.Width(t))
	}
	p.Add(&labels{L: ls, Text: noteSty})

	names := make([]string, n)
	for i, r := range rows {
		names[n-1-i] = breakLines(variantLabel(bo, r.Variant), 22)
	}
	p.Y.Tick.Marker = categoryTicks(names)
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.25
	p.X.Min, p.X.Max = xmin-0.03*span, xmax+0.03*span
	if len(ls) > 0 {
		p.X.Max = xmax + roomFor(labelW, s.dataWidth(names))*span
	}
	p.X.Tick.Marker = stepTicks{}
	p.X.Label.Text = fmt.Sprintf("Change in %s: option − %s, same future (%s)", lowerTitle(title), refV.Label, unit)

	fig := &figure{Name: "paired-differences", Panels: []*plot.Plot{p}}
	fig.Title = fmt.Sprintf("Change in %s against %s, future by future%s", lowerTitle(title), refV.Label, sf.baseText(b))
	fig.Subtitle = fmt.Sprintf("Each option less the reference on the same simulated future (%s futures each)", group(fmt.Sprint(o.Paths)))
	// The title states how often the option that does best most often
	// does better than the reference; the descriptive title leads the
	// subtitle.
	best := -1
	for i, r := range rows {
		if !math.IsNaN(r.ShareBetter) && (best < 0 || r.ShareBetter > rows[best].ShareBetter) {
			best = i
		}
	}
	desc := fig.Title
	if best >= 0 && rows[best].ShareBetter > 0 {
		fig.Subtitle = fig.Title + ". " + fig.Subtitle
		fig.Title = fmt.Sprintf("%s does better than %s in %s on the %s", capital(variantLabel(bo, rows[best].Variant)), refV.Label, futures(rows[best].ShareBetter), lowerTitle(title))
	}
	switch better {
	case "lower":
		fig.Subtitle += "; left of zero is better."
	case "higher":
		fig.Subtitle += "; right of zero is better."
	default:
		fig.Subtitle += "."
	}
	fig.Subtitle += " The diamond is the expected change, with its 95% confidence interval."
	fig.Legend = []legendEntry{
		{Label: "Middle 50% of futures", Thumbs: []plot.Thumbnailer{swatch{alpha(col, 0.35)}}},
		{Label: "Middle 90%", Thumbs: []plot.Thumbnailer{whisk}},
		{Label: "Median", Thumbs: []plot.Thumbnailer{medianThumb{s.Ink}}},
		{Label: "Expected change (mean) and its 95% CI", Thumbs: []plot.Thumbnailer{ci, dot{meanSc.GlyphStyle}}},
	}
	if missing == len(rows) {
		fig.Legend = fig.Legend[1:]
	}
	fig.Note = "Percentiles from each option's paths.csv less the reference's, paired by path number; mean and confidence interval from comparison.csv (diff_mean, diff_ci95_lo, diff_ci95_hi)."
	if missing > 0 {
		fig.Note = fmt.Sprintf("%d options' paths.csv were missing: their whiskers and medians are comparison.csv's percentiles of the differences (diff_p5, diff_p50, diff_p95), with no box. ", missing) + fig.Note
	}
	var alt []string
	for _, r := range rows {
		t := fmt.Sprintf("%s: expected change %s %s (95%% CI %s to %s), median %s, 90%% of futures between %s and %s",
			variantLabel(bo, r.Variant), signedNum(r.Mean), unit, signedNum(r.Lo), signedNum(r.Hi), signedNum(r.P50), signedNum(r.P5), signedNum(r.P95))
		if !math.IsNaN(r.ShareBetter) {
			t += fmt.Sprintf(", %s on %s of futures", betterWord(better, true), percent(r.ShareBetter))
		}
		alt = append(alt, t)
	}
	fig.Alt = desc + ". By option: " + strings.Join(alt, "; ") + "."
	if desc != fig.Title {
		fig.Alt = desc + ". " + fig.Title + ". By option: " + strings.Join(alt, "; ") + "."
	}
	return &studyFigure{fig: fig, base: bo.Base, diffs: rows}, nil
}

// betterWord says "better" or "worse" (good false), or, for a metric
// with no better direction, "higher" or "lower".
func betterWord(better string, good bool) string {
	switch {
	case better == "" && good:
		return "higher"
	case better == "":
		return "lower"
	case good:
		return "better"
	}
	return "worse"
}

// signedNum formats a number with a sign and a true minus, to three
// significant digits.
func signedNum(v float64) string {
	switch {
	case v > 0:
		return "+" + num(v)
	case v < 0:
		return "−" + num(-v)
	}
	return "0"
}

// diamondGlyph is a diamond: a square on its corner.
type diamondGlyph struct{}

// DrawGlyph implements draw.GlyphDrawer.
func (diamondGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	r := sty.Radius * 1.25
	var p vg.Path
	p.Move(vg.Point{X: pt.X, Y: pt.Y + r})
	p.Line(vg.Point{X: pt.X + r, Y: pt.Y})
	p.Line(vg.Point{X: pt.X, Y: pt.Y - r})
	p.Line(vg.Point{X: pt.X - r, Y: pt.Y})
	p.Close()
	c.SetColor(sty.Color)
	c.Fill(p)
	c.SetColor(okWhite)
	c.SetLineWidth(vg.Points(0.8))
	c.Stroke(p)
}

// medianThumb is a legend thumbnail: a short vertical bar.
type medianThumb struct{ Color color.Color }

// Thumbnail implements plot.Thumbnailer.
func (m medianThumb) Thumbnail(c *draw.Canvas) {
	x := c.Center().X
	w := vg.Points(1.2)
	c.FillPolygon(m.Color, []vg.Point{{X: x - w, Y: c.Min.Y}, {X: x + w, Y: c.Min.Y}, {X: x + w, Y: c.Max.Y}, {X: x - w, Y: c.Max.Y}})
}
