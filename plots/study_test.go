package plots

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/xml"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/reesim/reesim/study"
)

// TestRenderStudy renders fixture study folders and checks the files: a
// 16:9 PNG, an SVG that parses as XML and a one-page PDF per chart, with
// the study, paths and seed in the source line.
func TestRenderStudy(t *testing.T) {
	tests := []struct {
		name string
		edit func(f *studyFixture)
		want []string
	}{
		{"sweep", func(f *studyFixture) {}, []string{"lever", "cost-benefit", "paired-differences"}},
		{"no cost-benefit", func(f *studyFixture) { f.Value = 0 }, []string{"lever", "paired-differences"}},
		{"explicit variants", func(f *studyFixture) { f.Explicit = true }, []string{"lever", "cost-benefit", "paired-differences"}},
		{"two bases", func(f *studyFixture) { f.Bases = []string{"world", "ban-world"} }, []string{
			"lever-world", "cost-benefit-world", "paired-differences-world",
			"lever-ban-world", "cost-benefit-ban-world", "paired-differences-ban-world"}},
		{"no paths.csv", func(f *studyFixture) { f.NoPaths = true }, []string{"lever", "cost-benefit", "paired-differences"}},
		{"reference only", func(f *studyFixture) { f.Levels = f.Levels[:1] }, []string{"lever"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := defaultStudyFixture()
			f.Paths = 120
			tc.edit(&f)
			dir := newStudy(t, f)
			charts, err := RenderStudyChartsContext(context.Background(), dir)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, c := range charts {
				names = append(names, c.Name)
				if c.Title == "" || c.Alt == "" {
					t.Errorf("%s: no title or alt text", c.Name)
				}
				b, err := os.ReadFile(filepath.Join(dir, "charts", c.Name+".png"))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(b, c.PNG) {
					t.Errorf("%s: the PNG returned is not the one written", c.Name)
				}
				checkChartFiles(t, filepath.Join(dir, "charts", c.Name), []string{"study " + f.Name, "120 paths", "seed 7", "reesim 9.8.7 (0123456789ab)"})
			}
			if !slices.Equal(names, tc.want) {
				t.Errorf("charts %q, want %q", names, tc.want)
			}
			files, _ := filepath.Glob(filepath.Join(dir, "charts", "*"))
			if len(files) != 3*len(tc.want) {
				t.Errorf("charts/ holds %d files, want %d", len(files), 3*len(tc.want))
			}
		})
	}
}

// checkChartFiles checks a chart's PNG, SVG and PDF files, and that the
// SVG's text holds each of texts.
func checkChartFiles(t *testing.T, base string, texts []string) {
	t.Helper()
	fh, err := os.Open(base + ".png")
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(fh)
	fh.Close()
	if err != nil {
		t.Fatalf("%s.png: %v", base, err)
	}
	if b := img.Bounds(); b.Dx() != 1600 || b.Dy() != 900 {
		t.Errorf("%s.png is %d × %d, want 1600 × 900 (16:9 at 200 DPI)", base, b.Dx(), b.Dy())
	}
	svg, err := os.ReadFile(base + ".svg")
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	d := xml.NewDecoder(bytes.NewReader(svg))
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s.svg does not parse as XML: %v", base, err)
		}
		if cd, ok := tok.(xml.CharData); ok {
			text.Write(cd)
		}
	}
	for _, want := range texts {
		if !strings.Contains(text.String(), want) {
			t.Errorf("%s.svg does not say %q", base, want)
		}
	}
	if n := pdfPages(t, base+".pdf"); n != 1 {
		t.Errorf("%s.pdf has %d pages, want 1", base, n)
	}
}

// figuresOf reads a fixture's folder and builds its charts.
func figuresOf(t *testing.T, dir string) []*studyFigure {
	t.Helper()
	sf, err := readStudy(dir)
	if err != nil {
		t.Fatal(err)
	}
	figs, err := newStyle().studyFigures(sf)
	if err != nil {
		t.Fatal(err)
	}
	return figs
}

// comparisonOf reads comparison.csv, keyed by base, variant and metric.
func comparisonOf(t *testing.T, dir string) map[[3]string]map[string]string {
	t.Helper()
	out := map[[3]string]map[string]string{}
	for _, r := range readStudyCSV(t, filepath.Join(dir, "comparison.csv")) {
		out[[3]string{r["base"], r["variant"], r["metric"]}] = r
	}
	return out
}

// TestStudyLeverFromComparison checks that the lever chart draws the
// means, the 95 % confidence band (mean ± 1.96 SE) and the 95th
// percentiles of comparison.csv, read here independently, at the sweep's
// values.
func TestStudyLeverFromComparison(t *testing.T) {
	for _, explicit := range []bool{false, true} {
		f := defaultStudyFixture()
		f.Explicit = explicit
		f.Levels = []float64{0, 90, 30, 180} // not in order: the axis sorts them
		dir := newStudy(t, f)
		table := comparisonOf(t, dir)
		panels := 0
		for _, fig := range figuresOf(t, dir) {
			for _, lp := range fig.lever {
				panels++
				n := len(lp.Variants)
				if n != len(f.Levels) {
					t.Fatalf("%s: %d variants, want %d", lp.Metric, n, len(f.Levels))
				}
				for k, name := range lp.Variants {
					row := table[[3]string{fig.base, name, lp.Metric}]
					if row == nil {
						t.Fatalf("no comparison.csv row for %s %s", name, lp.Metric)
					}
					mean, se, p95 := cellFloat(t, row["mean"]), cellFloat(t, row["se"]), cellFloat(t, row["p95"])
					for _, c := range []struct {
						what      string
						got, want float64
					}{
						{"mean", lp.Mean[k], mean},
						{"CI low", lp.Lo[k], mean - study.Z95*se},
						{"CI high", lp.Hi[k], mean + study.Z95*se},
						{"p95", lp.P95[k], p95},
					} {
						if c.got != c.want {
							t.Errorf("explicit=%v %s %s %s: chart %v, comparison.csv %v", explicit, lp.Metric, name, c.what, c.got, c.want)
						}
					}
					if !explicit {
						var level float64
						for _, x := range f.Levels {
							if fxVariant(x) == name {
								level = x
							}
						}
						if lp.Pos[k] != level {
							t.Errorf("%s drawn at %v, want its level %v", name, lp.Pos[k], level)
						}
						// The band's top runs left to right, its bottom back.
						top, bottom := lp.Band.XYs[0][k], lp.Band.XYs[0][2*n-1-k]
						if top.X != level || top.Y != mean+study.Z95*se || bottom.X != level || bottom.Y != mean-study.Z95*se {
							t.Errorf("%s %s: band at (%v, %v)–(%v, %v)", lp.Metric, name, top.X, top.Y, bottom.X, bottom.Y)
						}
					}
				}
				if !explicit && !slices.IsSorted(lp.Pos) {
					t.Errorf("%s: levels %v not in order", lp.Metric, lp.Pos)
				}
				if explicit && lp.Band != nil {
					t.Errorf("%s: a band across explicit variants", lp.Metric)
				}
			}
		}
		if panels != 2 {
			t.Errorf("explicit=%v: %d lever panels, want 2 (shortfall and peak price)", explicit, panels)
		}
	}
}

// TestStudyCostBenefitFromCSV checks the cost-benefit chart's bars and
// intervals against cost_benefit.csv.
func TestStudyCostBenefitFromCSV(t *testing.T) {
	dir := newStudy(t, defaultStudyFixture())
	rows := map[string]map[string]string{}
	for _, r := range readStudyCSV(t, filepath.Join(dir, "cost_benefit.csv")) {
		rows[r["variant"]] = r
	}
	var d *cbData
	for _, fig := range figuresOf(t, dir) {
		if fig.cb != nil {
			d = fig.cb
		}
	}
	if d == nil {
		t.Fatal("no cost-benefit chart")
	}
	if d.Scale != 1000 || d.Unit != "$ billion" {
		t.Errorf("scale %v %q, want $ billion for benefits of tens of billions", d.Scale, d.Unit)
	}
	if want := []string{"size-30", "size-60", "size-180"}; !slices.Equal(d.Variants, want) {
		t.Errorf("options %q, want %q (the reference left out)", d.Variants, want)
	}
	if d.Chosen != "size-180" {
		t.Errorf("choice %q, want size-180", d.Chosen)
	}
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Max(1, math.Abs(b)) }
	for i, name := range d.Variants {
		r := rows[name]
		for _, c := range []struct {
			col string
			e   study.Estimate
		}{{"benefit_musd", d.Benefit[i]}, {"incremental_cost_musd", d.Cost[i]}, {"net_benefit_musd", d.Net[i]}} {
			for _, v := range []struct {
				suffix string
				got    float64
			}{{"", c.e.Mean}, {"_ci95_lo", c.e.Lo}, {"_ci95_hi", c.e.Hi}} {
				if want := cellFloat(t, r[c.col+v.suffix]); !near(v.got*d.Scale, want) {
					t.Errorf("%s %s%s: chart %v × %v, cost_benefit.csv %v", name, c.col, v.suffix, v.got, d.Scale, want)
				}
			}
		}
	}
}

// TestStudyPairedDiffs checks the paired-difference chart: the mean and
// interval are comparison.csv's, and the percentiles are those of the
// per-path differences, paired by path number even when a paths.csv is
// in another order.
func TestStudyPairedDiffs(t *testing.T) {
	for _, shuffle := range []bool{false, true} {
		f := defaultStudyFixture()
		f.Shuffle = shuffle
		dir := newStudy(t, f)
		table := comparisonOf(t, dir)
		ref := f.values(0, f.Levels[0])[0]
		var rows []*diffRow
		for _, fig := range figuresOf(t, dir) {
			rows = append(rows, fig.diffs...)
		}
		if len(rows) != len(f.Levels)-1 {
			t.Fatalf("%d rows, want %d", len(rows), len(f.Levels)-1)
		}
		for i, r := range rows {
			x := f.Levels[i+1]
			if r.Variant != fxVariant(x) || !r.FromPaths || r.N != f.Paths {
				t.Errorf("row %d: %s, from paths %v, %d paths", i, r.Variant, r.FromPaths, r.N)
			}
			row := table[[3]string{"world", r.Variant, "cum_shortfall_t"}]
			if r.Mean != cellFloat(t, row["diff_mean"]) || r.Lo != cellFloat(t, row["diff_ci95_lo"]) || r.Hi != cellFloat(t, row["diff_ci95_hi"]) {
				t.Errorf("%s: mean %v (%v to %v), comparison.csv %s (%s to %s)", r.Variant, r.Mean, r.Lo, r.Hi, row["diff_mean"], row["diff_ci95_lo"], row["diff_ci95_hi"])
			}
			if math.Abs(r.PathMean-r.Mean) > 1e-6*math.Max(1, math.Abs(r.Mean)) {
				t.Errorf("shuffle=%v %s: mean of paths.csv differences %v, comparison.csv %v: the paths are not paired", shuffle, r.Variant, r.PathMean, r.Mean)
			}
			vals := f.values(0, x)[0]
			d := make([]float64, len(vals))
			for p := range d {
				d[p] = vals[p] - ref[p]
			}
			for _, q := range []struct {
				p   float64
				got float64
			}{{0.05, r.P5}, {0.25, r.P25}, {0.5, r.P50}, {0.75, r.P75}, {0.95, r.P95}} {
				if want := fxQuantile(d, q.p); q.got != want {
					t.Errorf("shuffle=%v %s: p%g of the differences %v, want %v", shuffle, r.Variant, 100*q.p, q.got, want)
				}
			}
			if sb := cellFloat(t, row["share_better"]); r.ShareBetter != sb {
				t.Errorf("%s: share better %v, comparison.csv %v", r.Variant, r.ShareBetter, sb)
			}
		}
	}
}

// Without the options' paths.csv the chart falls back on comparison.csv's
// percentiles of the differences.
func TestStudyPairedDiffsWithoutPaths(t *testing.T) {
	f := defaultStudyFixture()
	f.NoPaths = true
	dir := newStudy(t, f)
	table := comparisonOf(t, dir)
	for _, fig := range figuresOf(t, dir) {
		for _, r := range fig.diffs {
			row := table[[3]string{"world", r.Variant, "cum_shortfall_t"}]
			if r.FromPaths || r.P5 != cellFloat(t, row["diff_p5"]) || r.P50 != cellFloat(t, row["diff_p50"]) || r.P95 != cellFloat(t, row["diff_p95"]) {
				t.Errorf("%s: from paths %v, p5 %v p50 %v p95 %v; comparison.csv %s %s %s", r.Variant, r.FromPaths, r.P5, r.P50, r.P95, row["diff_p5"], row["diff_p50"], row["diff_p95"])
			}
		}
		if fig.diffs != nil && !strings.Contains(fig.fig.Note, "were missing") {
			t.Errorf("the note does not say paths.csv was missing: %q", fig.fig.Note)
		}
	}
}

// TestRenderStudyErrors checks that broken folders are refused with the
// file at fault named.
func TestRenderStudyErrors(t *testing.T) {
	tests := []struct {
		name    string
		breakIt func(t *testing.T, dir string)
		want    string
	}{
		{"no summary.json", func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, "summary.json")) }, "summary.json"},
		{"no comparison.csv", func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, "comparison.csv")) }, "comparison.csv"},
		{"comparison.csv lacks a column", func(t *testing.T, dir string) {
			rewriteCSV(t, filepath.Join(dir, "comparison.csv"), func(rec []string) []string { return rec[:len(rec)-1] })
		}, `no column "share_worse"`},
		{"a bad number", func(t *testing.T, dir string) {
			first := true
			rewriteCSV(t, filepath.Join(dir, "comparison.csv"), func(rec []string) []string {
				if !first && rec[5] == "cum_shortfall_t" {
					rec[9] = "lots"
				}
				first = false
				return rec
			})
		}, `mean is "lots"`},
		{"no cost_benefit.csv", func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, "cost_benefit.csv")) }, "cost_benefit.csv"},
		{"a path twice", func(t *testing.T, dir string) {
			rewriteCSV(t, filepath.Join(dir, "size-30", "paths.csv"), func(rec []string) []string {
				if rec[0] == "1" {
					rec[0] = "0"
				}
				return rec
			})
		}, "path 0 appears twice"},
		{"fewer paths", func(t *testing.T, dir string) {
			rewriteCSV(t, filepath.Join(dir, "size-60", "paths.csv"), func(rec []string) []string {
				if rec[0] == "5" {
					return nil
				}
				return rec
			})
		}, "some are missing"},
		{"unpaired", func(t *testing.T, dir string) {
			rewriteCSV(t, filepath.Join(dir, "size-60", "paths.csv"), func(rec []string) []string {
				if rec[0] == "119" {
					return nil
				}
				return rec
			})
		}, "not paired"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := defaultStudyFixture()
			f.Paths = 120
			dir := newStudy(t, f)
			tc.breakIt(t, dir)
			_, err := RenderStudyChartsContext(context.Background(), dir)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
}

// rewriteCSV rewrites a CSV file record by record; edit returns nil to
// drop a record.
func rewriteCSV(t *testing.T, name string, edit func(rec []string) []string) {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	w := csv.NewWriter(&out)
	for _, r := range recs {
		if r = edit(r); r != nil {
			w.Write(r)
		}
	}
	w.Flush()
	if err := os.WriteFile(name, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestStepTicks(t *testing.T) {
	tests := []struct {
		min, max float64
		want     []string
	}{
		{-39000, 1200, []string{"−30,000", "−20,000", "−10,000", "0"}},
		{-31000, 23000, []string{"−30,000", "−20,000", "−10,000", "0", "10,000", "20,000"}},
		{0, 830, []string{"0", "200", "400", "600", "800"}},
		{-3, 7, []string{"−2", "0", "2", "4", "6"}},
		{0, 1.1, []string{"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"}},
		{0, 1.6, []string{"0.0", "0.5", "1.0", "1.5"}},
	}
	for _, tc := range tests {
		var got []string
		for _, tk := range (stepTicks{}).Ticks(tc.min, tc.max) {
			if tk.Label != "" {
				got = append(got, tk.Label)
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("stepTicks(%v, %v) = %q, want %q", tc.min, tc.max, got, tc.want)
		}
	}
}

func TestStudyWords(t *testing.T) {
	tests := []struct{ got, want string }{
		{breakLines("a 60-day stockpile released at 1.2 times the reference price", 22), "a 60-day stockpile\nreleased at 1.2 times\nthe reference price"},
		{breakLines("short", 22), "short"},
		{joinWords([]string{"Cumulative magnet shortfall", "Peak ex-China magnet price"}), "Cumulative magnet shortfall and peak ex-China magnet price"},
		{joinWords([]string{"Months in shortage", "Stockpile cost", "NdPr price"}), "Months in shortage, stockpile cost and NdPr price"},
		{lowerTitle("Ex-China buyers' spending"), "ex-China buyers' spending"},
		{lowerTitle("Dy/Tb price"), "Dy/Tb price"},
		{lowerTitle("Cumulative magnet shortfall"), "cumulative magnet shortfall"},
		{leverName("Allied magnet stockpile (days of allied consumption)"), "allied magnet stockpile"},
		{breakLabel("Allied magnet stockpile (days of allied consumption)"), "Allied magnet stockpile\n(days of allied consumption)"},
		{breakLabel("NdPr price floor ($/kg)"), "NdPr price floor ($/kg)"},
		{money(-1500), "−$1.5 billion"},
		{money(688.7), "$689 million"},
		{money(999.7), "$1 billion"},
		{dollars(175639), "$176,000"},
		{dollars(5e6), "$5 million"},
		{breakEvenText(0), "buyers' savings alone pay for it"},
		{breakEvenText(math.NaN()), "avoids no shortfall on average"},
		{signedNum(-4506.6), "−4,510"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
