package plots

import (
	"context"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/plot"
)

func TestHistogram(t *testing.T) {
	tests := []struct {
		v    []float64
		bins int
		want []float64 // percent per bin
	}{
		{[]float64{0, 1, 2, 3}, 2, []float64{50, 50}},
		{[]float64{0, 0, 0, 10}, 5, []float64{75, 0, 0, 0, 25}},
		{[]float64{1, 2, 2, 4}, 3, []float64{25, 50, 25}},
		{[]float64{7, 7}, 4, []float64{100}},
	}
	for _, tc := range tests {
		got := histogram(tc.v, tc.bins)
		if len(got) != len(tc.want) {
			t.Errorf("histogram(%v, %d): %d bins, want %d", tc.v, tc.bins, len(got), len(tc.want))
			continue
		}
		total := 0.0
		for i, b := range got {
			if math.Abs(b.Y1-tc.want[i]) > 1e-9 {
				t.Errorf("histogram(%v, %d) bin %d: %v%%, want %v%%", tc.v, tc.bins, i, b.Y1, tc.want[i])
			}
			total += b.Y1
		}
		if math.Abs(total-100) > 1e-9 {
			t.Errorf("histogram(%v): bins add up to %v%%", tc.v, total)
		}
	}
}

func TestExceedance(t *testing.T) {
	v := []float64{0, 0, 0, 1, 2, 3, 4, 5, 6, 10} // sorted
	xy := exceedance(v, 11, 10)
	if xy[0].X != 0 || xy[0].Y != 100 {
		t.Errorf("curve starts at %v, want (0, 100)", xy[0])
	}
	for _, p := range xy[1:] {
		n := 0
		for _, x := range v {
			if x > p.X {
				n++
			}
		}
		if want := 10.0 * float64(n); math.Abs(p.Y-want) > 1e-9 {
			t.Errorf("P(X > %v) = %v%%, want %v%%", p.X, p.Y, want)
		}
	}
	if last := xy[len(xy)-1]; last.X != 10 || last.Y != 0 {
		t.Errorf("curve ends at %v, want (10, 0)", last)
	}
}

func TestQuantileSorted(t *testing.T) {
	v := []float64{1, 2, 3, 4, 5}
	for _, tc := range []struct{ p, want float64 }{{0, 1}, {0.5, 3}, {0.95, 4.8}, {1, 5}, {0.25, 2}} {
		if got := quantileSorted(v, tc.p); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("quantile %v = %v, want %v", tc.p, got, tc.want)
		}
	}
}

// TestDistChartSpike checks that paths at exactly zero are not binned
// with small positive values.
func TestDistChartSpike(t *testing.T) {
	dir := newRun(t, defaultFixture())
	r, err := readRun(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	fig, err := newStyle().distChart(r, distSpecs()[1]) // defence: mostly zero
	if err != nil || fig == nil {
		t.Fatalf("distChart: %v, %v", fig, err)
	}
	if got := fig.Panels[0].Title.Text; got != "How often each value above zero occurs" {
		t.Errorf("histogram title %q", got)
	}
}

// TestDistChartTail checks that a far outlier does not stretch the axis.
func TestDistChartTail(t *testing.T) {
	dir := newRun(t, defaultFixture())
	r, err := readRun(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	v := r.Paths.Metric["peak_price_magnet_exchina"]
	v[0] = 1e6
	fig, err := newStyle().distChart(r, distSpecs()[2])
	if err != nil || fig == nil {
		t.Fatalf("distChart: %v, %v", fig, err)
	}
	if max := fig.Panels[0].X.Max; max > 1000 {
		t.Errorf("histogram axis runs to %v", max)
	}
	if !strings.Contains(fig.Note, "1 path lies beyond, up to 1,000,000") {
		t.Errorf("note %q does not tell of the cut", fig.Note)
	}
}

func TestDistChartConstant(t *testing.T) {
	dir := newRun(t, defaultFixture())
	r, err := readRun(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	v := r.Paths.Metric["cum_shortfall_defence_t"]
	for i := range v {
		v[i] = 0
	}
	fig, err := newStyle().distChart(r, distSpecs()[1])
	if err != nil || fig == nil {
		t.Fatalf("distChart: %v, %v", fig, err)
	}
	if len(fig.Panels) != 1 || !strings.Contains(fig.Alt, "0 t on every one of the 200 paths") {
		t.Errorf("%d panels, alt %q", len(fig.Panels), fig.Alt)
	}
	if _, err := newStyle().png(fig, source{Text: "Source: test"}); err != nil {
		t.Error(err)
	}
}

// TestDistChartRareTail checks a metric that fewer than 1 path in 20 has
// at all, with a long tail (defence shortfall in defence-stress): drawn on
// a log axis, its p95 of 0 has no place there and is not marked, and the
// title gives the share of futures that have any.
func TestDistChartRareTail(t *testing.T) {
	dir := newRun(t, defaultFixture())
	r, err := readRun(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	v := r.Paths.Metric["cum_shortfall_defence_t"]
	for i := range v {
		v[i] = 0
	}
	copy(v, []float64{1, 2, 5, 40, 300, 1000}) // 6 of 200 paths
	sm := r.metric("cum_shortfall_defence_t")
	sm.Mean, sm.P95 = 6.74, 0
	fig, err := newStyle().distChart(r, distSpecs()[1])
	if err != nil || fig == nil {
		t.Fatalf("distChart: %v, %v", fig, err)
	}
	if _, isLog := fig.Panels[0].X.Scale.(plot.LogScale); !isLog {
		t.Error("the long tail is not drawn on a log axis")
	}
	if want := "Only 3.0% of futures have any cumulative defence magnet shortfall"; fig.Title != want {
		t.Errorf("title %q, want %q", fig.Title, want)
	}
	if _, err := newStyle().png(fig, source{Text: "Source: test"}); err != nil {
		t.Error(err)
	}
}

// png draws f as PNG, as pngInto does on an image of its own.
func (s *style) png(f *figure, src source) ([]byte, error) {
	return s.pngInto(f, src, nil)
}
