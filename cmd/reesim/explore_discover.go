package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/reesim/reesim/explore"
	"github.com/reesim/reesim/internal/inputfile"
	"github.com/reesim/reesim/plots"
	htmlreport "github.com/reesim/reesim/report"
	"github.com/reesim/reesim/results"
	"github.com/reesim/reesim/sim"
)

// crisisTerm is one comparison of a crisis definition.
type crisisTerm struct {
	metric int
	op     string
	value  float64
}

// parseCrisis reads a crisis definition: comparisons "METRIC OP VALUE",
// OP one of >, >=, <, <=, joined by "and".
func parseCrisis(s string) ([]crisisTerm, error) {
	var out []crisisTerm
	for _, part := range strings.Split(s, " and ") {
		f := strings.Fields(part)
		// Allow "metric>80000": split at the operator.
		if len(f) == 1 {
			for _, op := range []string{">=", "<=", ">", "<"} {
				if a, b, ok := strings.Cut(f[0], op); ok {
					f = []string{a, op, b}
					break
				}
			}
		}
		if len(f) != 3 {
			return nil, errUsage{fmt.Sprintf("--crisis %q: expected comparisons such as 'cum_shortfall_t > 80000' (a headline metric, >, >=, < or <=, a number), joined by 'and'; %q is not one", s, strings.TrimSpace(part))}
		}
		k := metricIndex(f[0])
		if k < 0 {
			var names []string
			for _, m := range sim.MetricInfo {
				names = append(names, m.Name)
			}
			return nil, errUsage{fmt.Sprintf("--crisis: %q is not a headline metric%s", f[0], didYouMean(f[0], names))}
		}
		switch f[1] {
		case ">", ">=", "<", "<=":
		default:
			return nil, errUsage{fmt.Sprintf("--crisis: %q is not a comparison; expected >, >=, < or <=", f[1])}
		}
		v, err := strconv.ParseFloat(f[2], 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, errUsage{fmt.Sprintf("--crisis: %q is not a number", f[2])}
		}
		out = append(out, crisisTerm{k, f[1], v})
	}
	return out, nil
}

// holds reports whether a path's metrics meet every term.
func holds(terms []crisisTerm, m func(k int) float64) bool {
	for _, t := range terms {
		v := m(t.metric)
		ok := false
		switch t.op {
		case ">":
			ok = v > t.value
		case ">=":
			ok = v >= t.value
		case "<":
			ok = v < t.value
		case "<=":
			ok = v <= t.value
		}
		if !ok {
			return false
		}
	}
	return true
}

// DiscoverSummary is summary.json of reesim explore discover.
type DiscoverSummary struct {
	Run      string `json:"run"`
	Scenario string `json:"scenario"`
	Crisis   string `json:"crisis"`
	Paths    int    `json:"paths"`
	Crises   int    `json:"crises"`
	// BaseRate is the share of crises among all paths.
	BaseRate float64 `json:"base_rate"`
	// Inputs counts the inputs PRIM looked at (those that vary).
	Inputs int `json:"inputs"`
	// Peeled is the index of the chosen box on the peeling trajectory.
	Peeled   int       `json:"peeled_box"`
	Box      []BoxRow  `json:"box"`
	Coverage float64   `json:"coverage"`
	Density  float64   `json:"density"`
	Mass     float64   `json:"mass"`
	Sentence string    `json:"sentence"`
	Resample Resampled `json:"resamples"`
	Command  string    `json:"command"`
}

// BoxRow is one restriction of the box.
type BoxRow struct {
	Input string  `json:"input"`
	Label string  `json:"label"`
	Min   float64 `json:"min"`
	Max   float64 `json:"max"`
	// Lo and Hi are the box's limits (null when that side is open).
	Lo *float64 `json:"lo"`
	Hi *float64 `json:"hi"`
	// Text says it in words.
	Text string `json:"text"`
	// QP is its quasi-p-value; DensityWithout and CoverageWithout the
	// box's density and coverage without it.
	QP              float64 `json:"quasi_p_value"`
	DensityWithout  float64 `json:"density_without"`
	CoverageWithout float64 `json:"coverage_without"`
	// ShareResamples is the share of resamples whose box restricts it.
	ShareResamples float64 `json:"share_resamples"`
}

// Resampled summarises the resampling check.
type Resampled struct {
	Resamples   int     `json:"resamples"`
	CoverageMin float64 `json:"coverage_min"`
	CoverageMax float64 `json:"coverage_max"`
	DensityMin  float64 `json:"density_min"`
	DensityMax  float64 `json:"density_max"`
}

// exploreDiscover is reesim explore discover.
func exploreDiscover(ctx context.Context, o *exploreOptions, runDir string, outSet bool) error {
	terms, err := parseCrisis(o.crisis)
	if err != nil {
		return err
	}
	if st, err := os.Stat(runDir); err != nil || !st.IsDir() {
		return errInvalidInput{fmt.Sprintf("%s: not a results folder: expected the folder of a finished run (reesim run writes OUT/<scenario>/)", runDir)}
	}
	var man results.Manifest
	if b, err := inputfile.ReadFile(filepath.Join(runDir, "manifest.json"), 1<<20); err == nil {
		if err := json.Unmarshal(b, &man); err != nil {
			return errInvalidInput{fmt.Sprintf("%s: %v", filepath.Join(runDir, "manifest.json"), err)}
		}
	}
	var metricNames []string
	for _, m := range sim.MetricInfo {
		metricNames = append(metricNames, m.Name)
	}
	// The per-path table: paths.parquet or paths.csv.
	var inNames []string
	var in [][]float64
	metric := map[string][]float64{}
	pq, csvName := filepath.Join(runDir, "paths.parquet"), filepath.Join(runDir, "paths.csv")
	switch {
	case fileExists(pq):
		names, cols, err := results.ReadPathsParquet(pq, math.MaxInt)
		if err != nil {
			return errInvalidInput{err.Error()}
		}
		for j, n := range names {
			switch {
			case n == "path":
			case slices.Contains(metricNames, n):
				metric[n] = cols[j]
			default:
				inNames = append(inNames, n)
				in = append(in, cols[j])
			}
		}
	case fileExists(csvName):
		smp, err := plots.ReadPathSample(csvName, metricNames, math.MaxInt)
		if err != nil {
			return errInvalidInput{err.Error()}
		}
		inNames, in = smp.Inputs, smp.In
		for k, n := range smp.Metrics {
			metric[n] = smp.Metric[k]
		}
	default:
		return errInvalidInput{fmt.Sprintf("%s has neither paths.csv nor paths.parquet: expected the folder of a finished run", runDir)}
	}
	for _, t := range terms {
		if _, ok := metric[sim.MetricInfo[t.metric].Name]; !ok {
			return errInvalidInput{fmt.Sprintf("%s: the per-path table has no column %s", runDir, sim.MetricInfo[t.metric].Name)}
		}
	}
	n := len(metric[sim.MetricInfo[terms[0].metric].Name])
	if n < 20 {
		return errInvalidInput{fmt.Sprintf("%s: %d paths; scenario discovery needs at least 20", runDir, n)}
	}
	y := make([]bool, n)
	crises := 0
	for i := range y {
		y[i] = holds(terms, func(k int) float64 { return metric[sim.MetricInfo[k].Name][i] })
		if y[i] {
			crises++
		}
	}
	scen := man.Scenario
	if scen == "" {
		scen = filepath.Base(filepath.Clean(runDir))
	}
	if crises == 0 || crises == n {
		what := "no path meets it"
		if crises == n {
			what = "every path meets it"
		}
		return fmt.Errorf("--crisis %q: %s in %s (%d paths), so there is nothing to tell apart: choose another threshold (summary.csv gives the metric's percentiles)", o.crisis, what, runDir, n)
	}
	// Inputs that vary.
	keys, uses := plots.ReadInputKeys(filepath.Join(runDir, "scenario.resolved.toml"))
	var xs [][]float64
	var names, labels []string
	var lo, hi []float64
	var months []bool
	for j, col := range in {
		mn, mx := slices.Min(col), slices.Max(col)
		if mn == mx {
			continue
		}
		name := inNames[j]
		key, ok := keys[name]
		if !ok {
			key = name
		}
		xs = append(xs, col)
		names = append(names, name)
		labels = append(labels, pageLabel(plots.InputLabel(name, key, uses[name])))
		lo, hi = append(lo, mn), append(hi, mx)
		months = append(months, plots.IsMonthInput(name, mn, mx))
	}
	if len(xs) == 0 {
		return fmt.Errorf("%s: no sampled input varies, so no condition can tell crises apart", runDir)
	}
	d, err := explore.NewData(xs, y)
	if err != nil {
		return err
	}
	fmt.Fprintf(o.stdout, "%s: %s paths, %s crises (%s) with %s; PRIM over %d inputs that vary\n", scen, groupInt(n), groupInt(crises), plots.Percent(float64(crises)/float64(n)), o.crisis, len(xs))
	opt := explore.PRIMOptions{}
	res, err := explore.Find(ctx, d, nil, o.minCoverage, opt)
	if err != nil {
		return err
	}
	seed := man.Seed
	if o.seedSet {
		seed = o.seed
	}
	stab, err := explore.Resample(ctx, d, o.resamples, seed, o.minCoverage, opt)
	if err != nil {
		return err
	}
	final := filepath.Join(runDir, "discover")
	if outSet {
		final = filepath.Join(o.out, scen+"-discover")
	}
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
	b := res.Box
	sum := DiscoverSummary{Run: runDir, Scenario: scen, Crisis: o.crisis, Paths: n, Crises: crises, BaseRate: float64(crises) / float64(n),
		Inputs: len(xs), Peeled: res.Chosen, Coverage: b.Coverage, Density: b.Density, Mass: b.Mass, Box: []BoxRow{}}
	sum.Command = "reesim explore discover --crisis " + shellQuote(o.crisis)
	if o.minCoverage > 0 {
		sum.Command += " --min-coverage " + strconv.FormatFloat(o.minCoverage, 'g', -1, 64)
	}
	sum.Command += fmt.Sprintf(" --resamples %d --seed %d %s", o.resamples, seed, shellQuote(runDir))
	sum.Resample = Resampled{Resamples: stab.Resamples, CoverageMin: slices.Min(stab.Coverage), CoverageMax: slices.Max(stab.Coverage),
		DensityMin: slices.Min(stab.Density), DensityMax: slices.Max(stab.Density)}
	var limits []plots.BoxLimit
	var parts []string
	for _, r := range res.Restrictions {
		j := r.Input
		row := BoxRow{Input: names[j], Label: labels[j], Min: lo[j], Max: hi[j], QP: r.QP, DensityWithout: r.WithoutDensity,
			CoverageWithout: r.WithoutCoverage, ShareResamples: stab.Share[j]}
		if !math.IsInf(b.Lo[j], -1) {
			v := b.Lo[j]
			row.Lo = &v
		}
		if !math.IsInf(b.Hi[j], 1) {
			v := b.Hi[j]
			row.Hi = &v
		}
		row.Text = limitWords(b.Lo[j], b.Hi[j], months[j])
		sum.Box = append(sum.Box, row)
		parts = append(parts, lowerFirst(labels[j])+" "+row.Text)
		limits = append(limits, plots.BoxLimit{Label: labels[j], Min: lo[j], Max: hi[j], Lo: b.Lo[j], Hi: b.Hi[j], Text: row.Text,
			Stability: fmt.Sprintf("in %d of %d resamples", int(math.Round(stab.Share[j]*float64(stab.Resamples))), stab.Resamples), Month: months[j]})
	}
	if len(parts) == 0 {
		sum.Sentence = fmt.Sprintf("No box of conditions sets the crisis futures (%s) apart from the others better than chance: %s of all futures are crises.", o.crisis, plots.Percent(sum.BaseRate))
	} else {
		sum.Sentence = fmt.Sprintf("%s: %s of the crisis futures (%s) are in this box, and %s of the futures in it are crises, against %s of all futures.",
			upperFirst(joinAnd(parts)), plots.Percent(b.Coverage), o.crisis, plots.Percent(b.Density), plots.Percent(sum.BaseRate))
	}
	var trade [][]string
	var pts []plots.TradeoffPoint
	for k, t := range res.Trajectory {
		nr := len(t.Dims())
		trade = append(trade, []string{strconv.Itoa(k), results.FormatNumber(t.Coverage), results.FormatNumber(t.Density), results.FormatNumber(t.Mass), strconv.Itoa(t.N), strconv.Itoa(t.Cases), strconv.Itoa(nr), strconv.FormatBool(k == res.Chosen)})
		pts = append(pts, plots.TradeoffPoint{Coverage: t.Coverage, Density: t.Density, Mass: t.Mass, Restricted: nr})
	}
	if err := dir.WriteFile("tradeoff.csv", func(w io.Writer) error {
		return writeCSV(w, []string{"box", "coverage", "density", "mass", "paths", "crises", "inputs_restricted", "chosen"}, trade)
	}); err != nil {
		return err
	}
	var boxRows, stabRows [][]string
	for _, r := range sum.Box {
		lo, hi := "", ""
		if r.Lo != nil {
			lo = results.FormatNumber(*r.Lo)
		}
		if r.Hi != nil {
			hi = results.FormatNumber(*r.Hi)
		}
		boxRows = append(boxRows, []string{r.Input, r.Label, results.FormatNumber(r.Min), results.FormatNumber(r.Max), lo, hi, r.Text, results.FormatNumber(r.QP), results.FormatNumber(r.DensityWithout), results.FormatNumber(r.CoverageWithout), results.FormatNumber(r.ShareResamples)})
	}
	for j, share := range stab.Share {
		if share == 0 {
			continue
		}
		stabRows = append(stabRows, []string{names[j], labels[j], results.FormatNumber(share), fnan(stab.LoMedian[j]), fnan(stab.HiMedian[j]), strconv.FormatBool(b.Restricted(j))})
	}
	if err := dir.WriteFile("box.csv", func(w io.Writer) error {
		return writeCSV(w, []string{"input", "label", "min", "max", "box_lo", "box_hi", "in_words", "quasi_p_value", "density_without", "coverage_without", "share_resamples"}, boxRows)
	}); err != nil {
		return err
	}
	if err := dir.WriteFile("stability.csv", func(w io.Writer) error {
		return writeCSV(w, []string{"input", "label", "share_resamples", "median_lo", "median_hi", "in_chosen_box"}, stabRows)
	}); err != nil {
		return err
	}
	if err := dir.WriteJSON("summary.json", sum); err != nil {
		return err
	}
	for i, l := range wrapText(sum.Sentence, 76) {
		lead := "  - "
		if i > 0 {
			lead = "    "
		}
		fmt.Fprintln(o.stdout, lead+l)
	}
	stable := fmt.Sprintf("On %d random halves of the futures, PRIM finds boxes covering %s to %s of the crises at densities of %s to %s.",
		stab.Resamples, plots.Percent(sum.Resample.CoverageMin), plots.Percent(sum.Resample.CoverageMax), plots.Percent(sum.Resample.DensityMin), plots.Percent(sum.Resample.DensityMax))
	fmt.Fprintf(o.stdout, "  - %s\n", stable)
	if o.charts {
		src := fmt.Sprintf("reesim %s, PRIM on run %s (%s paths, seed %d), crisis %s.", version, scen, groupInt(n), man.Seed, o.crisis)
		tf, err := plots.TradeoffChart(pts, plots.TradeoffPoint{Coverage: b.Coverage, Density: b.Density, Mass: b.Mass, Restricted: len(b.Dims())}, res.Chosen, o.crisis, "discover-tradeoff")
		if err != nil {
			return err
		}
		figs := []*plots.Figure{tf}
		if len(limits) > 0 {
			headline := fmt.Sprintf("Crises (%s) concentrate where %s", o.crisis, joinAnd(parts))
			bf, err := plots.BoxChart(limits, headline, o.crisis, "discover-box")
			if err != nil {
				return err
			}
			figs = []*plots.Figure{bf, tf}
		}
		charts, err := plots.WriteFigures(ctx, dir.Tmp, figs, src)
		if err != nil {
			return fmt.Errorf("charts: %w", err)
		}
		page := &htmlreport.Explore{
			Title:     "When does " + scen + " turn into a crisis?",
			Lede:      fmt.Sprintf("Scenario discovery on %s paths of %s: the crisis is %s, in %s of the futures.", groupInt(n), scen, o.crisis, plots.Percent(sum.BaseRate)),
			Message:   []string{sum.Sentence, stable},
			Source:    src,
			KeyCharts: charts,
		}
		t := &htmlreport.Table{Head: []string{"Input", "In the box", "Range in the futures", "Density without it", "Quasi-p-value", "Resamples restricting it"}, Numeric: []int{3, 4, 5}}
		for _, r := range sum.Box {
			t.Rows = append(t.Rows, []string{r.Label, r.Text, plots.LimitText(r.Min, months[slices.Index(names, r.Input)]) + " to " + plots.LimitText(r.Max, months[slices.Index(names, r.Input)]),
				plots.Percent(r.DensityWithout), fmt.Sprintf("%.2g", r.QP), plots.Percent(r.ShareResamples)})
		}
		page.Sections = append(page.Sections, htmlreport.Section{ID: "box", Title: "The box", Table: t, Notes: []string{
			fmt.Sprintf("%s paths in the box (%s of all), %s of them crises. Density without it: the share of crises in the box if that restriction were dropped. Quasi-p-value: the chance of a box this dense if the restriction did not matter (binomial); restrictions above 0.05 were dropped. box.csv, tradeoff.csv and stability.csv hold the numbers.", groupInt(b.N), plots.Percent(b.Mass), groupInt(b.Cases))}})
		var st [][]string
		for j, share := range stab.Share {
			if share >= 0.25 && !b.Restricted(j) {
				st = append(st, []string{labels[j], plots.Percent(share)})
			}
		}
		if len(st) > 0 {
			page.Sections = append(page.Sections, htmlreport.Section{ID: "stability", Title: "Other inputs the resamples restrict",
				Paragraphs: []string{"Inputs the chosen box leaves free but that at least a quarter of the resamples' boxes restrict: candidate conditions the data cannot settle."},
				Table:      &htmlreport.Table{Head: []string{"Input", "Resamples restricting it"}, Rows: st, Numeric: []int{1}}})
		}
		page.Method = []string{
			"PRIM (the patient rule induction method, Friedman and Fisher 1999; as in the EMA Workbench) looks for a box of input values, a range per input, in which crises are concentrated. Peeling: starting from all futures, it removes again and again the 5 % of the box's futures at the low or high end of one input, whichever leaves the box with the highest share of crises, until the box holds 5 % of the futures. Each box of this trajectory trades coverage (the share of all crises inside it) for density (the share of crises among the futures inside it).",
			"The box chosen is the one with the best balance of the two (the highest harmonic mean of coverage and density), or, with --min-coverage, the densest holding at least that coverage. Restrictions whose quasi-p-value (Bryant and Lempert 2010) is above 0.05 are dropped, one at a time; then each limit is pasted outwards while that does not lower the density.",
			fmt.Sprintf("Stability: PRIM is run again on %d random halves of the futures; a restriction found in most of them is robust, one found in few is likely noise. Inputs are every sampled input of the run that varies (%d), event draws included.", stab.Resamples, len(xs)),
		}
		page.Reproduce = []htmlreport.Field{{Name: "Command", Value: sum.Command}, {Name: "reesim", Value: version + " (" + commit() + ")"}}
		if err := dir.WriteFile("report.html", func(w io.Writer) error { return htmlreport.WriteExplore(w, page) }); err != nil {
			return err
		}
	}
	at, err := commitDir(dir, o)
	committed = err == nil || at != final
	if err != nil {
		return err
	}
	fmt.Fprintf(o.stdout, "\nOpen:\n  %s\n", filepath.Join(at, map[bool]string{true: "report.html", false: "box.csv"}[o.charts]))
	return nil
}

// errInvalidInput marks a results folder that cannot be read (exit 3).
type errInvalidInput struct{ msg string }

func (e errInvalidInput) Error() string { return e.msg }

func fileExists(name string) bool {
	st, err := os.Stat(name)
	return err == nil && st.Mode().IsRegular()
}

// limitWords says a restriction in words.
func limitWords(lo, hi float64, month bool) string {
	l, h := plots.LimitText(lo, month), plots.LimitText(hi, month)
	switch {
	case math.IsInf(lo, -1):
		if month {
			return "by " + h
		}
		return "at most " + h
	case math.IsInf(hi, 1):
		if month {
			return "from " + l
		}
		return "at least " + l
	}
	return "from " + l + " to " + h
}

// pageLabel rewrites an event draw's label so that pages say what it
// means in words.
func pageLabel(l string) string {
	l = strings.Replace(l, "occurrence draw (high means it happens)", "whether it happens (high draws make it happen)", 1)
	return strings.Replace(l, "cancellation draw (high means cancelled)", "whether cancelled (high draws cancel it)", 1)
}

// joinAnd joins parts as "a, b and c".
func joinAnd(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
