package study

import (
	"cmp"
	"fmt"
	"github.com/reesim/reesim/internal/tomlfile"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/reesim/reesim/sim"
)

// Outcome is a study's result: what summary.json holds.
type Outcome struct {
	Study       string `json:"study"`
	Description string `json:"description"`
	File        string `json:"file"`
	Seed        uint64 `json:"seed"`
	Paths       int    `json:"paths"`
	Design      string `json:"design"`
	// Sampling is the sampling design of every variant when it is not
	// plain Monte Carlo ("lhs" or "qmc").
	Sampling         string   `json:"sampling,omitempty"`
	Reference        string   `json:"reference"`
	KeyMetric        string   `json:"key_metric"`
	Metrics          []string `json:"metrics"`
	ValuePerTonneUSD float64  `json:"value_per_tonne_usd"`
	CostMetric       string   `json:"cost_metric,omitempty"`
	Margin           float64  `json:"margin"`
	Sweeps           []Sweep  `json:"sweeps"`
	Notes            []string `json:"notes"`
	// Thresholds are the study's thresholds, by metric.
	Thresholds map[string]float64 `json:"thresholds,omitempty"`
	// Stopping says how many paths were run and why.
	Stopping Stopping      `json:"stopping"`
	Bases    []BaseOutcome `json:"bases"`
	// Answer is the study's answer in a sentence or two (one per base).
	Answer string `json:"answer"`
}

// Stopping says how a run ended.
type Stopping struct {
	// Rule is "fixed" (a given number of paths) or "precision".
	Rule string `json:"rule"`
	// Target is the precision target (the key metric's unit); Limit the
	// most paths per case.
	Target float64 `json:"target,omitempty"`
	Limit  int     `json:"limit"`
	// Paths is the number of paths run per case.
	Paths int `json:"paths"`
	// HalfWidth is the widest 95 % CI half-width of a paired difference
	// in the key metric, and Widest the variant that has it.
	HalfWidth float64 `json:"widest_ci95_halfwidth"`
	Widest    string  `json:"widest_variant"`
	// Reached reports whether the precision target was met.
	Reached bool `json:"reached"`
	// Stages lists the paths and widest half-width after each stage.
	Stages []Stage `json:"stages,omitempty"`
	// Message says in a sentence what happened.
	Message string `json:"message"`
}

// Stage is one stage of a run with a precision target.
type Stage struct {
	Paths     int     `json:"paths"`
	HalfWidth float64 `json:"widest_ci95_halfwidth"`
}

func (s Stopping) message(st *Study) string {
	unit := unitOf(st.KeyMetric)
	hw := fmtQty(s.HalfWidth, unit)
	key := "the expected " + titleOf(st.KeyMetric)
	switch {
	case s.Rule != "precision":
		return fmt.Sprintf("Ran %s paths per variant, as asked; the widest 95 %% confidence half-width of a paired difference in %s is %s.", fmtCount(s.Paths), key, hw)
	case s.Reached:
		return fmt.Sprintf("Stopped at %s paths per variant: precision reached (every paired difference in %s is known to ± %s at 95 %% confidence, below the target %s).", fmtCount(s.Paths), key, hw, fmtQty(s.Target, unit))
	}
	return fmt.Sprintf("Stopped at the path limit of %s paths per variant before reaching the precision target: the widest 95 %% confidence half-width of a paired difference in %s is %s (%s), above the target %s.", fmtCount(s.Paths), key, hw, s.Widest, fmtQty(s.Target, unit))
}

// BaseOutcome is the comparison of the variants on one base scenario.
type BaseOutcome struct {
	Base        string           `json:"base"`
	Description string           `json:"description"`
	Variants    []VariantOutcome `json:"variants"`
	// Ranking lists the variants from best to worst: by expected net
	// benefit with a cost-benefit analysis, else by the key metric.
	Ranking []string `json:"ranking"`
	// Choice is the cost-benefit choice, when the study has one.
	Choice *Choice `json:"choice,omitempty"`
	Answer string  `json:"answer"`
	// RobustRanking lists the variants by the 90th percentile of their
	// regret, most robust first; Robust compares it with Ranking.
	RobustRanking []string `json:"robust_ranking,omitempty"`
	Robust        string   `json:"robustness,omitempty"`
}

// VariantOutcome is one variant's results on one base.
type VariantOutcome struct {
	Name      string    `json:"variant"`
	Label     string    `json:"label"`
	Reference bool      `json:"reference"`
	Settings  []Setting `json:"settings"`
	// Levels are the sweeps' values, when they are all numbers.
	Levels      []float64          `json:"levels,omitempty"`
	Rank        int                `json:"rank"`
	Metrics     []MetricComparison `json:"metrics"`
	CostBenefit *CostBenefit       `json:"cost_benefit,omitempty"`
	// Robustness is the variant's regret across the futures.
	Robustness *Robustness `json:"robustness,omitempty"`
}

// MetricComparison compares a variant with the reference in one metric.
type MetricComparison struct {
	Metric string `json:"metric"`
	Title  string `json:"title"`
	Unit   string `json:"unit"`
	// Better is "lower", "higher" or "" (neither).
	Better string  `json:"better"`
	Paths  int     `json:"paths"`
	Mean   float64 `json:"mean"`
	SE     float64 `json:"se"`
	P50    float64 `json:"p50"`
	P95    float64 `json:"p95"`
	// Diff is the mean of the per-path differences variant − reference,
	// with its paired standard error and 95 % interval; DiffSD is their
	// standard deviation and DiffP5..DiffP95 their percentiles.
	Diff    Estimate `json:"paired_difference"`
	DiffSD  float64  `json:"paired_difference_sd"`
	DiffP5  float64  `json:"paired_difference_p5"`
	DiffP50 float64  `json:"paired_difference_p50"`
	DiffP95 float64  `json:"paired_difference_p95"`
	// UnpairedHalfWidth is the half-width 1.96·√(SE² + SE_ref²) the
	// interval would have if the variants had independent draws.
	UnpairedHalfWidth float64 `json:"unpaired_ci95_halfwidth"`
	// ShareBetter and ShareWorse are the shares of paths on which the
	// variant is strictly better or worse than the reference (nil when
	// the metric has no better direction).
	ShareBetter *float64 `json:"share_better,omitempty"`
	ShareWorse  *float64 `json:"share_worse,omitempty"`
}

// CostBenefit is a variant's cost-benefit analysis against the reference,
// every term a mean of per-path differences with its paired error. Money
// is in $M, undiscounted, over the scenario's horizon.
type CostBenefit struct {
	// Cost is the extra cost: the cost metric less the reference's.
	Cost Estimate `json:"incremental_cost_musd"`
	// AvoidedShortfallT is the reference's cumulative shortfall less the
	// variant's, and AvoidedShortfallValue the same at the study's value
	// per tonne.
	AvoidedShortfallT     Estimate `json:"avoided_shortfall_t"`
	AvoidedShortfallValue Estimate `json:"avoided_shortfall_value_musd"`
	// AvoidedBuyerCost is the reference's buyer_extra_cost_musd less the
	// variant's.
	AvoidedBuyerCost Estimate `json:"avoided_buyer_extra_cost_musd"`
	// Benefit is AvoidedShortfallValue + AvoidedBuyerCost; NetBenefit is
	// Benefit − Cost; ShareNetPositive the share of paths where it is
	// above 0.
	Benefit          Estimate `json:"benefit_musd"`
	NetBenefit       Estimate `json:"net_benefit_musd"`
	ShareNetPositive float64  `json:"share_net_positive"`
	// BenefitCostRatio is mean benefit / mean cost with its delta-method
	// error, nil when the mean cost is 0.
	BenefitCostRatio *Estimate `json:"benefit_cost_ratio,omitempty"`
	// BreakEvenValuePerTonneUSD is the value per tonne at which the
	// expected net benefit is 0 (0 when the avoided buyers' spending alone
	// pays for the cost), nil when no shortfall is avoided on average.
	BreakEvenValuePerTonneUSD *float64 `json:"break_even_value_per_tonne_usd,omitempty"`
}

// Choice is the cost-benefit choice on one base: the first variant, in
// order of size, whose expected net benefit is within the margin of the
// best.
type Choice struct {
	Variant    string   `json:"variant"`
	Label      string   `json:"label"`
	NetBenefit Estimate `json:"net_benefit_musd"`
	Best       string   `json:"best"`
	BestLabel  string   `json:"best_label"`
	BestNet    Estimate `json:"best_net_benefit_musd"`
	Margin     float64  `json:"margin"`
	// OrderedBy says what "size" means: the sweep's value or the expected
	// cost.
	OrderedBy string `json:"ordered_by"`
	Sentence  string `json:"sentence"`
}

// outcome builds the Outcome from the accumulated statistics.
func (a *accumulator) outcome(seed uint64, stop Stopping) *Outcome {
	st := a.st
	o := &Outcome{
		Study: st.Name, Description: st.Description, File: st.File, Seed: seed, Paths: stop.Paths,
		Design: st.Design, Reference: st.Reference, KeyMetric: st.KeyMetric, Metrics: st.Metrics,
		ValuePerTonneUSD: st.ValuePerTonneUSD, Margin: st.Margin, Sweeps: st.Sweeps, Notes: st.Notes, Stopping: stop, Thresholds: st.Thresholds,
	}
	if o.Notes == nil {
		o.Notes = []string{}
	}
	if o.Sweeps == nil {
		o.Sweeps = []Sweep{}
	}
	if st.HasCostBenefit() {
		o.CostMetric = st.CostMetric
	}
	var answers []string
	for b, base := range st.Bases {
		bo := BaseOutcome{Base: base.Name, Description: base.Scenario.Description}
		refAcc := a.cases[b][st.Ref]
		for v, va := range st.Variants {
			ca := a.cases[b][v]
			vo := VariantOutcome{Name: va.Name, Label: va.Label, Reference: v == st.Ref, Settings: va.Set}
			if vo.Settings == nil {
				vo.Settings = []Setting{}
			}
			if len(va.Levels) > 0 && !slices.ContainsFunc(va.Levels, math.IsNaN) {
				vo.Levels = va.Levels
			}
			for j, m := range st.Metrics {
				info := sim.MetricInfo[a.idx[j]]
				mc := MetricComparison{
					Metric: m, Title: info.Title, Unit: info.Unit, Paths: ca.n,
					Mean: ca.own[j].Mean, SE: ca.own[j].SE(),
					P50: ca.ownSk.At(j).Quantile(0.5), P95: ca.ownSk.At(j).Quantile(0.95),
					Diff: estimate(ca.diff[j]), DiffSD: ca.diff[j].SD(),
					DiffP5: ca.diffSk.At(j).Quantile(0.05), DiffP50: ca.diffSk.At(j).Quantile(0.5), DiffP95: ca.diffSk.At(j).Quantile(0.95),
					UnpairedHalfWidth: Z95 * math.Hypot(ca.own[j].SE(), refAcc.own[j].SE()),
				}
				switch a.dir[j] {
				case -1:
					mc.Better = "lower"
				case +1:
					mc.Better = "higher"
				}
				if a.dir[j] != 0 && ca.n > 0 {
					better, worse := float64(ca.better[j])/float64(ca.n), float64(ca.worse[j])/float64(ca.n)
					mc.ShareBetter, mc.ShareWorse = &better, &worse
				}
				vo.Metrics = append(vo.Metrics, mc)
			}
			if st.HasCostBenefit() {
				vo.CostBenefit = ca.costBenefit()
			}
			bo.Variants = append(bo.Variants, vo)
		}
		bo.rank(st)
		if st.HasCostBenefit() {
			bo.Choice = choose(st, &bo)
		}
		bo.Answer = answer(st, &bo, stop.Paths)
		a.robustness(b, &bo)
		answers = append(answers, bo.Answer)
		o.Bases = append(o.Bases, bo)
	}
	o.Answer = strings.Join(answers, " ")
	return o
}

// costBenefit returns the case's cost-benefit analysis.
func (ca *caseAcc) costBenefit() *CostBenefit {
	cb := &CostBenefit{
		Cost: estimate(ca.cost), AvoidedShortfallT: estimate(ca.shortT), AvoidedShortfallValue: estimate(ca.shortV),
		AvoidedBuyerCost: estimate(ca.buyer), Benefit: estimate(ca.benefit), NetBenefit: estimate(ca.net),
	}
	if ca.n > 0 {
		cb.ShareNetPositive = float64(ca.netPositive) / float64(ca.n)
	}
	if r, ok := ca.bc.ratio(); ok {
		cb.BenefitCostRatio = &r
	}
	if s := ca.shortT.Mean; s > 0 {
		v := math.Max(0, (ca.cost.Mean-ca.buyer.Mean)/s*1e6)
		cb.BreakEvenValuePerTonneUSD = &v
	}
	return cb
}

// rank orders the variants from best to worst: by expected net benefit
// when there is a cost-benefit analysis, else by the key metric in its
// better direction; ties keep the study's order.
func (bo *BaseOutcome) rank(st *Study) {
	idx := make([]int, len(bo.Variants))
	for i := range idx {
		idx[i] = i
	}
	score := func(i int) float64 {
		v := bo.Variants[i]
		if v.CostBenefit != nil {
			return -v.CostBenefit.NetBenefit.Mean
		}
		d := Direction(st.KeyMetric)
		if d == 0 {
			d = -1
		}
		return -float64(d) * v.Metrics[0].Mean
	}
	slices.SortStableFunc(idx, func(x, y int) int { return cmp.Compare(score(x), score(y)) })
	bo.Ranking = nil
	for r, i := range idx {
		bo.Variants[i].Rank = r + 1
		bo.Ranking = append(bo.Ranking, bo.Variants[i].Name)
	}
}

// choose picks the first variant, in order of size, whose expected net
// benefit is within the margin of the best. Size is the sweep's value when
// the variants are exactly one numeric sweep's, else the expected cost.
func choose(st *Study, bo *BaseOutcome) *Choice {
	best := 0
	for i, v := range bo.Variants {
		if v.CostBenefit.NetBenefit.Mean > bo.Variants[best].CostBenefit.NetBenefit.Mean {
			best = i
		}
	}
	byLevel := len(st.Sweeps) == 1
	for _, v := range bo.Variants {
		if len(v.Levels) != 1 {
			byLevel = false
		}
	}
	costOf := func(v VariantOutcome) float64 {
		for _, m := range v.Metrics {
			if m.Metric == st.CostMetric {
				return m.Mean
			}
		}
		return v.CostBenefit.Cost.Mean
	}
	idx := make([]int, len(bo.Variants))
	for i := range idx {
		idx[i] = i
	}
	orderedBy := "expected " + st.CostMetric
	if byLevel {
		orderedBy = st.Sweeps[0].Label
		slices.SortStableFunc(idx, func(x, y int) int { return cmp.Compare(bo.Variants[x].Levels[0], bo.Variants[y].Levels[0]) })
	} else {
		slices.SortStableFunc(idx, func(x, y int) int { return cmp.Compare(costOf(bo.Variants[x]), costOf(bo.Variants[y])) })
	}
	bn := bo.Variants[best].CostBenefit.NetBenefit.Mean
	threshold := bn - st.Margin*math.Abs(bn)
	pick := best
	for _, i := range idx {
		if bo.Variants[i].CostBenefit.NetBenefit.Mean >= threshold {
			pick = i
			break
		}
	}
	v, b := bo.Variants[pick], bo.Variants[best]
	c := &Choice{
		Variant: v.Name, Label: v.Label, NetBenefit: v.CostBenefit.NetBenefit,
		Best: b.Name, BestLabel: b.Label, BestNet: b.CostBenefit.NetBenefit, Margin: st.Margin, OrderedBy: orderedBy,
	}
	pct := tomlfile.FormatNum(100 * st.Margin)
	switch {
	case v.Reference && pick == best:
		next := -1
		for i, w := range bo.Variants {
			if !w.Reference && (next < 0 || w.CostBenefit.NetBenefit.Mean > bo.Variants[next].CostBenefit.NetBenefit.Mean) {
				next = i
			}
		}
		c.Sentence = fmt.Sprintf("At %s a tonne of magnet not delivered, no option has a higher expected net benefit than %s", fmtUSD(st.ValuePerTonneUSD), v.Label)
		if next >= 0 {
			w := bo.Variants[next]
			c.Sentence += fmt.Sprintf(": the best of the others, %s, has %s (95 %% CI %s)", w.Label, fmtQty(w.CostBenefit.NetBenefit.Mean, "$M"), fmtRange(w.CostBenefit.NetBenefit, "$M"))
		}
		c.Sentence += "."
	case v.Reference:
		c.Sentence = fmt.Sprintf("At %s a tonne of magnet not delivered, %s is as good as any: the best, %s, has an expected net benefit of %s (95 %% CI %s), within %s %% of none at all.",
			fmtUSD(st.ValuePerTonneUSD), v.Label, b.Label, fmtQty(bn, "$M"), fmtRange(b.CostBenefit.NetBenefit, "$M"), pct)
	case pick == best:
		c.Sentence = fmt.Sprintf("At %s a tonne of magnet not delivered, %s has the highest expected net benefit, %s (95 %% CI %s), and no smaller option comes within %s %% of it.",
			fmtUSD(st.ValuePerTonneUSD), v.Label, fmtQty(bn, "$M"), fmtRange(b.CostBenefit.NetBenefit, "$M"), pct)
	default:
		c.Sentence = fmt.Sprintf("At %s a tonne of magnet not delivered, %s is the smallest option whose expected net benefit, %s (95 %% CI %s), is within %s %% of the best, %s with %s.",
			fmtUSD(st.ValuePerTonneUSD), v.Label, fmtQty(v.CostBenefit.NetBenefit.Mean, "$M"), fmtRange(v.CostBenefit.NetBenefit, "$M"), pct, b.Label, fmtQty(bn, "$M"))
	}
	return c
}

// answer writes the one-sentence answer for a base.
func answer(st *Study, bo *BaseOutcome, paths int) string {
	ref := bo.Variants[st.Ref]
	title := strings.ToLower(ref.Metrics[0].Title[:1]) + ref.Metrics[0].Title[1:]
	unit := ref.Metrics[0].Unit
	on := fmt.Sprintf("Under the %s scenario", bo.Base)
	if bo.Choice != nil {
		c := bo.Choice
		pick := bo.Variants[slices.IndexFunc(bo.Variants, func(v VariantOutcome) bool { return v.Name == c.Variant })]
		s := on + ", " + lowerFirst(c.Sentence)
		if !pick.Reference {
			cost := pick.CostBenefit.Cost.Mean
			costTitle := titleOf(st.CostMetric)
			costText := "at an expected extra cost of " + fmtQty(cost, "$M") + " (" + costTitle + ")"
			if cost < 0 {
				costText = "and on average it more than pays for itself: its " + costTitle + " is " + fmtQty(-cost, "$M") + " below the reference's"
			}
			s += fmt.Sprintf(" Against %s, it %s on the same %s simulated futures, %s.",
				ref.Label, change(pick.Metrics[0].Diff, title, unit), fmtCount(paths), costText)
			if net := pick.CostBenefit.NetBenefit; net.Lo <= 0 && net.Hi >= 0 {
				s += " Its net benefit is not distinguishable from zero at 95 % confidence with these paths."
			}
			if largest(st, bo, pick) {
				s += " It is the largest size studied: a larger one may do better still."
			}
		}
		return s
	}
	// Without a cost-benefit analysis: the best variant in the key metric.
	best := -1
	for i, v := range bo.Variants {
		if !v.Reference && (best < 0 || v.Rank < bo.Variants[best].Rank) {
			best = i
		}
	}
	if best < 0 {
		return on + ", there is no variant to compare with " + ref.Label + "."
	}
	v := bo.Variants[best]
	m := v.Metrics[0]
	share := ""
	if m.ShareBetter != nil {
		share = fmt.Sprintf(", and it is better on %s %% of them", tomlfile.FormatNum(round(100**m.ShareBetter, 1)))
	}
	if m.Diff.Lo <= 0 && m.Diff.Hi >= 0 {
		return fmt.Sprintf("%s, no variant changes the expected %s by more than the Monte Carlo noise of %s simulated futures: the best, %s, differs from %s by %s (95 %% CI %s).",
			on, title, fmtCount(paths), v.Label, ref.Label, fmtSigned(m.Diff.Mean, unit), fmtRange(m.Diff, unit))
	}
	if v.Rank > ref.Rank {
		return fmt.Sprintf("%s, %s does best on expected %s (%s); every variant is worse, the closest, %s, by %s (95 %% CI %s).",
			on, ref.Label, title, fmtQty(ref.Metrics[0].Mean, unit), v.Label, fmtSigned(m.Diff.Mean, unit), fmtRange(m.Diff, unit))
	}
	return fmt.Sprintf("%s, %s gives the best expected %s, %s: against %s it %s on the same %s simulated futures%s.",
		on, v.Label, title, fmtQty(m.Mean, unit), ref.Label, change(m.Diff, title, unit), fmtCount(paths), share)
}

// change says how a paired difference changes the expected metric title.
func change(d Estimate, title, unit string) string {
	switch {
	case d.Mean < 0:
		return fmt.Sprintf("cuts the expected %s by %s (95 %% CI %s to %s)", title, fmtQty(-d.Mean, unit), fmtQty(-d.Hi, unit), fmtQty(-d.Lo, unit))
	case d.Mean > 0:
		return fmt.Sprintf("raises the expected %s by %s (95 %% CI %s to %s)", title, fmtQty(d.Mean, unit), fmtQty(d.Lo, unit), fmtQty(d.Hi, unit))
	}
	return fmt.Sprintf("leaves the expected %s unchanged", title)
}

// largest reports whether v is the largest value of the study's one
// numeric sweep.
func largest(st *Study, bo *BaseOutcome, v VariantOutcome) bool {
	if len(st.Sweeps) != 1 || len(v.Levels) != 1 {
		return false
	}
	for _, w := range bo.Variants {
		if len(w.Levels) != 1 || w.Levels[0] > v.Levels[0] {
			return false
		}
	}
	return true
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// round rounds v to n significant digits.
func round(v float64, n int) float64 {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	p := math.Pow(10, float64(n)-math.Ceil(math.Log10(math.Abs(v))))
	return math.Round(v*p) / p
}

// fmtCount formats a whole number with thousands separators.
func fmtCount(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + fmtCount(-n)
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// fmtHuman formats v for sentences: three significant digits, with
// thousands separators for large values.
func fmtHuman(v float64) string {
	r := round(v, 3)
	if math.Abs(r) >= 1000 {
		return fmtCount(int(math.Round(r)))
	}
	return tomlfile.FormatNum(r)
}

// fmtQty formats a quantity with its unit, for sentences.
func fmtQty(v float64, unit string) string {
	if v < 0 {
		return "−" + fmtQty(-v, unit)
	}
	switch unit {
	case "$M":
		if round(v, 3) >= 1000 {
			return "$" + tomlfile.FormatNum(round(v/1000, 3)) + " billion"
		}
		return "$" + fmtHuman(v) + " million"
	case "$/kg":
		return "$" + fmtHuman(v) + "/kg"
	case "share", "0/1":
		return tomlfile.FormatNum(round(100*v, 3)) + " %"
	case "":
		return fmtHuman(v)
	}
	return fmtHuman(v) + " " + unit
}

// fmtSigned formats a difference with its sign.
func fmtSigned(v float64, unit string) string {
	if v > 0 {
		return "+" + fmtQty(v, unit)
	}
	if v < 0 {
		return "−" + fmtQty(-v, unit)
	}
	return fmtQty(0, unit)
}

// fmtRange formats a confidence interval.
func fmtRange(e Estimate, unit string) string {
	return fmtSigned(e.Lo, unit) + " to " + fmtSigned(e.Hi, unit)
}

// fmtUSD formats a dollar amount.
func fmtUSD(v float64) string {
	switch {
	case v >= 1e9:
		return "$" + tomlfile.FormatNum(round(v/1e9, 3)) + " billion"
	case v >= 1e6:
		return "$" + tomlfile.FormatNum(round(v/1e6, 3)) + " million"
	}
	return "$" + fmtHuman(v)
}
