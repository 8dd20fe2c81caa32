package study

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Robustness is how a variant fares across the futures against the best
// variant on each: its regret on a future is its loss there less the
// smallest loss of any variant on the same future, which common random
// numbers make exact (every variant sees the same future on path i).
type Robustness struct {
	// Basis is what regret is measured in: "net_benefit_musd" (with a
	// cost-benefit analysis: the best net benefit on the future less the
	// variant's) or the key metric (the variant's value less the best).
	Basis string `json:"basis"`
	Unit  string `json:"unit"`
	// Regret statistics over the futures.
	RegretMean float64 `json:"regret_mean"`
	RegretP50  float64 `json:"regret_p50"`
	RegretP90  float64 `json:"regret_p90"`
	RegretMax  float64 `json:"regret_max"`
	// ShareBest is the share of futures on which no variant does better
	// (ties count for each).
	ShareBest float64 `json:"share_best"`
	// ShareMeeting is the share of futures on which the variant meets
	// every threshold of the study (nil when the study sets none).
	ShareMeeting *float64 `json:"share_meeting_thresholds,omitempty"`
	// Rank orders the variants by the 90th percentile of regret (1 is
	// the most robust), ties by mean regret.
	Rank int `json:"rank"`
}

// robustness fills in each variant's Robustness on base b, the robust
// ranking and the sentence that compares it with the expected-value
// ranking.
func (a *accumulator) robustness(b int, bo *BaseOutcome) {
	st := a.st
	V := len(st.Variants)
	if V == 0 || len(a.loss[b][0]) == 0 {
		return
	}
	n := len(a.loss[b][0])
	best := make([]float64, n)
	for i := range best {
		best[i] = math.Inf(1)
		for v := range V {
			best[i] = math.Min(best[i], a.loss[b][v][i])
		}
	}
	basis, unit := st.KeyMetric, unitOf(st.KeyMetric)
	if st.HasCostBenefit() {
		basis, unit = "net_benefit_musd", "$M"
	}
	regret := make([]float64, n)
	for v := range V {
		nBest := 0
		for i, l := range a.loss[b][v] {
			regret[i] = l - best[i]
			if regret[i] <= 0 {
				regret[i] = 0
				nBest++
			}
		}
		r := &Robustness{Basis: basis, Unit: unit, ShareBest: float64(nBest) / float64(n)}
		sum := 0.0
		for _, x := range regret {
			sum += x
		}
		r.RegretMean = sum / float64(n)
		slices.Sort(regret)
		r.RegretP50, r.RegretP90, r.RegretMax = typ7(regret, 0.5), typ7(regret, 0.9), regret[n-1]
		if len(st.Thresholds) > 0 {
			k := 0
			for _, ok := range a.meets[b][v] {
				if ok {
					k++
				}
			}
			share := float64(k) / float64(n)
			r.ShareMeeting = &share
		}
		bo.Variants[v].Robustness = r
	}
	idx := make([]int, V)
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(x, y int) int {
		rx, ry := bo.Variants[x].Robustness, bo.Variants[y].Robustness
		if c := cmp.Compare(rx.RegretP90, ry.RegretP90); c != 0 {
			return c
		}
		return cmp.Compare(rx.RegretMean, ry.RegretMean)
	})
	bo.RobustRanking = nil
	for r, v := range idx {
		bo.Variants[v].Robustness.Rank = r + 1
		bo.RobustRanking = append(bo.RobustRanking, bo.Variants[v].Name)
	}
	bo.Robust = robustSentence(st, bo)
}

// robustSentence compares the best variant by expected value with the
// most robust one.
func robustSentence(st *Study, bo *BaseOutcome) string {
	byName := func(name string) VariantOutcome {
		return bo.Variants[slices.IndexFunc(bo.Variants, func(v VariantOutcome) bool { return v.Name == name })]
	}
	ev, rb := byName(bo.Ranking[0]), byName(bo.RobustRanking[0])
	r := rb.Robustness
	what := "the " + titleOf(st.KeyMetric)
	if st.HasCostBenefit() {
		what = "the net benefit"
	}
	regret := func(v VariantOutcome) string { return fmtQty(v.Robustness.RegretP90, v.Robustness.Unit) }
	meet := ""
	if r.ShareMeeting != nil {
		meet = fmt.Sprintf(" It meets the study's thresholds (%s) in %s of the futures.", thresholdsText(st), fmtQty(*r.ShareMeeting, "share"))
	}
	if ev.Name == rb.Name {
		return fmt.Sprintf("The rankings by expected value and by robustness agree: %s is best on average and has the smallest regret in 9 futures out of 10 (its 90th percentile of regret in %s, against the best option on the same future, is %s); it is the best option on %s of the futures.%s",
			ev.Label, what, regret(ev), fmtQty(r.ShareBest, "share"), meet)
	}
	return fmt.Sprintf("The rankings disagree: %s is best on average, but %s is the most robust: its regret in %s against the best option on the same future stays under %s in 9 futures out of 10, against %s for %s.%s",
		ev.Label, rb.Label, what, regret(rb), regret(ev), ev.Label, meet)
}

// thresholdsText writes the study's thresholds in words.
func thresholdsText(st *Study) string {
	var parts []string
	for _, m := range sortedKeys(anyMap(st.Thresholds)) {
		op := "at most"
		if Direction(m) > 0 {
			op = "at least"
		}
		parts = append(parts, fmt.Sprintf("%s %s %s", titleOf(m), op, fmtQty(st.Thresholds[m], unitOf(m))))
	}
	return strings.Join(parts, "; ")
}

func anyMap(m map[string]float64) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// typ7 returns the type-7 quantile p of sorted x.
func typ7(x []float64, p float64) float64 {
	h := p * float64(len(x)-1)
	lo := int(math.Floor(h))
	if lo+1 >= len(x) {
		return x[len(x)-1]
	}
	return x[lo] + (h-float64(lo))*(x[lo+1]-x[lo])
}
