package plots

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/reesim/reesim/results"
	"github.com/reesim/reesim/study"
)

// StudyChart is one chart of a policy study as RenderStudyChartsContext wrote
// it: charts/Name.png, .svg and .pdf in the study's folder.
type StudyChart struct {
	// Name is the file name under charts/, without extension.
	Name string
	// Title is the chart's title; Alt describes it in words, numbers
	// included, for the HTML page.
	Title, Alt string
	// PNG is the chart as written to charts/Name.png.
	PNG []byte
}

// RenderStudyChartsContext reads a study's folder, as reesim study writes
// it (summary.json, comparison.csv, cost_benefit.csv and each variant's
// paths.csv and manifest.json), writes the study's charts into dir/charts
// as PNG, SVG and PDF, and returns them so that the caller can put them
// into the study's report.html (it does not touch report.html). For each
// base scenario of the study it draws, in order:
//
//   - lever: the expected and 95th-percentile cumulative shortfall and
//     peak ex-China magnet price (and the key metric, when it is neither)
//     against the lever's value, with the 95 % confidence band of each
//     mean (mean ± 1.96 SE, from comparison.csv);
//   - cost-benefit: each option's expected benefit against its extra cost
//     with the break-even line, and its net benefit with its 95 %
//     confidence interval (from cost_benefit.csv; only when the study
//     values avoided shortfall);
//   - paired-differences: the distribution over paths of each option's
//     change in the key metric from the reference on the same path
//     (from the variants' paths.csv, paired by path number; from the
//     percentiles in comparison.csv when a paths.csv is missing).
//
// With several bases each chart's name ends in "-" and the base's name.
// Charts of an earlier render that this one did not draw are removed.
//
// It stops between charts when ctx is done, returning ctx.Err().
func RenderStudyChartsContext(ctx context.Context, dir string) ([]StudyChart, error) {
	sf, err := readStudy(dir)
	if err != nil {
		return nil, err
	}
	s := newStyle()
	sfigs, err := s.studyFigures(sf)
	if err != nil {
		return nil, fmt.Errorf("study folder %s: %w", dir, err)
	}
	figs := make([]*figure, len(sfigs))
	for i, f := range sfigs {
		figs[i] = f.fig
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	files, err := s.writeCharts(ctx, filepath.Join(dir, "charts"), figs, sf.source(), nil)
	if err != nil {
		return nil, err
	}
	out := make([]StudyChart, len(files))
	for i, c := range files {
		out[i] = StudyChart{Name: c.Fig.Name, Title: c.Fig.Title, Alt: c.Fig.Alt, PNG: c.PNG}
	}
	return out, nil
}

// studyFigure is a chart of a study and the numbers it draws, kept so
// that tests can check them against the study's files.
type studyFigure struct {
	fig  *figure
	base string
	// lever holds the panels of a lever chart.
	lever []*leverPanel
	// cb holds the points and bars of a cost-benefit chart.
	cb *cbData
	// diffs holds the rows of a paired-difference chart.
	diffs []*diffRow
}

// studyFigures builds every chart of a study, base by base.
func (s *style) studyFigures(sf *studyFolder) ([]*studyFigure, error) {
	var out []*studyFigure
	for b := range sf.Outcome.Bases {
		f, err := s.leverChart(sf, b)
		if err != nil {
			return nil, err
		}
		if f != nil {
			out = append(out, f)
		}
		if f, err = s.costBenefitChart(sf, b); err != nil {
			return nil, err
		}
		if f != nil {
			out = append(out, f)
		}
		if f, err = s.diffChart(sf, b); err != nil {
			return nil, err
		}
		if f != nil {
			out = append(out, f)
		}
	}
	if len(sf.Outcome.Bases) > 1 {
		for _, f := range out {
			f.fig.Name += "-" + f.base
		}
	}
	return out, nil
}

// cmpRow is one row of comparison.csv: a variant's statistics in one
// metric on one base.
type cmpRow struct {
	Label     string
	Reference bool
	Unit      string
	// Better is "lower", "higher" or "".
	Better string
	Paths  int
	// Mean, SE, P50 and P95 are the variant's own statistics.
	Mean, SE, P50, P95 float64
	// Diff is the paired difference from the reference.
	Diff                             study.Estimate
	DiffSD, DiffP5, DiffP50, DiffP95 float64
	// ShareBetter and ShareWorse are NaN when the metric has no better
	// direction.
	ShareBetter, ShareWorse float64
}

// cbRow is one row of cost_benefit.csv.
type cbRow struct {
	Rank   int
	Chosen bool
	// Every term is a paired estimate against the reference, in $M
	// (AvoidedT in tonnes).
	Cost, AvoidedT, AvoidedValue, AvoidedBuyer, Benefit, Net study.Estimate
	// Ratio is nil when the file leaves it empty (no extra cost).
	Ratio            *study.Estimate
	ShareNetPositive float64
	// BreakEven is the value per tonne, in US dollars, at which the
	// expected net benefit is 0; NaN when no shortfall is avoided.
	BreakEven float64
}

// studyFolder is a study's folder as read from its files.
type studyFolder struct {
	Dir     string
	Outcome study.Outcome
	// Version and Commit are reesim's, from a variant's manifest.json
	// ("unknown" without one).
	Version, Commit string
	// cmp is keyed by base, variant and metric; cb by base and variant.
	cmp map[[3]string]*cmpRow
	cb  map[[2]string]*cbRow
}

// row returns the comparison.csv row of a variant in a metric on base b,
// or nil.
func (sf *studyFolder) row(b int, variant, metric string) *cmpRow {
	return sf.cmp[[3]string{sf.Outcome.Bases[b].Base, variant, metric}]
}

// cbOf returns the cost_benefit.csv row of a variant on base b, or nil.
func (sf *studyFolder) cbOf(b int, variant string) *cbRow {
	return sf.cb[[2]string{sf.Outcome.Bases[b].Base, variant}]
}

// variantDir returns the results folder of a variant on base b.
func (sf *studyFolder) variantDir(b int, variant string) string {
	if len(sf.Outcome.Bases) > 1 {
		return filepath.Join(sf.Dir, sf.Outcome.Bases[b].Base, variant)
	}
	return filepath.Join(sf.Dir, variant)
}

// reference returns the index of the reference variant on base b.
func (sf *studyFolder) reference(b int) int {
	for i, v := range sf.Outcome.Bases[b].Variants {
		if v.Reference || v.Name == sf.Outcome.Reference {
			return i
		}
	}
	return 0
}

// source returns the source line of a study's charts.
func (sf *studyFolder) source() source {
	o := sf.Outcome
	per := "per variant"
	if len(o.Bases) > 1 {
		per = "per variant and base"
	}
	return source{Text: fmt.Sprintf("Source: reesim %s (%s), study %s, %s paths %s, seed %d",
		sf.Version, shortCommit(sf.Commit), o.Study, group(fmt.Sprint(o.Paths)), per, o.Seed)}
}

// readStudy reads a study's folder: summary.json and comparison.csv,
// cost_benefit.csv when the study values avoided shortfall, and the
// version from the first variant's manifest.json that exists.
func readStudy(dir string) (*studyFolder, error) {
	sf := &studyFolder{Dir: dir, Version: "unknown", Commit: "unknown", cmp: map[[3]string]*cmpRow{}, cb: map[[2]string]*cbRow{}}
	if err := readJSON(filepath.Join(dir, "summary.json"), &sf.Outcome); err != nil {
		return nil, fmt.Errorf("study folder %s: %w", dir, err)
	}
	o := &sf.Outcome
	if len(o.Bases) == 0 || len(o.Bases[0].Variants) == 0 {
		return nil, fmt.Errorf("study folder %s: summary.json holds no variants", dir)
	}
	if err := sf.readComparison(filepath.Join(dir, "comparison.csv")); err != nil {
		return nil, err
	}
	if o.ValuePerTonneUSD > 0 {
		if err := sf.readCostBenefit(filepath.Join(dir, "cost_benefit.csv")); err != nil {
			return nil, err
		}
	}
	for b, base := range o.Bases {
		for _, v := range base.Variants {
			if sf.row(b, v.Name, o.KeyMetric) == nil {
				return nil, fmt.Errorf("study folder %s: comparison.csv has no row for variant %s of base %s in %s", dir, v.Name, base.Base, o.KeyMetric)
			}
		}
	}
	for b, base := range o.Bases {
		for _, v := range base.Variants {
			var m results.Manifest
			err := readJSON(filepath.Join(sf.variantDir(b, v.Name), "manifest.json"), &m)
			if err == nil {
				sf.Version, sf.Commit = m.Version, m.Commit
				return sf, nil
			}
			if !errors.Is(err, os.ErrNotExist) {
				return nil, err
			}
		}
	}
	return sf, nil
}

// csvTable is a CSV file read whole, with its columns found by name.
type csvTable struct {
	name string
	head map[string]int
	rows [][]string
}

// readCSVTable reads a CSV file with a header and checks that it has the
// named columns.
func readCSVTable(name string, need ...string) (*csvTable, error) {
	f, r, head, err := openCSV(name, maxTableSize)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r.ReuseRecord = false
	recs, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	recs = append([][]string{head}, recs...)
	if len(recs) == 0 {
		return nil, fmt.Errorf("%s is empty", name)
	}
	t := &csvTable{name: name, head: map[string]int{}, rows: recs[1:]}
	for j, h := range recs[0] {
		t.head[h] = j
	}
	for _, n := range need {
		if _, ok := t.head[n]; !ok {
			return nil, fmt.Errorf("%s: no column %q in the header", name, n)
		}
	}
	return t, nil
}

// str returns row i's value in column col.
func (t *csvTable) str(i int, col string) string { return t.rows[i][t.head[col]] }

// num parses row i's value in column col: a finite number, or NaN when
// the cell is empty and empty is allowed.
func (t *csvTable) num(i int, col string, empty bool) (float64, error) {
	s := t.str(i, col)
	if s == "" && empty {
		return math.NaN(), nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%s line %d: %s is %q: expected a finite number", t.name, i+2, col, s)
	}
	return v, nil
}

// nums parses several columns of row i into the pointers, in order.
func (t *csvTable) nums(i int, cols []string, dst ...*float64) error {
	for k, c := range cols {
		v, err := t.num(i, c, false)
		if err != nil {
			return err
		}
		*dst[k] = v
	}
	return nil
}

// estimate parses the columns P, P_se, P_ci95_lo and P_ci95_hi of row i.
func (t *csvTable) estimate(i int, p string) (study.Estimate, error) {
	var e study.Estimate
	err := t.nums(i, []string{p, p + "_se", p + "_ci95_lo", p + "_ci95_hi"}, &e.Mean, &e.SE, &e.Lo, &e.Hi)
	return e, err
}

// readComparison reads comparison.csv.
func (sf *studyFolder) readComparison(name string) error {
	t, err := readCSVTable(name, study.ComparisonHeader...)
	if err != nil {
		return err
	}
	for i := range t.rows {
		r := &cmpRow{Label: t.str(i, "label"), Reference: t.str(i, "reference") == "true", Unit: t.str(i, "unit"), Better: t.str(i, "better")}
		n, err := t.num(i, "paths", false)
		if err != nil {
			return err
		}
		r.Paths = int(n)
		if err := t.nums(i, []string{"mean", "se", "p50", "p95", "diff_mean", "diff_se", "diff_ci95_lo", "diff_ci95_hi", "diff_sd", "diff_p5", "diff_p50", "diff_p95"},
			&r.Mean, &r.SE, &r.P50, &r.P95, &r.Diff.Mean, &r.Diff.SE, &r.Diff.Lo, &r.Diff.Hi, &r.DiffSD, &r.DiffP5, &r.DiffP50, &r.DiffP95); err != nil {
			return err
		}
		if r.ShareBetter, err = t.num(i, "share_better", true); err != nil {
			return err
		}
		if r.ShareWorse, err = t.num(i, "share_worse", true); err != nil {
			return err
		}
		sf.cmp[[3]string{t.str(i, "base"), t.str(i, "variant"), t.str(i, "metric")}] = r
	}
	return nil
}

// readCostBenefit reads cost_benefit.csv.
func (sf *studyFolder) readCostBenefit(name string) error {
	terms := []string{"incremental_cost_musd", "avoided_shortfall_t", "avoided_shortfall_value_musd", "avoided_buyer_extra_cost_musd", "benefit_musd", "net_benefit_musd", "benefit_cost_ratio"}
	need := []string{"base", "variant", "rank", "chosen", "share_net_positive", "break_even_value_per_tonne_usd"}
	for _, p := range terms {
		need = append(need, p, p+"_se", p+"_ci95_lo", p+"_ci95_hi")
	}
	t, err := readCSVTable(name, need...)
	if err != nil {
		return err
	}
	for i := range t.rows {
		r := &cbRow{Chosen: t.str(i, "chosen") == "true"}
		rank, err := t.num(i, "rank", false)
		if err != nil {
			return err
		}
		r.Rank = int(rank)
		for k, dst := range []*study.Estimate{&r.Cost, &r.AvoidedT, &r.AvoidedValue, &r.AvoidedBuyer, &r.Benefit, &r.Net} {
			if *dst, err = t.estimate(i, terms[k]); err != nil {
				return err
			}
		}
		if t.str(i, "benefit_cost_ratio") != "" {
			e, err := t.estimate(i, "benefit_cost_ratio")
			if err != nil {
				return err
			}
			r.Ratio = &e
		}
		if r.ShareNetPositive, err = t.num(i, "share_net_positive", false); err != nil {
			return err
		}
		if r.BreakEven, err = t.num(i, "break_even_value_per_tonne_usd", true); err != nil {
			return err
		}
		sf.cb[[2]string{t.str(i, "base"), t.str(i, "variant")}] = r
	}
	return nil
}

// readPathColumn reads one column of a variant's paths.csv, indexed by
// the path column's number.
func readPathColumn(name, col string) ([]float64, error) {
	f, r, head, err := openCSV(name, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	idx, err := columns(name, head, "path", col)
	if err != nil {
		return nil, err
	}
	var out []float64
	seen := 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		line, _ := r.FieldPos(0)
		p, err := strconv.Atoi(rec[idx[0]])
		if err != nil || p < 0 {
			return nil, fmt.Errorf("%s line %d: path is %q: expected a path number", name, line, rec[idx[0]])
		}
		v, err := strconv.ParseFloat(rec[idx[1]], 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%s line %d: %s is %q: expected a finite number", name, line, col, rec[idx[1]])
		}
		for len(out) <= p {
			out = append(out, math.NaN())
		}
		if !math.IsNaN(out[p]) {
			return nil, fmt.Errorf("%s line %d: path %d appears twice", name, line, p)
		}
		out[p] = v
		seen++
	}
	if seen != len(out) {
		return nil, fmt.Errorf("%s: %d paths numbered up to %d: some are missing", name, seen, len(out)-1)
	}
	return out, nil
}

// levelAxis reports whether the variants of base b are the values of one
// numeric sweep, so that the lever is a number axis.
func (sf *studyFolder) levelAxis(b int) bool {
	if len(sf.Outcome.Sweeps) != 1 {
		return false
	}
	for _, v := range sf.Outcome.Bases[b].Variants {
		if len(v.Levels) != 1 {
			return false
		}
	}
	return true
}

// leverName is the sweep's label without its parenthesised unit, in
// lower case: "Allied magnet stockpile (days ...)" → "allied magnet
// stockpile".
func leverName(label string) string {
	if i := strings.Index(label, " ("); i > 0 {
		label = label[:i]
	}
	return lowerTitle(strings.TrimSpace(label))
}

// baseText names base b for a title when the study has several bases.
func (sf *studyFolder) baseText(b int) string {
	if len(sf.Outcome.Bases) < 2 {
		return ""
	}
	return ", under the " + sf.Outcome.Bases[b].Base + " scenario"
}

// stepTicks label multiples of a round step (1, 2, 2.5 or 5 times a power
// of ten), zero among them, three to seven labels across the axis, with an
// unlabelled tick between labels. An axis of differences needs its zero
// labelled, which plot.DefaultTicks does not promise.
type stepTicks struct{}

// Ticks implements plot.Ticker.
func (stepTicks) Ticks(min, max float64) []plot.Tick {
	if !(max > min) || math.IsInf(min, 0) || math.IsInf(max, 0) {
		return numberTicks{}.Ticks(min, max)
	}
	step := niceStep((max - min) / 6)
	var t []plot.Tick
	for k := math.Ceil(min / step * 2); k <= math.Floor(max/step*2); k++ {
		v := k * step / 2
		tk := plot.Tick{Value: v}
		if math.Mod(k, 2) == 0 {
			tk.Label = strings.Replace(formatStep(v, step), "-", "−", 1)
		}
		t = append(t, tk)
	}
	return t
}

// niceStep returns the smallest of 1, 2, 2.5, 5 and 10 times a power of
// ten that is at least raw.
func niceStep(raw float64) float64 {
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, f := range []float64{1, 2, 2.5, 5, 10} {
		if f*mag >= raw*(1-1e-9) {
			return f * mag
		}
	}
	return 10 * mag
}

// dataWidth estimates the width of the data area of a one-panel chart
// whose y axis is labelled with names.
func (s *style) dataWidth(names []string) vg.Length {
	sty := s.text(s.TickSize, s.Ink, false)
	w := vg.Length(0)
	for _, n := range names {
		w = max(w, sty.Width(n))
	}
	return s.Width - 2*s.Margin - w - vg.Points(16)
}

// roomFor returns how far past the data, as a share of the data's span,
// an axis must reach so that labels as wide as labelW fit to the right
// of the data in a data area dataW wide.
func roomFor(labelW, dataW vg.Length) float64 {
	need := labelW + vg.Points(14)
	avail := max(dataW-need, dataW*0.3)
	return float64(need / avail)
}
