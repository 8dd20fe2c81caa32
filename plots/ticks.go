package plots

import (
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
)

// yearOf returns the calendar year and month (1-12) of a position on a
// time axis, where January of year Y is at Y and each month adds 1/12.
func yearOf(x float64) (year, month int) {
	m := int(math.Round(x * 12))
	return floorDiv(m, 12), m - 12*floorDiv(m, 12) + 1
}

// monthX returns the axis position of a month.
func monthX(year, month int) float64 { return float64(year) + float64(month-1)/12 }

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// yearTicks marks calendar years: a labelled tick on each January (every
// second or fifth January on long axes) and unlabelled ticks on the
// Januaries between, or on the quarters of short axes. plot.TimeTicks,
// which ticks round numbers of seconds, is no use for this.
type yearTicks struct{}

// Ticks implements plot.Ticker.
func (yearTicks) Ticks(min, max float64) []plot.Tick {
	if !(max >= min) || math.IsInf(min, 0) || math.IsInf(max, 0) {
		return nil
	}
	first, last := int(math.Ceil(min-1e-9)), int(math.Floor(max+1e-9))
	span := last - first
	step := 1
	switch {
	case span > 40:
		step = 10
	case span > 20:
		step = 5
	case span > 12:
		step = 2
	}
	var ticks []plot.Tick
	for y := first; y <= last; y++ {
		t := plot.Tick{Value: float64(y)}
		if floorDiv(y, step)*step == y {
			t.Label = strconv.Itoa(y)
		}
		ticks = append(ticks, t)
	}
	if span <= 4 {
		// Quarters, unlabelled.
		for q := int(math.Ceil(min * 4)); float64(q) <= max*4; q++ {
			if q%4 != 0 {
				ticks = append(ticks, plot.Tick{Value: float64(q) / 4})
			}
		}
	}
	return ticks
}

// numberTicks are plot.DefaultTicks with readable labels: thousands
// separated by commas, at least three labels, and as many decimals as the
// step between labels needs.
type numberTicks struct{}

// Ticks implements plot.Ticker.
func (t numberTicks) Ticks(min, max float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(min, max)
	labelled := 0
	for _, tk := range ticks {
		if tk.Label != "" {
			labelled++
		}
	}
	if labelled < 3 {
		// Two labels ("0" and "2,500") are too few to read values by:
		// label the minor ticks too, which fall on round numbers.
		for i := range ticks {
			ticks[i].Label = "x"
		}
	}
	// The step between labelled ticks sets the number of decimals.
	var vals []float64
	for _, tk := range ticks {
		if tk.Label != "" {
			vals = append(vals, tk.Value)
		}
	}
	step := 0.0
	if len(vals) > 1 {
		step = math.Abs(vals[1] - vals[0])
	}
	for i := range ticks {
		if ticks[i].Label != "" {
			ticks[i].Label = formatStep(ticks[i].Value, step)
		}
	}
	return ticks
}

// formatStep formats v with as many decimals as a tick step needs.
func formatStep(v, step float64) string {
	// The fewest decimals that write the step exactly: 2 for 0.25, 1 for
	// 2.5, 0 for 500.
	dec := 0
	for step > 0 && dec < 6 {
		scaled := step * math.Pow(10, float64(dec))
		if math.Abs(scaled-math.Round(scaled)) < 1e-6*scaled {
			break
		}
		dec++
	}
	if math.Abs(v) < step*1e-6 {
		v = 0
	}
	return group(strconv.FormatFloat(v, 'f', dec, 64))
}

// group puts commas between the thousands of a formatted number.
func group(s string) string {
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	intPart, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i:]
	}
	if len(intPart) > 3 {
		var b strings.Builder
		for i, r := range intPart {
			if i > 0 && (len(intPart)-i)%3 == 0 {
				b.WriteByte(',')
			}
			b.WriteRune(r)
		}
		intPart = b.String()
	}
	if neg {
		intPart = "-" + intPart
	}
	return intPart + frac
}

// num formats a number for a chart: three significant digits, with
// thousands separated ("41,300", "56.2", "0.0412"). Monte Carlo results
// are seldom known better than that.
func num(v float64) string { return sig(v, 3) }

// sig formats v to digits significant digits, with thousands separated.
func sig(v float64, digits int) string {
	switch {
	case math.IsNaN(v):
		return "n/a"
	case math.IsInf(v, 0):
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v == 0:
		return "0"
	}
	e := int(math.Floor(math.Log10(math.Abs(v))))
	dec := digits - 1 - e
	if dec < 0 {
		p := math.Pow(10, float64(-dec))
		v = math.Round(v/p) * p
		dec = 0
	}
	if dec > 8 {
		dec = 8
	}
	s := strconv.FormatFloat(v, 'f', dec, 64)
	if dec > 0 {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return group(s)
}

// percent formats a probability as a percentage ("4.2%", "< 0.1%").
func percent(p float64) string {
	switch {
	case math.IsNaN(p):
		return "n/a"
	case p == 0:
		return "0%"
	case p < 0.001:
		return "< 0.1%"
	case p > 0.999 && p < 1:
		return "> 99.9%"
	}
	dec := 1
	if p >= 0.1 {
		dec = 0
	}
	return strconv.FormatFloat(100*p, 'f', dec, 64) + "%"
}
