package plots

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/reesim/reesim/report"
	"github.com/reesim/reesim/results"
)

// Render reads the results folder dir and writes its charts into
// dir/charts (PNG, SVG and PDF), every chart into dir/briefing.pdf, one
// per page, and the briefing page dir/report.html. It needs
// quantiles.csv, paths.csv, summary.json and manifest.json; without
// manifest.json it takes what it can from summary.json and says the
// version is unknown.
func Render(dir string) error {
	return RenderContext(context.Background(), dir, nil)
}

// RenderManifest is Render for a caller that holds the run's manifest
// but has not written manifest.json yet: man stands in for the file.
func RenderManifest(dir string, man results.Manifest) error {
	return RenderContext(context.Background(), dir, &man)
}

// RenderContext is RenderManifest, or Render when man is nil, that stops
// soon after ctx is done and returns ctx.Err(): it looks while it reads
// paths.csv and between charts. The files written by then are complete,
// each of them, but not all are new.
func RenderContext(ctx context.Context, dir string, man *results.Manifest) error {
	r, err := readRunContext(ctx, dir, man)
	if err != nil {
		return err
	}
	s := newStyle()
	figs, notes, err := s.figures(ctx, r)
	if err != nil {
		return fmt.Errorf("results folder %s: %w", dir, err)
	}
	src := sourceOf(r.Manifest, r.Summary.Partial)
	charts, err := s.writeCharts(ctx, filepath.Join(dir, "charts"), figs, src)
	if err != nil {
		return err
	}
	pdf, err := s.pdfContext(ctx, figs, src)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err != nil {
		return fmt.Errorf("briefing.pdf: %w", err)
	}
	if err := writeFile(filepath.Join(dir, "briefing.pdf"), func(w io.Writer) error { _, err := w.Write(pdf); return err }); err != nil {
		return err
	}
	page, err := pageOf(ctx, r, src, charts, notes)
	if err != nil {
		return err
	}
	return writeFile(filepath.Join(dir, "report.html"), func(w io.Writer) error { return report.Write(w, page) })
}

// figures builds every chart of a run, and notes on those it left out.
// It stops when ctx is done, returning ctx.Err().
func (s *style) figures(ctx context.Context, r *run) ([]*figure, []string, error) {
	var figs []*figure
	var notes []string
	if len(r.Unknown) > 0 {
		notes = append(notes, fmt.Sprintf("quantiles.csv holds series that reesim does not write, which are not drawn: %s.", strings.Join(r.Unknown, ", ")))
	}
	for _, spec := range fanSpecs() {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		f, err := s.fanChart(r, spec)
		if err != nil {
			return nil, nil, err
		}
		if f == nil {
			if spec.SkipIfZero {
				notes = append(notes, fmt.Sprintf("No chart of %s: the scenario holds none.", strings.ToLower(spec.Title)))
			} else {
				notes = append(notes, fmt.Sprintf("No chart of %s: quantiles.csv lacks its series.", strings.ToLower(spec.Title)))
			}
			continue
		}
		figs = append(figs, f)
	}
	for _, spec := range distSpecs() {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		f, err := s.distChart(r, spec)
		if err != nil {
			return nil, nil, err
		}
		if f == nil {
			notes = append(notes, fmt.Sprintf("No distribution chart of %s: paths.csv lacks it.", spec.Metric))
			continue
		}
		figs = append(figs, f)
	}
	for _, spec := range tornadoSpecs() {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		f, err := s.tornadoChart(ctx, r, spec)
		if err != nil {
			return nil, nil, err
		}
		if f == nil {
			notes = append(notes, fmt.Sprintf("No chart of what drives %s: it does not vary between paths, or no sampled input does.", spec.What))
			continue
		}
		figs = append(figs, f)
	}
	return figs, notes, nil
}

// sourceOf returns the source line of a run's charts.
func sourceOf(m results.Manifest, partial bool) source {
	src := source{Text: fmt.Sprintf("Source: reesim %s (%s), scenario %s, %s paths, seed %d",
		m.Version, shortCommit(m.Commit), m.Scenario, group(fmt.Sprint(m.Paths)), m.Seed)}
	if partial || m.Partial {
		src.Partial = "PARTIAL RUN"
		if m.PathsAsked > m.Paths {
			src.Partial += fmt.Sprintf(": %s of %s paths", group(fmt.Sprint(m.Paths)), group(fmt.Sprint(m.PathsAsked)))
		}
	}
	return src
}

// shortCommit shortens a full commit hash to 12 digits.
func shortCommit(c string) string {
	if c == "" {
		return "unknown"
	}
	if len(c) > 12 && strings.Trim(c, "0123456789abcdef") == "" {
		return c[:12]
	}
	return c
}

// chartFile is a chart as written: its figure and PNG bytes.
type chartFile struct {
	Fig *figure
	PNG []byte
}

// writeCharts writes each figure as PNG, SVG and PDF into dir, and
// removes charts of an earlier render that this one did not draw. It stops
// when ctx is done, returning ctx.Err().
func (s *style) writeCharts(ctx context.Context, dir string, figs []*figure, src source) ([]chartFile, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	keep := map[string]bool{}
	var out []chartFile
	for _, f := range figs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		png, err := s.png(f, src)
		if err != nil {
			return nil, fmt.Errorf("chart %s: %w", f.Name, err)
		}
		svg, err := s.svg(f, src)
		if err != nil {
			return nil, fmt.Errorf("chart %s: %w", f.Name, err)
		}
		pdf, err := s.pdf([]*figure{f}, src)
		if err != nil {
			return nil, fmt.Errorf("chart %s: %w", f.Name, err)
		}
		for ext, b := range map[string][]byte{".png": png, ".svg": svg, ".pdf": pdf} {
			name := filepath.Join(dir, f.Name+ext)
			keep[f.Name+ext] = true
			if err := writeFile(name, func(w io.Writer) error { _, err := io.Copy(w, bytes.NewReader(b)); return err }); err != nil {
				return nil, err
			}
		}
		out = append(out, chartFile{Fig: f, PNG: png})
	}
	old, _ := os.ReadDir(dir)
	for _, e := range old {
		switch filepath.Ext(e.Name()) {
		case ".png", ".svg", ".pdf":
			if !keep[e.Name()] && !e.IsDir() {
				os.Remove(filepath.Join(dir, e.Name()))
			}
		}
	}
	return out, nil
}

// pageOf builds the briefing page of a run. It stops when ctx is done,
// returning ctx.Err().
func pageOf(ctx context.Context, r *run, src source, charts []chartFile, notes []string) (*report.Page, error) {
	m := r.Manifest
	p := &report.Page{
		Title:       "reesim briefing: " + m.Scenario,
		Scenario:    m.Scenario,
		Description: m.Description,
		Source:      src.Text,
		Notes:       notes,
	}
	if p.Description == "" {
		p.Description = "Scenario " + m.Scenario + "."
	}
	if src.Partial != "" {
		p.Partial = "PARTIAL RUN: this run was interrupted"
		if m.PathsAsked > m.Paths {
			p.Partial += fmt.Sprintf(" after %s of the %s paths asked for", group(fmt.Sprint(m.Paths)), group(fmt.Sprint(m.PathsAsked)))
		}
		p.Partial += ". Its numbers are less precise than a full run's; run it again before quoting them."
		p.Source += " — " + src.Partial
	}
	for _, in := range r.Paths.Inputs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		lo, hi := r.Paths.Min[in], r.Paths.Max[in]
		med := medianOf(r.Paths.In[in])
		a := report.Assumption{Label: inputLabel(in), Name: in, Min: num(lo), Median: num(med), Max: num(hi)}
		if isMonthInput(in, lo, hi) {
			a.Min, a.Median, a.Max = monthLabel(lo), monthLabel(med), monthLabel(hi)
		}
		p.Assumptions = append(p.Assumptions, a)
	}
	if r.Paths.N > MaxCorrelationRows {
		p.FixedNote = fmt.Sprintf("Lowest and highest over all %s paths; medians over the first %s.", group(fmt.Sprint(r.Paths.N)), group(fmt.Sprint(MaxCorrelationRows)))
	}
	for _, sm := range r.Summary.Metrics {
		h := report.Headline{Title: sm.Title, Unit: sm.Unit, Mean: sig(sm.Mean, 4), SE: num(sm.SE), P5: sig(sm.P5, 4), P50: sig(sm.P50, 4), P95: sig(sm.P95, 4)}
		for _, e := range sm.Exceedances {
			h.Exceedances = append(h.Exceedances, fmt.Sprintf("P(> %s %s) = %s ± %s", num(e.Threshold), sm.Unit, percent(e.Probability), percentSE(e.SE)))
		}
		p.Headline = append(p.Headline, h)
	}
	for _, c := range charts {
		p.Charts = append(p.Charts, report.Chart{
			Title: c.Fig.Title, Alt: c.Fig.Alt, PNG: c.PNG,
			Links: []report.Field{{Name: "PNG", Value: "charts/" + c.Fig.Name + ".png"}, {Name: "SVG", Value: "charts/" + c.Fig.Name + ".svg"}, {Name: "PDF", Value: "charts/" + c.Fig.Name + ".pdf"}},
		})
	}
	paths := group(fmt.Sprint(m.Paths))
	if m.PathsAsked > m.Paths {
		paths += " of " + group(fmt.Sprint(m.PathsAsked)) + " asked"
	}
	p.Reproduce = []report.Field{
		{Name: "Command", Value: m.Command},
		{Name: "Seed", Value: fmt.Sprint(m.Seed)},
		{Name: "Paths", Value: paths},
		{Name: "Scenario file", Value: m.File},
		{Name: "Scenario SHA-256", Value: m.ScenarioHash},
		{Name: "reesim version", Value: m.Version},
		{Name: "reesim commit", Value: m.Commit},
	}
	// The number of workers and the times are in manifest.json, not here:
	// the same scenario and seed make the same page, byte for byte.
	if !r.HasManifest {
		p.Notes = append(p.Notes, "manifest.json was missing: the version, command and scenario hash are unknown.")
	}
	return p, nil
}

// percentSE formats the standard error of a probability in percentage
// points, to one decimal.
func percentSE(se float64) string {
	if se > 0 && se < 0.0005 {
		return "< 0.1%"
	}
	return strconv.FormatFloat(100*se, 'f', 1, 64) + "%"
}

func medianOf(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return quantileSorted(s, 0.5)
}
