package results

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/reesim/reesim/engine"
	"github.com/reesim/reesim/scenarios"
	"github.com/reesim/reesim/sim"
	"github.com/reesim/reesim/sketch"
	"github.com/reesim/reesim/uncertain"
)

// handRun is a run of two months and two paths whose numbers are chosen
// by hand, so that every table can be worked out on paper. With two
// values in a sketch, its p5, p25 and p50 are the smaller value and its
// p75 and p95 the larger, exactly.
//
//   - Series s in month t takes s+t on path 0 and s+t+2 on path 1: a mean
//     of s+t+1.
//   - Metric 0 takes 10 and 30: a mean of 20, a standard deviation of
//     √200 and a standard error of 10; its thresholds 15 and 40 are
//     exceeded on one path and on none. Metric 1 is 5 on both paths, and
//     every other metric 0.
//   - The inputs are a fixed value, a uniform on [0, 10] and a discrete
//     distribution of months.
func handRun(t *testing.T) *engine.Result {
	t.Helper()
	const T = 2
	c := &scenarios.Compiled{
		Scenario: &scenarios.Scenario{Name: "hand"},
		Model:    &sim.Model{Months: T, StartAbs: 2026 * 12},
		Inputs: []scenarios.Input{
			{Name: "fixed", Dist: uncertain.Fixed{Value: 3}},
			{Name: "u", Dist: uncertain.Uniform{Min: 0, Max: 10}},
			{Name: "start", Dist: uncertain.Discrete{Values: []float64{2027 * 12, 2028 * 12}, Weights: []float64{1, 1}}, Month: true},
		},
	}
	r := &engine.Result{
		Compiled: c, Paths: 2, Asked: 2, Seed: 7,
		Series:       sketch.NewSet(engine.Alpha, sim.NumSeries*T),
		MetricSketch: sketch.NewSet(engine.Alpha, sim.NumMetrics),
	}
	for s := range sim.NumSeries {
		r.SeriesMean[s] = make([]float64, T)
		for m := range T {
			r.Series.At(s*T + m).Add(float64(s + m))
			r.Series.At(s*T + m).Add(float64(s + m + 2))
			r.SeriesMean[s][m] = float64(s + m + 1)
		}
	}
	for k := range sim.NumMetrics {
		var values []float64
		switch k {
		case 0:
			values = []float64{10, 30}
		case 1:
			values = []float64{5, 5}
		default:
			values = []float64{0, 0}
		}
		for _, v := range values {
			r.Metric[k].Add(v)
			r.MetricSketch.At(k).Add(v)
		}
	}
	r.Thresholds[0] = []float64{15, 40}
	r.Exceed[0] = []int{1, 0}
	return r
}

// csvRows parses CSV text.
func csvRows(t *testing.T, text string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v\n%s", err, text)
	}
	return rows
}

func TestF(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		want string
	}{
		{0, "0"},
		{math.Copysign(0, -1), "0"},
		{1.5, "1.5"},
		{0.1 + 0.2, "0.3"},
		{1234567.89, "1234568"},
		{12345678, "1.234568e+07"},
		{-2.5e-9, "-2.5e-09"},
		{math.NaN(), "NaN"},
		{math.Inf(1), "+Inf"},
	} {
		if got := FormatNumber(tt.v); got != tt.want {
			t.Errorf("FormatNumber(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestWriteQuantiles(t *testing.T) {
	var b bytes.Buffer
	if err := WriteQuantiles(&b, handRun(t)); err != nil {
		t.Fatal(err)
	}
	rows := csvRows(t, b.String())
	if !slices.Equal(rows[0], QuantileHeader) {
		t.Errorf("header %q, want %q", rows[0], QuantileHeader)
	}
	if len(rows) != 1+2*sim.NumSeries {
		t.Fatalf("%d rows, want a header and one per month and series (%d)", len(rows), 2*sim.NumSeries)
	}
	// Month by month, each series in the order of sim.SeriesInfo.
	s := sim.SeriesInfo[3]
	for _, want := range [][]string{
		{"2026-01", sim.SeriesInfo[0].Name, sim.SeriesInfo[0].Unit, "1", "0", "0", "0", "2", "2"},
		{"2026-01", s.Name, s.Unit, "4", "3", "3", "3", "5", "5"},
		{"2026-02", s.Name, s.Unit, "5", "4", "4", "4", "6", "6"},
	} {
		if !slices.ContainsFunc(rows, func(r []string) bool { return slices.Equal(r, want) }) {
			t.Errorf("no row %q", want)
		}
	}
	if got := rows[1+sim.NumSeries][0]; got != "2026-02" {
		t.Errorf("row %d is of %s, want the second month", 1+sim.NumSeries, got)
	}
}

func TestPathsWriter(t *testing.T) {
	r := handRun(t)
	var b bytes.Buffer
	pw := NewPathsWriter(&b, r.Compiled)
	metrics := make([]float64, sim.NumMetrics)
	metrics[0], metrics[1] = 1234567.89, -0.5
	if err := pw.Row(0, []float64{3, 2.5, 24324}, metrics); err != nil {
		t.Fatal(err)
	}
	metrics[0] = 1e-10
	if err := pw.Row(1, []float64{3, 10, 24336}, metrics); err != nil {
		t.Fatal(err)
	}
	if err := pw.Flush(); err != nil {
		t.Fatal(err)
	}
	rows := csvRows(t, b.String())
	// The fixed input is left out: it is the same on every path.
	want := []string{"path", "u", "start"}
	for _, info := range sim.MetricInfo {
		want = append(want, info.Name)
	}
	if !slices.Equal(rows[0], want) {
		t.Errorf("header %q, want %q", rows[0], want)
	}
	zeros := slices.Repeat([]string{"0"}, sim.NumMetrics-2)
	for i, want := range [][]string{
		append([]string{"0", "2.5", "24324", "1234568", "-0.5"}, zeros...),
		append([]string{"1", "10", "24336", "1e-10", "-0.5"}, zeros...),
	} {
		if !slices.Equal(rows[i+1], want) {
			t.Errorf("row %d %q, want %q", i+1, rows[i+1], want)
		}
	}
}

func TestSummarise(t *testing.T) {
	r := handRun(t)
	r.Partial = true
	s := Summarise(r)
	if s.Scenario != "hand" || s.Paths != 2 || s.Seed != 7 || !s.Partial || len(s.Metrics) != sim.NumMetrics {
		t.Fatalf("summary of %s, %d paths, seed %d, partial %t, %d metrics", s.Scenario, s.Paths, s.Seed, s.Partial, len(s.Metrics))
	}
	m := s.Metrics[0]
	if m.Name != sim.MetricInfo[0].Name || m.Mean != 20 || math.Abs(m.SD-math.Sqrt(200)) > 1e-12 || math.Abs(m.SE-10) > 1e-12 ||
		m.P5 != 10 || m.P50 != 10 || m.P75 != 30 || m.P95 != 30 || m.Note != "" {
		t.Errorf("metric 0: %+v", m)
	}
	wantEx := []Exceedance{{15, 0.5, math.Sqrt(0.5 * 0.5 / 2)}, {40, 0, 0}}
	if !slices.Equal(m.Exceedances, wantEx) {
		t.Errorf("exceedances %v, want %v", m.Exceedances, wantEx)
	}
	if n := s.Metrics[1].Note; n != "the same on every path (5)" {
		t.Errorf("metric 1 note %q", n)
	}
	if n := s.Metrics[2].Note; n != "0 on every path: nothing in this scenario causes it" {
		t.Errorf("metric 2 note %q", n)
	}
	// summary.json marks a partial run, and lists no exceedance as [].
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(`"partial":true`)) || !bytes.Contains(b, []byte(`"exceedances":[]`)) {
		t.Errorf("summary.json %s", b)
	}
	r.Partial = false
	if Summarise(r).Partial {
		t.Error("a complete run is marked partial")
	}
}

func TestWriteSummaryCSV(t *testing.T) {
	s := Summarise(handRun(t))
	var b bytes.Buffer
	if err := WriteSummaryCSV(&b, s); err != nil {
		t.Fatal(err)
	}
	rows := csvRows(t, b.String())
	if !slices.Equal(rows[0], SummaryHeader) || len(rows) != 1+sim.NumMetrics {
		t.Fatalf("header %q and %d rows", rows[0], len(rows))
	}
	m0, m1 := sim.MetricInfo[0], sim.MetricInfo[1]
	for i, want := range [][]string{
		{m0.Name, m0.Unit, "20", "10", "10", "10", "10", "30", "30", "P(>15)=0.5; P(>40)=0", ""},
		{m1.Name, m1.Unit, "5", "0", "5", "5", "5", "5", "5", "", "the same on every path (5)"},
	} {
		if !slices.Equal(rows[i+1], want) {
			t.Errorf("row %d %q, want %q", i+1, rows[i+1], want)
		}
	}
}

func TestWriteConvergence(t *testing.T) {
	r := handRun(t)
	// A checkpoint after the first path; the last path's is added.
	var first engine.Checkpoint
	first.Paths = 1
	first.Metric[0].Add(10)
	r.Checkpoints = []engine.Checkpoint{first}
	var b bytes.Buffer
	if err := WriteConvergence(&b, r); err != nil {
		t.Fatal(err)
	}
	rows := csvRows(t, b.String())
	if want := []string{"metric", "unit", "paths", "mean", "se", "ci95_lo", "ci95_hi"}; !slices.Equal(rows[0], want) {
		t.Errorf("header %q", rows[0])
	}
	if len(rows) != 1+2*sim.NumMetrics {
		t.Fatalf("%d rows, want two checkpoints of each metric", len(rows))
	}
	m0 := sim.MetricInfo[0]
	// One path: no standard error yet. Two: 20 ± 1.96 × 10.
	for i, want := range [][]string{
		{m0.Name, m0.Unit, "1", "10", "0", "10", "10"},
		{m0.Name, m0.Unit, "2", "20", "10", "0.4003602", "39.59964"},
	} {
		if !slices.Equal(rows[i+1], want) {
			t.Errorf("row %d %q, want %q", i+1, rows[i+1], want)
		}
	}
	// A run whose last checkpoint is its last path is not repeated.
	r.Checkpoints = []engine.Checkpoint{{Paths: 2, Metric: r.Metric}}
	b.Reset()
	if err := WriteConvergence(&b, r); err != nil {
		t.Fatal(err)
	}
	if n := len(csvRows(t, b.String())); n != 1+sim.NumMetrics {
		t.Errorf("%d rows, want one checkpoint of each metric", n)
	}
}

func TestHash(t *testing.T) {
	// The SHA-256 of "abc" (FIPS 180-2, appendix B.1).
	if got, want := Hash([]byte("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"; got != want {
		t.Errorf("Hash = %s, want %s", got, want)
	}
}

func TestParquetRoundTrip(t *testing.T) {
	r := handRun(t)
	name := filepath.Join(t.TempDir(), "paths.parquet")
	var b bytes.Buffer
	pw := NewParquetPathsWriter(&b, r.Compiled)
	metrics := make([]float64, sim.NumMetrics)
	const n = 3000 // more than a batch
	for i := range n {
		metrics[0] = float64(i) / 4
		if err := pw.Row(i, []float64{3, float64(i % 10), 24324}, metrics); err != nil {
			t.Fatal(err)
		}
	}
	if err := pw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := pw.Row(n, []float64{3, 0, 0}, metrics); err == nil {
		t.Error("a row after Flush was accepted")
	}
	if err := os.WriteFile(name, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	names, cols, err := ReadPathsParquet(name, n)
	if err != nil {
		t.Fatal(err)
	}
	// The columns are stored in the order of their names.
	if !slices.IsSorted(names) || !slices.Contains(names, "path") || !slices.Contains(names, "u") || slices.Contains(names, "fixed") || len(names) != 3+sim.NumMetrics {
		t.Fatalf("columns %q", names)
	}
	col := func(n string) []float64 { return cols[slices.Index(names, n)] }
	path, u, m0 := col("path"), col("u"), col(sim.MetricInfo[0].Name)
	if len(path) != n {
		t.Fatalf("%d rows read, want %d", len(path), n)
	}
	for _, i := range []int{0, 1, 1023, 1024, n - 1} {
		if path[i] != float64(i) || u[i] != float64(i%10) || m0[i] != float64(i)/4 {
			t.Errorf("row %d: path %v, u %v, metric %v", i, path[i], u[i], m0[i])
		}
	}
	// max limits the rows read.
	if _, cols, err := ReadPathsParquet(name, 10); err != nil || len(cols[0]) != 10 {
		t.Errorf("10 rows: %d, %v", len(cols[0]), err)
	}
}

func TestSheetName(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"Headline", "Headline"},
		{"a/b:c*d?e[f]g\\h", "a-b-c-d-e-f-g-h"},
		{strings.Repeat("é", 40), strings.Repeat("é", 31)},
	} {
		if got := sheetName(tt.in); got != tt.want {
			t.Errorf("sheetName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// The workbook reads back cell for cell, and is the same byte for byte
// each time it is written.
func TestWriteXLSX(t *testing.T) {
	r := handRun(t)
	sheets := RunSheets(r, Summarise(r))
	if len(sheets) != 2+sim.NumSeries || sheets[0].Name != "Headline" || sheets[len(sheets)-1].Name != "Inputs" {
		t.Fatalf("%d sheets, first %q, last %q", len(sheets), sheets[0].Name, sheets[len(sheets)-1].Name)
	}
	var a, b bytes.Buffer
	if err := WriteXLSX(&a, sheets); err != nil {
		t.Fatal(err)
	}
	if err := WriteXLSX(&b, sheets); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two writes of the same workbook differ")
	}
	if !bytes.Contains(a.Bytes()[:100], []byte("[Content_Types].xml")) {
		t.Error("[Content_Types].xml is not the first entry")
	}
	f, err := excelize.OpenReader(bytes.NewReader(a.Bytes()), excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cells := func(sheet string) [][]string {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	// The headline sheet is summary.csv's table, numbers as numbers, and
	// the metric's title.
	head := cells("Headline")
	m0 := sim.MetricInfo[0]
	if want := []string{m0.Name, m0.Unit, "20", "10", "10", "10", "10", "30", "30", "P(>15)=0.5; P(>40)=0", "", m0.Title}; !slices.Equal(head[1], want) {
		t.Errorf("headline row %q, want %q", head[1], want)
	}
	series := cells(sim.SeriesInfo[0].Name)
	if want := []string{"month", "mean (" + sim.SeriesInfo[0].Unit + ")"}; !slices.Equal(series[0][:2], want) {
		t.Errorf("series header %q", series[0])
	}
	if want := []string{"2026-02", "2", "1", "1", "1", "3", "3"}; !slices.Equal(series[2], want) {
		t.Errorf("series row %q, want %q", series[2], want)
	}
	inputs := cells("Inputs")
	if len(inputs) != 3 || inputs[1][0] != "u" || inputs[1][1] != "uniform" || inputs[1][3] != "5" || inputs[2][0] != "start" || inputs[2][1] != "discrete" {
		t.Errorf("inputs %q: want the two sampled ones", inputs)
	}
}

// Files written through a Dir, in subfolders too, are in place after
// Commit; a clash says where the results went.
func TestDirWriteJSONAndClash(t *testing.T) {
	final := filepath.Join(t.TempDir(), "run")
	d, err := Create(final, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.MkdirAll("charts/a"); err != nil {
		t.Fatal(err)
	}
	if err := d.WriteJSON("charts/a/summary.json", Summary{Scenario: "hand", Paths: 2, Partial: true}); err != nil {
		t.Fatal(err)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	var s Summary
	if err := json.Unmarshal([]byte(read(t, filepath.Join(final, "charts", "a", "summary.json"))), &s); err != nil || s.Scenario != "hand" || !s.Partial {
		t.Errorf("summary.json read back as %+v, %v", s, err)
	}
	if got := read(t, filepath.Join(final, "charts", "a", "summary.json")); !strings.Contains(got, "\n  \"scenario\": \"hand\",\n") {
		t.Errorf("summary.json is not indented: %s", got)
	}
	e := &ClashError{Final: final, Kept: final + "~2"}
	if msg := e.Error(); !strings.Contains(msg, final+" appeared") || !strings.Contains(msg, "are in "+final+"~2") {
		t.Errorf("ClashError: %s", msg)
	}
}

// Folders that do not exist, or that this user can write in, can be
// replaced.
func TestCheckReplaceableWritable(t *testing.T) {
	out := t.TempDir()
	if err := CheckReplaceable(filepath.Join(out, "none")); err != nil {
		t.Errorf("no folder: %v", err)
	}
	if err := os.MkdirAll(filepath.Join(out, "run", "charts"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "run", "charts", "a.png"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := CheckReplaceable(filepath.Join(out, "run")); err != nil {
		t.Errorf("a folder of ours: %v", err)
	}
	if err := CheckReplaceable(filepath.Join(out, "run", "charts", "a.png")); err != nil {
		t.Errorf("a file: %v", err)
	}
}

// A file whose writing fails says which file, and why.
func TestDirWriteFileFails(t *testing.T) {
	d, err := Create(filepath.Join(t.TempDir(), "run"), false)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Abort()
	cause := errors.New("disk on fire")
	err = d.WriteFile("quantiles.csv", func(w io.Writer) error { return cause })
	if !errors.Is(err, cause) || !strings.Contains(err.Error(), "writing quantiles.csv") {
		t.Errorf("WriteFile: %v", err)
	}
}
