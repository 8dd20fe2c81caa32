package plots

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/reesim/reesim/results"
)

// The message of a run is written from what summary.json, quantiles.csv
// and the sample of paths hold, never from a list of today's metrics: a
// metric is recognised by its name and unit, so that metrics added to
// the model find their way into the sentences and removed ones drop out.
//
//   - a peak price is a metric named peak_SERIES whose unit is a price
//     ($/kg) and whose SERIES is in quantiles.csv: its first month's
//     median is the level the peak is measured against;
//   - a multiple is a metric whose unit is "x": it is said as "6.2×";
//   - a cumulative quantity is a metric named cum_* in tonnes, said with
//     the run's horizon; the largest of them leads;
//   - a chance is a metric whose unit is 0/1: its mean is the share of
//     futures in which the event happens.

// message is what a run found, in words: the sentences that open its
// briefing, and the metrics and series they speak of, which choose the
// briefing's key charts.
type message struct {
	Sentences []string
	// Price is the series of the price sentence ("" without one), and
	// Cumulative the metric of the quantity sentence.
	Price, Cumulative string
}

// lowerStart lowers the first letter of a title for use inside a
// sentence, unless its first word is a proper noun or an acronym
// ("China", "NdPr", "EV"): "Cumulative magnet shortfall" becomes
// "cumulative magnet shortfall", "Ex-China magnet price" "ex-China magnet
// price", and "China NdPr oxide price" stays.
func lowerStart(s string) string {
	word, _, _ := strings.Cut(s, " ")
	if word == "" || strings.ToLower(word[:1]) == word[:1] {
		return s
	}
	if strings.ContainsAny(word[1:], "ABCDEFGHIJKLMNOPQRSTUVWXYZ") && !strings.HasPrefix(word, "Ex-") {
		return s
	}
	switch word {
	case "China", "Chinese", "Japan", "Korea", "Australia", "Canada", "Europe", "European", "Myanmar":
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// Message returns the sentences that open the briefing of the results
// folder dir, read from its files as RenderWith reads them. It stops when ctx
// is done, returning ctx.Err().
func Message(ctx context.Context, dir string, o Options) ([]string, error) {
	r, err := readRun(ctx, dir, o)
	if err != nil {
		return nil, err
	}
	return messageOf(r).Sentences, nil
}

// isPriceUnit reports whether unit is a price.
func isPriceUnit(unit string) bool { return strings.HasPrefix(unit, "$/") }

// peakSeries returns the series whose peak the metric is, when the run
// has that series.
func (r *run) peakSeries(m *results.Metric) *Fan {
	name, ok := strings.CutPrefix(m.Name, "peak_")
	if !ok {
		return nil
	}
	f := r.fan(name)
	if f == nil || len(f.P50) == 0 || f.Unit != m.Unit {
		return nil
	}
	return f
}

// futures says a share of futures in words, to follow "in": "9 of 10
// futures", "4.2% of futures", "every future", "no future".
func futures(p float64) string {
	switch {
	case p >= 0.995:
		return "every future"
	case p <= 0:
		return "no future"
	case p >= 0.95:
		return fmt.Sprintf("%s of futures", percent(p))
	case p >= 0.1:
		return fmt.Sprintf("%d of 10 futures", int(math.Round(10*p)))
	case p >= 0.01:
		return fmt.Sprintf("%s of futures", percent(p))
	}
	return "fewer than 1 in 100 futures"
}

// messageOf writes a run's message.
func messageOf(r *run) message {
	var msg message
	h := horizonYears(r)
	if s, series := priceSentence(r); s != "" {
		msg.Sentences = append(msg.Sentences, s)
		msg.Price = series
	}
	if s, metric := cumulativeSentence(r, h); s != "" {
		msg.Sentences = append(msg.Sentences, s)
		msg.Cumulative = metric
	}
	if s := chanceSentence(r); s != "" {
		msg.Sentences = append(msg.Sentences, s)
	}
	if len(msg.Sentences) == 0 {
		msg.Sentences = append(msg.Sentences, "The run reports no headline metric that a sentence can be written about; the tables in the appendix hold every number.")
	}
	return msg
}

// priceSentence speaks of the price whose peak rises most above its
// first month's level in the median future.
func priceSentence(r *run) (string, string) {
	var best *results.Metric
	var bestFan *Fan
	bestRise := 0.0
	for i := range r.Summary.Metrics {
		m := &r.Summary.Metrics[i]
		if !isPriceUnit(m.Unit) {
			continue
		}
		f := r.peakSeries(m)
		if f == nil || f.P50[0] <= 0 {
			continue
		}
		if rise := m.P50 / f.P50[0]; best == nil || rise > bestRise {
			best, bestFan, bestRise = m, f, rise
		}
	}
	if best == nil {
		return "", ""
	}
	start := bestFan.P50[0]
	what := lowerStart(seriesTitle(best))
	level := fmt.Sprintf("its %s level of %s", monthWords(bestFan.Months[0]), qty(start, best.Unit))
	var s string
	share := math.NaN()
	if v := r.Paths.Metric[best.Name]; len(v) > 0 {
		n := 0
		for _, x := range v {
			if x >= 2*start {
				n++
			}
		}
		share = float64(n) / float64(len(v))
	}
	switch {
	case share >= 0.1:
		s = fmt.Sprintf("In %s the %s at least doubles from %s", futures(share), what, level)
	case best.P95 > start*1.005:
		s = fmt.Sprintf("The %s peaks at most %s above %s in 19 of 20 futures", what, percent(best.P95/start-1), level)
	default:
		s = fmt.Sprintf("The %s stays at %s in 19 of 20 futures", what, level)
	}
	s += fmt.Sprintf("; its expected peak is %s (95 %% CI %s), and in 1 future in 20 it peaks above %s.",
		qty(best.Mean, best.Unit), ci(best.Mean, best.SE, best.Unit), qty(best.P95, best.Unit))
	return s, bestFan.Series
}

// seriesTitle names the price a peak-price metric is the peak of:
// "Peak ex-China Dy/Tb oxide price" becomes "ex-China Dy/Tb oxide price".
func seriesTitle(m *results.Metric) string {
	t := m.Title
	for _, p := range []string{"Peak ", "peak "} {
		t = strings.TrimPrefix(t, p)
	}
	return t
}

// cumulativeSentence speaks of the largest cumulative quantity in tonnes.
func cumulativeSentence(r *run, horizon string) (string, string) {
	var best *results.Metric
	for i := range r.Summary.Metrics {
		m := &r.Summary.Metrics[i]
		if !strings.HasPrefix(m.Name, "cum_") || m.Unit != "t" {
			continue
		}
		if best == nil || m.Mean > best.Mean {
			best = m
		}
	}
	if best == nil {
		return "", ""
	}
	what := lowerStart(best.Title)
	if best.Mean == 0 && best.P95 == 0 {
		return fmt.Sprintf("No future has any %s over %s.", what, horizon), best.Name
	}
	s := fmt.Sprintf("The expected %s over %s is %s (95 %% CI %s); in 1 future in 20 it exceeds %s.",
		what, horizon, qty(best.Mean, best.Unit), ci(best.Mean, best.SE, best.Unit), qty(best.P95, best.Unit))
	return s, best.Name
}

// chanceSentence speaks of the events (metrics in 0/1) that happen in
// some futures, most likely first.
func chanceSentence(r *run) string {
	var ms []*results.Metric
	for i := range r.Summary.Metrics {
		if m := &r.Summary.Metrics[i]; m.Unit == "0/1" {
			ms = append(ms, m)
		}
	}
	if len(ms) == 0 {
		return ""
	}
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].Mean > ms[j].Mean })
	var parts []string
	for _, m := range ms {
		what := lowerStart(m.Title)
		if m.Mean == 0 {
			parts = append(parts, fmt.Sprintf("%s: in no future", what))
			continue
		}
		parts = append(parts, fmt.Sprintf("%s: in %s (95 %% CI ± %s)", what, futures(m.Mean), percentSE(1.96*m.SE)))
	}
	return capital(strings.Join(parts, "; ")) + "."
}

// horizonYears says the run's horizon: "2026–2035".
func horizonYears(r *run) string {
	if h := strings.TrimPrefix(horizonText(r), ", "); h != "" {
		return h
	}
	return "the horizon"
}

// monthWords writes "2026-01" as "January 2026".
func monthWords(m string) string {
	y, mo, err := parseMonth(m)
	if err != nil {
		return m
	}
	return fmt.Sprintf("%s %d", monthNames[mo-1], y)
}

var monthNames = [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

// qty writes a quantity for people: three significant figures, thousands
// separated, and its unit ("1,320 $/kg", "126,000 t", "$1.17 bn",
// "34%").
func qty(v float64, unit string) string {
	if v < 0 && unit != "$M" {
		return "−" + qty(-v, unit)
	}
	switch unit {
	case "$M":
		if math.Abs(v) >= 1000 {
			return signedMoney(v/1000, " bn")
		}
		return signedMoney(v, " M")
	case "share", "0/1":
		return percent1(v)
	case "x":
		return num(v) + "×"
	case "", "1":
		return num(v)
	case "months":
		if v == 1 {
			return "1 month"
		}
	}
	return num(v) + " " + unit
}

// signedMoney writes an amount in US dollars: "$1.17 bn", "−$352 M".
func signedMoney(v float64, suffix string) string {
	if v < 0 {
		return "−$" + num(-v) + suffix
	}
	return "$" + num(v) + suffix
}

// percent1 writes a share as a percentage to three significant figures,
// "0.412" as "41.2%".
func percent1(v float64) string {
	if v == 0 {
		return "0%"
	}
	return num(100*v) + "%"
}

// ci writes the 95 % confidence interval of a mean: "1,250–1,390 $/kg".
func ci(mean, se float64, unit string) string {
	if se == 0 {
		return "± 0, the same on every path"
	}
	lo, hi := mean-1.96*se, mean+1.96*se
	return rangeText(lo, hi, unit)
}

// rangeText writes a range with the unit once: "1,250–1,390 $/kg",
// "$1.1–1.2 bn" (both ends of a money range in one scale).
func rangeText(lo, hi float64, unit string) string {
	switch unit {
	case "$M":
		scale, suffix := 1.0, " M"
		if math.Max(math.Abs(lo), math.Abs(hi)) >= 1000 {
			scale, suffix = 1000, " bn"
		}
		return signedMoney(lo/scale, "") + " to " + signedMoney(hi/scale, suffix)
	case "share", "0/1":
		if lo < 0 || hi < 0 {
			return strings.TrimSuffix(qty(lo, unit), "%") + " to " + qty(hi, unit)
		}
		return num(100*lo) + "–" + num(100*hi) + "%"
	}
	sep := "–"
	if lo < 0 || hi < 0 {
		sep = " to "
	}
	return strings.TrimSuffix(qty(lo, unit), " "+unit) + sep + qty(hi, unit)
}
