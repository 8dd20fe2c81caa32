package plots

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/reesim/reesim/internal/tomlfile"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/reesim/reesim/internal/inputfile"
	"github.com/reesim/reesim/results"
	"github.com/reesim/reesim/sim"
)

// MaxSample is the number of paths, from the first, that the charts
// read from paths.csv: the histograms, exceedance curves, tornado charts
// and input ranges are drawn from them, so that drawing takes the same
// time and memory whatever the number of paths. Paths are independent
// draws, so the first MaxSample are a random sample of the run; means,
// percentiles and exceedance probabilities come from summary.json and
// quantiles.csv, which cover every path.
const MaxSample = 5000

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

// PathSample is a bounded sample of a run's paths: the sampled inputs and
// headline metrics of its first paths, as paths.csv holds them. reesim
// run fills one while it simulates and hands it to RenderWith, so that the
// charts need not read paths.csv back.
type PathSample struct {
	// Inputs and Metrics name the columns, in paths.csv's order.
	Inputs, Metrics []string
	// In[j] and Metric[k] hold the values of input j and metric k, one
	// per path, path 0 first.
	In, Metric [][]float64
	// Max is the most paths the sample keeps.
	Max int
}

// NewPathSample returns an empty sample of at most max paths with the
// given columns.
func NewPathSample(inputs, metrics []string, max int) *PathSample {
	return &PathSample{Inputs: inputs, Metrics: metrics, In: make([][]float64, len(inputs)), Metric: make([][]float64, len(metrics)), Max: max}
}

// Reserve makes room for n more paths (up to Max in all) at once, so
// that the columns do not grow by doubling.
func (s *PathSample) Reserve(n int) {
	n = min(s.Len()+n, s.Max) - s.Len()
	if n <= 0 {
		return
	}
	for j := range s.In {
		s.In[j] = slices.Grow(s.In[j], n)
	}
	for k := range s.Metric {
		s.Metric[k] = slices.Grow(s.Metric[k], n)
	}
}

// Len returns the number of paths in the sample.
func (s *PathSample) Len() int {
	if len(s.Metric) > 0 {
		return len(s.Metric[0])
	}
	if len(s.In) > 0 {
		return len(s.In[0])
	}
	return 0
}

// Add adds a path's inputs (one per Inputs) and metrics (one per
// Metrics), unless the sample is full. Paths must come in path order.
func (s *PathSample) Add(inputs, metrics []float64) {
	if s.Len() >= s.Max {
		return
	}
	for j, v := range inputs {
		s.In[j] = append(s.In[j], v)
	}
	for k, v := range metrics {
		s.Metric[k] = append(s.Metric[k], v)
	}
}

// pathTable holds the sample of paths the charts use, by column name.
type pathTable struct {
	// N is the number of paths in the sample.
	N int
	// Inputs are the sampled inputs' names, in file order.
	Inputs []string
	// In holds each input's values.
	In map[string][]float64
	// Min and Max are each input's extremes over the sample.
	Min, Max map[string]float64
	// Metric holds each headline metric's values.
	Metric map[string][]float64
}

// table returns the sample by column name.
func (s *PathSample) table() *pathTable {
	t := &pathTable{N: s.Len(), Inputs: s.Inputs, In: map[string][]float64{}, Min: map[string]float64{}, Max: map[string]float64{}, Metric: map[string][]float64{}}
	for j, name := range s.Inputs {
		v := s.In[j]
		t.In[name] = v
		t.Min[name], t.Max[name] = math.Inf(1), math.Inf(-1)
		for _, x := range v {
			t.Min[name] = math.Min(t.Min[name], x)
			t.Max[name] = math.Max(t.Max[name], x)
		}
	}
	for k, name := range s.Metrics {
		t.Metric[name] = s.Metric[k]
	}
	return t
}

// ReadPathSample reads the first max rows of paths.csv. Columns named in
// metrics are headline metrics; the other columns, except path, are
// sampled inputs.
func ReadPathSample(name string, metrics []string, max int) (*PathSample, error) {
	return readPathSample(context.Background(), name, metrics, max)
}

// readPathSample is ReadPathSample that stops when ctx is done, returning
// ctx.Err(). Only a regular file is read, and no line longer than maxLine.
func readPathSample(ctx context.Context, name string, metrics []string, max int) (*PathSample, error) {
	f, r, head, err := openCSV(name, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	isMetric := map[string]bool{}
	for _, m := range metrics {
		isMetric[m] = true
	}
	var ins, ms []string
	kind := make([]int, len(head)) // 0 skip, 1 input, 2 metric
	col := make([]int, len(head))
	for j, h := range head {
		switch {
		case h == "path":
		case isMetric[h]:
			kind[j], col[j] = 2, len(ms)
			ms = append(ms, h)
		default:
			kind[j], col[j] = 1, len(ins)
			ins = append(ins, h)
		}
	}
	s := NewPathSample(ins, ms, max)
	for s.Len() < max {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if s.Len()%4096 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		for j, v := range rec {
			if kind[j] == 0 {
				continue
			}
			x, err := strconv.ParseFloat(v, 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				line, _ := r.FieldPos(j)
				return nil, fmt.Errorf("%s line %d: %s is %q: expected a finite number", name, line, head[j], v)
			}
			if kind[j] == 1 {
				s.In[col[j]] = append(s.In[col[j]], x)
			} else {
				s.Metric[col[j]] = append(s.Metric[col[j]], x)
			}
		}
	}
	return s, nil
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
	// keys maps a named input to the first key path that uses it, from
	// scenario.resolved.toml.
	keys map[string]string
	// uses counts the keys that use each named input.
	uses map[string]int
	// ranks holds the sampled inputs' ranks for the drivers charts.
	ranks rankCache
}

// keyPath returns the key path of an input: the first key that uses a
// named input such as "embargo-duration", or the input's own name when it
// is a key path already (or the resolved scenario is not at hand).
func (r *run) keyPath(input string) string {
	if p, ok := r.keys[strings.TrimRight(input, "'")]; ok {
		return p
	}
	return input
}

// label names an input in words: by its key path when one key uses it
// ("embargo-duration" is "Full embargo: duration (months)"), by the name
// the scenario gave it when several keys share it ("growth-ev", the
// growth of every EV segment, is "Growth EV (6 keys)").
func (r *run) label(input string) string {
	if n := r.uses[strings.TrimRight(input, "'")]; n > 1 {
		return inputLabel(input) + fmt.Sprintf(" (%d keys)", n)
	}
	return inputLabel(r.keyPath(input))
}

// inputKeys reads scenario.resolved.toml and maps each named input to the
// first key path that uses it. A missing or unreadable file gives no map:
// labels then fall back on the inputs' names.
//
// Only a regular file of at most maxJSONSize bytes is read, and one whose
// keys nest no deeper than a scenario's may (see tomlfile.CheckStructure).
func inputKeys(name string) (map[string]string, map[string]int) {
	b, err := inputfile.ReadFile(name, maxJSONSize)
	if err != nil {
		return nil, nil
	}
	if _, msg := tomlfile.CheckStructure(string(b)); msg != "" {
		return nil, nil
	}
	var root map[string]any
	if _, err := toml.Decode(string(b), &root); err != nil {
		return nil, nil
	}
	keys := map[string]string{}
	uses := map[string]int{}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			if _, ok := x["dist"]; ok {
				if n, ok := x["name"].(string); ok && n != "" {
					if _, seen := keys[n]; !seen {
						keys[n] = path
					}
					uses[n]++
				}
				return
			}
			ks := make([]string, 0, len(x))
			for k := range x {
				ks = append(ks, k)
			}
			sort.Strings(ks)
			for _, k := range ks {
				walk(tomlfile.JoinKey(path, k), x[k])
			}
		case []map[string]any:
			for i, e := range x {
				walk(tomlfile.EntryPath(path, e["name"], i), e)
			}
		}
	}
	walk("", root)
	return keys, uses
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

// readRun reads a results folder. The fields of o, when set, stand in
// for manifest.json and for the sample read from paths.csv. It stops when
// ctx is done, returning ctx.Err().
func readRun(ctx context.Context, dir string, o Options) (*run, error) {
	r := &run{Dir: dir}
	if err := readJSON(filepath.Join(dir, "summary.json"), &r.Summary); err != nil {
		return nil, fmt.Errorf("results folder %s: %w", dir, err)
	}
	switch {
	case o.Manifest != nil:
		r.Manifest, r.HasManifest = *o.Manifest, true
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
	r.keys, r.uses = inputKeys(filepath.Join(dir, "scenario.resolved.toml"))
	sample := o.Sample
	if sample == nil {
		var names []string
		for _, m := range r.Summary.Metrics {
			names = append(names, m.Name)
		}
		if sample, err = readSample(ctx, dir, names, MaxSample); err != nil {
			return nil, err
		}
	}
	r.Paths = sample.table()
	return r, nil
}

// readSample reads the first max paths of a results folder from
// paths.csv, or from paths.parquet when the run wrote that instead.
func readSample(ctx context.Context, dir string, metrics []string, max int) (*PathSample, error) {
	name := filepath.Join(dir, "paths.parquet")
	if _, err := os.Stat(name); err != nil {
		return readPathSample(ctx, filepath.Join(dir, "paths.csv"), metrics, max)
	}
	cols, vals, err := results.ReadPathsParquet(name, max)
	if err != nil {
		return nil, err
	}
	isMetric := map[string]bool{}
	for _, m := range metrics {
		isMetric[m] = true
	}
	s := &PathSample{Max: max}
	for j, c := range cols {
		if c != "path" {
			for i, x := range vals[j] {
				if math.IsNaN(x) || math.IsInf(x, 0) {
					return nil, fmt.Errorf("%s row %d: %s is %g: expected a finite number", name, i+1, c, x)
				}
			}
		}
		switch {
		case c == "path":
		case isMetric[c]:
			s.Metrics = append(s.Metrics, c)
			s.Metric = append(s.Metric, vals[j])
		default:
			s.Inputs = append(s.Inputs, c)
			s.In = append(s.In, vals[j])
		}
	}
	return s, nil
}
