package plots

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/reesim/reesim/sim"
)

// newRun writes fixture f into a temporary folder and returns its path.
func newRun(t *testing.T, f fixture) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), f.Scenario)
	if err := f.write(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

// pdfPages counts the pages of a PDF: its /Type /Page objects (not the
// /Type /Pages tree).
var pdfPage = regexp.MustCompile(`/Type\s*/Page\b`)

func pdfPages(t *testing.T, name string) int {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("%s is not a PDF", name)
	}
	return len(pdfPage.FindAll(b, -1))
}

// parseHTML checks that an HTML page is well formed, as far as an HTML
// parser in the standard library can tell, and returns its img elements'
// src attributes.
func parseHTML(t *testing.T, name string) (imgs []string) {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d := xml.NewDecoder(f)
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = xml.HTMLEntity
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return imgs
		}
		if err != nil {
			t.Fatalf("%s does not parse: %v", name, err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "img" {
			for _, a := range se.Attr {
				if a.Name.Local == "src" {
					imgs = append(imgs, a.Value)
				}
			}
		}
	}
}

func TestRender(t *testing.T) {
	dir := newRun(t, defaultFixture())
	if err := render(dir); err != nil {
		t.Fatal(err)
	}
	pngs, _ := filepath.Glob(filepath.Join(dir, "charts", "*.png"))
	if len(pngs) != 14 {
		t.Errorf("%d PNG charts, want 14: %v", len(pngs), pngs)
	}
	for _, name := range pngs {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		b := img.Bounds()
		if b.Dx() != 1600 || b.Dy() != 900 || b.Dx()*9 != b.Dy()*16 {
			t.Errorf("%s is %d×%d, want 1600×900 (16:9)", name, b.Dx(), b.Dy())
		}
		base := strings.TrimSuffix(name, ".png")
		svg, err := os.ReadFile(base + ".svg")
		if err != nil {
			t.Fatal(err)
		}
		d := xml.NewDecoder(bytes.NewReader(svg))
		for {
			_, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Errorf("%s.svg does not parse as XML: %v", base, err)
				break
			}
		}
		if !bytes.Contains(svg, []byte("sans-serif")) {
			t.Errorf("%s.svg names no sans-serif fallback font", base)
		}
		if n := pdfPages(t, base+".pdf"); n != 1 {
			t.Errorf("%s.pdf has %d pages, want 1", base, n)
		}
	}
	// A cover, the summary (its table of the 33 headline metrics runs on
	// to a second and a third page), then one page per chart.
	if n := pdfPages(t, filepath.Join(dir, "briefing.pdf")); n < len(pngs)+2 || n > len(pngs)+4 {
		t.Errorf("briefing.pdf has %d pages, want a cover, one to three summary pages and one per chart: %d", n, len(pngs))
	}

	html := filepath.Join(dir, "report.html")
	imgs := parseHTML(t, html)
	if len(imgs) != len(pngs) {
		t.Errorf("report.html has %d images, want %d", len(imgs), len(pngs))
	}
	for _, src := range imgs {
		if !strings.HasPrefix(src, "data:image/png;base64,") {
			t.Errorf("report.html image is not inline: %.40s", src)
		}
	}
	b, err := os.ReadFile(html)
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	for _, want := range []string{
		"<title>reesim briefing: fixture</title>",
		"Test world &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; friends",
		"Heavy ban: share blocked",
		"Iluka Eneabba: delay (months)",
		"reesim run --paths 200 --seed 7 fixture",
		"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
		"Cumulative magnet shortfall",
		"dataset.imagesOk",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	if strings.Contains(page, `<script>alert`) {
		t.Error("report.html holds the description's <script> unescaped")
	}
	if strings.Contains(page, "PARTIAL RUN") {
		t.Error("a full run's report says PARTIAL RUN")
	}
	if strings.Contains(page, "http://") || strings.Contains(page, "https://") {
		t.Error("report.html refers to the network")
	}
	// The constant input is a key assumption, but not a driver.
	if !strings.Contains(page, inK) {
		t.Errorf("report.html does not list the input %s", inK)
	}
}

func TestRenderPartial(t *testing.T) {
	f := defaultFixture()
	f.Partial = true
	dir := newRun(t, f)
	if err := render(dir); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`class="partial"`, "PARTIAL RUN: this run was interrupted after 200 of the 400 paths", "PARTIAL RUN: 200 of 400 paths"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("report.html of a partial run lacks %q", want)
		}
	}
	r, err := readRun(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	src := sourceOf(r.Manifest, r.Summary.Partial)
	if want := "Source: reesim 0.1.0 (0123456789ab), scenario fixture, 200 paths, seed 7"; src.Text != want {
		t.Errorf("source line %q, want %q", src.Text, want)
	}
	if src.Partial != "PARTIAL RUN: 200 of 400 paths" {
		t.Errorf("partial mark %q", src.Partial)
	}
}

// TestFanBandsFromTable checks that the polygons and lines of every fan
// chart are the numbers of quantiles.csv, read here independently.
func TestFanBandsFromTable(t *testing.T) {
	dir := newRun(t, defaultFixture())
	f, err := os.Open(filepath.Join(dir, "quantiles.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	// table[series][month] = mean, p5, p25, p50, p75, p95
	table := map[string]map[string][6]float64{}
	units := map[string]string{}
	for _, row := range rows[1:] {
		var v [6]float64
		for i := range v {
			v[i], err = strconv.ParseFloat(row[3+i], 64)
			if err != nil {
				t.Fatal(err)
			}
		}
		if table[row[1]] == nil {
			table[row[1]] = map[string][6]float64{}
		}
		table[row[1]][row[0]] = v
		units[row[1]] = row[2]
	}

	r, err := readRun(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	figs, _, err := newStyle().figures(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	checked := map[string]bool{}
	for _, fig := range figs {
		for _, l := range fig.fans {
			fan := l.Fan
			scale := 1.0
			if units[fan.Series] == "share" {
				scale = 100
			}
			n := len(fan.Months)
			if n != 24 {
				t.Fatalf("%s: %d months, want 24", fan.Series, n)
			}
			check := func(what string, got float64, month string, col int) {
				t.Helper()
				want := table[fan.Series][month][col] * scale
				if got != want {
					t.Errorf("%s %s, %s: chart has %v, quantiles.csv %v", fig.Name, fan.Series, what, got, want)
				}
			}
			for _, band := range []struct {
				name   string
				poly   [][2]float64
				lo, hi int
			}{
				{"p5–p95 band", ring(l.Outer.XYs[0]), 1, 5},
				{"p25–p75 band", ring(l.Inner.XYs[0]), 2, 4},
			} {
				if len(band.poly) != 2*n {
					t.Fatalf("%s: %d vertices, want %d", band.name, len(band.poly), 2*n)
				}
				for i, month := range fan.Months {
					y, m, _ := parseMonth(month)
					top, bottom := band.poly[i], band.poly[2*n-1-i]
					if top[0] != monthX(y, m) || bottom[0] != monthX(y, m) {
						t.Errorf("%s %s: month %s drawn at x=%v and %v", fan.Series, band.name, month, top[0], bottom[0])
					}
					check(band.name+" top "+month, top[1], month, band.hi)
					check(band.name+" bottom "+month, bottom[1], month, band.lo)
				}
			}
			for i, month := range fan.Months {
				check("median "+month, l.Median.XYs[i].Y, month, 3)
				check("mean "+month, l.Mean.XYs[i].Y, month, 0)
			}
			checked[fan.Series] = true
		}
	}
	for _, s := range []string{"price_ndpr_exchina", "price_ndpr_china", "price_magnet_exchina", "exchina_magnet_supply_t", "exchina_magnet_demand_t", "shortfall_t", "shortfall_defence_t", "stockpile_magnet_t", "china_share_exchina_supply"} {
		if !checked[s] {
			t.Errorf("no fan chart drew %s", s)
		}
	}
}

func ring(xy interface {
	Len() int
	XY(int) (float64, float64)
}) [][2]float64 {
	out := make([][2]float64, xy.Len())
	for i := range out {
		out[i][0], out[i][1] = xy.XY(i)
	}
	return out
}

func TestReadQuantiles(t *testing.T) {
	dir := newRun(t, defaultFixture())
	fans, err := ReadQuantiles(filepath.Join(dir, "quantiles.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(fans) != len(sim.SeriesInfo) {
		t.Fatalf("%d series, want %d", len(fans), len(sim.SeriesInfo))
	}
	f := fans[0]
	if f.Series != "price_ndpr_china" || f.Unit != "$/kg" || f.Months[0] != "2026-01" || f.Months[23] != "2027-12" {
		t.Errorf("first series %s (%s) %s…%s", f.Series, f.Unit, f.Months[0], f.Months[23])
	}
	for i := range f.X {
		if !(f.P5[i] <= f.P25[i] && f.P25[i] <= f.P50[i] && f.P50[i] <= f.P75[i] && f.P75[i] <= f.P95[i]) {
			t.Errorf("month %s: percentiles out of order", f.Months[i])
		}
	}
	if f.X[12] != 2027 {
		t.Errorf("2027-01 at x=%v, want 2027", f.X[12])
	}
}

func TestRenderErrors(t *testing.T) {
	tests := []struct {
		name   string
		break_ func(dir string) error
		want   string
	}{
		{"no summary", func(dir string) error { return os.Remove(filepath.Join(dir, "summary.json")) }, "summary.json"},
		{"bad summary", func(dir string) error { return os.WriteFile(filepath.Join(dir, "summary.json"), []byte("{"), 0o644) }, "summary.json"},
		{"no quantiles", func(dir string) error { return os.Remove(filepath.Join(dir, "quantiles.csv")) }, "quantiles.csv"},
		{"bad number", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "quantiles.csv"), []byte("month,series,unit,mean,p5,p25,p50,p75,p95\n2026-01,x,t,1,2,3,four,5,6\n"), 0o644)
		}, "quantiles.csv line 2: p50 of x is \"four\""},
		{"huge number", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "quantiles.csv"), []byte("month,series,unit,mean,p5,p25,p50,p75,p95\n2026-01,china_share_exchina_supply,share,1,2,3,1e308,5,6\n"), 0o644)
		}, "quantiles.csv line 2: p50 of china_share_exchina_supply is \"1e308\": expected at most 1e+15"},
		{"negative number", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "quantiles.csv"), []byte("month,series,unit,mean,p5,p25,p50,p75,p95\n2026-01,x,t,1,2,3,4,5,6\n2026-02,x,t,-1,2,3,4,5,6\n"), 0o644)
		}, "quantiles.csv line 3: mean of x is \"-1\": expected a number of 0 or more"},
		{"p5 above p95", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "quantiles.csv"), []byte("month,series,unit,mean,p5,p25,p50,p75,p95\n2026-01,x,t,1,7,7,7,7,6\n"), 0o644)
		}, "quantiles.csv line 2: p95 of x is \"6\", below its p75, \"7\": percentiles must not decrease"},
		{"a device for quantiles.csv", func(dir string) error {
			name := filepath.Join(dir, "quantiles.csv")
			os.Remove(name)
			return os.Symlink(os.DevNull, name)
		}, "quantiles.csv: it is a device, not a regular file"},
		{"a line without end", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "quantiles.csv"), bytes.Repeat([]byte("0"), 17<<20), 0o644)
		}, "line 1 is longer than 16777216 bytes (16 MiB)"},
		{"bad month", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "quantiles.csv"), []byte("month,series,unit,mean,p5,p25,p50,p75,p95\n2026-13,x,t,1,2,3,4,5,6\n"), 0o644)
		}, "is not a month"},
		{"missing column", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "quantiles.csv"), []byte("month,series,unit,mean,p5,p25,p50,p75\n"), 0o644)
		}, `no column "p95"`},
		{"bad path value", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "paths.csv"), []byte("path,a,cum_shortfall_t\n0,1,2\n1,x,3\n"), 0o644)
		}, `paths.csv line 3: a is "x"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := newRun(t, defaultFixture())
			if err := tc.break_(dir); err != nil {
				t.Fatal(err)
			}
			err := render(dir)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Render: %v, want an error naming %q", err, tc.want)
			}
		})
	}
}

func TestRenderWithoutManifest(t *testing.T) {
	dir := newRun(t, defaultFixture())
	if err := os.Remove(filepath.Join(dir, "manifest.json")); err != nil {
		t.Fatal(err)
	}
	if err := render(dir); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "report.html"))
	if !strings.Contains(string(b), "manifest.json was missing") {
		t.Error("report.html does not say that manifest.json was missing")
	}
}

// TestRenderStops checks that RenderWith stops when its context is done:
// before it starts, nothing is written; once a chart is drawn, no chart
// is begun after it (those being drawn are finished), and neither
// briefing.pdf nor report.html is written.
func TestRenderStops(t *testing.T) {
	dir := newRun(t, defaultFixture())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := RenderWith(ctx, dir, Options{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("RenderWith with its context done: %v, want context.Canceled", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "charts")); err == nil {
		t.Error("charts were written although the context was done")
	}

	dir = newRun(t, defaultFixture())
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	drawn, total := 0, 0
	err := RenderWith(ctx, dir, Options{Progress: func(done, n int) {
		mu.Lock()
		drawn, total = done, n
		mu.Unlock()
		cancel()
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("RenderWith stopped after its first chart: %v, want context.Canceled", err)
	}
	// A chart being drawn by each other worker when the first was done
	// is finished; none is begun after.
	if drawn == 0 || drawn > runtime.GOMAXPROCS(0) || drawn >= total {
		t.Errorf("%d of %d charts drawn after a stop at the first, want at most one per worker (%d)", drawn, total, runtime.GOMAXPROCS(0))
	}
	for _, name := range []string{"briefing.pdf", "report.html"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			t.Errorf("%s was written although the context was done", name)
		}
	}
}

func TestRenderRemovesStaleCharts(t *testing.T) {
	f := defaultFixture()
	dir := newRun(t, f)
	if err := render(dir); err != nil {
		t.Fatal(err)
	}
	f.NoStocks = true
	if err := f.write(dir); err != nil {
		t.Fatal(err)
	}
	if err := render(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "charts", "stockpiles.png")); !os.IsNotExist(err) {
		t.Error("stockpiles.png of the earlier render is still there")
	}
	b, _ := os.ReadFile(filepath.Join(dir, "report.html"))
	if !strings.Contains(string(b), "No chart of government stockpiles") {
		t.Error("report.html does not say why there is no stockpile chart")
	}
}

func TestRenderIndex(t *testing.T) {
	out := t.TempDir()
	var dirs []string
	for i, name := range []string{"baseline", "ban", "ban-partial"} {
		f := defaultFixture()
		f.Scenario = name
		f.ShiftMean = float64(i)
		f.Partial = name == "ban-partial"
		dir := filepath.Join(out, name)
		if err := f.write(dir); err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, dir)
	}
	if err := RenderIndex(out, dirs); err != nil {
		t.Fatal(err)
	}
	pngs, _ := filepath.Glob(filepath.Join(out, "charts", "compare-*.png"))
	sort.Strings(pngs)
	// The compared metrics are found by name and unit: the cumulative
	// tonnages and the ex-China price peaks.
	for _, want := range []string{"compare-cum-shortfall-t.png", "compare-cum-shortfall-defence-t.png", "compare-peak-price-magnet-exchina.png", "compare-peak-price-dytb-exchina.png"} {
		if !slices.Contains(pngs, filepath.Join(out, "charts", want)) {
			t.Errorf("no comparison chart %s among %v", want, pngs)
		}
	}
	for _, name := range pngs {
		if strings.Contains(name, "-china.png") || strings.Contains(name, "mean-") {
			t.Errorf("comparison chart %s: only ex-China peaks and cumulative tonnages are compared", name)
		}
	}
	for _, name := range pngs {
		f, _ := os.Open(name)
		cfg, err := png.DecodeConfig(f)
		f.Close()
		if err != nil || cfg.Width != 1600 || cfg.Height != 900 {
			t.Errorf("%s: %d×%d, %v", name, cfg.Width, cfg.Height, err)
		}
	}
	if n := pdfPages(t, filepath.Join(out, "comparison.pdf")); n != len(pngs) {
		t.Errorf("comparison.pdf has %d pages, want %d", n, len(pngs))
	}
	parseHTML(t, filepath.Join(out, "index.html"))
	b, _ := os.ReadFile(filepath.Join(out, "index.html"))
	for _, want := range []string{`href="baseline/report.html"`, `href="ban-partial/report.html"`, "PARTIAL RUN: ban-partial", "± "} {
		if !strings.Contains(string(b), want) {
			t.Errorf("index.html lacks %q", want)
		}
	}
	if err := RenderIndex(out, nil); err == nil {
		t.Error("RenderIndex of no folders: no error")
	}
}

// TestCompareChartData checks the comparison chart against summary.json.
func TestCompareChartData(t *testing.T) {
	out := t.TempDir()
	var runs []*summaryRun
	for i, name := range []string{"a", "b"} {
		f := defaultFixture()
		f.Scenario, f.ShiftMean = name, float64(i)
		dir := filepath.Join(out, name)
		if err := f.write(dir); err != nil {
			t.Fatal(err)
		}
		r := &summaryRun{Dir: dir}
		if err := readJSON(filepath.Join(dir, "summary.json"), &r.Summary); err != nil {
			t.Fatal(err)
		}
		runs = append(runs, r)
	}
	fig, err := newStyle().compareChart(runs, "cum_shortfall_t")
	if err != nil || fig == nil {
		t.Fatalf("compareChart: %v, %v", fig, err)
	}
	if !strings.Contains(fig.Alt, "b: mean") {
		t.Errorf("alt text %q", fig.Alt)
	}
	m := runs[1].metric("cum_shortfall_t")
	if m.Mean-runs[0].metric("cum_shortfall_t").Mean < 900 {
		t.Errorf("fixture shift not seen: %v", m.Mean)
	}
}

// Series that reesim does not write are not drawn, and the page says so.
func TestUnknownSeries(t *testing.T) {
	dir := newRun(t, defaultFixture())
	f, err := os.OpenFile(filepath.Join(dir, "quantiles.csv"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("2026-01,my_edit,t,1,1,1,1,1,1\n"); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := render(dir); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "quantiles.csv holds series that reesim does not write, which are not drawn: my_edit.") {
		t.Error("report.html does not name the unknown series")
	}
}

// render draws the charts of the results folder dir.
func render(dir string) error {
	return RenderWith(context.Background(), dir, Options{})
}
