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
	"io/fs"
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

// FormatNumber formats a number for the tables: the shortest form that
// round-trips at 7 significant digits.
func FormatNumber(v float64) string {
	var b [32]byte
	return string(appendNumber(b[:0], v))
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
			row[3] = FormatNumber(r.SeriesMean[s][t])
			for i, q := range Quantiles {
				row[4+i] = FormatNumber(sk.Quantile(q))
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
	pw.line = pw.AppendRow(pw.line[:0], path, inputs, metrics)
	_, pw.err = pw.w.Write(pw.line)
	return pw.err
}

// AppendRow appends to dst the line Row writes for a path, and returns
// it. The shards of a run format their paths' lines with it, so that the
// merge writes them as they are.
func (pw *PathsWriter) AppendRow(dst []byte, path int, inputs, metrics []float64) []byte {
	b := strconv.AppendInt(dst, int64(path), 10)
	for _, i := range pw.columns {
		b = appendNumber(append(b, ','), inputs[i])
	}
	for _, v := range metrics {
		b = appendNumber(append(b, ','), v)
	}
	return append(b, '\n')
}

// Lines writes lines made by AppendRow, as they are.
func (pw *PathsWriter) Lines(lines []byte) error {
	if pw.err != nil {
		return pw.err
	}
	_, pw.err = pw.w.Write(lines)
	return pw.err
}

// Flush returns the first error met writing rows. (The rows go straight to
// the writer given to NewPathsWriter, which the caller flushes.)
func (pw *PathsWriter) Flush() error { return pw.err }

// appendNumber appends FormatNumber(v) to b.
func appendNumber(b []byte, v float64) []byte {
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
	// Note explains a metric that is the same on every path, which
	// carries no information about the spread of outcomes.
	Note string `json:"note,omitempty"`
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
		m.Note = constantNote(r.Paths, m.SD, m.Mean)
		s.Metrics = append(s.Metrics, m)
	}
	return s
}

// constantNote is the note on a metric whose standard deviation over
// paths is sd: empty unless it is the same on every path of several.
func constantNote(paths int, sd, mean float64) string {
	switch {
	case paths < 2 || sd != 0:
		return ""
	case mean == 0:
		return "0 on every path: nothing in this scenario causes it"
	default:
		return "the same on every path (" + FormatNumber(mean) + ")"
	}
}

// SummaryHeader is the header of summary.csv.
var SummaryHeader = []string{"metric", "unit", "mean", "se", "p5", "p25", "p50", "p75", "p95", "exceedance", "note"}

// WriteSummaryCSV writes summary.csv. The exceedance column lists
// "P(>x)=p" for each threshold the scenario names, separated by "; "; the
// note column says when a metric is the same on every path.
func WriteSummaryCSV(w io.Writer, s Summary) error {
	cw := csv.NewWriter(w)
	cw.Write(SummaryHeader)
	for _, m := range s.Metrics {
		ex := ""
		for i, e := range m.Exceedances {
			if i > 0 {
				ex += "; "
			}
			ex += fmt.Sprintf("P(>%s)=%s", FormatNumber(e.Threshold), FormatNumber(e.Probability))
		}
		cw.Write([]string{m.Name, m.Unit, FormatNumber(m.Mean), FormatNumber(m.SE), FormatNumber(m.P5), FormatNumber(m.P25), FormatNumber(m.P50), FormatNumber(m.P75), FormatNumber(m.P95), ex, m.Note})
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
	// Sampling is the sampling design, when it is not plain Monte Carlo
	// ("lhs" or "qmc").
	Sampling string `json:"sampling,omitempty"`
	// Extends names the scenario this one extends, if any, and Changes
	// lists the keys its own file sets, each with the parent's value:
	// what the briefing page's differences from the parent compare.
	Extends string   `json:"extends,omitempty"`
	Changes []Change `json:"changes,omitempty"`
	// Shards lists the shard files a run was merged from (reesim merge);
	// it is empty for a run made in one go.
	Shards []ShardFile `json:"shards,omitempty"`
}

// ShardFile is a shard file a merged run was made from, and the paths of
// the run it held.
type ShardFile struct {
	File      string    `json:"file"`
	Shard     string    `json:"shard"` // I/N
	FirstPath int       `json:"first_path"`
	Paths     int       `json:"paths"`
	Host      string    `json:"host,omitempty"`
	Workers   int       `json:"workers"`
	Started   time.Time `json:"started"`
}

// Change is a key a scenario sets over its parent's value. Parent is
// empty when the parent has no such key.
type Change struct {
	Key    string `json:"key"`
	Parent string `json:"parent"`
	Value  string `json:"value"`
}

// WriteFileAtomic writes the file name through a temporary file beside it,
// synced and renamed into place when complete, so that a failure, an
// interrupt or a power cut leaves either the old file or the new one,
// never half of one. The file is readable by everyone: results are for
// sharing.
func WriteFileAtomic(name string, write func(w io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), tempPattern(name))
	if err != nil {
		return err
	}
	fail := func(err error) error {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	// Held until the file is in place, the lock tells later runs that
	// the temporary file is not litter of a dead one (see Tidy).
	if err := lock(tmp); err != nil && !errors.Is(err, errNoLock) {
		return fail(err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		return fail(err)
	}
	if err := write(tmp); err != nil {
		return fail(err)
	}
	if err := tmp.Sync(); err != nil {
		return fail(err)
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		return fail(err)
	}
	tmp.Close()
	return syncDir(filepath.Dir(name))
}

// Hash returns the SHA-256 of the resolved scenario text.
func Hash(resolved []byte) string {
	h := sha256.Sum256(resolved)
	return hex.EncodeToString(h[:])
}

// Dir writes files into a temporary folder and moves it into place on
// Commit. The process holds a lock on the temporary folder while it
// writes it, so that other runs know it is not litter (see Tidy).
type Dir struct {
	Final string
	Tmp   string
	// Notes say what Create tidied beside Final (see Tidy).
	Notes []string

	force bool
	lock  *os.File    // Tmp, open and locked
	info  os.FileInfo // Tmp as made, to notice it replaced
	files []string    // the files written, relative to Tmp
	// removeAll removes a folder; tests replace it.
	removeAll func(string) error
}

// Create makes a temporary folder beside final. Unless force is set, it
// refuses when final already exists, before anything is simulated. It
// refuses too when another run is writing final now (a *BusyError), and
// removes what runs that were killed left beside final (see Tidy).
func Create(final string, force bool) (*Dir, error) {
	if _, err := os.Lstat(final); err == nil && !force {
		return nil, fmt.Errorf("%s already exists: use --force to replace it, or --out to write elsewhere", final)
	}
	parent := filepath.Dir(final)
	if err := mkdirAll(parent); err != nil {
		return nil, err
	}
	notes, err := Tidy(final)
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(parent, tempPattern(final))
	if err != nil {
		return nil, fmt.Errorf("cannot write in the output folder %s: %w", parent, err)
	}
	d := &Dir{Final: final, Tmp: tmp, Notes: notes, force: force, removeAll: os.RemoveAll}
	fail := func(err error) (*Dir, error) {
		if d.lock != nil {
			d.lock.Close()
		}
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("cannot write in the output folder %s: %w", parent, err)
	}
	if d.lock, err = openLocked(tmp); err != nil && !errors.Is(err, errNoLock) {
		return fail(err)
	}
	if d.info, err = os.Lstat(tmp); err != nil {
		return fail(err)
	}
	// MkdirTemp makes a folder only its owner can read; results are for
	// sharing.
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fail(err)
	}
	return d, nil
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

// Create creates the file name (a path relative to the folder, in it or in
// a subfolder) for writing. The caller syncs and closes it; Commit checks
// that it is still there.
func (d *Dir) Create(name string) (*os.File, error) {
	if err := d.mkdirs(filepath.Dir(name)); err != nil {
		return nil, err
	}
	f, err := os.Create(d.Path(name))
	if err != nil {
		return nil, d.Explain(fmt.Errorf("writing %s: %w", name, err))
	}
	d.files = append(d.files, name)
	return f, nil
}

// mkdirs makes the subfolder sub of the temporary folder and those
// between. It never makes the temporary folder itself: if that has gone,
// the run has lost what it wrote and must fail, not start afresh.
func (d *Dir) mkdirs(sub string) error {
	if sub == "." || sub == "" {
		return nil
	}
	if err := d.mkdirs(filepath.Dir(sub)); err != nil {
		return err
	}
	if err := os.Mkdir(d.Path(sub), 0o755); err != nil && !errors.Is(err, os.ErrExist) {
		return d.Explain(err)
	}
	return nil
}

// MkdirAll makes the subfolder sub of the temporary folder, as mkdirs.
func (d *Dir) MkdirAll(sub string) error { return d.mkdirs(sub) }

// Check returns an error if the temporary folder is no longer the one
// Create made: another program removed it (with the output folder,
// perhaps) or put another in its place.
func (d *Dir) Check() error {
	fi, err := os.Lstat(d.Tmp)
	if err != nil || !os.SameFile(fi, d.info) {
		return fmt.Errorf("the temporary folder %s, into which this run was writing its results, was removed or replaced by another program during the run (was %s deleted?); no results were written", d.Tmp, filepath.Dir(d.Final))
	}
	return nil
}

// Explain returns the error of Check if the temporary folder has gone,
// which explains err, or else err.
func (d *Dir) Explain(err error) error {
	if cerr := d.Check(); cerr != nil {
		return cerr
	}
	return err
}

// WriteFile writes one file through a buffered writer, and syncs it.
func (d *Dir) WriteFile(name string, f func(w io.Writer) error) error {
	fh, err := d.Create(name)
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
	if err := fh.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	return nil
}

// WriteJSON writes v as indented JSON.
func (d *Dir) WriteJSON(name string, v any) error {
	return d.WriteFile(name, func(w io.Writer) error {
		e := json.NewEncoder(w)
		e.SetIndent("", "  ")
		return e.Encode(v)
	})
}

// ClashError reports that results appeared in the place of a run's
// results while it ran (another run finished first), so that the run's
// own results were kept elsewhere.
type ClashError struct {
	Final string // where the results were to go, now another run's
	Kept  string // where they are
}

func (e *ClashError) Error() string {
	return fmt.Sprintf("%s appeared while this run was writing its results (another run into the same folder finished first?) and was left as it is; this run's complete results are in %s", e.Final, e.Kept)
}

// LeftoverError reports that a forced Commit put the new results in place
// but could not delete all of the earlier ones it replaced. The results
// are complete; callers report it as a warning.
type LeftoverError struct {
	Final string // holds the new results
	Old   string // holds what is left of the earlier results
	Err   error
}

func (e *LeftoverError) Error() string {
	return fmt.Sprintf("the new results are in place in %s; the earlier results they replace were moved to %s, and not all of their files could be deleted (%s): delete that folder yourself", e.Final, e.Old, reason(e.Err))
}

func (e *LeftoverError) Unwrap() error { return e.Err }

// Settle is Commit for a command that carries on whatever another run
// did meanwhile: it returns where the results are, Final or, after a
// clash, where they were kept (with the *ClashError, which the command
// reports as its failure once it has said where they are). A
// *LeftoverError goes to warn, and Settle returns no error for it. Any
// other error of Commit is err; the results were not moved.
func (d *Dir) Settle(warn func(error)) (at string, clash *ClashError, err error) {
	err = d.Commit()
	var leftover *LeftoverError
	switch {
	case errors.As(err, &clash):
		return clash.Kept, clash, nil
	case errors.As(err, &leftover):
		warn(leftover)
		return d.Final, nil, nil
	}
	return d.Final, nil, err
}

// Commit moves the finished folder into place. It first checks that every
// file written is still there and syncs the folder, and syncs the output
// folder after the move, so that a power cut leaves either the old results
// or the complete new ones.
//
// Without force, results that appeared in Final during the run (another
// run finished first) are not replaced: the new ones go to a free name
// beside them, Final~2, Final~3, ..., and Commit returns a *ClashError
// saying where. With force, earlier results are replaced; if they cannot
// all be deleted afterwards, Commit returns a *LeftoverError.
func (d *Dir) Commit() error {
	if err := d.Check(); err != nil {
		return err
	}
	for _, name := range d.files {
		if _, err := os.Lstat(d.Path(name)); err != nil {
			return fmt.Errorf("%s was removed from the temporary folder %s by another program during the run; no results were written", name, d.Tmp)
		}
	}
	if err := syncTree(d.Tmp); err != nil {
		return err
	}
	parent := filepath.Dir(d.Final)
	if !d.force {
		// A folder is not renamed over another that holds files, nor over
		// a file: results that appeared meanwhile stay as they are.
		err := os.Rename(d.Tmp, d.Final)
		if err == nil {
			d.release()
			return syncDir(parent)
		}
		if _, serr := os.Lstat(d.Final); serr != nil {
			return fmt.Errorf("cannot move results into %s: %w", d.Final, err)
		}
		for n := 2; ; n++ {
			kept := fmt.Sprintf("%s~%d", d.Final, n)
			if _, err := os.Lstat(kept); err == nil {
				continue
			}
			if err := os.Rename(d.Tmp, kept); err != nil {
				if _, serr := os.Lstat(kept); serr == nil && n < 1000 {
					continue // taken meanwhile
				}
				return fmt.Errorf("%s appeared while this run was writing its results, and they could not be kept beside it: %w", d.Final, err)
			}
			d.release()
			syncDir(parent)
			return &ClashError{Final: d.Final, Kept: kept}
		}
	}
	old := ""
	var oldLock *os.File
	if _, err := os.Lstat(d.Final); err == nil {
		old = d.Tmp + ".old"
		// Locked before the move, so that no other run takes the earlier
		// results moved aside for litter (see Tidy).
		if f, err := openLocked(d.Final); err == nil {
			oldLock = f
			defer oldLock.Close()
		}
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
	d.release()
	if err := syncDir(parent); err != nil {
		return err
	}
	if old != "" {
		if err := d.removeAll(old); err != nil {
			return &LeftoverError{Final: d.Final, Old: old, Err: err}
		}
	}
	return nil
}

// release drops the lock on the temporary folder, once it is in place.
func (d *Dir) release() {
	if d.lock != nil {
		d.lock.Close()
		d.lock = nil
	}
}

// syncTree syncs the folder dir and every folder in it. (The files in
// them are synced as they are written.)
func syncTree(dir string) error {
	return filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() {
			return syncDir(p)
		}
		return nil
	})
}

// Abort removes the temporary folder.
func (d *Dir) Abort() {
	os.RemoveAll(d.Tmp)
	d.release()
}
