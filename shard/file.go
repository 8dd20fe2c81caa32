package shard

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"slices"
	"time"

	"github.com/reesim/reesim/design"
	"github.com/reesim/reesim/engine"
	"github.com/reesim/reesim/results"
	"github.com/reesim/reesim/scenarios"
	"github.com/reesim/reesim/sim"
	"github.com/reesim/reesim/sketch"
	"github.com/reesim/reesim/uncertain"
)

// magic begins every shard file.
const magic = "reesim shard file\n"

// Format is the version of the shard file format this package writes and
// reads.
const Format = 1

// Kinds of run a shard file holds a part of.
const (
	KindRun   = "run"
	KindStudy = "study"
)

// Header says what a shard file holds: which run it is a part of (Kind,
// Name, Hash, Seed, Paths, Sampling, Version and Commit must be the same
// in every shard of a run), which shard it is, and the parts of the run's cases it
// holds.
type Header struct {
	Format int `json:"format"`
	// Kind is KindRun or KindStudy; Name the scenario's or the study's
	// name; Arg the scenario or study as the command line named it.
	Kind string `json:"kind"`
	Name string `json:"name"`
	Arg  string `json:"arg"`
	// Hash identifies the run: the SHA-256 of a run's resolved scenario,
	// or of a study's file and its cases' resolved scenarios.
	Hash  string `json:"sha256"`
	Seed  uint64 `json:"seed"`
	Paths int    `json:"paths"` // paths of each case
	// Sampling is the sampling design's name (package design), "" for
	// plain Monte Carlo. Every shard draws its paths from the plan of all
	// Paths paths of a case, so that a design's paths are those of one
	// machine's run.
	Sampling string `json:"sampling,omitempty"`
	Version  string `json:"reesim_version"`
	Commit   string `json:"reesim_commit"`
	// Shard is this file's shard; it holds the work units First to End-1
	// of Units (see the package comment).
	Shard Spec `json:"shard"`
	Units int  `json:"units"`
	First int  `json:"first_unit"`
	End   int  `json:"end_unit"`
	// Workers, Host and Started say how and where the shard ran.
	Workers int       `json:"workers"`
	Host    string    `json:"host,omitempty"`
	Started time.Time `json:"started"`
	// Cases are every case of the run (one for a run), and Parts the
	// parts of them this file holds, in order.
	Cases []Case `json:"cases"`
	Parts []Part `json:"parts"`
}

// Case is one scenario of a run: the run's own, or one variant of a study
// on one base.
type Case struct {
	// Name is the case's results folder within the run's: a study's
	// variant, or base/variant; empty for a run.
	Name string `json:"name"`
	// ScenarioHash is the SHA-256 of Resolved, the resolved scenario
	// (scenario.resolved.toml of its results).
	ScenarioHash string `json:"scenario_sha256"`
	Resolved     string `json:"resolved"`
	// Inputs, Sampled, Cells and Thresholds give the layout of its
	// blocks: the number of inputs and of sampled inputs, of series-month
	// cells, and of thresholds of each headline metric.
	Inputs     int   `json:"inputs"`
	Sampled    int   `json:"sampled_inputs"`
	Cells      int   `json:"cells"`
	Thresholds []int `json:"thresholds"`
}

// Part is a range of paths of one case: First to First+Paths-1.
type Part struct {
	Case  int `json:"case"`
	First int `json:"first_path"`
	Paths int `json:"paths"`
}

// Layout is how a case's blocks are laid out, from its compiled scenario.
type Layout struct {
	csv        *results.PathsWriter // formats the lines of paths.csv
	inputs     int
	sampled    []int     // the indices of the sampled inputs
	fixed      []float64 // every input's value when fixed, else 0
	cells      int
	thresholds [sim.NumMetrics]int
}

// LayoutOf returns the layout of the blocks of c.
func LayoutOf(c *scenarios.Compiled) Layout {
	l := Layout{csv: results.NewPathsWriter(io.Discard, c), inputs: len(c.Inputs), fixed: make([]float64, len(c.Inputs)), cells: sim.NumSeries * c.Model.Months}
	// The engine draws every input that is not of the Fixed family, a
	// degenerate one (such as a triangular with min = max) too, so those
	// are stored as drawn; only Fixed inputs' values come from the
	// scenario.
	for i, in := range c.Inputs {
		if f, ok := in.Dist.(uncertain.Fixed); ok {
			l.fixed[i] = f.Value
		} else {
			l.sampled = append(l.sampled, i)
		}
	}
	for k, info := range sim.MetricInfo {
		l.thresholds[k] = len(c.Scenario.Thresholds[info.Name])
	}
	return l
}

// Case returns the case of c with the given name and resolved scenario.
func (l Layout) Case(name string, resolved []byte, hash string) Case {
	return Case{Name: name, ScenarioHash: hash, Resolved: string(resolved), Inputs: l.inputs, Sampled: len(l.sampled), Cells: l.cells, Thresholds: l.thresholds[:]}
}

// fits reports how the layout of c differs from l, or "".
func (l Layout) fits(c Case) string {
	switch {
	case c.Inputs != l.inputs:
		return fmt.Sprintf("%d inputs, the scenario has %d", c.Inputs, l.inputs)
	case c.Sampled != len(l.sampled):
		return fmt.Sprintf("%d sampled inputs, the scenario has %d", c.Sampled, len(l.sampled))
	case c.Cells != l.cells:
		return fmt.Sprintf("%d series-month cells, the scenario has %d", c.Cells, l.cells)
	case len(c.Thresholds) != sim.NumMetrics:
		return fmt.Sprintf("thresholds of %d metrics, reesim has %d", len(c.Thresholds), sim.NumMetrics)
	}
	for k, n := range c.Thresholds {
		if n != l.thresholds[k] {
			return fmt.Sprintf("%d thresholds of %s, the scenario has %d", n, sim.MetricInfo[k].Name, l.thresholds[k])
		}
	}
	return ""
}

// blockSize returns the length of the payload of a block of n paths, but
// for its lines of paths.csv.
func (l Layout) blockSize(n int) int {
	exceed := 0
	for _, t := range l.thresholds {
		exceed += t
	}
	return 8 + 4 + 8*l.cells + 24*sim.NumMetrics + 8*exceed + 8*n*(len(l.sampled)+sim.NumMetrics) + 4
}

// Record kinds.
const (
	recBlock    = 'B'
	recSketches = 'S'
	recEnd      = 'E'
)

// maxHeader is the largest header read, in bytes.
const maxHeader = 256 << 20

// maxPaths and maxCases bound the paths of a case and the cases of a run
// that a header may claim: reesim runs at most 10^8 paths, and a study at
// most 1,000 cases.
const (
	maxPaths = 100_000_000
	maxCases = 1000
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Writer writes a shard file: NewWriter writes the header, Block each
// block of each part in order, EndPart the part's sketches, Close the end
// record.
type Writer struct {
	w       *bufio.Writer
	h       *Header
	part    int // the part being written
	next    int // the next path of that part
	paths   int // paths written
	records uint32
	buf     []byte
	err     error
}

// NewWriter writes the header h of a shard file to w.
func NewWriter(w io.Writer, h *Header) (*Writer, error) {
	h.Format = Format
	js, err := json.Marshal(h)
	if err != nil {
		return nil, err
	}
	sw := &Writer{w: bufio.NewWriterSize(w, 1<<20), h: h}
	b := append([]byte(magic), 0, 0, 0, 0, 0, 0, 0, 0)
	binary.LittleEndian.PutUint32(b[len(magic):], Format)
	binary.LittleEndian.PutUint32(b[len(magic)+4:], uint32(len(js)))
	b = append(b, js...)
	b = binary.LittleEndian.AppendUint32(b, crc32.Checksum(js, castagnoli))
	if _, err := sw.w.Write(b); err != nil {
		return nil, err
	}
	if len(h.Parts) > 0 {
		sw.next = h.Parts[0].First
	}
	return sw, nil
}

// record writes a record of the given kind whose payload is w.buf[5:].
func (w *Writer) record(kind byte) error {
	if w.err != nil {
		return w.err
	}
	b := w.buf
	b[0] = kind
	binary.LittleEndian.PutUint32(b[1:5], uint32(len(b)-5))
	b = binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, castagnoli))
	_, w.err = w.w.Write(b)
	w.buf = b[:0]
	w.records++
	return w.err
}

// Block writes block b of the current part, whose case has layout l.
func (w *Writer) Block(l Layout, b *engine.Block) error {
	if w.err != nil {
		return w.err
	}
	if w.part >= len(w.h.Parts) {
		return errors.New("shard: a block after the last part")
	}
	p := w.h.Parts[w.part]
	if b.Index*engine.BlockSize != w.next || w.next+b.N > p.First+p.Paths {
		return fmt.Errorf("shard: block %d of %d paths does not follow path %d of part %d (paths %d to %d)", b.Index, b.N, w.next, w.part, p.First, p.First+p.Paths-1)
	}
	buf := append(w.buf[:0], 0, 0, 0, 0, 0)
	buf = binary.LittleEndian.AppendUint64(buf, uint64(b.Index))
	buf = binary.LittleEndian.AppendUint32(buf, uint32(b.N))
	buf = appendFloats(buf, b.Sums)
	for _, m := range b.Metric {
		buf = appendFloats(buf, []float64{m.N, m.Mean, m.M2})
	}
	for _, e := range b.Exceed {
		for _, n := range e {
			buf = binary.LittleEndian.AppendUint64(buf, uint64(n))
		}
	}
	rowLen := l.inputs + sim.NumMetrics
	for i := 0; i < b.N; i++ {
		row := b.Rows[i*rowLen : (i+1)*rowLen]
		for _, j := range l.sampled {
			buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(row[j]))
		}
		buf = appendFloats(buf, row[l.inputs:])
	}
	if len(buf)-5 != l.blockSize(b.N)-4 {
		return fmt.Errorf("shard: block %d: the layout does not fit the block", b.Index)
	}
	// The block's lines of paths.csv, formatted here, where the paths
	// are simulated, so that the merge only copies them.
	at := len(buf)
	buf = append(buf, 0, 0, 0, 0)
	for i := 0; i < b.N; i++ {
		row := b.Rows[i*rowLen : (i+1)*rowLen]
		buf = l.csv.AppendRow(buf, b.Index*engine.BlockSize+i, row[:l.inputs], row[l.inputs:])
	}
	binary.LittleEndian.PutUint32(buf[at:], uint32(len(buf)-at-4))
	w.buf = buf
	w.next += b.N
	w.paths += b.N
	return w.record(recBlock)
}

// EndPart writes the sketches of the current part, once all its blocks
// are written.
func (w *Writer) EndPart(series, metrics *sketch.Set) error {
	if w.err != nil {
		return w.err
	}
	p := w.h.Parts[w.part]
	if w.next != p.First+p.Paths {
		return fmt.Errorf("shard: part %d ended at path %d, want %d", w.part, w.next, p.First+p.Paths)
	}
	ss, err := series.AppendBinary(nil)
	if err != nil {
		return err
	}
	buf := append(w.buf[:0], 0, 0, 0, 0, 0)
	buf = binary.AppendUvarint(buf, uint64(len(ss)))
	buf = append(buf, ss...)
	if buf, err = metrics.AppendBinary(buf); err != nil {
		return err
	}
	w.buf = buf
	w.part++
	if w.part < len(w.h.Parts) {
		w.next = w.h.Parts[w.part].First
	}
	return w.record(recSketches)
}

// Close writes the end record and flushes the file; it does not close
// the underlying writer.
func (w *Writer) Close() error {
	if w.err != nil {
		return w.err
	}
	if w.part != len(w.h.Parts) {
		return fmt.Errorf("shard: closed after %d of %d parts", w.part, len(w.h.Parts))
	}
	buf := append(w.buf[:0], 0, 0, 0, 0, 0)
	buf = binary.LittleEndian.AppendUint64(buf, uint64(w.paths))
	buf = binary.LittleEndian.AppendUint32(buf, w.records)
	w.buf = buf
	if err := w.record(recEnd); err != nil {
		return err
	}
	return w.w.Flush()
}

func appendFloats(b []byte, v []float64) []byte {
	for _, x := range v {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(x))
	}
	return b
}

// Error is a problem with a shard file, or with a set of them: damaged,
// from another run, missing.
type Error struct {
	File string // the file, or "" for the set
	Msg  string
}

func (e *Error) Error() string {
	if e.File == "" {
		return e.Msg
	}
	return e.File + ": " + e.Msg
}

// Reader reads a shard file: NewReader reads its header, ReadPart each
// part in order, Close the end record.
type Reader struct {
	r       *bufio.Reader
	name    string
	h       *Header
	part    int
	paths   int
	records uint32
	buf     []byte
	block   engine.Block
}

// NewReader reads the header of the shard file name from r.
func NewReader(r io.Reader, name string) (*Reader, error) {
	sr := &Reader{r: bufio.NewReaderSize(r, 1<<20), name: name}
	fail := func(format string, args ...any) (*Reader, error) {
		return nil, &Error{File: name, Msg: fmt.Sprintf(format, args...)}
	}
	head := make([]byte, len(magic)+8)
	if _, err := io.ReadFull(sr.r, head); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return fail("not a shard file: it is too short")
		}
		return fail("cannot read it: %v", err)
	}
	if string(head[:len(magic)]) != magic {
		return fail("not a shard file: it does not begin with %q", magic[:len(magic)-1])
	}
	if f := binary.LittleEndian.Uint32(head[len(magic):]); f != Format {
		return fail("a shard file of format %d; this reesim reads format %d: merge with the reesim version that made the shards", f, Format)
	}
	n := binary.LittleEndian.Uint32(head[len(magic)+4:])
	if n > maxHeader {
		return fail("damaged: its header claims %d bytes", n)
	}
	js := make([]byte, n+4)
	if _, err := io.ReadFull(sr.r, js); err != nil {
		return fail("cut short in its header (%v): the file is incomplete", err)
	}
	if crc32.Checksum(js[:n], castagnoli) != binary.LittleEndian.Uint32(js[n:]) {
		return fail("damaged: the checksum of its header does not match")
	}
	var h Header
	dec := json.NewDecoder(bytes.NewReader(js[:n]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&h); err != nil {
		return fail("damaged: its header cannot be read: %v", err)
	}
	if msg := h.check(); msg != "" {
		return fail("damaged: %s", msg)
	}
	sr.h = &h
	return sr, nil
}

// check returns what is inconsistent in h, or "".
func (h *Header) check() string {
	switch {
	case h.Kind != KindRun && h.Kind != KindStudy:
		return fmt.Sprintf("its header has kind %q, want %q or %q", h.Kind, KindRun, KindStudy)
	case h.Paths < 1 || h.Paths > maxPaths || len(h.Cases) < 1 || len(h.Cases) > maxCases:
		return fmt.Sprintf("its header has %d paths and %d cases", h.Paths, len(h.Cases))
	case h.Sampling != "" && !validSampling(h.Sampling):
		return fmt.Sprintf("its header has sampling design %q", h.Sampling)
	case h.Kind == KindRun && len(h.Cases) != 1:
		return fmt.Sprintf("a run with %d cases", len(h.Cases))
	case h.Shard.Count < 1 || h.Shard.Index < 0 || h.Shard.Index >= h.Shard.Count:
		return fmt.Sprintf("shard %d of %d", h.Shard.Index, h.Shard.Count)
	}
	blocks := (h.Paths + engine.BlockSize - 1) / engine.BlockSize
	if h.Units != blocks*len(h.Cases) {
		return fmt.Sprintf("%d work units, want %d", h.Units, blocks*len(h.Cases))
	}
	if lo, hi := h.Shard.Units(h.Units); lo != h.First || hi != h.End {
		return fmt.Sprintf("units %d to %d, but shard %s has %d to %d", h.First, h.End, h.Shard, lo, hi)
	}
	parts := PartsOf(h.First, h.End, blocks, h.Paths)
	if len(parts) != len(h.Parts) {
		return fmt.Sprintf("%d parts, want %d", len(h.Parts), len(parts))
	}
	for i, p := range parts {
		if p != h.Parts[i] {
			return fmt.Sprintf("part %d is %+v, want %+v", i, h.Parts[i], p)
		}
	}
	return ""
}

// PartsOf returns the parts that hold the work units first to end-1 of
// a run whose cases have paths paths in blocks blocks each.
func PartsOf(first, end, blocks, paths int) []Part {
	var parts []Part
	for u := first; u < end; {
		c := u / blocks
		hi := min(end, (c+1)*blocks)
		p := Part{Case: c, First: (u - c*blocks) * engine.BlockSize}
		p.Paths = min(paths, (hi-c*blocks)*engine.BlockSize) - p.First
		parts = append(parts, p)
		u = hi
	}
	return parts
}

// Header returns the file's header.
func (r *Reader) Header() *Header { return r.h }

// Part returns the part ReadPart reads next, and false after the last.
func (r *Reader) Part() (Part, bool) {
	if r.part >= len(r.h.Parts) {
		return Part{}, false
	}
	return r.h.Parts[r.part], true
}

// fail returns an *Error about the file.
func (r *Reader) fail(format string, args ...any) error {
	return &Error{File: r.name, Msg: fmt.Sprintf(format, args...)}
}

// record reads the next record, which must be of the given kind.
func (r *Reader) record(kind byte, what string) ([]byte, error) {
	var head [5]byte
	if _, err := io.ReadFull(r.r, head[:]); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, r.fail("cut short before %s: the file is incomplete (was it copied while being written?)", what)
		}
		return nil, r.fail("cannot read %s: %v", what, err)
	}
	if head[0] != kind {
		return nil, r.fail("damaged: found a record of kind %q where %s should be", head[0], what)
	}
	n := binary.LittleEndian.Uint32(head[1:])
	if n > 1<<31 {
		return nil, r.fail("damaged: %s claims %d bytes", what, n)
	}
	b, err := r.readRecord(head, int(n)+9)
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, r.fail("cut short in %s: the file is incomplete (was it copied while being written?)", what)
		}
		return nil, r.fail("cannot read %s: %v", what, err)
	}
	if crc32.Checksum(b[:n+5], castagnoli) != binary.LittleEndian.Uint32(b[n+5:]) {
		return nil, r.fail("damaged: the checksum of %s does not match", what)
	}
	r.records++
	return b[5 : n+5], nil
}

// recordChunk is how much of a record readRecord reads at a time: a
// damaged length then costs memory only as far as the file goes.
const recordChunk = 16 << 20

// readRecord returns the record of size bytes (its head, its data and
// its checksum) whose head has been read, in r.buf. The buffer grows with
// the bytes read, not with the length the head claims.
func (r *Reader) readRecord(head [5]byte, size int) ([]byte, error) {
	b := append(r.buf[:0], head[:]...)
	for len(b) < size {
		n := min(size-len(b), recordChunk)
		b = slices.Grow(b, n)
		if _, err := io.ReadFull(r.r, b[len(b):len(b)+n]); err != nil {
			r.buf = b
			return nil, err
		}
		b = b[:len(b)+n]
	}
	r.buf = b
	return b, nil
}

// ReadPart reads the next part, whose case has layout l: it passes each
// of its blocks to add, in order, with the block's lines of paths.csv
// (the block, its slices and the lines are reused once add returns; its
// rows hold every input, the fixed ones from l), then returns the part's
// sketches.
func (r *Reader) ReadPart(l Layout, add func(b *engine.Block, lines []byte) error) (series, metrics *sketch.Set, err error) {
	p, ok := r.Part()
	if !ok {
		return nil, nil, r.fail("ReadPart after the last part")
	}
	if msg := l.fits(r.h.Cases[p.Case]); msg != "" {
		return nil, nil, r.fail("its blocks have %s", msg)
	}
	b := &r.block
	b.Sums = grow(b.Sums, l.cells)
	for k := range b.Exceed {
		b.Exceed[k] = make([]int, l.thresholds[k])
	}
	rowLen := l.inputs + sim.NumMetrics
	for next := p.First; next < p.First+p.Paths; {
		what := fmt.Sprintf("the block of path %d", next)
		data, err := r.record(recBlock, what)
		if err != nil {
			return nil, nil, err
		}
		if len(data) < 12 {
			return nil, nil, r.fail("damaged: %s is too short", what)
		}
		b.Index = int(binary.LittleEndian.Uint64(data))
		b.N = int(binary.LittleEndian.Uint32(data[8:]))
		if b.Index*engine.BlockSize != next || b.N < 1 || b.N > engine.BlockSize || next+b.N > p.First+p.Paths {
			return nil, nil, r.fail("damaged: found block %d of %d paths where %s should be", b.Index, b.N, what)
		}
		size := l.blockSize(b.N)
		if len(data) < size || len(data) != size+int(binary.LittleEndian.Uint32(data[size-4:])) {
			return nil, nil, r.fail("damaged: %s has %d bytes, which its layout does not explain", what, len(data))
		}
		lines := data[size:]
		if bytes.Count(lines, []byte{'\n'}) != b.N || lines[len(lines)-1] != '\n' {
			return nil, nil, r.fail("damaged: %s does not hold %d lines of paths.csv", what, b.N)
		}
		d := data[12:]
		d = readFloats(b.Sums, d)
		var m [3]float64
		for k := range b.Metric {
			d = readFloats(m[:], d)
			b.Metric[k] = engine.Moments{N: m[0], Mean: m[1], M2: m[2]}
		}
		for k := range b.Exceed {
			for j := range b.Exceed[k] {
				b.Exceed[k][j] = int(binary.LittleEndian.Uint64(d))
				d = d[8:]
			}
		}
		b.Rows = grow(b.Rows, b.N*rowLen)
		for i := 0; i < b.N; i++ {
			row := b.Rows[i*rowLen : (i+1)*rowLen]
			copy(row, l.fixed)
			for _, j := range l.sampled {
				row[j] = math.Float64frombits(binary.LittleEndian.Uint64(d))
				d = d[8:]
			}
			d = readFloats(row[l.inputs:], d)
		}
		if err := add(b, lines); err != nil {
			return nil, nil, err
		}
		next += b.N
		r.paths += b.N
	}
	data, err := r.record(recSketches, fmt.Sprintf("the sketches of part %d", r.part))
	if err != nil {
		return nil, nil, err
	}
	n, k := binary.Uvarint(data)
	if k <= 0 || n > uint64(len(data)-k) {
		return nil, nil, r.fail("damaged: the sketches of part %d cannot be read", r.part)
	}
	series, metrics = new(sketch.Set), new(sketch.Set)
	if err := series.UnmarshalBinary(data[k : k+int(n)]); err != nil {
		return nil, nil, r.fail("damaged: the series sketches of part %d: %v", r.part, err)
	}
	if err := metrics.UnmarshalBinary(data[k+int(n):]); err != nil {
		return nil, nil, r.fail("damaged: the metric sketches of part %d: %v", r.part, err)
	}
	if series.Len() != l.cells || metrics.Len() != sim.NumMetrics {
		return nil, nil, r.fail("damaged: part %d has %d series and %d metric sketches, want %d and %d", r.part, series.Len(), metrics.Len(), l.cells, sim.NumMetrics)
	}
	r.part++
	return series, metrics, nil
}

// Close reads the end record, after the last part, and checks that
// nothing follows it. It does not close the underlying reader.
func (r *Reader) Close() error {
	if r.part != len(r.h.Parts) {
		return r.fail("closed after %d of %d parts", r.part, len(r.h.Parts))
	}
	records := r.records
	data, err := r.record(recEnd, "the end record")
	if err != nil {
		return err
	}
	if len(data) != 12 || binary.LittleEndian.Uint64(data) != uint64(r.paths) || binary.LittleEndian.Uint32(data[8:]) != records {
		return r.fail("damaged: the end record does not match the records read")
	}
	if _, err := r.r.ReadByte(); err != io.EOF {
		return r.fail("damaged: bytes follow the end record")
	}
	return nil
}

func readFloats(dst []float64, b []byte) []byte {
	for i := range dst {
		dst[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return b[8*len(dst):]
}

// grow returns s with length n, reusing its memory.
func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

// validSampling reports whether name is a sampling design other than
// plain Monte Carlo, which a header leaves out.
func validSampling(name string) bool {
	k, err := design.Parse(name)
	return err == nil && k != design.MC
}
