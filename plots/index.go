package plots

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/reesim/reesim/report"
	"github.com/reesim/reesim/results"
)

// compareMetrics are the headline metrics RenderIndex compares, in the
// order of the first run's summary: the cumulative quantities in tonnes,
// the ex-China price peaks and the multiples (see message.go for how a
// metric is recognised by its name and unit).
func compareMetrics(runs []*summaryRun) []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range runs {
		for _, m := range r.Summary.Metrics {
			keep := strings.HasPrefix(m.Name, "cum_") && m.Unit == "t" ||
				strings.HasPrefix(m.Name, "peak_") && isPriceUnit(m.Unit) && strings.Contains(m.Name, "exchina") ||
				m.Unit == "x"
			if keep && !seen[m.Name] {
				seen[m.Name] = true
				out = append(out, m.Name)
			}
		}
	}
	return out
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
// themselves with RenderWith.
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
	for _, m := range compareMetrics(runs) {
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
	charts, err := s.writeCharts(context.Background(), filepath.Join(outDir, "charts"), figs, src, nil)
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
	// The interval sits above the bar, apart from the mean's tick, with
	// caps that show even when it is narrower than they are; its numbers
	// are in the label, since at the scale of the spread between futures
	// it is often only a few points wide.
	ci := &errorBars{Line: draw.LineStyle{Color: s.Ink, Width: vg.Points(2)}, Cap: vg.Points(8)}
	meanTick := &rects{Color: s.Ink}
	var ls []label
	names := make([]string, n)
	xmin, xmax := math.Inf(1), math.Inf(-1)
	hiMean, loMean := -1, -1
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
		if hiMean < 0 || m.Mean > runs[hiMean].metric(metric).Mean {
			hiMean = i
		}
		if loMean < 0 || m.Mean < runs[loMean].metric(metric).Mean {
			loMean = i
		}
		ranges.R = append(ranges.R, rect{X0: m.P5, X1: m.P95, Y0: k - 0.2, Y1: k + 0.2, Color: alpha(okBlue, 0.3)})
		ci.B = append(ci.B, errorBar{Lo: m.Mean - 1.96*m.SE, Hi: m.Mean + 1.96*m.SE, Y: k + 0.32})
		ls = append(ls, label{X: m.P95, Y: k, Text: fmt.Sprintf("mean %s (95%% CI %s)", qty(m.Mean, unit), ci95(m, unit)), XAlign: draw.XLeft, DX: vg.Points(5)})
		xmin, xmax = math.Min(xmin, m.P5), math.Max(xmax, m.P95)
		xmin, xmax = math.Min(xmin, m.Mean-1.96*m.SE), math.Max(xmax, m.Mean+1.96*m.SE)
	}
	if math.IsInf(xmin, 0) {
		xmin, xmax = 0, 1
	}
	if xmin >= 0 {
		xmin = 0
	}
	w := (xmax - xmin) * 0.004 // the mean's tick, 0.4 % of the axis
	for i, r := range runs {
		if m := r.metric(metric); m != nil {
			k := float64(n - 1 - i)
			meanTick.R = append(meanTick.R, rect{X0: m.Mean - w, X1: m.Mean + w, Y0: k - 0.24, Y1: k + 0.24, Color: s.Ink})
		}
	}
	p.Add(ranges, meanTick, ci)
	p.Add(&labels{L: ls, Text: s.text(s.NoteSize, s.Ink, false)})
	p.NominalY(names...)
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4
	// Room on the right for the labels.
	p.X.Min, p.X.Max = xmin, xmax+(xmax-xmin)*0.55
	p.X.Tick.Marker = numberTicks{}
	p.X.Label.Text = title + " (" + unit + ")"
	fig := &figure{
		Name:   "compare-" + strings.ReplaceAll(metric, "_", "-"),
		Title:  title + ", by scenario",
		Panels: []*plot.Plot{p},
		Legend: []legendEntry{
			{Label: "Middle 90% of futures (p5–p95)", Thumbs: []plot.Thumbnailer{swatch{alpha(okBlue, 0.3)}}},
			{Label: "Mean", Thumbs: []plot.Thumbnailer{swatch{s.Ink}}},
			{Label: "95% confidence interval of the mean, above the bar", Thumbs: []plot.Thumbnailer{ci}},
		},
	}
	desc := fig.Title
	if hiMean >= 0 && loMean >= 0 && hiMean != loMean {
		hi, lo := runs[hiMean].metric(metric), runs[loMean].metric(metric)
		fig.Title = fmt.Sprintf("%s: %s in %s against %s in %s", title, qty(hi.Mean, unit), runs[hiMean].name(), qty(lo.Mean, unit), runs[loMean].name())
	}
	fig.Subtitle = desc + ". The bar shows how widely futures differ; the interval above it, written in the label, how precisely the mean is known. Means whose intervals do not overlap differ by more than Monte Carlo noise."
	fig.Note = "From each scenario's summary.json."
	fig.Alt = fig.Title + ". "
	for _, r := range runs {
		if m := r.metric(metric); m != nil {
			fig.Alt += fmt.Sprintf("%s: mean %s (95%% CI %s), p5 %s, p95 %s. ", r.name(), qty(m.Mean, unit), ci95(m, unit), qty(m.P5, unit), qty(m.P95, unit))
		}
	}
	return fig, nil
}

// ci95 writes a metric's 95 % confidence interval of the mean.
func ci95(m *results.Metric, unit string) string { return ci(m.Mean, m.SE, unit) }

// indexOf builds the index page.
func indexOf(outDir string, runs []*summaryRun, src source, charts []chartFile) *report.Index {
	ix := &report.Index{Title: "reesim scenario comparison", Source: src.Text}
	if src.Partial != "" {
		ix.Partial = src.Partial + ". The numbers of an interrupted run are less precise than a full run's; run it again before quoting them."
		ix.Source += " — " + src.Partial
	}
	metrics := compareMetrics(runs)
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
			row.Cells = append(row.Cells, fmt.Sprintf("%s ± %s\n%s", qty(m.Mean, m.Unit), num(1.96*m.SE), rangeText(m.P5, m.P95, m.Unit)))
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
