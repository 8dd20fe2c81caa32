package study

import (
	"bytes"
	"encoding/base64"
	"encoding/csv"
	"fmt"
	"github.com/reesim/reesim/internal/tomlfile"
	"html/template"
	"io"
	"strconv"
	"strings"

	"github.com/reesim/reesim/internal/safetext"
	"github.com/reesim/reesim/results"
)

// ComparisonHeader is the header of comparison.csv.
var ComparisonHeader = []string{
	"base", "variant", "label", "reference", "settings", "metric", "unit", "better", "paths",
	"mean", "se", "p50", "p95",
	"diff_mean", "diff_se", "diff_ci95_lo", "diff_ci95_hi", "diff_sd", "diff_p5", "diff_p50", "diff_p95",
	"unpaired_ci95_halfwidth", "share_better", "share_worse",
}

// WriteComparisonCSV writes comparison.csv: one row per base, variant and
// compared metric.
func WriteComparisonCSV(w io.Writer, o *Outcome) error {
	cw := csv.NewWriter(w)
	cw.Write(ComparisonHeader)
	for _, b := range o.Bases {
		for _, v := range b.Variants {
			for _, m := range v.Metrics {
				cw.Write([]string{
					b.Base, v.Name, v.Label, strconv.FormatBool(v.Reference), settingsText(v.Settings), m.Metric, m.Unit, m.Better, strconv.Itoa(m.Paths),
					results.FormatNumber(m.Mean), results.FormatNumber(m.SE), results.FormatNumber(m.P50), results.FormatNumber(m.P95),
					results.FormatNumber(m.Diff.Mean), results.FormatNumber(m.Diff.SE), results.FormatNumber(m.Diff.Lo), results.FormatNumber(m.Diff.Hi), results.FormatNumber(m.DiffSD),
					results.FormatNumber(m.DiffP5), results.FormatNumber(m.DiffP50), results.FormatNumber(m.DiffP95),
					results.FormatNumber(m.UnpairedHalfWidth), optF(m.ShareBetter), optF(m.ShareWorse),
				})
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// CostBenefitHeader is the header of cost_benefit.csv; COST stands for the
// study's cost metric.
func CostBenefitHeader(costMetric string) []string {
	h := []string{"base", "variant", "label", "reference", "settings", "paths", "rank", "chosen", "value_per_tonne_usd", costMetric}
	for _, t := range []string{"incremental_cost_musd", "avoided_shortfall_t", "avoided_shortfall_value_musd", "avoided_buyer_extra_cost_musd", "benefit_musd", "net_benefit_musd", "benefit_cost_ratio"} {
		h = append(h, t, t+"_se", t+"_ci95_lo", t+"_ci95_hi")
	}
	return append(h, "share_net_positive", "break_even_value_per_tonne_usd")
}

// WriteCostBenefitCSV writes cost_benefit.csv: one row per base and
// variant. It writes nothing when the study has no cost-benefit analysis.
func WriteCostBenefitCSV(w io.Writer, o *Outcome) error {
	if o.ValuePerTonneUSD <= 0 {
		return nil
	}
	cw := csv.NewWriter(w)
	cw.Write(CostBenefitHeader(o.CostMetric))
	est := func(e *Estimate) []string {
		if e == nil {
			return []string{"", "", "", ""}
		}
		return []string{results.FormatNumber(e.Mean), results.FormatNumber(e.SE), results.FormatNumber(e.Lo), results.FormatNumber(e.Hi)}
	}
	for _, b := range o.Bases {
		for _, v := range b.Variants {
			cb := v.CostBenefit
			if cb == nil {
				continue
			}
			cost := ""
			for _, m := range v.Metrics {
				if m.Metric == o.CostMetric {
					cost = results.FormatNumber(m.Mean)
				}
			}
			chosen := b.Choice != nil && b.Choice.Variant == v.Name
			rec := []string{b.Base, v.Name, v.Label, strconv.FormatBool(v.Reference), settingsText(v.Settings), strconv.Itoa(o.Paths),
				strconv.Itoa(v.Rank), strconv.FormatBool(chosen), results.FormatNumber(o.ValuePerTonneUSD), cost}
			for _, e := range []*Estimate{&cb.Cost, &cb.AvoidedShortfallT, &cb.AvoidedShortfallValue, &cb.AvoidedBuyerCost, &cb.Benefit, &cb.NetBenefit, cb.BenefitCostRatio} {
				rec = append(rec, est(e)...)
			}
			rec = append(rec, results.FormatNumber(cb.ShareNetPositive), optF(cb.BreakEvenValuePerTonneUSD))
			cw.Write(rec)
		}
	}
	cw.Flush()
	return cw.Error()
}

// Sheets are the sheets of a study's summary.xlsx: comparison.csv and,
// when the study values avoided shortfall, cost_benefit.csv, with numbers
// as numbers.
func Sheets(o *Outcome) []results.Sheet {
	cmp := results.Sheet{Name: "Comparison", Header: ComparisonHeader, Widths: []float64{16, 16, 28}}
	opt := func(v *float64) any {
		if v == nil {
			return nil
		}
		return *v
	}
	for _, b := range o.Bases {
		for _, v := range b.Variants {
			for _, m := range v.Metrics {
				cmp.Rows = append(cmp.Rows, []any{
					b.Base, v.Name, v.Label, v.Reference, settingsText(v.Settings), m.Metric, m.Unit, m.Better, m.Paths,
					m.Mean, m.SE, m.P50, m.P95, m.Diff.Mean, m.Diff.SE, m.Diff.Lo, m.Diff.Hi, m.DiffSD, m.DiffP5, m.DiffP50, m.DiffP95,
					m.UnpairedHalfWidth, opt(m.ShareBetter), opt(m.ShareWorse),
				})
			}
		}
	}
	sheets := []results.Sheet{cmp}
	if o.ValuePerTonneUSD <= 0 {
		return sheets
	}
	cb := results.Sheet{Name: "Cost-benefit", Header: CostBenefitHeader(o.CostMetric), Widths: []float64{16, 16, 28}}
	est := func(e *Estimate) []any {
		if e == nil {
			return []any{nil, nil, nil, nil}
		}
		return []any{e.Mean, e.SE, e.Lo, e.Hi}
	}
	for _, b := range o.Bases {
		for _, v := range b.Variants {
			c := v.CostBenefit
			if c == nil {
				continue
			}
			var cost any
			for _, m := range v.Metrics {
				if m.Metric == o.CostMetric {
					cost = m.Mean
				}
			}
			chosen := b.Choice != nil && b.Choice.Variant == v.Name
			row := []any{b.Base, v.Name, v.Label, v.Reference, settingsText(v.Settings), o.Paths, v.Rank, chosen, o.ValuePerTonneUSD, cost}
			for _, e := range []*Estimate{&c.Cost, &c.AvoidedShortfallT, &c.AvoidedShortfallValue, &c.AvoidedBuyerCost, &c.Benefit, &c.NetBenefit, c.BenefitCostRatio} {
				row = append(row, est(e)...)
			}
			cb.Rows = append(cb.Rows, append(row, c.ShareNetPositive, opt(c.BreakEvenValuePerTonneUSD)))
		}
	}
	return append(sheets, cb)
}

// WriteRobustnessCSV writes robustness.csv: per base and variant, the
// regret across the futures against the best variant on each, its 90th
// percentile, the share of futures meeting the study's thresholds, and
// the ranks by expected value and by robustness.
func WriteRobustnessCSV(w io.Writer, o *Outcome) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"base", "variant", "label", "reference", "paths", "basis", "unit", "regret_mean", "regret_p50", "regret_p90", "regret_max", "share_best", "share_meeting_thresholds", "rank_expected", "rank_robust"})
	for _, b := range o.Bases {
		for _, v := range b.Variants {
			r := v.Robustness
			if r == nil {
				continue
			}
			cw.Write([]string{b.Base, v.Name, v.Label, strconv.FormatBool(v.Reference), strconv.Itoa(o.Paths), r.Basis, r.Unit,
				results.FormatNumber(r.RegretMean), results.FormatNumber(r.RegretP50), results.FormatNumber(r.RegretP90), results.FormatNumber(r.RegretMax), results.FormatNumber(r.ShareBest),
				optF(r.ShareMeeting), strconv.Itoa(v.Rank), strconv.Itoa(r.Rank)})
		}
	}
	cw.Flush()
	return cw.Error()
}

// optF formats an optional number, "" when it is absent.
func optF(v *float64) string {
	if v == nil {
		return ""
	}
	return results.FormatNumber(*v)
}

// settingsText writes a variant's settings as "key=value; key=value".
func settingsText(set []Setting) string {
	parts := make([]string, len(set))
	for i, s := range set {
		parts[i] = s.Key + "=" + valueText(s.Value)
	}
	return strings.Join(parts, "; ")
}

// valueText writes a value read from TOML compactly.
func valueText(v any) string {
	switch x := v.(type) {
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return tomlfile.FormatNum(x)
	case string:
		return x
	case map[string]any:
		var parts []string
		for _, k := range sortedKeys(x) {
			parts = append(parts, k+"="+valueText(x[k]))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = valueText(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return fmt.Sprint(v)
}

// Chart is a chart of the study's report.
type Chart struct {
	Title, Alt string
	PNG        []byte
	// Name, when not empty, is the chart's file name under charts/,
	// without extension: the report links its PNG, SVG and PDF files.
	Name string
}

// ReportInfo is what the report says about how the study was run.
type ReportInfo struct {
	// Source credits the run: reesim version, study, paths, seed.
	Source string
	// Command makes the study again.
	Command string
	// Notes are the study file's notes on its assumptions.
	Notes []string
	// Charts are drawn into the page, in order.
	Charts []Chart
}

// WriteReport writes report.html: the answer, the ranking of the variants
// on each base with their paired differences and cost-benefit terms, and
// how the numbers were made. Every text is escaped by html/template.
func WriteReport(w io.Writer, o *Outcome, info ReportInfo) error {
	t, err := template.New("study").Funcs(template.FuncMap{
		"png": func(b []byte) template.URL {
			return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(b))
		},
	}).Parse(reportHTML)
	if err != nil {
		return err
	}
	// Without control characters: html/template escapes markup, not the
	// escape sequences that text from a study file might hold.
	var b bytes.Buffer
	if err := t.Execute(&b, newReportData(o, info)); err != nil {
		return err
	}
	_, err = w.Write(safetext.Bytes(b.Bytes()))
	return err
}

type reportData struct {
	Title, Description, Source, Command string
	Answers                             []string
	Stopping                            string
	Precision                           bool
	Value                               string
	Notes                               []string
	Bases                               []reportBase
	Charts                              []Chart
	KeyTitle, KeyUnit                   string
	Paths                               string
	// CostTitle names the cost metric; Definitions say once what each
	// money figure is.
	CostTitle   string
	Definitions []string
	// HasThresholds is set when the study has thresholds.
	HasThresholds bool
}

type reportBase struct {
	Name, Description, Answer, Choice string
	CB                                bool
	Rows                              []reportRow
	Metrics                           []reportMetric
	Variants                          []string
	// Robust compares the rankings; RobustRows are the variants by
	// expected value with their robustness; RegretIn names regret's unit.
	Robust, RegretIn string
	RobustRows       []robustRow
	Thresholds       bool
}

type robustRow struct {
	Label                                   string
	RankEV, RankRobust                      int
	Mean, P50, P90, Max, ShareBest, Meeting string
}

type reportRow struct {
	Rank                                     int
	Label, Name, Settings                    string
	Reference, Chosen                        bool
	Mean, P95, Diff, CI, Unpaired, Better    string
	Cost, Benefit, Net, NetCI, Ratio, Breakv string
}

type reportMetric struct {
	Title, Unit, Better string
	Cells               []reportCell
}

type reportCell struct{ Mean, Diff, CI string }

func newReportData(o *Outcome, info ReportInfo) *reportData {
	d := &reportData{
		Title: "Study: " + o.Study, Description: o.Description, Source: info.Source, Command: info.Command,
		Stopping: o.Stopping.Message, Precision: o.Stopping.Rule == "precision", Notes: info.Notes, Charts: info.Charts,
		KeyUnit: unitOf(o.KeyMetric), Paths: fmtCount(o.Paths),
	}
	d.KeyTitle = titleOf(o.KeyMetric)
	if o.ValuePerTonneUSD > 0 {
		d.Value = fmtUSD(o.ValuePerTonneUSD)
		d.CostTitle = titleOf(o.CostMetric)
		d.Definitions = []string{
			"Extra cost: the option's expected " + d.CostTitle + " less the reference's, on the same futures (cost metric " + o.CostMetric + ").",
			"Benefit at " + d.Value + " a tonne: the magnet shortfall avoided, valued at " + d.Value + " a tonne, plus the ex-China buyers' extra spending avoided.",
			"Net benefit at " + d.Value + " a tonne: the benefit less the extra cost. An extra cost below zero means the option more than pays for itself; the benefit / cost ratio is then not given.",
			"Breaks even at: the value per tonne of shortfall at which the expected net benefit is zero.",
		}
	}
	for _, b := range o.Bases {
		d.Answers = append(d.Answers, b.Answer)
		rb := reportBase{Name: b.Base, Description: b.Description, Answer: b.Answer, CB: o.ValuePerTonneUSD > 0}
		if b.Choice != nil {
			rb.Choice = b.Choice.Sentence
		}
		for _, name := range b.Ranking {
			for _, v := range b.Variants {
				if v.Name != name {
					continue
				}
				k := v.Metrics[0]
				row := reportRow{
					Rank: v.Rank, Label: v.Label, Name: v.Name, Settings: settingsText(v.Settings), Reference: v.Reference,
					Chosen: b.Choice != nil && b.Choice.Variant == v.Name,
					Mean:   fmtQty(k.Mean, k.Unit) + " ± " + fmtHuman(k.SE),
					P95:    fmtQty(k.P95, k.Unit),
				}
				if !v.Reference {
					row.Diff = fmtSigned(k.Diff.Mean, k.Unit)
					row.CI = fmtRange(k.Diff, k.Unit)
					row.Unpaired = "± " + fmtQty(k.UnpairedHalfWidth, k.Unit)
					if k.ShareBetter != nil {
						row.Better = tomlfile.FormatNum(round(100**k.ShareBetter, 3)) + " %"
					}
				}
				if cb := v.CostBenefit; cb != nil && !v.Reference {
					row.Cost = fmtQty(cb.Cost.Mean, "$M")
					row.Benefit = fmtQty(cb.Benefit.Mean, "$M")
					row.Net = fmtQty(cb.NetBenefit.Mean, "$M")
					row.NetCI = fmtRange(cb.NetBenefit, "$M")
					if r := cb.BenefitCostRatio; r != nil && cb.Cost.Mean > 0 {
						row.Ratio = fmtHuman(r.Mean) + " (" + fmtHuman(r.Lo) + " to " + fmtHuman(r.Hi) + ")"
					} else if cb.Cost.Mean <= 0 {
						row.Ratio = "pays for itself"
					}
					if be := cb.BreakEvenValuePerTonneUSD; be != nil {
						row.Breakv = fmtUSD(*be)
					}
				}
				rb.Rows = append(rb.Rows, row)
			}
		}
		for _, v := range b.Variants {
			rb.Variants = append(rb.Variants, v.Label)
		}
		rb.Robust = b.Robust
		d.HasThresholds = len(o.Thresholds) > 0
		rb.Thresholds = d.HasThresholds
		for _, name := range b.Ranking {
			for _, v := range b.Variants {
				r := v.Robustness
				if v.Name != name || r == nil {
					continue
				}
				rb.RegretIn = r.Unit
				if r.Basis == "net_benefit_musd" {
					rb.RegretIn = "net benefit ($M)"
				} else {
					rb.RegretIn = titleOf(r.Basis) + " (" + r.Unit + ")"
				}
				unit := r.Unit
				row := robustRow{Label: v.Label, RankEV: v.Rank, RankRobust: r.Rank, Mean: fmtQty(r.RegretMean, unit), P50: fmtQty(r.RegretP50, unit),
					P90: fmtQty(r.RegretP90, unit), Max: fmtQty(r.RegretMax, unit), ShareBest: fmtQty(r.ShareBest, "share")}
				if r.ShareMeeting != nil {
					row.Meeting = fmtQty(*r.ShareMeeting, "share")
				}
				rb.RobustRows = append(rb.RobustRows, row)
			}
		}
		for j := range o.Metrics {
			m0 := b.Variants[0].Metrics[j]
			rm := reportMetric{Title: m0.Title, Unit: m0.Unit, Better: m0.Better}
			for _, v := range b.Variants {
				m := v.Metrics[j]
				cell := reportCell{Mean: fmtQty(m.Mean, m.Unit)}
				if !v.Reference {
					cell.Diff = fmtSigned(m.Diff.Mean, m.Unit)
					cell.CI = fmtRange(m.Diff, m.Unit)
				}
				rm.Cells = append(rm.Cells, cell)
			}
			rb.Metrics = append(rb.Metrics, rm)
		}
		d.Bases = append(d.Bases, rb)
	}
	return d
}

// titleOf returns a headline metric's title, starting in lower case.
func titleOf(metric string) string { return lowerFirst(metricTitle(metric)) }

const reportHTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<title>{{.Title}}</title>
<style>
body { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; color: #222; max-width: 1320px; margin: 0 auto; padding: 1.5em 2em 4em; line-height: 1.45; }
h1 { font-size: 1.9em; margin: 0.2em 0; }
h2 { font-size: 1.35em; margin-top: 2em; border-bottom: 2px solid #0072B2; padding-bottom: 0.2em; }
h3 { font-size: 1.1em; margin-top: 1.5em; }
.answer { font-size: 1.2em; background: #eef6fb; border-left: 5px solid #0072B2; padding: 0.8em 1em; margin: 1em 0; }
.lede { font-size: 1.1em; color: #333; }
.source { color: #555; font-size: 0.9em; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.92em; }
th, td { border-bottom: 1px solid #ddd; padding: 0.35em 0.6em; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th { background: #f2f2f2; }
.scroll { overflow-x: auto; max-width: 100%; }
table.ranking { font-size: 0.85em; }
table.ranking th { font-size: 0.95em; }
tr.chosen td { background: #fff4d6; font-weight: bold; }
tr.ref td { color: #444; }
code { font-size: 0.85em; color: #555; }
figure { margin: 1.5em 0 2.5em; }
figure img { width: 100%; max-width: 1280px; height: auto; border: 1px solid #ddd; }
figcaption { font-size: 0.9em; color: #555; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<p class="lede">{{.Description}}</p>
{{range .Answers}}<p class="answer">{{.}}</p>
{{end}}<p class="source">{{.Stopping}}</p>
<p class="source">{{.Source}}</p>
{{if .Value}}<p><strong>Key assumption:</strong> a tonne of magnet not delivered is valued at {{.Value}}. The benefit, the net benefit and the choice depend on this value, and every figure that does says so; the table gives, for each option, the value per tonne at which it breaks even.</p>
<ul class="source">{{range .Definitions}}<li>{{.}}</li>{{end}}</ul>
{{end}}{{range .Notes}}<p class="source">{{.}}</p>
{{end}}
{{range .Bases}}
<h2>Under the {{.Name}} scenario</h2>
<p class="source">{{.Description}}</p>
<h3>Ranking</h3>
<div class="scroll"><table class="ranking">
<thead><tr><th>Rank</th><th>Option</th><th>Expected {{$.KeyTitle}} (± SE)</th><th>p95</th><th>Change from the reference (95 % CI, paired)</th><th>Unpaired CI, for contrast</th><th>Better on</th>{{if .CB}}<th>Extra cost</th><th>Benefit at {{$.Value}}/t</th><th>Net benefit at {{$.Value}}/t (95 % CI)</th><th>Benefit / cost</th><th>Breaks even at</th>{{end}}</tr></thead>
<tbody>
{{range .Rows}}<tr class="{{if .Chosen}}chosen{{else if .Reference}}ref{{end}}"><td class="n">{{.Rank}}</td><td>{{.Label}}{{if .Reference}} (reference){{end}}{{if .Chosen}} (choice){{end}}</td><td class="n">{{.Mean}}</td><td class="n">{{.P95}}</td><td class="n">{{.Diff}}{{if .CI}}<br/><span class="source">{{.CI}}</span>{{end}}</td><td class="n">{{.Unpaired}}</td><td class="n">{{.Better}}</td>{{if $.Value}}<td class="n">{{.Cost}}</td><td class="n">{{.Benefit}}</td><td class="n">{{.Net}}{{if .NetCI}}<br/><span class="source">{{.NetCI}}</span>{{end}}</td><td class="n">{{.Ratio}}</td><td class="n">{{.Breakv}}</td>{{end}}</tr>
{{end}}</tbody>
</table></div>
{{if .Choice}}<p>{{.Choice}}</p>
{{end}}{{if .RobustRows}}
<h3>Robustness across the futures</h3>
<p>{{.Robust}}</p>
<div class="scroll"><table class="ranking">
<thead><tr><th>Option</th><th>Rank by expected value</th><th>Rank by robustness</th><th>Regret in {{.RegretIn}}: mean</th><th>median</th><th>90th percentile</th><th>worst</th><th>Best option on</th>{{if .Thresholds}}<th>Meets the thresholds on</th>{{end}}</tr></thead>
<tbody>
{{range .RobustRows}}<tr><td>{{.Label}}</td><td class="n">{{.RankEV}}</td><td class="n">{{.RankRobust}}</td><td class="n">{{.Mean}}</td><td class="n">{{.P50}}</td><td class="n">{{.P90}}</td><td class="n">{{.Max}}</td><td class="n">{{.ShareBest}}</td>{{if $.HasThresholds}}<td class="n">{{.Meeting}}</td>{{end}}</tr>
{{end}}</tbody>
</table></div>
<p class="source">Regret on a future: how much worse the option does there than the best option on the same future (the same draws, by common random numbers), so 0 where it is the best. The rank by robustness orders the options by the 90th percentile of their regret: the most robust option is the one whose regret stays smallest in 9 futures out of 10. robustness.csv holds the numbers.</p>
{{end}}
<h3>Every compared metric</h3>
<div class="scroll"><table>
<thead><tr><th>Metric</th><th>Better</th>{{range .Variants}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>
{{range .Metrics}}<tr><td>{{.Title}} ({{.Unit}})</td><td>{{.Better}}</td>{{range .Cells}}<td class="n">{{.Mean}}{{if .Diff}}<br/>{{.Diff}}<br/><span class="source">{{.CI}}</span>{{end}}</td>{{end}}</tr>
{{end}}</tbody>
</table></div>
{{end}}
{{if .Charts}}<h2>Charts</h2>
{{range .Charts}}<figure>
<img src="{{png .PNG}}" alt="{{.Alt}}" width="1600" height="900"/>
<figcaption>{{.Title}}{{if .Name}} — <a href="charts/{{.Name}}.png">PNG</a> · <a href="charts/{{.Name}}.svg">SVG</a> · <a href="charts/{{.Name}}.pdf">PDF</a>{{end}}</figcaption>
</figure>
{{end}}{{end}}
<h2>How to read this page</h2>
<p>Every option was simulated on the same {{.Paths}} futures: path i of every option draws the same export ban, tariffs, plant delays and demand (common random numbers), so the difference between two options on a path is due to the policy alone. The <em>paired difference</em> is the mean over paths of (option − reference); its 95 % confidence interval is the mean ± 1.96 × the standard deviation of the differences / √paths. The <em>unpaired</em> interval is the width the comparison would have had with independent draws, 1.96 × √(SE² + SE<sub>ref</sub>²): the gap between the two shows what the common draws buy. <em>Better on</em> is the share of paths on which the option does strictly better than the reference. Money is in US dollars over the whole horizon, not discounted{{if .Value}}; the money figures are defined once, at the top of the page{{end}}.</p>
<h2>How to reproduce</h2>
<p><code>{{.Command}}</code></p>
<p class="source">comparison.csv, cost_benefit.csv and summary.json in this folder hold every number on this page at full precision; each option's own results (tables, charts, briefing) are in its folder.</p>
</body>
</html>
`
