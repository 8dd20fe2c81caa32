package plots

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/reesim/reesim/report"
	"github.com/reesim/reesim/results"
)

// compareMetrics are the headline metrics RenderIndex compares, in order.
func compareMetrics() []string {
	return []string{
		"cum_shortfall_t",
		"cum_shortfall_defence_t",
		"peak_price_magnet_exchina",
		"peak_price_dytb_exchina",
		"peak_price_ndpr_exchina",
	}
}

// summaryRun is a run as RenderIndex sees it: its summary and manifest.
type summaryRun struct {
	Dir         string
	Manifest    results.Manifest
	Summary     results.Summary
	HasManifest bool
}

func (r *summaryRun) metric(name string) *results.Metric {
	for i := range r.Summary.Metrics {
		if r.Summary.Metrics[i].Name == name {
			return &r.Summary.Metrics[i]
		}
	}
	return nil
}

// name returns the scenario's name.
func (r *summaryRun) name() string {
	if r.Manifest.Scenario != "" {
		return r.Manifest.Scenario
	}
	return r.Summary.Scenario
}

func (r *summaryRun) partial() bool { return r.Summary.Partial || r.Manifest.Partial }

// RenderIndex compares the runs in dirs, each a results folder, and
// writes into outDir one chart per headline metric (charts/compare-*.png,
// .svg and .pdf), all of them in comparison.pdf, and index.html, which
// tabulates the runs and links each one's report.html. It reads only
// summary.json and manifest.json from each folder; render the folders
// themselves with Render.
func RenderIndex(outDir string, dirs []string) error {
	if len(dirs) == 0 {
		return errors.New("no results folders to compare")
	}
	var runs []*summaryRun
	for _, d := range dirs {
		r := &summaryRun{Dir: d}
		if err := readJSON(filepath.Join(d, "summary.json"), &r.Summary); err != nil {
			return fmt.Errorf("results folder %s: %w", d, err)
		}
		err := readJSON(filepath.Join(d, "manifest.json"), &r.Manifest)
		switch {
		case err == nil:
			r.HasManifest = true
		case errors.Is(err, os.ErrNotExist):
			s := r.Summary
			r.Manifest = results.Manifest{Scenario: s.Scenario, Seed: s.Seed, Paths: s.Paths, PathsAsked: s.Paths, Partial: s.Partial, Version: "unknown", Commit: "unknown"}
		default:
			return fmt.Errorf("results folder %s: %w", d, err)
		}
		runs = append(runs, r)
	}
	s := newStyle()
	src := batchSource(runs)
	var figs []*figure
	for _, m := range compareMetrics() {
		f, err := s.compareChart(runs, m)
		if err != nil {
			return err
		}
		if f != nil {
			figs = append(figs, f)
		}
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	charts, err := s.writeCharts(filepath.Join(outDir, "charts"), figs, src, nil)
	if err != nil {
		return err
	}
	if len(figs) > 0 {
		pdf, err := s.pdf(figs, src)
		if err != nil {
			return fmt.Errorf("comparison.pdf: %w", err)
		}
		if err := writeFile(filepath.Join(outDir, "comparison.pdf"), func(w io.Writer) error { _, err := w.Write(pdf); return err }); err != nil {
			return err
		}
	}
	ix := indexOf(outDir, runs, src, charts)
	return writeFile(filepath.Join(outDir, "index.html"), func(w io.Writer) error { return report.WriteIndex(w, ix) })
}

// batchSource returns the source line of a batch: the versions, paths and
// seeds, said once when the runs agree.
func batchSource(runs []*summaryRun) source {
	set := func(f func(r *summaryRun) string) string {
		var vals []string
		seen := map[string]bool{}
		for _, r := range runs {
			v := f(r)
			if !seen[v] {
				seen[v] = true
				vals = append(vals, v)
			}
		}
		return strings.Join(vals, "; ")
	}
	version := set(func(r *summaryRun) string {
		return r.Manifest.Version + " (" + shortCommit(r.Manifest.Commit) + ")"
	})
	paths := set(func(r *summaryRun) string { return group(fmt.Sprint(r.Manifest.Paths)) })
	seeds := set(func(r *summaryRun) string { return fmt.Sprint(r.Manifest.Seed) })
	pathsText := paths + " paths each"
	if strings.Contains(paths, "; ") {
		pathsText = "paths " + paths
	}
	seedText := "seed " + seeds
	if strings.Contains(seeds, "; ") {
		seedText = "seeds " + seeds
	}
	text := fmt.Sprintf("Source: reesim %s, %d scenarios, %s, %s", version, len(runs), pathsText, seedText)
	src := source{Text: text}
	var partial []string
	for _, r := range runs {
		if r.partial() {
			partial = append(partial, r.name())
		}
	}
	if len(partial) > 0 {
		src.Partial = "PARTIAL RUN: " + strings.Join(partial, ", ")
	}
	return src
}

// compareChart shows one metric of every run: the 5th to 95th percentile
// of paths as a bar, and the mean with its 95 % confidence interval
// (± 1.96 standard errors). It returns nil when no run has the metric.
func (s *style) compareChart(runs []*summaryRun, metric string) (*figure, error) {
	var title, unit string
	for _, r := range runs {
		if m := r.metric(metric); m != nil {
			title, unit = m.Title, m.Unit
			break
		}
	}
	if title == "" {
		return nil, nil
	}
	n := len(runs)
	p := s.newPlotGrid(true, false)
	ranges := &rects{Color: alpha(okBlue, 0.3)}
	ci := &errorBars{Line: draw.LineStyle{Color: s.Ink, Width: vg.Points(1.5)}, Cap: vg.Points(10)}
	var means plotter.XYs
	var ls []label
	names := make([]string, n)
	xmin, xmax := math.Inf(1), math.Inf(-1)
	for i, r := range runs {
		k := float64(n - 1 - i) // first run at the top
		name := r.name()
		if r.partial() {
			name += " (PARTIAL)"
		}
		names[n-1-i] = name
		m := r.metric(metric)
		if m == nil {
			ls = append(ls, label{X: 0, Y: k, Text: "not in this run", XAlign: draw.XLeft})
			continue
		}
		ranges.R = append(ranges.R, rect{X0: m.P5, X1: m.P95, Y0: k - 0.22, Y1: k + 0.22, Color: alpha(okBlue, 0.3)})
		ci.B = append(ci.B, errorBar{Lo: m.Mean - 1.96*m.SE, Hi: m.Mean + 1.96*m.SE, Y: k})
		means = append(means, plotter.XY{X: m.Mean, Y: k})
		ls = append(ls, label{X: m.P95, Y: k, Text: fmt.Sprintf("mean %s ± %s", num(m.Mean), num(1.96*m.SE)), XAlign: draw.XLeft, DX: vg.Points(5)})
		xmin, xmax = math.Min(xmin, m.P5), math.Max(xmax, m.P95)
		xmin, xmax = math.Min(xmin, m.Mean-1.96*m.SE), math.Max(xmax, m.Mean+1.96*m.SE)
	}
	p.Add(ranges, ci)
	var meanGlyph draw.GlyphStyle
	if len(means) > 0 {
		sc, err := plotter.NewScatter(means)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", metric, err)
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: s.Ink, Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}}
		meanGlyph = sc.GlyphStyle
		p.Add(sc)
	}
	p.Add(&labels{L: ls, Text: s.text(s.NoteSize, s.Ink, false)})
	p.NominalY(names...)
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4
	if math.IsInf(xmin, 0) {
		xmin, xmax = 0, 1
	}
	if xmin >= 0 {
		xmin = 0
	}
	// Room on the right for the labels.
	p.X.Min, p.X.Max = xmin, xmax+(xmax-xmin)*0.3
	p.X.Tick.Marker = numberTicks{}
	p.X.Label.Text = title + " (" + unit + ")"
	fig := &figure{
		Name:   "compare-" + strings.ReplaceAll(metric, "_", "-"),
		Title:  title + ", by scenario",
		Panels: []*plot.Plot{p},
		Legend: []legendEntry{
			{Label: "Middle 90% of paths (p5–p95)", Thumbs: []plot.Thumbnailer{swatch{alpha(okBlue, 0.3)}}},
			{Label: "Mean", Thumbs: []plot.Thumbnailer{dot{meanGlyph}}},
			{Label: "95% confidence interval of the mean (± 1.96 SE)", Thumbs: []plot.Thumbnailer{ci}},
		},
	}
	fig.Subtitle = "The bar shows how widely paths vary; the interval shows how precisely the mean is known. Means whose intervals do not overlap differ by more than Monte Carlo noise."
	fig.Note = "From each scenario's summary.json."
	fig.Alt = fig.Title + ". "
	for _, r := range runs {
		if m := r.metric(metric); m != nil {
			fig.Alt += fmt.Sprintf("%s: mean %s %s ± %s, p5 %s, p95 %s. ", r.name(), num(m.Mean), unit, num(1.96*m.SE), num(m.P5), num(m.P95))
		}
	}
	return fig, nil
}

// indexOf builds the index page.
func indexOf(outDir string, runs []*summaryRun, src source, charts []chartFile) *report.Index {
	ix := &report.Index{Title: "reesim scenario comparison", Source: src.Text}
	if src.Partial != "" {
		ix.Partial = src.Partial + ". The numbers of an interrupted run are less precise than a full run's; run it again before quoting them."
		ix.Source += " — " + src.Partial
	}
	metrics := compareMetrics()
	var cols []string
	for _, name := range metrics {
		col := name
		for _, r := range runs {
			if m := r.metric(name); m != nil {
				col = m.Title + " (" + m.Unit + ")"
				break
			}
		}
		cols = append(cols, col)
	}
	ix.Columns = cols
	for _, r := range runs {
		href := filepath.Join(r.Dir, "report.html")
		if rel, err := filepath.Rel(outDir, href); err == nil {
			href = rel
		}
		row := report.IndexRow{
			Scenario: r.name(), Description: r.Manifest.Description,
			Href: filepath.ToSlash(href), Paths: group(fmt.Sprint(r.Manifest.Paths)), Partial: r.partial(),
		}
		for _, name := range metrics {
			m := r.metric(name)
			if m == nil {
				row.Cells = append(row.Cells, "–")
				continue
			}
			row.Cells = append(row.Cells, fmt.Sprintf("%s ± %s (%s–%s)", num(m.Mean), num(1.96*m.SE), num(m.P5), num(m.P95)))
		}
		ix.Rows = append(ix.Rows, row)
	}
	for _, c := range charts {
		ix.Charts = append(ix.Charts, report.Chart{
			Title: c.Fig.Title, Alt: c.Fig.Alt, PNG: c.PNG,
			Links: []report.Field{{Name: "PNG", Value: "charts/" + c.Fig.Name + ".png"}, {Name: "SVG", Value: "charts/" + c.Fig.Name + ".svg"}, {Name: "PDF", Value: "charts/" + c.Fig.Name + ".pdf"}},
		})
	}
	return ix
}
