package plots

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"github.com/reesim/reesim/results"
)

// MaxCorrelationRows is the number of paths, from the first, whose sampled
// inputs are kept for the tornado charts and the input medians.
const MaxCorrelationRows = 200000

// Fan is one series' monthly mean and percentiles as written in
// quantiles.csv. Every slice has one element per month, in calendar order.
type Fan struct {
	Series, Unit string
	// Months are the months as written ("2027-01").
	Months []string
	// X are the months' positions on a chart's time axis: January of
	// year Y is at Y, and each month adds 1/12.
	X                            []float64
	Mean, P5, P25, P50, P75, P95 []float64
}

// openCSV opens a CSV file and reads its header. The reader reuses its
// record between reads; the header returned is a copy.
func openCSV(name string) (*os.File, *csv.Reader, []string, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, nil, err
	}
	r := csv.NewReader(f)
	r.ReuseRecord = true
	head, err := r.Read()
	if err != nil {
		f.Close()
		return nil, nil, nil, fmt.Errorf("%s: cannot read the header: %w", name, err)
	}
	return f, r, append([]string(nil), head...), nil
}

// ReadQuantiles reads a quantiles.csv file: one Fan per series, in the
// order the series first appear.
func ReadQuantiles(name string) ([]*Fan, error) {
	f, r, head, err := openCSV(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	col, err := columns(name, head, "month", "series", "unit", "mean", "p5", "p25", "p50", "p75", "p95")
	if err != nil {
		return nil, err
	}
	type row struct {
		x   float64
		mon string
		v   [6]float64
	}
	bySeries := map[string][]row{}
	units := map[string]string{}
	var order []string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		line, _ := r.FieldPos(0)
		y, m, err := parseMonth(rec[col[0]])
		if err != nil {
			return nil, fmt.Errorf("%s line %d: month: %w", name, line, err)
		}
		s := rec[col[1]]
		if _, ok := bySeries[s]; !ok {
			order = append(order, s)
			units[s] = rec[col[2]]
		}
		rw := row{x: monthX(y, m), mon: rec[col[0]]}
		for i := range rw.v {
			v, err := strconv.ParseFloat(rec[col[3+i]], 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("%s line %d: %s of %s is %q: expected a finite number", name, line, head[col[3+i]], s, rec[col[3+i]])
			}
			rw.v[i] = v
		}
		bySeries[s] = append(bySeries[s], rw)
	}
	if len(order) == 0 {
		return nil, fmt.Errorf("%s holds no rows", name)
	}
	fans := make([]*Fan, 0, len(order))
	for _, s := range order {
		rows := bySeries[s]
		sort.SliceStable(rows, func(i, j int) bool { return rows[i].x < rows[j].x })
		f := &Fan{Series: s, Unit: units[s]}
		for _, rw := range rows {
			f.Months = append(f.Months, rw.mon)
			f.X = append(f.X, rw.x)
			f.Mean = append(f.Mean, rw.v[0])
			f.P5 = append(f.P5, rw.v[1])
			f.P25 = append(f.P25, rw.v[2])
			f.P50 = append(f.P50, rw.v[3])
			f.P75 = append(f.P75, rw.v[4])
			f.P95 = append(f.P95, rw.v[5])
		}
		fans = append(fans, f)
	}
	return fans, nil
}

// parseMonth parses "YYYY-MM".
func parseMonth(s string) (year, month int, err error) {
	if len(s) != 7 || s[4] != '-' {
		return 0, 0, fmt.Errorf("%q is not a month: expected YYYY-MM", s)
	}
	year, err1 := strconv.Atoi(s[:4])
	month, err2 := strconv.Atoi(s[5:])
	if err1 != nil || err2 != nil || month < 1 || month > 12 {
		return 0, 0, fmt.Errorf("%q is not a month: expected YYYY-MM", s)
	}
	return year, month, nil
}

// columns finds the named columns in a header.
func columns(file string, head []string, names ...string) ([]int, error) {
	idx := make([]int, len(names))
	for i, n := range names {
		idx[i] = -1
		for j, h := range head {
			if h == n {
				idx[i] = j
				break
			}
		}
		if idx[i] < 0 {
			return nil, fmt.Errorf("%s: no column %q in the header", file, n)
		}
	}
	return idx, nil
}

// pathTable holds the columns of paths.csv that the charts use.
type pathTable struct {
	// N is the number of paths.
	N int
	// Inputs are the sampled inputs' names, in file order.
	Inputs []string
	// In holds each input's values for the first MaxCorrelationRows paths.
	In map[string][]float64
	// Min and Max are each input's extremes over all paths.
	Min, Max map[string]float64
	// Metric holds the value of each headline metric that a chart shows
	// on every path.
	Metric map[string][]float64
}

// readPaths reads paths.csv. Columns named in metrics are headline
// metrics, of which those in keep are kept; the other columns, except
// path, are sampled inputs.
func readPaths(name string, metrics, keep []string) (*pathTable, error) {
	f, r, head, err := openCSV(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	isMetric := map[string]bool{}
	for _, m := range metrics {
		isMetric[m] = true
	}
	t := &pathTable{In: map[string][]float64{}, Min: map[string]float64{}, Max: map[string]float64{}, Metric: map[string][]float64{}}
	kept := map[string]bool{}
	for _, m := range keep {
		kept[m] = true
	}
	kind := make([]int, len(head)) // 0 skip, 1 input, 2 metric
	names := append([]string(nil), head...)
	for j, h := range names {
		switch {
		case h == "path":
		case isMetric[h]:
			if kept[h] {
				kind[j] = 2
			}
		default:
			kind[j] = 1
			t.Inputs = append(t.Inputs, h)
			t.Min[h], t.Max[h] = math.Inf(1), math.Inf(-1)
		}
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		for j, s := range rec {
			if kind[j] == 0 {
				continue
			}
			v, err := strconv.ParseFloat(s, 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				line, _ := r.FieldPos(j)
				return nil, fmt.Errorf("%s line %d: %s is %q: expected a finite number", name, line, names[j], s)
			}
			h := names[j]
			if kind[j] == 2 {
				t.Metric[h] = append(t.Metric[h], v)
				continue
			}
			t.Min[h] = math.Min(t.Min[h], v)
			t.Max[h] = math.Max(t.Max[h], v)
			if t.N < MaxCorrelationRows {
				t.In[h] = append(t.In[h], v)
			}
		}
		t.N++
	}
	return t, nil
}

// run is a results folder as read from its files.
type run struct {
	Dir      string
	Manifest results.Manifest
	Summary  results.Summary
	Fans     []*Fan
	Paths    *pathTable
	// HasManifest is false when manifest.json was missing and the
	// manifest was pieced together from summary.json.
	HasManifest bool
	// Observed holds observed series (observed.csv), if any.
	Observed map[string][]Observation
}

// fan returns the named series, or nil.
func (r *run) fan(series string) *Fan {
	for _, f := range r.Fans {
		if f.Series == series {
			return f
		}
	}
	return nil
}

// metric returns the summary of the named metric, or nil.
func (r *run) metric(name string) *results.Metric {
	for i := range r.Summary.Metrics {
		if r.Summary.Metrics[i].Name == name {
			return &r.Summary.Metrics[i]
		}
	}
	return nil
}

// readJSON decodes a JSON file into v.
func readJSON(name string, v any) error {
	b, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// readRun reads a results folder. man, when not nil, is used in place of
// manifest.json.
func readRun(dir string, man *results.Manifest) (*run, error) {
	r := &run{Dir: dir}
	if err := readJSON(filepath.Join(dir, "summary.json"), &r.Summary); err != nil {
		return nil, fmt.Errorf("results folder %s: %w", dir, err)
	}
	switch {
	case man != nil:
		r.Manifest, r.HasManifest = *man, true
	default:
		err := readJSON(filepath.Join(dir, "manifest.json"), &r.Manifest)
		switch {
		case err == nil:
			r.HasManifest = true
		case errors.Is(err, os.ErrNotExist):
			s := r.Summary
			r.Manifest = results.Manifest{Scenario: s.Scenario, Seed: s.Seed, Paths: s.Paths, PathsAsked: s.Paths, Partial: s.Partial,
				Version: "unknown", Commit: "unknown"}
		default:
			return nil, fmt.Errorf("results folder %s: %w", dir, err)
		}
	}
	var err error
	if r.Fans, err = ReadQuantiles(filepath.Join(dir, "quantiles.csv")); err != nil {
		return nil, err
	}
	if r.Observed, err = ReadObserved(filepath.Join(dir, "observed.csv")); err != nil {
		return nil, err
	}
	var names []string
	for _, m := range r.Summary.Metrics {
		names = append(names, m.Name)
	}
	var keep []string
	for _, d := range distSpecs() {
		keep = append(keep, d.Metric)
	}
	for _, t := range tornadoSpecs() {
		keep = append(keep, t.Metric)
	}
	if r.Paths, err = readPaths(filepath.Join(dir, "paths.csv"), names, keep); err != nil {
		return nil, err
	}
	return r, nil
}
