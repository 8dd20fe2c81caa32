package plots

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/exp/stats"
	"gonum.org/v1/plot/vg"

	"github.com/reesim/reesim/report"
	"github.com/reesim/reesim/results"
)

// Options say what RenderWith may take from its caller rather than from
// the results folder, and whom to tell how far it got.
type Options struct {
	// Manifest, when not nil, stands in for manifest.json.
	Manifest *results.Manifest
	// Sample, when not nil, stands in for the first paths of paths.csv
	// (see MaxSample).
	Sample *PathSample
	// Progress, when not nil, is called after each chart is drawn with
	// the number drawn and the number to draw.
	Progress func(done, total int)
}

// RenderWith reads the results folder dir and writes its charts into
// dir/charts (PNG, SVG and PDF), dir/briefing.pdf (a cover, a summary
// page and every chart, one per page) and the briefing page
// dir/report.html. It needs quantiles.csv, paths.csv, summary.json and
// manifest.json (or o.Manifest); without manifest.json it takes what it
// can from summary.json and says the version is unknown.
//
// It stops soon after ctx is done and returns ctx.Err(): it looks while
// it reads paths.csv, between charts and between the pages of
// briefing.pdf. The files written by then are complete, each of them, but
// not all are new.
func RenderWith(ctx context.Context, dir string, o Options) error {
	r, err := readRun(ctx, dir, o)
	if err != nil {
		return err
	}
	s := newStyle()
	figs, notes, err := s.figures(ctx, r)
	if err != nil {
		return fmt.Errorf("results folder %s: %w", dir, err)
	}
	msg := messageOf(r)
	key := keyCharts(figs, msg)
	src := sourceOf(r.Manifest, r.Summary.Partial)
	charts, err := s.writeCharts(ctx, filepath.Join(dir, "charts"), figs, src, o.Progress)
	if err != nil {
		return err
	}
	// The briefing: a cover, the summary, the key charts, the others.
	ordered := make([]*figure, 0, len(figs))
	for _, i := range key {
		ordered = append(ordered, figs[i])
	}
	for i, f := range figs {
		if !slices.Contains(key, i) {
			ordered = append(ordered, f)
		}
	}
	// briefing.pdf is drawn while report.html, which needs only the
	// PNGs and the figures' texts, is written.
	pdfErr := make(chan error, 1)
	go func() {
		pdf, err := s.briefing(ctx, r, msg, ordered, src)
		if err := ctx.Err(); err != nil {
			pdfErr <- err
			return
		}
		if err != nil {
			pdfErr <- fmt.Errorf("briefing.pdf: %w", err)
			return
		}
		pdfErr <- writeFile(filepath.Join(dir, "briefing.pdf"), func(w io.Writer) error { _, err := w.Write(pdf); return err })
	}()
	page, err := pageOf(ctx, r, src, charts, notes, msg, key)
	if err == nil {
		err = writeFile(filepath.Join(dir, "report.html"), func(w io.Writer) error { return report.Write(w, page) })
	}
	// The PDF's goroutine is always waited for, so that no file is being
	// written into dir once RenderWith returns.
	perr := <-pdfErr
	if err := ctx.Err(); err != nil {
		return err
	}
	return errors.Join(perr, err)
}

// keyCharts returns the indices of the figures that follow the message:
// the price the message speaks of over time, the cumulative quantity's
// series over time, its distribution and its drivers; other fan charts
// make up a short list.
func keyCharts(figs []*figure, msg message) []int {
	var want []string
	if msg.Price != "" {
		want = append(want, msg.Price)
	}
	if msg.Cumulative != "" {
		want = append(want, strings.TrimPrefix(msg.Cumulative, "cum_"), "dist:"+msg.Cumulative, "drivers:"+msg.Cumulative)
	}
	var out []int
	taken := map[int]bool{}
	for _, w := range want {
		for i, f := range figs {
			if !taken[i] && slices.Contains(f.About, w) {
				out, taken[i] = append(out, i), true
				break
			}
		}
	}
	for i, f := range figs {
		if len(out) >= 3 {
			break
		}
		if !taken[i] && len(f.fans) > 0 {
			out, taken[i] = append(out, i), true
		}
	}
	return out
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
		if note := flatNote(r, spec); note != "" {
			notes = append(notes, note)
			continue
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
		// A metric that is the same on every path has no distribution to
		// draw: a sentence says so instead of a chart.
		if sm := r.metric(spec.Metric); sm != nil && sm.SD == 0 && sm.P5 == sm.P95 && r.Manifest.Paths > 0 {
			notes = append(notes, fmt.Sprintf("No distribution chart of %s: it is %s on every one of the %s paths.", lowerStart(sm.Title), qty(sm.Mean, sm.Unit), group(fmt.Sprint(r.Manifest.Paths))))
			continue
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
	f, err := s.convergenceChart(r)
	if err != nil {
		return nil, nil, err
	}
	if f != nil {
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

// writeCharts writes each figure as PNG, SVG and PDF into dir, drawing
// as many at once as there are CPUs, and removes charts of an earlier
// render that this one did not draw. progress, when not nil, is called
// after each chart. It stops when ctx is done, returning ctx.Err(): no
// chart is begun after that, and those being drawn are finished.
func (s *style) writeCharts(ctx context.Context, dir string, figs []*figure, src source, progress func(done, total int)) ([]chartFile, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	out := make([]chartFile, len(figs))
	errs := make([]error, len(figs))
	var (
		mu   sync.Mutex
		done int
		wg   sync.WaitGroup
	)
	next := make(chan int)
	for range min(runtime.GOMAXPROCS(0), len(figs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var img *image.RGBA // reused from chart to chart
			for i := range next {
				if ctx.Err() != nil {
					continue
				}
				out[i].Fig = figs[i]
				out[i].PNG, img, errs[i] = s.writeChart(dir, figs[i], src, img)
				mu.Lock()
				done++
				if progress != nil {
					progress(done, len(figs))
				}
				mu.Unlock()
			}
		}()
	}
feed:
	for i := range figs {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	keep := map[string]bool{}
	for _, f := range figs {
		for _, ext := range []string{".png", ".svg", ".pdf"} {
			keep[f.Name+ext] = true
		}
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

// writeChart writes one figure as PNG, SVG and PDF into dir and returns
// the PNG and the image it was drawn on, for the next chart.
func (s *style) writeChart(dir string, f *figure, src source, img *image.RGBA) ([]byte, *image.RGBA, error) {
	if img == nil {
		w := int(s.Width/vg.Inch*vg.Length(s.DPI) + 0.5)
		h := int(s.Height/vg.Inch*vg.Length(s.DPI) + 0.5)
		img = image.NewRGBA(image.Rect(0, 0, w, h))
	}
	png, err := s.pngInto(f, src, img)
	if err != nil {
		return nil, img, fmt.Errorf("chart %s: %w", f.Name, err)
	}
	svg, err := s.svg(f, src)
	if err != nil {
		return nil, img, fmt.Errorf("chart %s: %w", f.Name, err)
	}
	pdf, err := s.pdf([]*figure{f}, src)
	if err != nil {
		return nil, img, fmt.Errorf("chart %s: %w", f.Name, err)
	}
	for _, file := range []struct {
		ext string
		b   []byte
	}{{".png", png}, {".svg", svg}, {".pdf", pdf}} {
		if err := writeFile(filepath.Join(dir, f.Name+file.ext), func(w io.Writer) error { _, err := w.Write(file.b); return err }); err != nil {
			return nil, img, err
		}
	}
	return png, img, nil
}

// isInternal reports whether a sampled input is an internal draw: a
// uniform number that decides whether an event happens or a plant is
// cancelled, which paths.csv keeps but a briefing does not show.
func isInternal(name string) bool {
	return strings.HasSuffix(strings.TrimRight(name, "'"), "_draw")
}

// chartOf returns the page's entry for a chart file.
func chartOf(c chartFile) report.Chart {
	return report.Chart{
		Title: c.Fig.Title, Subtitle: c.Fig.Subtitle, Alt: c.Fig.Alt, PNG: c.PNG,
		Links: []report.Field{{Name: "PNG", Value: "charts/" + c.Fig.Name + ".png"}, {Name: "SVG", Value: "charts/" + c.Fig.Name + ".svg"}, {Name: "PDF", Value: "charts/" + c.Fig.Name + ".pdf"}},
	}
}

// headlineOf returns the headline table's row of a metric.
func headlineOf(sm results.Metric) report.Headline {
	h := report.Headline{Title: sm.Title + " (" + sm.Unit + ")", Unit: sm.Unit, Mean: qty(sm.Mean, sm.Unit), CI: ci(sm.Mean, sm.SE, sm.Unit),
		P5: qty(sm.P5, sm.Unit), P50: qty(sm.P50, sm.Unit), P95: qty(sm.P95, sm.Unit)}
	for _, e := range sm.Exceedances {
		h.Exceedances = append(h.Exceedances, fmt.Sprintf("above %s: %s ± %s", qty(e.Threshold, sm.Unit), percent(e.Probability), percentSE(e.SE)))
	}
	return h
}

// pageOf builds the briefing page of a run. It stops when ctx is done,
// returning ctx.Err().
func pageOf(ctx context.Context, r *run, src source, charts []chartFile, notes []string, msg message, key []int) (*report.Page, error) {
	m := r.Manifest
	p := &report.Page{
		Title:       "reesim briefing: " + m.Scenario,
		Scenario:    m.Scenario,
		Description: m.Description,
		Source:      src.Text,
		Notes:       notes,
		Message:     msg.Sentences,
		Differences: differencesOf(ctx, r),
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
	hidden := 0
	for _, in := range r.Paths.Inputs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if isInternal(in) {
			hidden++
			continue
		}
		lo, hi := r.Paths.Min[in], r.Paths.Max[in]
		med := medianOf(r.Paths.In[in])
		a := report.Assumption{Label: r.label(in), Name: in, Min: num(lo), Median: num(med), Max: num(hi)}
		if isMonthInput(in, lo, hi) {
			a.Min, a.Median, a.Max = monthLabel(lo), monthLabel(med), monthLabel(hi)
		}
		p.Assumptions = append(p.Assumptions, a)
	}
	if hidden > 0 {
		what := fmt.Sprintf("%d internal draws are", hidden)
		if hidden == 1 {
			what = "1 internal draw is"
		}
		p.Hidden = fmt.Sprintf("%s not shown: uniform numbers between 0 and 1 that decide, path by path, whether an event with a given chance happens or a plant is cancelled. paths.csv keeps them.", what)
	}
	if m.Paths > r.Paths.N {
		p.FixedNote = fmt.Sprintf("Lowest, median and highest over the first %s of the %s paths, a random sample.", group(fmt.Sprint(r.Paths.N)), group(fmt.Sprint(m.Paths)))
	}
	for _, sm := range r.Summary.Metrics {
		p.Headline = append(p.Headline, headlineOf(sm))
	}
	isKey := map[int]bool{}
	for _, i := range key {
		isKey[i] = true
		p.KeyCharts = append(p.KeyCharts, chartOf(charts[i]))
	}
	for i, c := range charts {
		if !isKey[i] {
			p.Charts = append(p.Charts, chartOf(c))
		}
	}
	p.Method = methodOf(r)
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

// methodOf says in a few paragraphs how a run's numbers were made.
func methodOf(r *run) []string {
	m := r.Manifest
	return []string{
		fmt.Sprintf("Each of the %s paths is one possible future of the rare-earth magnet market, simulated month by month over %s: its uncertain inputs (Appendix C) are drawn from the distributions the scenario file gives, with the rank correlations it names, and prices form in the market from supply, demand and stocks. docs/MODEL.md sets out the equations.", group(fmt.Sprint(m.Paths)), horizonYears(r)),
		"The sentences at the top and the tables use every path: a mean is given with its 95 % confidence interval (± 1.96 Monte Carlo standard errors), which says how precisely the simulation knows it, and percentiles say how widely futures differ. Fan charts show percentiles taken month by month across paths, so the median line is not one simulated future.",
		fmt.Sprintf("The histograms, exceedance curves, drivers charts and the input ranges are drawn from the first %s paths, a random sample, so that drawing them takes the same time whatever the number of paths; the means, percentiles and thresholds marked on them come from every path.", group(fmt.Sprint(min(r.Paths.N, m.Paths)))),
		"Money is in US dollars over the whole horizon, not discounted. Numbers are rounded to three significant figures: Monte Carlo results are seldom known better, and summary.csv keeps full precision.",
	}
}

// percentSE formats the standard error of a probability in percentage
// points, to one decimal.
func percentSE(se float64) string {
	if se > 0 && se < 0.0005 {
		return "< 0.1%"
	}
	return strconv.FormatFloat(100*se, 'f', 1, 64) + "%"
}

// medianOf returns the median of v (Hyndman and Fan type 7), 0 for none.
func medianOf(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	return stats.Median(v)
}
