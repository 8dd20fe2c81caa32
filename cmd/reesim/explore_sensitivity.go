package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/reesim/reesim/design"
	"github.com/reesim/reesim/engine"
	"github.com/reesim/reesim/explore"
	"github.com/reesim/reesim/plots"
	htmlreport "github.com/reesim/reesim/report"
	"github.com/reesim/reesim/results"
	"github.com/reesim/reesim/scenarios"
	"github.com/reesim/reesim/sim"
)

// sensUnit is a factor with its label and kind.
type sensUnit struct {
	explore.Unit
	label, kind string
}

// SensitivitySummary is what summary.json of reesim explore sensitivity
// holds.
type SensitivitySummary struct {
	Scenario    string `json:"scenario"`
	Description string `json:"description"`
	Seed        uint64 `json:"seed"`
	By          string `json:"by"`
	Sampling    string `json:"sampling"`
	BaseSamples int    `json:"base_samples"`
	// SampledInputs counts the scenario's sampled inputs; Factors the
	// factors they form (correlated inputs together).
	SampledInputs int `json:"sampled_inputs"`
	Factors       int `json:"factors"`
	// Screen is the Morris screen, when there was one.
	Screen *ScreenSummary `json:"screen,omitempty"`
	// SobolFactors are the factors of the Sobol' analysis, SobolRuns its
	// model runs; Runs counts every run.
	SobolFactors []string        `json:"sobol_factors"`
	SobolRuns    int             `json:"sobol_runs"`
	Runs         int             `json:"runs"`
	Metrics      []MetricDrivers `json:"metrics"`
	Command      string          `json:"command"`
	Version      string          `json:"reesim_version"`
}

// ScreenSummary describes a Morris screen.
type ScreenSummary struct {
	Trajectories int      `json:"trajectories"`
	Runs         int      `json:"runs"`
	Metrics      []string `json:"metrics"`
	Kept         int      `json:"kept"`
}

// MetricDrivers is a metric's leading factors.
type MetricDrivers struct {
	Metric   string         `json:"metric"`
	Unit     string         `json:"unit"`
	Mean     float64        `json:"mean"`
	SD       float64        `json:"sd"`
	Constant bool           `json:"constant"`
	Top      []DriverResult `json:"top"`
}

// DriverResult is one factor's indices.
type DriverResult struct {
	Factor string  `json:"factor"`
	Label  string  `json:"label"`
	Kind   string  `json:"kind"`
	S1     float64 `json:"s1"`
	S1Lo   float64 `json:"s1_ci95_lo"`
	S1Hi   float64 `json:"s1_ci95_hi"`
	ST     float64 `json:"st"`
	STLo   float64 `json:"st_ci95_lo"`
	STHi   float64 `json:"st_ci95_hi"`
}

// exploreSensitivity is reesim explore sensitivity.
func exploreSensitivity(ctx context.Context, o *exploreOptions, arg string) error {
	s, err := scenarios.Load(arg)
	if err != nil {
		return err
	}
	c, err := scenarios.Compile(s)
	if err != nil {
		return err
	}
	seed := s.Seed
	if o.seedSet {
		seed = o.seed
	}
	kind, _ := design.Parse(o.sampling)
	units, err := explore.Units(c, o.by == "group")
	if err != nil {
		return err
	}
	dims := engine.DefaultDims(c)
	if len(dims) == 0 {
		return fmt.Errorf("scenario %s samples no input: every path is the same, and there is nothing to analyse", s.Name)
	}
	byName := map[string]scenarios.Input{}
	for _, in := range c.Inputs {
		byName[in.Name] = in
	}
	describe := func(u explore.Unit) sensUnit {
		su := sensUnit{Unit: u, label: u.Label, kind: u.Kind}
		kinds := map[string]bool{}
		var labels []string
		for _, n := range u.Inputs {
			in := byName[n]
			kinds[plots.InputKind(in.Key)] = true
			labels = append(labels, pageLabel(plots.InputLabel(n, in.Key, in.Keys)))
		}
		if su.kind == "" {
			su.kind = "mixed"
			if len(kinds) == 1 {
				for k := range kinds {
					su.kind = k
				}
			}
		}
		if su.label == "" {
			su.label = strings.Join(labels, " + ")
			if len(labels) > 1 {
				su.label += " (correlated)"
			}
		}
		return su
	}
	final := filepath.Join(o.out, s.Name+"-sensitivity")
	dir, err := exploreDir(final, o)
	if err != nil {
		return err
	}
	committed := false
	defer func() {
		if !committed {
			dir.Abort()
		}
	}()
	sum := SensitivitySummary{Scenario: s.Name, Description: s.Description, Seed: seed, By: o.by, Sampling: kind.String(),
		BaseSamples: o.base, SampledInputs: len(dims), Factors: len(units), Version: version}
	sum.Command = fmt.Sprintf("reesim explore sensitivity --base %d --by %s --seed %d --metrics %s", o.base, o.by, seed, strings.Join(o.metrics, ","))
	if o.sampling != "qmc" {
		sum.Command += " --sampling " + o.sampling
	}
	if len(units) > o.maxFactors {
		sum.Command += fmt.Sprintf(" --max-factors %d --trajectories %d", o.maxFactors, o.trajectories)
	}
	sum.Command += " " + shellQuote(arg)
	fmt.Fprintf(o.stdout, "%s: %d sampled inputs in %d factors\n", s.Name, len(dims), len(units))

	// Stage 1: a Morris screen of every factor when there are too many
	// for the Sobol' analysis.
	sobolUnits := units
	var screenRows [][]string
	if len(units) > o.maxFactors {
		facs := make([]explore.Factor, len(units))
		for k, u := range units {
			facs[k] = u.Factor
		}
		md, err := explore.NewMorris(o.trajectories, len(dims), facs, seed)
		if err != nil {
			return err
		}
		fmt.Fprintf(o.stdout, "  Morris screen: %d trajectories, %s runs\n", o.trajectories, groupInt(md.Rows()))
		y := engine.MetricRows(md.Rows())
		t0 := time.Now()
		err = engine.Evaluate(ctx, c, md.Rows(), o.workers, md.Row, y, progressFor(o, s.Name+" (Morris screen)", md.Rows()))
		endProgress(o)
		if err != nil {
			return err
		}
		fmt.Fprintf(o.stderr, "%s: Morris screen: %s runs in %s\n", s.Name, groupInt(md.Rows()), time.Since(t0).Round(100*time.Millisecond))
		mr, err := explore.AnalyzeMorris(ctx, md, y, explore.SobolOptions{Resamples: o.bootstrap, Seed: seed + 1})
		if err != nil {
			return err
		}
		// A factor's score: its largest μ* relative to the largest of
		// any factor, over the metrics screened.
		score := make([]float64, len(units))
		for _, m := range o.metrics {
			k := metricIndex(m)
			top := 0.0
			for _, v := range mr[k].MuStar {
				top = math.Max(top, v.Value)
			}
			if top == 0 {
				continue
			}
			for f, v := range mr[k].MuStar {
				score[f] = math.Max(score[f], v.Value/top)
			}
		}
		order := make([]int, len(units))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int {
			switch {
			case score[a] > score[b]:
				return -1
			case score[a] < score[b]:
				return 1
			}
			return 0
		})
		keep := slices.Clone(order[:o.maxFactors-1])
		slices.Sort(keep)
		sobolUnits = nil
		for _, k := range keep {
			sobolUnits = append(sobolUnits, units[k])
		}
		sobolUnits = append(sobolUnits, explore.RestUnit(units, keep))
		sum.Screen = &ScreenSummary{Trajectories: o.trajectories, Runs: md.Rows(), Metrics: o.metrics, Kept: len(keep)}
		sum.Runs += md.Rows()
		for k, info := range sim.MetricInfo {
			for f, u := range units {
				du := describe(u)
				screenRows = append(screenRows, []string{info.Name, info.Unit, u.Name, du.label, du.kind, strconv.Itoa(len(u.Inputs)),
					results.FormatNumber(mr[k].MuStar[f].Value), results.FormatNumber(mr[k].MuStar[f].Lo), results.FormatNumber(mr[k].MuStar[f].Hi),
					fnan(mr[k].Mu[f]), fnan(mr[k].Sigma[f]), results.FormatNumber(score[f]), strconv.FormatBool(slices.Contains(keep, f))})
			}
		}
	}

	// Stage 2: Saltelli's design and the Sobol' indices.
	facs := make([]explore.Factor, len(sobolUnits))
	described := make([]sensUnit, len(sobolUnits))
	for k, u := range sobolUnits {
		facs[k] = u.Factor
		described[k] = describe(u)
		sum.SobolFactors = append(sum.SobolFactors, u.Name)
	}
	sd, err := explore.NewSaltelli(o.base, len(dims), facs, kind, seed)
	if err != nil {
		return err
	}
	fmt.Fprintf(o.stdout, "  Sobol' indices of %d factors: %d base samples, %s runs\n", len(facs), o.base, groupInt(sd.Rows()))
	y := engine.MetricRows(sd.Rows())
	t0 := time.Now()
	err = engine.Evaluate(ctx, c, sd.Rows(), o.workers, sd.Row, y, progressFor(o, s.Name+" (Saltelli design)", sd.Rows()))
	endProgress(o)
	if err != nil {
		return err
	}
	fmt.Fprintf(o.stderr, "%s: Saltelli design: %s runs in %s\n", s.Name, groupInt(sd.Rows()), time.Since(t0).Round(100*time.Millisecond))
	t0 = time.Now()
	sum.SobolRuns = sd.Rows()
	sum.Runs += sd.Rows()
	res, err := explore.AnalyzeSobol(ctx, sd, y, explore.SobolOptions{Resamples: o.bootstrap, Seed: seed + 2})
	if err != nil {
		return err
	}
	fmt.Fprintf(o.stderr, "%s: indices and %d bootstrap resamples in %s\n", s.Name, o.bootstrap, time.Since(t0).Round(100*time.Millisecond))

	// Tables.
	var rows [][]string
	var metricsOut []plots.SensitivityMetric
	for k, info := range sim.MetricInfo {
		r := res[k]
		m := plots.SensitivityMetric{Name: info.Name, Title: info.Title, Unit: info.Unit, Mean: r.Mean, SD: math.Sqrt(r.Var)}
		for f, u := range described {
			rows = append(rows, []string{info.Name, info.Unit, u.Name, u.label, u.kind, strconv.Itoa(len(u.Inputs)),
				fnan(r.S1[f].Value), fnan(r.S1[f].Lo), fnan(r.S1[f].Hi), fnan(r.ST[f].Value), fnan(r.ST[f].Lo), fnan(r.ST[f].Hi),
				results.FormatNumber(r.Mean), results.FormatNumber(math.Sqrt(r.Var)), strconv.Itoa(o.base), strconv.Itoa(sd.Rows())})
			m.Factors = append(m.Factors, plots.SensitivityFactor{Label: u.label, Kind: u.kind, Inputs: len(u.Inputs), Rest: u.Rest,
				S1: r.S1[f].Value, S1Lo: r.S1[f].Lo, S1Hi: r.S1[f].Hi, ST: r.ST[f].Value, STLo: r.ST[f].Lo, STHi: r.ST[f].Hi})
		}
		plots.SortFactors(m.Factors)
		md := MetricDrivers{Metric: info.Name, Unit: info.Unit, Mean: r.Mean, SD: math.Sqrt(r.Var), Constant: !(r.Var > 0), Top: []DriverResult{}}
		if r.Var > 0 {
			idx := make([]int, len(described))
			for i := range idx {
				idx[i] = i
			}
			slices.SortStableFunc(idx, func(a, b int) int {
				switch {
				case r.ST[a].Value > r.ST[b].Value:
					return -1
				case r.ST[a].Value < r.ST[b].Value:
					return 1
				}
				return 0
			})
			for _, f := range idx[:min(10, len(idx))] {
				u := described[f]
				md.Top = append(md.Top, DriverResult{Factor: u.Name, Label: u.label, Kind: u.kind,
					S1: r.S1[f].Value, S1Lo: r.S1[f].Lo, S1Hi: r.S1[f].Hi, ST: r.ST[f].Value, STLo: r.ST[f].Lo, STHi: r.ST[f].Hi})
			}
		}
		sum.Metrics = append(sum.Metrics, md)
		metricsOut = append(metricsOut, m)
	}
	head := []string{"metric", "unit", "factor", "label", "kind", "inputs", "s1", "s1_ci95_lo", "s1_ci95_hi", "st", "st_ci95_lo", "st_ci95_hi", "metric_mean", "metric_sd", "base_samples", "runs"}
	if err := dir.WriteFile("sensitivity.csv", func(w io.Writer) error { return writeCSV(w, head, rows) }); err != nil {
		return err
	}
	if screenRows != nil {
		head := []string{"metric", "unit", "factor", "label", "kind", "inputs", "mu_star", "mu_star_ci95_lo", "mu_star_ci95_hi", "mu", "sigma", "score", "kept"}
		if err := dir.WriteFile("screening.csv", func(w io.Writer) error { return writeCSV(w, head, screenRows) }); err != nil {
			return err
		}
	}
	if err := dir.WriteJSON("summary.json", sum); err != nil {
		return err
	}

	// What it found, in sentences.
	var message []string
	for _, name := range o.metrics[:min(2, len(o.metrics))] {
		md := sum.Metrics[metricIndex(name)]
		info := sim.MetricInfo[metricIndex(name)]
		message = append(message, driversSentence(info, md))
	}
	if sum.Screen != nil {
		message = append(message, fmt.Sprintf("A Morris screen of all %d factors kept the %d that matter most; the other %d inputs together explain at most %s of the variance of %s, which bounds each one's share.",
			len(units), sum.Screen.Kept, len(sobolUnits[len(sobolUnits)-1].Inputs), plots.Percent(restBound(res, described, o.metrics[:min(2, len(o.metrics))])), map[bool]string{true: "either metric", false: "the metric"}[len(o.metrics) > 1]))
	}
	for _, line := range message {
		for i, l := range wrapText(line, 76) {
			lead := "  - "
			if i > 0 {
				lead = "    "
			}
			fmt.Fprintln(o.stdout, lead+l)
		}
	}

	if o.charts {
		src := fmt.Sprintf("reesim %s, scenario %s, Saltelli design of %s base samples (%s runs), seed %d.", version, s.Name, groupInt(o.base), groupInt(sum.Runs), seed)
		var figs []*plots.Figure
		for i, name := range o.metrics {
			m := &metricsOut[metricIndex(name)]
			if !(m.SD > 0) {
				continue
			}
			f, err := plots.SensitivityChart(m, 12, fmt.Sprintf("sensitivity-%d-%s", i+1, strings.ReplaceAll(name, "_", "-")))
			if err != nil {
				return err
			}
			figs = append(figs, f)
		}
		charts, err := plots.WriteFigures(ctx, dir.Tmp, figs, src)
		if err != nil {
			return fmt.Errorf("charts: %w", err)
		}
		page := sensitivityPage(s, &sum, message, charts, metricsOut, o, src)
		if err := dir.WriteFile("report.html", func(w io.Writer) error { return htmlreport.WriteExplore(w, page) }); err != nil {
			return err
		}
	}
	at, err := commitDir(dir, o)
	committed = err == nil || at != final
	if err != nil {
		return err
	}
	fmt.Fprintf(o.stdout, "\nOpen:\n  %s\n", filepath.Join(at, map[bool]string{true: "report.html", false: "sensitivity.csv"}[o.charts]))
	return nil
}

// restBound returns the largest total index of the rest factor over the
// metrics named, or 0.
func restBound(res []explore.SobolResult, units []sensUnit, metrics []string) float64 {
	b := 0.0
	for f, u := range units {
		if !u.Rest {
			continue
		}
		for _, m := range metrics {
			if v := res[metricIndex(m)].ST[f].Hi; v > b {
				b = v
			}
		}
	}
	return b
}

// driversSentence says what drives a metric: its three leading factors
// by total Sobol' index.
func driversSentence(info sim.Info, md MetricDrivers) string {
	title := lowerFirst(info.Title)
	if md.Constant {
		return fmt.Sprintf("The %s is the same on every run: no input moves it.", title)
	}
	var parts []string
	for _, d := range md.Top {
		if d.Factor == "other-inputs" || len(parts) == 3 {
			continue
		}
		if len(parts) == 0 {
			parts = append(parts, fmt.Sprintf("%s explains %s of its variance (%s alone)", d.Label, plots.Percent(d.ST), plots.Percent(math.Max(0, d.S1))))
			continue
		}
		parts = append(parts, fmt.Sprintf("%s %s", d.Label, plots.Percent(d.ST)))
	}
	return fmt.Sprintf("%s (mean %s, standard deviation %s): %s.", upperFirst(title), plots.Quantity(md.Mean, info.Unit), plots.Quantity(md.SD, info.Unit), joinAnd(parts))
}

// lowerFirst lowers the first letter unless it starts an acronym.
func lowerFirst(s string) string {
	if strings.HasPrefix(s, "Ex-China") {
		return "ex-China" + s[len("Ex-China"):]
	}
	if len(s) > 1 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'a' && s[1] <= 'z' && !strings.HasPrefix(s, "Ex") {
		return string(s[0]+'a'-'A') + s[1:]
	}
	return s
}

// fnan writes v, or "" when it is NaN.
func fnan(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return results.FormatNumber(v)
}

// writeCSV writes a header and rows.
func writeCSV(w io.Writer, head []string, rows [][]string) error {
	cw := csv.NewWriter(w)
	cw.Write(head)
	for _, r := range rows {
		cw.Write(r)
	}
	cw.Flush()
	return cw.Error()
}

// sensitivityPage is report.html of reesim explore sensitivity.
func sensitivityPage(s *scenarios.Scenario, sum *SensitivitySummary, message []string, charts []htmlreport.Chart, ms []plots.SensitivityMetric, o *exploreOptions, src string) *htmlreport.Explore {
	p := &htmlreport.Explore{
		Title:   "What drives the outcomes of " + s.Name,
		Lede:    s.Description,
		Message: message,
		Source:  src,
	}
	key := min(2, len(charts))
	p.KeyCharts = charts[:key]
	for _, name := range o.metrics {
		m := ms[metricIndex(name)]
		if !(m.SD > 0) {
			continue
		}
		t := &htmlreport.Table{Head: []string{"Factor", "Kind", "Inputs", "Total effect ST (95 % CI)", "First order S1 (95 % CI)"}, Numeric: []int{2, 3, 4}}
		for _, f := range m.Factors[:min(15, len(m.Factors))] {
			t.Rows = append(t.Rows, []string{f.Label, f.Kind, strconv.Itoa(f.Inputs),
				fmt.Sprintf("%.3f (%.3f to %.3f)", f.ST, f.STLo, f.STHi), fmt.Sprintf("%.3f (%.3f to %.3f)", f.S1, f.S1Lo, f.S1Hi)})
		}
		sec := htmlreport.Section{ID: "m-" + name, Title: m.Title + " (" + m.Unit + ")", Table: t,
			Notes: []string{"The 15 factors with the largest total effect; sensitivity.csv lists every factor and every headline metric."}}
		p.Sections = append(p.Sections, sec)
	}
	if len(charts) > key {
		p.Sections = append(p.Sections, htmlreport.Section{ID: "charts", Title: "Further charts", Charts: charts[key:]})
	}
	p.Method = []string{
		fmt.Sprintf("Sobol' indices split the variance of each headline metric over the scenario's %d sampled inputs (event draws included), grouped into %d factors: inputs linked by a rank correlation cannot vary apart and form one factor%s.", sum.SampledInputs, sum.Factors, map[bool]string{true: "; with --by group, each [[input_group]] of the scenario is a factor and the inputs in none form one", false: ""}[sum.By == "group"]),
		fmt.Sprintf("Saltelli's design: two independent matrices A and B of %d base samples each (%s), and for each factor the matrix A with that factor's columns taken from B; %s model runs in all. First-order index S1 = mean(f(B)·(f(A_B)−f(A)))/V (Saltelli 2010); total index ST = mean((f(A)−f(A_B))²)/(2V) (Jansen 1999), V the variance over A and B. Intervals: 95 %% bootstrap percentile intervals over the base samples (%d resamples, fixed seed), which overstate the spread of quasi-Monte Carlo estimates a little.", sum.BaseSamples, sum.Sampling, groupInt(sum.SobolRuns), o.bootstrap),
	}
	if sum.Screen != nil {
		p.Method = append(p.Method, fmt.Sprintf("With %d factors, a full design would take %s runs. A Morris screen (%d trajectories, %s runs; elementary effects of a move across half of each input's distribution) ranked every factor by its largest mean absolute effect on %s, relative to the largest; the top %d are analysed on their own and all the others as one factor, whose total index bounds the total index of each of them (screening.csv).",
			sum.Factors, groupInt(sum.BaseSamples*(sum.Factors+2)), sum.Screen.Trajectories, groupInt(sum.Screen.Runs), strings.Join(sum.Screen.Metrics, ", "), sum.Screen.Kept))
	}
	p.Method = append(p.Method, "Kinds: a policy lever is a stockpile, price floor, tariff, recycling target or origin rule of the allies; a model setting a calibrated behavioural parameter (elasticities, inventory cover, thrifting, price caps, the supply response); an uncertainty everything else. docs/EXPLORE.md says how to read the indices.")
	p.Reproduce = []htmlreport.Field{{Name: "Command", Value: sum.Command}, {Name: "reesim", Value: version + " (" + commit() + ")"}}
	return p
}
