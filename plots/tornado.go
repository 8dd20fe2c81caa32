package plots

import (
	"context"
	"fmt"
	"image/color"
	"math"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/reesim/reesim/internal/stat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// unrankable reports whether x has no rank correlation with anything:
// it is constant, or holds a NaN (see stat.Spearman).
func unrankable(x []float64) bool {
	return constant(x) || slices.ContainsFunc(x, math.IsNaN)
}

// constant reports whether every value of x is the same.
func constant(x []float64) bool {
	for _, v := range x[1:] {
		if v != x[0] {
			return false
		}
	}
	return true
}

// driver is a sampled input, its rank correlation with a metric and its
// swing: how much higher the metric is on average in the paths with the
// top fifth of the input's values than in those with the bottom fifth.
type driver struct {
	Input string
	Label string
	Rho   float64
	Swing float64
	// Setting marks a model setting (a calibrated behavioural parameter)
	// as against a policy lever or an uncertainty about the world.
	Setting bool
}

// ranked is an input column's ranks and its values sorted, which every
// metric's drivers chart uses.
type ranked struct {
	r, sorted []float64
}

// rankCache holds the ranked columns by input name, so that the inputs
// are ranked once for all the drivers charts of a run.
type rankCache map[string]*ranked

// rank returns x's ranks and sorted values, from the cache when there.
func (c rankCache) rank(name string, x []float64) *ranked {
	if rk, ok := c[name]; ok && len(rk.r) == len(x) {
		return rk
	}
	r, sorted := stat.Ranks(x)
	rk := &ranked{r: r, sorted: sorted}
	c[name] = rk
	return rk
}

// warm ranks the columns of in named in names (the first n values of
// each, constant columns left out) as many at once as there are CPUs. It
// stops early when ctx is done, leaving the rest unranked.
func (c rankCache) warm(ctx context.Context, names []string, in map[string][]float64, n int) {
	out := make([]*ranked, len(names))
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(names) && ctx.Err() == nil; i += workers {
				if x := in[names[i]]; len(x) >= n && n > 1 && !unrankable(x[:n]) {
					r, sorted := stat.Ranks(x[:n])
					out[i] = &ranked{r: r, sorted: sorted}
				}
			}
		}()
	}
	wg.Wait()
	for i, rk := range out {
		if rk != nil {
			c[names[i]] = rk
		}
	}
}

// rankDriversCached is rankDrivers with the inputs' ranks kept in c. It
// stops when ctx is done, returning ctx.Err().
func rankDriversCached(ctx context.Context, names []string, in map[string][]float64, y []float64, c rankCache) ([]driver, error) {
	var ds []driver
	if len(y) < 2 || unrankable(y) {
		return nil, nil
	}
	// Spearman of each input with y, ranking y once.
	ry, _ := stat.Ranks(y)
	for _, n := range names {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		x := in[n]
		if len(x) < len(y) {
			continue
		}
		x = x[:len(y)]
		if unrankable(x) {
			continue
		}
		rk := c.rank(n, x)
		rho := stat.RankCorrelation(rk.r, ry)
		if math.IsNaN(rho) {
			continue
		}
		lo, hi := quantileSorted(rk.sorted, 0.2), quantileSorted(rk.sorted, 0.8)
		ds = append(ds, driver{Input: n, Label: inputLabel(n), Rho: rho, Swing: swingAt(x, y, lo, hi)})
	}
	sort.SliceStable(ds, func(i, j int) bool { return math.Abs(ds[i].Rho) > math.Abs(ds[j].Rho) })
	return ds, nil
}

// swingAt returns the mean of y over the paths whose x is at or above hi,
// its 80th percentile, less the mean over those at or below lo, its 20th.
func swingAt(x, y []float64, lo, hi float64) float64 {
	if lo == hi {
		return 0
	}
	var top, bottom stat.Moments
	for i, v := range x {
		switch {
		case v >= hi:
			top.Add(y[i])
		case v <= lo:
			bottom.Add(y[i])
		}
	}
	if top.N == 0 || bottom.N == 0 {
		return 0
	}
	return top.Mean - bottom.Mean
}

// isSetting reports whether an input, by its key path, is a model
// setting: a behavioural parameter of the market (elasticities,
// inventory cover, price caps, thrifting, the supply response) rather
// than a policy or a fact about the world.
func isSetting(path string) bool {
	path = strings.TrimRight(path, "'")
	top, _, _ := strings.Cut(path, ".")
	switch top {
	case "market", "supply_response", "recipe":
		return true
	}
	// The key, or a name the scenario gave the input ("thrift-max-rate").
	field := strings.ReplaceAll(path[strings.LastIndexByte(path, '.')+1:], "-", "_")
	switch {
	case strings.Contains(field, "elasticity"), strings.HasPrefix(field, "thrift"), strings.HasPrefix(field, "cover_"),
		strings.HasSuffix(field, "price_multiple"), strings.HasPrefix(field, "price_cap"), field == "payability":
		return true
	}
	return false
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

// Bars a tornado chart shows: policy levers and uncertainties about the
// world, then model settings.
const (
	maxBars        = 7
	maxSettingBars = 3
)

// tornadoChart ranks the sampled inputs by their rank correlation with a
// metric and draws each one's swing in the metric's unit, policy levers
// and uncertainties apart from model settings. Internal draws are left
// out. It returns nil when the sample lacks the metric, has no sampled
// input that varies, or the metric is the same on every path.
func (s *style) tornadoChart(ctx context.Context, r *run, spec tornadoSpec) (*figure, error) {
	y := r.Paths.Metric[spec.Metric]
	if len(y) < 3 || constant(y) {
		return nil, nil
	}
	var names []string
	for _, n := range r.Paths.Inputs {
		if !isInternal(n) {
			names = append(names, n)
		}
	}
	if r.ranks == nil {
		r.ranks = rankCache{}
		r.ranks.warm(ctx, names, r.Paths.In, len(y))
	}
	ds, err := rankDriversCached(ctx, names, r.Paths.In, y, r.ranks)
	if err != nil {
		return nil, err
	}
	if len(ds) == 0 {
		return nil, nil
	}
	for i := range ds {
		path := r.keyPath(ds[i].Input)
		ds[i].Label = r.label(ds[i].Input)
		ds[i].Setting = isSetting(path)
	}
	title, unit := spec.Metric, ""
	if sm := r.metric(spec.Metric); sm != nil {
		title, unit = sm.Title, sm.Unit
	}
	var policy, settings []driver
	for _, d := range ds {
		switch {
		case d.Setting && len(settings) < maxSettingBars:
			settings = append(settings, d)
		case !d.Setting && len(policy) < maxBars:
			policy = append(policy, d)
		}
	}
	n := len(y)
	noise := 1.96 / math.Sqrt(float64(n-1))
	fig := &figure{Name: spec.Name, drivers: ds, About: []string{"drivers:" + spec.Metric}}
	lead := ds[0]
	if len(policy) > 0 {
		lead = policy[0]
	}
	short, _, _ := strings.Cut(lead.Label, " (")
	fig.Title = fmt.Sprintf("%s moves %s most (%s)", short, spec.What, signedQty(lead.Swing, unit))
	fig.Subtitle = fmt.Sprintf("What drives %s. Each bar: the mean %s in the fifth of paths with the most of the input, less that in the fifth with the least (%s paths).",
		spec.What, lowerFirst(title), group(fmt.Sprint(n)))
	rows := append([]driver(nil), policy...)
	var names2 []string
	if len(settings) > 0 {
		rows = append(rows, driver{Label: "Model settings (calibrated):"})
		rows = append(rows, settings...)
	}
	p := s.newPlotGrid(true, false)
	names2 = make([]string, len(rows))
	bars := &rects{Color: okVermilion}
	var ls []label
	lo, hi := 0.0, 0.0
	for _, d := range rows {
		lo, hi = math.Min(lo, d.Swing), math.Max(hi, d.Swing)
	}
	span := hi - lo
	if span == 0 {
		span = 1
	}
	for i, d := range rows {
		k := float64(len(rows) - 1 - i) // largest at the top
		names2[len(rows)-1-i] = d.Label
		if d.Input == "" {
			continue // the heading of the model settings
		}
		var c color.Color = okVermilion
		if d.Swing < 0 {
			c = okBlue
		}
		if d.Setting {
			c = alpha(c, 0.45)
		}
		if math.Abs(d.Rho) < noise {
			c = alpha(c, 0.25)
		}
		bars.R = append(bars.R, rect{X0: 0, X1: d.Swing, Y0: k - 0.36, Y1: k + 0.36, Color: c})
		t := label{X: d.Swing, Y: k, Text: fmt.Sprintf("%s (ρ %s)", signedQty(d.Swing, unit), signed(d.Rho, 2)), XAlign: draw.XLeft, DX: vg.Points(3)}
		if d.Swing < 0 {
			t.XAlign, t.DX = draw.XRight, -vg.Points(3)
		}
		ls = append(ls, t)
	}
	p.Add(bars, &labels{L: ls, Text: s.text(s.NoteSize, s.Ink, false)})
	p.Add(&vline{X: 0, Line: draw.LineStyle{Color: s.Muted, Width: vg.Points(0.8)}})
	p.NominalY(names2...)
	pad := math.Max(0, float64(6-len(rows))/2)
	p.Y.Min, p.Y.Max = -0.5-pad, float64(len(rows))-0.5+pad
	// Room either side for the labels.
	p.X.Min, p.X.Max = lo-0.05*span, hi+0.5*span
	if lo < 0 {
		p.X.Min = lo - 0.5*span
	}
	p.X.Tick.Marker = numberTicks{}
	p.X.Label.Text = "Swing in " + lowerFirst(title) + " (" + unit + ")"
	p.Y.Tick.Label.Font.Size = s.TickSize
	fig.Panels = []*plot.Plot{p}
	fig.Legend = []legendEntry{
		{Label: "More of the input raises it", Thumbs: []plot.Thumbnailer{swatch{okVermilion}}},
		{Label: "lowers it", Thumbs: []plot.Thumbnailer{swatch{okBlue}}},
		{Label: "model setting", Thumbs: []plot.Thumbnailer{swatch{alpha(okVermilion, 0.45)}}},
		{Label: fmt.Sprintf("faint: |ρ| under %.2f, indistinguishable from chance", noise), Thumbs: []plot.Thumbnailer{swatch{alpha(okVermilion, 0.25)}}},
	}
	fig.Note = "From the first paths of paths.csv. ρ: Spearman rank correlation. One input at a time: inputs that move together share credit. Internal draws (whether an event happens, whether a plant is cancelled) are left out."
	if left := len(ds) - len(policy) - len(settings); left > 0 {
		fig.Note += fmt.Sprintf(" %d weaker inputs not shown.", left)
	}
	fig.Alt = fig.Title + ". "
	for i, d := range rows {
		if i == 6 {
			break
		}
		if d.Input != "" {
			fig.Alt += fmt.Sprintf("%s: %s. ", d.Label, signedQty(d.Swing, unit))
		}
	}
	return fig, nil
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
