// Package results writes a run's tables: time-series percentiles, per-path
// rows, the summary of headline metrics, the resolved scenario and the
// manifest that lets anyone trace and re-make a result.
//
// A run's files are written into a temporary folder beside the final one
// and moved into place only when all of them are complete, so an
// interrupted or failed run never leaves half-written results and never
// overwrites old ones unless asked to.
package results

import (
	"bufio"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/reesim/reesim/engine"
	"github.com/reesim/reesim/scenarios"
	"github.com/reesim/reesim/sim"
)

// Quantiles are the percentiles reported for every series and metric.
var Quantiles = []float64{0.05, 0.25, 0.50, 0.75, 0.95}

// QuantileHeader is the header of quantiles.csv.
var QuantileHeader = []string{"month", "series", "unit", "mean", "p5", "p25", "p50", "p75", "p95"}

// F formats a number for the tables: shortest form that round-trips at
// 7 significant digits.
func F(v float64) string {
	var b [32]byte
	return string(appendF(b[:0], v))
}

// WriteQuantiles writes quantiles.csv: one row per month and series.
func WriteQuantiles(w io.Writer, r *engine.Result) error {
	cw := csv.NewWriter(w)
	cw.Write(QuantileHeader)
	T := r.Compiled.Model.Months
	start := r.Compiled.Model.StartAbs
	row := make([]string, len(QuantileHeader))
	for t := 0; t < T; t++ {
		for s, info := range sim.SeriesInfo {
			sk := r.Series.At(s*T + t)
			row[0] = scenarios.MonthString(start + t)
			row[1], row[2] = info.Name, info.Unit
			row[3] = F(r.SeriesMean[s][t])
			for i, q := range Quantiles {
				row[4+i] = F(sk.Quantile(q))
			}
			cw.Write(row)
		}
	}
	cw.Flush()
	return cw.Error()
}

// PathsWriter streams paths.csv: the path number, every sampled input and
// every headline metric. A row is formatted into one reused buffer and
// written in one call, as encoding/csv would write it (numbers need no
// quoting): at hundreds of numbers a path, formatting is a real share of a
// run's time.
type PathsWriter struct {
	w       io.Writer
	columns []int // indices of the sampled inputs
	line    []byte
	err     error
}

// NewPathsWriter writes the header of paths.csv for c to w.
func NewPathsWriter(w io.Writer, c *scenarios.Compiled) *PathsWriter {
	pw := &PathsWriter{w: w}
	head := []string{"path"}
	for i, in := range c.Inputs {
		if in.Sampled() {
			pw.columns = append(pw.columns, i)
			head = append(head, in.Name)
		}
	}
	for _, info := range sim.MetricInfo {
		head = append(head, info.Name)
	}
	cw := csv.NewWriter(w)
	cw.Write(head)
	cw.Flush()
	pw.err = cw.Error()
	return pw
}

// Row writes one path's row.
func (pw *PathsWriter) Row(path int, inputs, metrics []float64) error {
	if pw.err != nil {
		return pw.err
	}
	b := strconv.AppendInt(pw.line[:0], int64(path), 10)
	for _, i := range pw.columns {
		b = appendF(append(b, ','), inputs[i])
	}
	for _, v := range metrics {
		b = appendF(append(b, ','), v)
	}
	b = append(b, '\n')
	pw.line = b
	_, pw.err = pw.w.Write(b)
	return pw.err
}

// Flush returns the first error met writing rows. (The rows go straight to
// the writer given to NewPathsWriter, which the caller flushes.)
func (pw *PathsWriter) Flush() error { return pw.err }

// appendF appends F(v) to b.
func appendF(b []byte, v float64) []byte {
	if v == 0 {
		return append(b, '0')
	}
	return strconv.AppendFloat(b, v, 'g', 7, 64)
}

// Exceedance is the probability that a metric exceeds a threshold.
type Exceedance struct {
	Threshold   float64 `json:"threshold"`
	Probability float64 `json:"probability"`
	SE          float64 `json:"se"`
}

// Metric is one headline metric's summary.
type Metric struct {
	Name        string       `json:"metric"`
	Title       string       `json:"title"`
	Unit        string       `json:"unit"`
	Mean        float64      `json:"mean"`
	SE          float64      `json:"se"`
	SD          float64      `json:"sd"`
	P5          float64      `json:"p5"`
	P25         float64      `json:"p25"`
	P50         float64      `json:"p50"`
	P75         float64      `json:"p75"`
	P95         float64      `json:"p95"`
	Exceedances []Exceedance `json:"exceedances"`
}

// Summary is the content of summary.json.
type Summary struct {
	Scenario string   `json:"scenario"`
	Paths    int      `json:"paths"`
	Seed     uint64   `json:"seed"`
	Partial  bool     `json:"partial"`
	Metrics  []Metric `json:"metrics"`
}

// Summarise builds the summary of r.
func Summarise(r *engine.Result) Summary {
	s := Summary{Scenario: r.Compiled.Scenario.Name, Paths: r.Paths, Seed: r.Seed, Partial: r.Partial}
	for k, info := range sim.MetricInfo {
		mo := r.Metric[k]
		sk := r.MetricSketch.At(k)
		m := Metric{Name: info.Name, Title: info.Title, Unit: info.Unit, Mean: mo.Mean, SE: mo.SE(), SD: mo.SD(),
			P5: sk.Quantile(0.05), P25: sk.Quantile(0.25), P50: sk.Quantile(0.5), P75: sk.Quantile(0.75), P95: sk.Quantile(0.95),
			Exceedances: []Exceedance{}}
		for j, th := range r.Thresholds[k] {
			p := float64(r.Exceed[k][j]) / float64(r.Paths)
			m.Exceedances = append(m.Exceedances, Exceedance{th, p, math.Sqrt(p * (1 - p) / float64(r.Paths))})
		}
		s.Metrics = append(s.Metrics, m)
	}
	return s
}

// SummaryHeader is the header of summary.csv.
var SummaryHeader = []string{"metric", "unit", "mean", "se", "p5", "p25", "p50", "p75", "p95", "exceedance"}

// WriteSummaryCSV writes summary.csv. The exceedance column lists
// "P(>x)=p" for each threshold the scenario names, separated by "; ".
func WriteSummaryCSV(w io.Writer, s Summary) error {
	cw := csv.NewWriter(w)
	cw.Write(SummaryHeader)
	for _, m := range s.Metrics {
		ex := ""
		for i, e := range m.Exceedances {
			if i > 0 {
				ex += "; "
			}
			ex += fmt.Sprintf("P(>%s)=%s", F(e.Threshold), F(e.Probability))
		}
		cw.Write([]string{m.Name, m.Unit, F(m.Mean), F(m.SE), F(m.P5), F(m.P25), F(m.P50), F(m.P75), F(m.P95), ex})
	}
	cw.Flush()
	return cw.Error()
}

// Manifest records how a result was made.
type Manifest struct {
	Scenario     string    `json:"scenario"`
	Description  string    `json:"description"`
	File         string    `json:"file"`
	Seed         uint64    `json:"seed"`
	Paths        int       `json:"paths"`
	PathsAsked   int       `json:"paths_asked"`
	Partial      bool      `json:"partial"`
	Workers      int       `json:"workers"`
	Version      string    `json:"reesim_version"`
	Commit       string    `json:"reesim_commit"`
	ScenarioHash string    `json:"scenario_sha256"`
	Started      time.Time `json:"started"`
	Finished     time.Time `json:"finished"`
	Command      string    `json:"command"`
	// Extends names the scenario this one extends, if any, and Changes
	// lists the keys its own file sets, each with the parent's value:
	// what the briefing page's differences from the parent compare.
	Extends string   `json:"extends,omitempty"`
	Changes []Change `json:"changes,omitempty"`
}

// Change is a key a scenario sets over its parent's value. Parent is
// empty when the parent has no such key.
type Change struct {
	Key    string `json:"key"`
	Parent string `json:"parent"`
	Value  string `json:"value"`
}

// WriteFileAtomic writes the file name through a temporary file beside it,
// renamed into place when complete, so that a failure or an interrupt
// leaves either the old file or the new one, never half of one. The file is
// readable by everyone: results are for sharing.
func WriteFileAtomic(name string, write func(w io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp-")
	if err != nil {
		return err
	}
	fail := func(err error) error {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		return fail(err)
	}
	if err := write(tmp); err != nil {
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), name)
}

// Hash returns the SHA-256 of the resolved scenario text.
func Hash(resolved []byte) string {
	h := sha256.Sum256(resolved)
	return hex.EncodeToString(h[:])
}

// Dir writes files into a temporary folder and moves it into place on
// Commit.
type Dir struct {
	Final string
	Tmp   string
}

// Create makes a temporary folder beside final. Unless force is set, it
// refuses when final already exists, before anything is simulated.
func Create(final string, force bool) (*Dir, error) {
	if _, err := os.Lstat(final); err == nil && !force {
		return nil, fmt.Errorf("%s already exists: use --force to replace it, or --out to write elsewhere", final)
	}
	parent := filepath.Dir(final)
	if err := mkdirAll(parent); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(final)+".tmp-")
	if err != nil {
		return nil, fmt.Errorf("cannot write in the output folder %s: %w", parent, err)
	}
	// MkdirTemp makes a folder only its owner can read; results are for
	// sharing.
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.Remove(tmp)
		return nil, fmt.Errorf("cannot write in the output folder %s: %w", parent, err)
	}
	return &Dir{Final: final, Tmp: tmp}, nil
}

// CheckWritable checks that results can be written in the folder out,
// making it if needed, by making and removing a temporary folder there:
// a run checks this before it simulates anything.
func CheckWritable(out string) error {
	if err := mkdirAll(out); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(out, ".reesim-check-")
	if err != nil {
		return fmt.Errorf("cannot write in the output folder %s: %w", out, err)
	}
	return os.Remove(tmp)
}

// mkdirAll makes the folder dir and its parents, saying clearly why it
// cannot.
func mkdirAll(dir string) error {
	err := os.MkdirAll(dir, 0o755)
	if err == nil {
		return nil
	}
	// A file where a folder should be: name it.
	for p := dir; ; p = filepath.Dir(p) {
		if fi, serr := os.Stat(p); serr == nil {
			if !fi.IsDir() {
				return fmt.Errorf("cannot create the output folder %s: %s is a file, not a folder", dir, p)
			}
			break
		}
		if filepath.Dir(p) == p {
			break
		}
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("cannot create the output folder %s: %w", dir, err)
}

// Path returns the temporary path of a file name.
func (d *Dir) Path(name string) string { return filepath.Join(d.Tmp, name) }

// WriteFile writes one file through a buffered writer.
func (d *Dir) WriteFile(name string, f func(w io.Writer) error) error {
	if err := os.MkdirAll(filepath.Dir(d.Path(name)), 0o755); err != nil {
		return err
	}
	fh, err := os.Create(d.Path(name))
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(fh, 1<<16)
	if err := f(bw); err != nil {
		fh.Close()
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if err := bw.Flush(); err != nil {
		fh.Close()
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if err := fh.Sync(); err != nil {
		fh.Close()
		return fmt.Errorf("writing %s: %w", name, err)
	}
	return fh.Close()
}

// WriteJSON writes v as indented JSON.
func (d *Dir) WriteJSON(name string, v any) error {
	return d.WriteFile(name, func(w io.Writer) error {
		e := json.NewEncoder(w)
		e.SetIndent("", "  ")
		return e.Encode(v)
	})
}

// Commit moves the finished folder into place, replacing an old one.
func (d *Dir) Commit() error {
	old := ""
	if _, err := os.Stat(d.Final); err == nil {
		old = d.Tmp + ".old"
		if err := os.Rename(d.Final, old); err != nil {
			return fmt.Errorf("cannot replace %s: %w", d.Final, err)
		}
	}
	if err := os.Rename(d.Tmp, d.Final); err != nil {
		if old != "" {
			os.Rename(old, d.Final)
		}
		return fmt.Errorf("cannot move results into %s: %w", d.Final, err)
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

// Abort removes the temporary folder.
func (d *Dir) Abort() { os.RemoveAll(d.Tmp) }
