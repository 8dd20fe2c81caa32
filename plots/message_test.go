package plots

import (
	"context"
	"golang.org/x/exp/stats"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot"

	"github.com/reesim/reesim/results"
)

func TestQty(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		unit string
		want string
	}{
		{189885.4, "t", "190,000 t"},
		{1234.5, "$/kg", "1,230 $/kg"},
		{1170, "$M", "$1.17 bn"},
		{-352.4, "$M", "−$352 M"},
		{0.412, "share", "41.2%"},
		{0.05, "0/1", "5%"},
		{6.04, "x", "6.04×"},
		{14, "months", "14 months"},
	} {
		if got := qty(tc.v, tc.unit); got != tc.want {
			t.Errorf("qty(%v, %q) = %q, want %q", tc.v, tc.unit, got, tc.want)
		}
	}
	if got := rangeText(1100, 1250, "$M"); got != "$1.1 to $1.25 bn" {
		t.Errorf("rangeText of $M = %q", got)
	}
	if got := ci(126000, 1000, "t"); got != "124,000–128,000 t" {
		t.Errorf("ci = %q", got)
	}
}

func TestFutures(t *testing.T) {
	for p, want := range map[float64]string{1: "every future", 0.9: "9 of 10 futures", 0.042: "4.2% of futures", 0: "no future", 0.001: "fewer than 1 in 100 futures"} {
		if got := futures(p); got != want {
			t.Errorf("futures(%v) = %q, want %q", p, got, want)
		}
	}
}

// TestMessage checks the sentences written for the fixture against its
// summary: the cumulative shortfall's mean and 95 % CI, and the chance
// metric's share of futures.
func TestMessage(t *testing.T) {
	dir := newRun(t, defaultFixture())
	r, err := readRun(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Only the ex-China magnet price rises: its first month's median is
	// 60 $/kg, and 9 paths in 10 peak at twice that or more.
	for i := range r.Summary.Metrics {
		if m := &r.Summary.Metrics[i]; strings.HasPrefix(m.Name, "peak_price") && m.Name != "peak_price_magnet_exchina" {
			m.P50 = 0
		}
	}
	r.fan("price_magnet_exchina").P50[0] = 60
	peak := r.Paths.Metric["peak_price_magnet_exchina"]
	for i := range peak {
		peak[i] = 130
		if i%10 == 0 {
			peak[i] = 110
		}
	}
	pm := r.metric("peak_price_magnet_exchina")
	pm.P50 = 130
	msg := messageOf(r)
	all := strings.Join(msg.Sentences, " ")
	if msg.Price != "price_magnet_exchina" {
		t.Errorf("price sentence about %q, want price_magnet_exchina", msg.Price)
	}
	for _, want := range []string{"In 9 of 10 futures the ex-China magnet price at least doubles from its January 2026 level of 60 $/kg",
		"its expected peak is " + qty(pm.Mean, "$/kg") + " (95 % CI " + ci(pm.Mean, pm.SE, "$/kg") + ")"} {
		if !strings.Contains(all, want) {
			t.Errorf("message lacks %q:\n%s", want, all)
		}
	}
	// The largest cumulative tonnage leads.
	var cum *results.Metric
	for i, m := range r.Summary.Metrics {
		if strings.HasPrefix(m.Name, "cum_") && m.Unit == "t" && (cum == nil || m.Mean > cum.Mean) {
			cum = &r.Summary.Metrics[i]
		}
	}
	if msg.Cumulative != cum.Name {
		t.Errorf("cumulative sentence about %q, want %s", msg.Cumulative, cum.Name)
	}
	for _, want := range []string{"The expected " + lowerStart(cum.Title) + " over 2026–2027 is " + qty(cum.Mean, "t"), "95 % CI " + ci(cum.Mean, cum.SE, "t"), "1 future in 20 it exceeds " + qty(cum.P95, "t")} {
		if !strings.Contains(all, want) {
			t.Errorf("message lacks %q:\n%s", want, all)
		}
	}
	unmet := r.metric("defence_unmet")
	if want := futures(unmet.Mean); !strings.Contains(all, "Defence demand unmet in some month: in "+want) {
		t.Errorf("message lacks the chance of unmet defence demand (%s):\n%s", want, all)
	}
}

// TestPageOrder checks that report.html says the message first, then the
// key charts, then the appendix, and keeps internal draws off the page.
func TestPageOrder(t *testing.T) {
	f := defaultFixture()
	dir := newRun(t, f)
	// Add an internal draw to paths.csv.
	b, err := os.ReadFile(filepath.Join(dir, "paths.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	for i := range lines {
		v := "0.5"
		if i == 0 {
			v = "facility.iluka-eneabba.cancel_draw"
		}
		path, rest, _ := strings.Cut(lines[i], ",")
		lines[i] = path + "," + v + "," + rest
	}
	if err := os.WriteFile(filepath.Join(dir, "paths.csv"), []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := render(dir); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(page)
	msg, key, appendix := strings.Index(s, `id="message"`), strings.Index(s, `id="key-charts"`), strings.Index(s, `id="appendix"`)
	if msg < 0 || key < msg || appendix < key {
		t.Errorf("report.html: message at %d, key charts at %d, appendix at %d; want them in that order", msg, key, appendix)
	}
	if n := strings.Count(s[key:appendix], "<img"); n < 3 || n > 4 {
		t.Errorf("%d key charts, want 3 or 4", n)
	}
	if first := strings.Index(s, "<figure"); first < msg {
		t.Error("a chart comes before the message")
	}
	for _, bad := range []string{"_draw", "cancellation draw"} {
		if strings.Contains(s, bad) {
			t.Errorf("report.html shows the internal draw (%q)", bad)
		}
	}
	if !strings.Contains(s, "1 internal draw is not shown") {
		t.Error("report.html does not say that it hides an internal draw")
	}
}

func TestSwing(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const n = 20000
	x, y := make([]float64, n), make([]float64, n)
	for i := range x {
		x[i] = rng.Float64()
		y[i] = 3 * x[i]
	}
	// The top fifth of a uniform averages 0.9, the bottom 0.1.
	if got := swing(x, y); math.Abs(got-2.4) > 0.02 {
		t.Errorf("swing of y = 3x over uniform x = %v, want 2.4", got)
	}
	for i := range y {
		y[i] = -y[i]
	}
	if got := swing(x, y); math.Abs(got+2.4) > 0.02 {
		t.Errorf("swing of y = -3x = %v, want -2.4", got)
	}
}

func TestIsSetting(t *testing.T) {
	for path, want := range map[string]bool{
		"market.magnet.price_cap_multiple":             true,
		"market.ndpr.cover_exchina_months":             true,
		"segment.ev.thrift_max_rate":                   true,
		"segment.ev.elasticity":                        true,
		"supply_response.mine":                         true,
		"export_control.full-embargo.licence_recovery": false,
		"export_control.full-embargo.duration_months":  false,
		"facility.mp-10x.delay_months":                 false,
		"segment.ev.growth":                            false,
		"thrift-max-rate":                              true,
	} {
		if got := isSetting(path); got != want {
			t.Errorf("isSetting(%q) = %v, want %v", path, got, want)
		}
	}
}

// TestFlatFanIsANote checks that stockpiles that never change are said in
// words, not drawn as ten years of level lines.
func TestFlatFanIsANote(t *testing.T) {
	dir := newRun(t, defaultFixture())
	r, err := readRun(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range r.Fans {
		if strings.HasPrefix(f.Series, "stockpile_") {
			for _, col := range [][]float64{f.Mean, f.P5, f.P25, f.P50, f.P75, f.P95} {
				for i := range col {
					col[i] = col[0]
				}
			}
		}
	}
	figs, notes, err := newStyle().figures(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range figs {
		if f.Name == "stockpiles" {
			t.Error("a chart of stockpiles that never change was drawn")
		}
	}
	if !strings.Contains(strings.Join(notes, " "), "No chart of government stockpiles: nothing draws on them") {
		t.Errorf("no note on the flat stockpiles: %q", notes)
	}
}

// TestHeavyTailLogAxis checks that a metric whose 99.5th percentile is
// far above its median is drawn on logarithmic axes, and a light-tailed
// one on linear axes.
func TestHeavyTailLogAxis(t *testing.T) {
	dir := newRun(t, defaultFixture())
	r, err := readRun(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	heavy := make([]float64, 2000)
	for i := range heavy {
		heavy[i] = 300 * math.Exp(1.2*rng.NormFloat64())
	}
	r.Paths.Metric["peak_price_dytb_exchina"] = heavy
	*r.metric("peak_price_dytb_exchina") = results.Metric{Name: "peak_price_dytb_exchina", Title: "Peak", Unit: "$/kg", Mean: 600, SE: 10, P95: 2000}
	s := newStyle()
	for _, tc := range []struct {
		spec distSpec
		log  bool
	}{
		{distSpec{"d", "peak_price_dytb_exchina", okOrange}, true},
		{distSpec{"c", "cum_shortfall_t", okOrange}, false},
	} {
		fig, err := s.distChart(r, tc.spec)
		if err != nil {
			t.Fatal(err)
		}
		_, isLog := fig.Panels[0].X.Scale.(plot.LogScale)
		if isLog != tc.log {
			t.Errorf("%s: log axis %v, want %v", tc.spec.Metric, isLog, tc.log)
		}
	}
}

// TestConstantMetricIsANote checks that a metric that is the same on
// every path is said in a sentence, not drawn as a chart.
func TestConstantMetricIsANote(t *testing.T) {
	dir := newRun(t, defaultFixture())
	r, err := readRun(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := r.metric("cum_shortfall_defence_t")
	m.Mean, m.SD, m.SE, m.P5, m.P25, m.P50, m.P75, m.P95 = 0, 0, 0, 0, 0, 0, 0, 0
	figs, notes, err := newStyle().figures(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range figs {
		if f.Name == "dist-cum-shortfall-defence" {
			t.Error("a distribution chart of a metric that is 0 on every path was drawn")
		}
	}
	if want := "No distribution chart of cumulative defence magnet shortfall: it is 0 t on every one of the 200 paths."; !strings.Contains(strings.Join(notes, " "), want) {
		t.Errorf("notes %q lack %q", notes, want)
	}
}

// swing returns the mean of y over the paths whose x is at or above its
// 80th percentile less the mean over those at or below its 20th.
func swing(x, y []float64) float64 {
	q := stats.Quantiles(x, 0.2, 0.8)
	return swingAt(x, y, q[0], q[1])
}
