package plots

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

func TestYearTicks(t *testing.T) {
	tests := []struct {
		min, max  float64
		labels    []string
		labelStep int
	}{
		{monthX(2026, 1), monthX(2035, 12), []string{"2026", "2027", "2028", "2029", "2030", "2031", "2032", "2033", "2034", "2035"}, 1},
		{monthX(2026, 4), monthX(2028, 3), []string{"2027", "2028"}, 1},
		{monthX(2025, 7), monthX(2045, 6), nil, 2},
		{monthX(2020, 1), monthX(2070, 1), nil, 10},
	}
	for _, tc := range tests {
		ticks := yearTicks{}.Ticks(tc.min, tc.max)
		var labels []string
		for _, tk := range ticks {
			if tk.Value < tc.min-1e-9 || tk.Value > tc.max+1e-9 {
				t.Errorf("[%v, %v]: tick at %v outside the axis", tc.min, tc.max, tk.Value)
			}
			if tk.Label == "" {
				continue
			}
			y, m := yearOf(tk.Value)
			if m != 1 || tk.Value != float64(y) {
				t.Errorf("[%v, %v]: labelled tick %q at %v is month %d of %d, not January", tc.min, tc.max, tk.Label, tk.Value, m, y)
			}
			if y%tc.labelStep != 0 {
				t.Errorf("[%v, %v]: label %q not on a multiple of %d", tc.min, tc.max, tk.Label, tc.labelStep)
			}
			labels = append(labels, tk.Label)
		}
		if tc.labels != nil && !equal(labels, tc.labels) {
			t.Errorf("[%v, %v]: labels %v, want %v", tc.min, tc.max, labels, tc.labels)
		}
		// Every January in range has a tick, labelled or not.
		for y := int(math.Ceil(tc.min)); float64(y) <= tc.max; y++ {
			found := false
			for _, tk := range ticks {
				found = found || tk.Value == float64(y)
			}
			if !found {
				t.Errorf("[%v, %v]: no tick on January %d", tc.min, tc.max, y)
			}
		}
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestMonthPositions(t *testing.T) {
	for _, tc := range []struct {
		s           string
		year, month int
	}{
		{"2026-01", 2026, 1}, {"2027-12", 2027, 12}, {"1999-07", 1999, 7},
	} {
		y, m, err := parseMonth(tc.s)
		if err != nil || y != tc.year || m != tc.month {
			t.Errorf("parseMonth(%q) = %d, %d, %v", tc.s, y, m, err)
		}
		gy, gm := yearOf(monthX(y, m))
		if gy != y || gm != m {
			t.Errorf("yearOf(monthX(%d, %d)) = %d, %d", y, m, gy, gm)
		}
		if got := monthLabel(float64(y*12 + m - 1)); got != tc.s {
			t.Errorf("monthLabel = %q, want %q", got, tc.s)
		}
	}
	for _, bad := range []string{"2026-13", "2026-00", "26-01", "2026/01", ""} {
		if _, _, err := parseMonth(bad); err == nil {
			t.Errorf("parseMonth(%q): no error", bad)
		}
	}
}

func TestNumberFormats(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{num(26281.4), "26,300"},
		{num(1234), "1,230"},
		{num(999.6), "1,000"},
		{num(630.2), "630"},
		{num(56.24), "56.2"},
		{num(0.04123), "0.0412"},
		{num(-51796), "-51,800"},
		{num(0), "0"},
		{num(math.NaN()), "n/a"},
		{sig(26281.4, 4), "26,280"},
		{group("1234567.5"), "1,234,567.5"},
		{group("-1000"), "-1,000"},
		{group("999"), "999"},
		{formatStep(2500, 500), "2,500"},
		{formatStep(0.25, 0.05), "0.25"},
		{formatStep(2.5, 2.5), "2.5"},
		{formatStep(5, 2.5), "5.0"},
		{formatStep(0.3, 0.1), "0.3"},
		{formatStep(0.30000000000000004, 0.1), "0.3"},
		{formatStep(1e-17, 0.5), "0.0"},
		{percent(0.4213), "42%"},
		{percent(0.0123), "1.2%"},
		{percent(0.0004), "< 0.1%"},
		{percent(0), "0%"},
		{percentSE(0.00778), "0.8%"},
		{signed(-0.184, 2), "−0.18"},
		{signed(0.001, 2), "0.00"},
		{signed(-0.001, 2), "0.00"},
		{signed(0.5, 1), "+0.5"},
	}
	for i, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%d: got %q, want %q", i, tc.got, tc.want)
		}
	}
}

func TestNumberTicks(t *testing.T) {
	for _, tc := range []struct{ min, max float64 }{{0, 5000}, {0, 0.9}, {0, 123456}, {-3, 3}, {0, 2700}, {0, 108}} {
		labels := 0
		for _, tk := range (numberTicks{}).Ticks(tc.min, tc.max) {
			if tk.Label == "" {
				continue
			}
			labels++
			if tk.Value >= 1000 && !containsRune(tk.Label, ',') {
				t.Errorf("[%v, %v]: label %q for %v has no thousands separator", tc.min, tc.max, tk.Label, tk.Value)
			}
			if v, err := strconv.ParseFloat(strings.ReplaceAll(tk.Label, ",", ""), 64); err != nil || math.Abs(v-tk.Value) > 1e-9*math.Max(1, math.Abs(v)) {
				t.Errorf("[%v, %v]: label %q for %v", tc.min, tc.max, tk.Label, tk.Value)
			}
		}
		if labels < 3 {
			t.Errorf("[%v, %v]: %d labelled ticks, want at least 3", tc.min, tc.max, labels)
		}
	}
}

func containsRune(s string, r rune) bool {
	for _, c := range s {
		if c == r {
			return true
		}
	}
	return false
}
