package plots

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"

	"github.com/reesim/reesim/internal/inputfile"
	"github.com/reesim/reesim/results"
	"github.com/reesim/reesim/sim"
)

// MaxCorrelationRows is the number of paths, from the first, whose sampled
// inputs are kept for the tornado charts and the input medians.
const MaxCorrelationRows = 200000

// Bounds on what is read from a results folder, far above what reesim
// writes, so that no file (a huge one, or a device such as /dev/zero put
// in place of one) can make reesim plot run out of memory.
const (
	maxJSONSize  = 64 << 20  // summary.json, manifest.json
	maxTableSize = 256 << 20 // quantiles.csv, observed.csv and a study's tables
	maxLine      = 16 << 20  // one line of any CSV file, paths.csv's too
	maxPathRows  = 100_000_000
)

// maxValue bounds the size of the numbers in quantiles.csv: prices,
// tonnages and shares that reesim writes are far below it, and charts of
// larger ones would overflow.
const maxValue = 1e15

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
// record between reads; the header returned is a copy. Only a regular file
// is read, no line longer than maxLine, and at most limit bytes when limit
// is above 0.
func openCSV(name string, limit int64) (*os.File, *csv.Reader, []string, error) {
	f, err := inputfile.Open(name)
	if err != nil {
		return nil, nil, nil, err
	}
	var in io.Reader = f
	if limit > 0 {
		if fi, err := f.Stat(); err == nil && fi.Size() > limit {
			f.Close()
			return nil, nil, nil, fmt.Errorf("%s: %w", name, &inputfile.TooBigError{Size: fi.Size(), Limit: limit})
		}
		in = io.LimitReader(f, limit)
	}
	r := csv.NewReader(inputfile.LineLimit(in, maxLine))
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
//
// Every number must be finite, not negative (every series reesim writes is
// a price, a quantity or a share) and at most maxValue, and a row's
// percentiles must not decrease from p5 to p95; anything else is an error
// that names the file, the line and the value.
func ReadQuantiles(name string) ([]*Fan, error) {
	f, r, head, err := openCSV(name, maxTableSize)
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
			text := rec[col[3+i]]
			v, err := strconv.ParseFloat(text, 64)
			what := fmt.Sprintf("%s line %d: %s of %s is %q", name, line, head[col[3+i]], s, text)
			switch {
			case err != nil || math.IsNaN(v) || math.IsInf(v, 0):
				return nil, fmt.Errorf("%s: expected a finite number", what)
			case v < -1e-6:
				return nil, fmt.Errorf("%s: expected a number of 0 or more (prices, quantities and shares are never negative)", what)
			case v > maxValue:
				return nil, fmt.Errorf("%s: expected at most %g, far above any price or quantity reesim writes", what, maxValue)
			}
			rw.v[i] = v
		}
		for i := 2; i < len(rw.v); i++ {
			if rw.v[i] < rw.v[i-1] {
				return nil, fmt.Errorf("%s line %d: %s of %s is %q, below its %s, %q: percentiles must not decrease from p5 to p95",
					name, line, head[col[3+i]], s, rec[col[3+i]], head[col[2+i]], rec[col[2+i]])
			}
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
func readPaths(ctx context.Context, name string, metrics, keep []string) (*pathTable, error) {
	f, r, head, err := openCSV(name, 0)
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
		if t.N%4096 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if t.N >= maxPathRows {
			return nil, fmt.Errorf("%s has more than %d rows, the most paths a run makes; is this the right file?", name, maxPathRows)
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
	// Unknown are the series in quantiles.csv that reesim does not write.
	Unknown []string
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
	b, err := inputfile.ReadFile(name, maxJSONSize)
	var big *inputfile.TooBigError
	if errors.As(err, &big) {
		return fmt.Errorf("%s: %w", name, err)
	}
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
	return readRunContext(context.Background(), dir, man)
}

// readRunContext is readRun that stops when ctx is done, returning
// ctx.Err().
func readRunContext(ctx context.Context, dir string, man *results.Manifest) (*run, error) {
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
	for _, f := range r.Fans {
		if !slices.ContainsFunc(sim.SeriesInfo[:], func(info sim.Info) bool { return info.Name == f.Series }) {
			r.Unknown = append(r.Unknown, f.Series)
		}
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
	if r.Paths, err = readPaths(ctx, filepath.Join(dir, "paths.csv"), names, keep); err != nil {
		return nil, err
	}
	return r, nil
}
