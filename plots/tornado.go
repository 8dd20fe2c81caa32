package plots

import (
	"fmt"
	"image/color"
	"math"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Spearman returns the Spearman rank correlation of x and y: the Pearson
// correlation of their ranks, tied values sharing the average of their
// ranks. It returns NaN when x and y differ in length, have fewer than two
// values, or either is constant.
func Spearman(x, y []float64) float64 {
	if len(x) != len(y) || len(x) < 2 {
		return math.NaN()
	}
	rx, ry := ranks(x), ranks(y)
	if constant(rx) || constant(ry) {
		return math.NaN()
	}
	return stat.Correlation(rx, ry, nil)
}

// ranks returns the ranks of x, from 1, with ties averaged.
func ranks(x []float64) []float64 {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return x[idx[a]] < x[idx[b]] })
	r := make([]float64, len(x))
	for i := 0; i < len(idx); {
		j := i + 1
		for j < len(idx) && x[idx[j]] == x[idx[i]] {
			j++
		}
		avg := float64(i+j+1) / 2 // ranks i+1 … j
		for k := i; k < j; k++ {
			r[idx[k]] = avg
		}
		i = j
	}
	return r
}

func constant(x []float64) bool {
	for _, v := range x[1:] {
		if v != x[0] {
			return false
		}
	}
	return true
}

// driver is a sampled input and its rank correlation with a metric.
type driver struct {
	Input string
	Label string
	Rho   float64
}

// rankDrivers returns the inputs ordered by the absolute value of their
// Spearman correlation with y, largest first, leaving out inputs that
// are constant. y must not be longer than any input column.
func rankDrivers(names []string, in map[string][]float64, y []float64) []driver {
	var ds []driver
	for _, n := range names {
		x := in[n]
		if len(x) < len(y) || len(y) < 2 {
			continue
		}
		rho := Spearman(x[:len(y)], y)
		if math.IsNaN(rho) {
			continue
		}
		ds = append(ds, driver{Input: n, Label: inputLabel(n), Rho: rho})
	}
	sort.SliceStable(ds, func(i, j int) bool { return math.Abs(ds[i].Rho) > math.Abs(ds[j].Rho) })
	return ds
}

// tornadoSpec names a metric whose drivers are charted.
type tornadoSpec struct {
	Name, Metric string
	// What names the metric in the title.
	What string
}

func tornadoSpecs() []tornadoSpec {
	return []tornadoSpec{
		{"drivers-cum-shortfall", "cum_shortfall_t", "the cumulative shortfall"},
		{"drivers-peak-price-magnet", "peak_price_magnet_exchina", "the peak ex-China magnet price"},
	}
}

// maxBars is the number of inputs a tornado chart shows.
const maxBars = 12

// tornadoChart ranks the sampled inputs by their rank correlation with a
// metric. It returns nil when paths.csv lacks the metric, has no sampled
// input that varies, or the metric is the same on every path.
func (s *style) tornadoChart(r *run, spec tornadoSpec) (*figure, error) {
	y := r.Paths.Metric[spec.Metric]
	if len(y) < 3 || constant(y) {
		return nil, nil
	}
	ds := rankDrivers(r.Paths.Inputs, r.Paths.In, y)
	if len(ds) == 0 {
		return nil, nil
	}
	title := spec.Metric
	if sm := r.metric(spec.Metric); sm != nil {
		title = sm.Title
	}
	shown := ds
	if len(shown) > maxBars {
		shown = shown[:maxBars]
	}
	n := len(y)
	noise := 1.96 / math.Sqrt(float64(n-1))
	fig := &figure{Name: spec.Name, Title: "What drives " + spec.What, drivers: ds, About: []string{"drivers:" + spec.Metric}}
	fig.Subtitle = fmt.Sprintf("Sampled inputs ranked by Spearman rank correlation with %s over %s paths. "+
		"Bars to the right: paths with more of the input tend to have a higher %s.", lowerFirst(title), group(fmt.Sprint(n)), lowerFirst(title))
	p := s.newPlotGrid(true, false)
	names := make([]string, len(shown))
	bars := &rects{Color: okVermilion}
	var ls []label
	for i, d := range shown {
		k := float64(len(shown) - 1 - i) // largest at the top
		names[len(shown)-1-i] = d.Label
		var c color.Color = okVermilion
		if d.Rho < 0 {
			c = okBlue
		}
		if math.Abs(d.Rho) < noise {
			c = alpha(c, 0.35)
		}
		bars.R = append(bars.R, rect{X0: 0, X1: d.Rho, Y0: k - 0.36, Y1: k + 0.36, Color: c})
		t := label{X: d.Rho, Y: k, Text: signed(d.Rho, 2), XAlign: draw.XLeft, DX: vg.Points(3)}
		if d.Rho < 0 {
			t.XAlign, t.DX = draw.XRight, -vg.Points(3)
		}
		if math.Abs(d.Rho) > 0.85 {
			t.XAlign, t.DX, t.Color = draw.XRight, -vg.Points(3), okWhite
			if d.Rho < 0 {
				t.XAlign, t.DX = draw.XLeft, vg.Points(3)
			}
		}
		ls = append(ls, t)
	}
	band := &rects{R: []rect{{X0: -noise, X1: noise, Y0: -0.5, Y1: float64(len(shown)) - 0.5, Color: alpha(s.Grid, 0.7)}}}
	p.Add(band, bars, &labels{L: ls, Text: s.text(s.NoteSize, s.Ink, false)})
	p.Add(&vline{X: 0, Line: draw.LineStyle{Color: s.Muted, Width: vg.Points(0.8)}})
	p.NominalY(names...)
	// Few inputs get bars of the same thickness as many, not fatter.
	pad := math.Max(0, float64(6-len(shown))/2)
	p.Y.Min, p.Y.Max = -0.5-pad, float64(len(shown))-0.5+pad
	p.X.Min, p.X.Max = -1, 1
	p.X.Tick.Marker = plot.ConstantTicks(rhoTicks())
	p.X.Label.Text = "Spearman rank correlation (−1 to +1, no unit)"
	p.Y.Tick.Label.Font.Size = s.TickSize
	fig.Panels = []*plot.Plot{p}
	fig.Legend = []legendEntry{
		{Label: "Raises it", Thumbs: []plot.Thumbnailer{swatch{okVermilion}}},
		{Label: "Lowers it", Thumbs: []plot.Thumbnailer{swatch{okBlue}}},
		{Label: fmt.Sprintf("Within ±%.2f: indistinguishable from chance (95%% level)", noise), Thumbs: []plot.Thumbnailer{swatch{alpha(s.Grid, 0.9)}}},
	}
	fig.Note = "From paths.csv. Rank correlation measures association across paths, one input at a time; inputs that move together share credit."
	if len(ds) > len(shown) {
		fig.Note += fmt.Sprintf(" %d weaker inputs not shown.", len(ds)-len(shown))
	}
	fig.Alt = fig.Title + ". "
	for i, d := range shown {
		if i == 5 {
			break
		}
		fig.Alt += fmt.Sprintf("%s: %s. ", d.Label, signed(d.Rho, 2))
	}
	return fig, nil
}

// rhoTicks mark −1 to 1 every 0.25, labelled every 0.5.
func rhoTicks() []plot.Tick {
	var t []plot.Tick
	for i := -4; i <= 4; i++ {
		v := float64(i) / 4
		tk := plot.Tick{Value: v}
		if i%2 == 0 {
			tk.Label = signed(v, 1)
			if i == 0 {
				tk.Label = "0"
			}
		}
		t = append(t, tk)
	}
	return t
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	// Keep acronyms and proper adjectives: "NdPr …", "Ex-China …".
	if len(s) > 1 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'a' && s[1] <= 'z' && s[:2] != "Ex" {
		return string(s[0]+'a'-'A') + s[1:]
	}
	return s
}

// signed formats v with a sign and dec decimals, with a true minus sign,
// and no sign on zero.
func signed(v float64, dec int) string {
	s := strconv.FormatFloat(math.Abs(v), 'f', dec, 64)
	if strings.Trim(s, "0.") == "" {
		return s
	}
	if v < 0 {
		return "−" + s
	}
	return "+" + s
}
