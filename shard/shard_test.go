package shard

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/reesim/reesim/design"
	"github.com/reesim/reesim/engine"
	"github.com/reesim/reesim/scenarios"
	"github.com/reesim/reesim/sim"
	"github.com/reesim/reesim/uncertain"
)

func TestParseSpec(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want Spec
		err  string
	}{
		{"0/1", Spec{0, 1}, ""},
		{"3/8", Spec{3, 8}, ""},
		{"8/8", Spec{}, "shard 8 of 8 does not exist"},
		{"1/0", Spec{}, "from 1 to"},
		{"2", Spec{}, "expected I/N"},
		{"a/b", Spec{}, "whole numbers"},
		{"+1/4", Spec{}, "whole numbers"},
		{"1/4/5", Spec{}, "whole numbers"},
		{" 1/4", Spec{}, "whole numbers"},
	} {
		got, err := ParseSpec(tt.in)
		if tt.err == "" && (err != nil || got != tt.want) {
			t.Errorf("ParseSpec(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
		if tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("ParseSpec(%q): error %v, want one with %q", tt.in, err, tt.err)
		}
	}
}

func TestFromEnv(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	if s, err := FromEnv(4, env("JOB_COMPLETION_INDEX", "2")); err != nil || s != (Spec{2, 4}) {
		t.Errorf("Kubernetes: %v, %v", s, err)
	}
	if s, err := FromEnv(4, env("SLURM_ARRAY_TASK_ID", "3")); err != nil || s != (Spec{3, 4}) {
		t.Errorf("Slurm: %v, %v", s, err)
	}
	if _, err := FromEnv(4, env("SLURM_ARRAY_TASK_ID", "4")); err == nil || !strings.Contains(err.Error(), "SLURM_ARRAY_TASK_ID is 4") {
		t.Errorf("index out of range: %v", err)
	}
	if _, err := FromEnv(4, env("JOB_COMPLETION_INDEX", "1", "SLURM_ARRAY_TASK_ID", "2")); err == nil {
		t.Error("two indexes that disagree: no error")
	}
	if _, err := FromEnv(4, env("JOB_COMPLETION_INDEX", "x")); err == nil {
		t.Error("an index that is not a number: no error")
	}
	if _, err := FromEnv(4, env()); err == nil {
		t.Error("no index: no error")
	}
}

// The shards of any split cover every unit once, in order, and differ in
// size by at most one unit.
func TestUnitsCover(t *testing.T) {
	for _, units := range []int{1, 7, 64, 157, 1563} {
		for n := 1; n <= units && n <= 40; n++ {
			next, small, big := 0, units, 0
			for i := 0; i < n; i++ {
				lo, hi := Spec{i, n}.Units(units)
				if lo != next || hi <= lo {
					t.Fatalf("%d units, shard %d/%d: %d to %d after %d", units, i, n, lo, hi, next)
				}
				small, big, next = min(small, hi-lo), max(big, hi-lo), hi
			}
			if next != units || big-small > 1 {
				t.Fatalf("%d units in %d shards: end %d, sizes %d to %d", units, n, next, small, big)
			}
		}
	}
}

func TestPartsOf(t *testing.T) {
	// Three cases of 150 paths (3 blocks each): units 2 to 7 are the last
	// block of case 0, all of case 1 and the first of case 2.
	got := PartsOf(2, 7, 3, 150)
	want := []Part{{0, 128, 22}, {1, 0, 150}, {2, 0, 64}}
	if !slices.Equal(got, want) {
		t.Errorf("PartsOf = %v, want %v", got, want)
	}
}

func compileSmall(t *testing.T) *scenarios.Compiled {
	t.Helper()
	return compileSmallWith(t, nil)
}

// compileSmallWith compiles the small test scenario with edit applied to
// its text (nil: as it is).
func compileSmallWith(t *testing.T, edit func([]byte) []byte) *scenarios.Compiled {
	t.Helper()
	b, err := os.ReadFile("../engine/testdata/small.toml")
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		b = edit(b)
	}
	s, err := scenarios.LoadBytes("small.toml", b)
	if err != nil {
		t.Fatal(err)
	}
	c, err := scenarios.Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// writeShard simulates shard spec of a run of c and returns its file.
func writeShard(t *testing.T, c *scenarios.Compiled, paths int, spec Spec) []byte {
	t.Helper()
	blocks := (paths + engine.BlockSize - 1) / engine.BlockSize
	lo, hi := spec.Units(blocks)
	l := LayoutOf(c)
	h := &Header{Kind: KindRun, Name: "small", Arg: "small.toml", Hash: "h", Seed: 3, Paths: paths, Shard: spec, Units: blocks, First: lo, End: hi,
		Cases: []Case{l.Case("", []byte("resolved"), "h")}, Parts: PartsOf(lo, hi, blocks, paths)}
	var buf bytes.Buffer
	w, err := NewWriter(&buf, h)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range h.Parts {
		res, err := engine.Run(context.Background(), c, engine.Options{First: p.First, Paths: p.Paths, Seed: 3, Workers: 2,
			Block: func(b *engine.Block) error { return w.Block(l, b) }})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.EndPart(res.Series, res.MetricSketch); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// readShards reads the files in order into a result, as reesim merge
// does, with every path's row.
func readShards(c *scenarios.Compiled, files ...[]byte) (*engine.Result, [][]float64, error) {
	res := engine.NewResult(c, 3, design.MC)
	var rows [][]float64
	rowLen := len(c.Inputs) + sim.NumMetrics
	for _, f := range files {
		r, err := NewReader(bytes.NewReader(f), "f.shard")
		if err != nil {
			return nil, nil, err
		}
		for {
			if _, ok := r.Part(); !ok {
				break
			}
			series, metrics, err := r.ReadPart(LayoutOf(c), func(b *engine.Block, lines []byte) error {
				if !bytes.HasPrefix(lines, []byte(strconv.Itoa(b.Index*engine.BlockSize)+",")) {
					return fmt.Errorf("block %d: lines begin %.20q", b.Index, lines)
				}
				for i := 0; i < b.N; i++ {
					rows = append(rows, slices.Clone(b.Rows[i*rowLen:(i+1)*rowLen]))
				}
				return res.Add(b)
			})
			if err != nil {
				return nil, nil, err
			}
			if err := res.AddSketches(series, metrics); err != nil {
				return nil, nil, err
			}
		}
		if err := r.Close(); err != nil {
			return nil, nil, err
		}
	}
	return res, rows, nil
}

// Shard files written and read back give the one run's result, bit for
// bit, and its rows, with the fixed inputs filled in: also when an input
// is a degenerate distribution (a triangular with min = mode = max),
// which the engine draws although it cannot vary.
func TestFileRoundTrip(t *testing.T) {
	t.Run("small", func(t *testing.T) { testFileRoundTrip(t, compileSmall(t)) })
	t.Run("degenerate", func(t *testing.T) {
		c := compileSmallWith(t, func(b []byte) []byte {
			return bytes.Replace(b, []byte("ndpr_share = 0.2\n"), []byte("ndpr_share = {dist = \"triangular\", min = 0.2, mode = 0.2, max = 0.2}\n"), 1)
		})
		degenerate := 0
		for _, in := range c.Inputs {
			if _, fixed := in.Dist.(uncertain.Fixed); !fixed && !in.Sampled() {
				degenerate++
			}
		}
		if degenerate != 1 {
			t.Fatalf("%d degenerate inputs, want 1", degenerate)
		}
		testFileRoundTrip(t, c)
	})
}

func testFileRoundTrip(t *testing.T, c *scenarios.Compiled) {
	const paths = 4*engine.BlockSize + 5
	var want [][]float64
	one, err := engine.Run(context.Background(), c, engine.Options{Paths: paths, Seed: 3, Workers: 2, Row: func(i int, in, m []float64) error {
		want = append(want, append(slices.Clone(in), m...))
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	files := [][]byte{writeShard(t, c, paths, Spec{0, 3}), writeShard(t, c, paths, Spec{1, 3}), writeShard(t, c, paths, Spec{2, 3})}
	got, rows, err := readShards(c, files...)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows read back, want %d", len(rows), len(want))
	}
	for i := range rows {
		if !slices.Equal(rows[i], want[i]) {
			t.Fatalf("row %d differs", i)
		}
	}
	T := c.Model.Months
	for s := range got.SeriesMean {
		for m := 0; m < T; m++ {
			if math.Float64bits(got.SeriesMean[s][m]) != math.Float64bits(one.SeriesMean[s][m]) ||
				got.Series.At(s*T+m).Quantile(0.95) != one.Series.At(s*T+m).Quantile(0.95) {
				t.Fatalf("series %d month %d differs", s, m)
			}
		}
	}
	for k := range got.Metric {
		if got.Metric[k] != one.Metric[k] || got.MetricSketch.At(k).Quantile(0.5) != one.MetricSketch.At(k).Quantile(0.5) || !slices.Equal(got.Exceed[k], one.Exceed[k]) {
			t.Fatalf("metric %d differs", k)
		}
	}
}

// A file damaged anywhere, cut anywhere or with bytes added is refused
// with an *Error naming it, never read as if it were whole.
func TestFileDamaged(t *testing.T) {
	c := compileSmall(t)
	f := writeShard(t, c, 2*engine.BlockSize, Spec{0, 1})
	var se *Error
	for _, n := range []int{0, 5, len(magic) + 3, len(magic) + 20, len(f) / 3, len(f) / 2, len(f) - 20, len(f) - 1} {
		if _, _, err := readShards(c, f[:n]); !errors.As(err, &se) || se.File != "f.shard" {
			t.Errorf("cut to %d of %d bytes: %v, want an *Error naming the file", n, len(f), err)
		}
	}
	if _, _, err := readShards(c, append(slices.Clone(f), 0)); !errors.As(err, &se) || !strings.Contains(err.Error(), "bytes follow the end record") {
		t.Errorf("a byte added: %v", err)
	}
	for i := 0; i < len(f); i += len(f)/97 + 1 {
		d := slices.Clone(f)
		d[i] ^= 0x10
		if _, _, err := readShards(c, d); err == nil {
			t.Errorf("byte %d of %d changed: no error", i, len(f))
		}
	}
	if _, _, err := readShards(c, f); err != nil {
		t.Fatal(err)
	}
}

// The folder store writes atomically and lists only shard files.
func TestFolder(t *testing.T) {
	dir := t.TempDir()
	st := &Folder{Dir: dir}
	ctx := context.Background()
	if err := st.Put(ctx, "a-0-of-1.shard", func(w io.Writer) error { _, err := w.Write([]byte("x")); return err }); err != nil {
		t.Fatal(err)
	}
	if err := st.Put(ctx, "b-0-of-1.shard", func(w io.Writer) error { return errors.New("failed") }); err == nil {
		t.Fatal("a failed write: no error")
	}
	os.WriteFile(dir+"/notes.txt", nil, 0o644)
	names, err := st.List(ctx)
	if err != nil || !slices.Equal(names, []string{"a-0-of-1.shard"}) {
		t.Errorf("List = %v, %v", names, err)
	}
	if ok, err := st.Exists(ctx, "b-0-of-1.shard"); ok || err != nil {
		t.Errorf("a failed write left a file (%v, %v)", ok, err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("folder holds %d entries, want 2: no temporary files", len(entries))
	}
}

func TestGroup(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -1234: "-1,234"} {
		if got := group(n); got != want {
			t.Errorf("group(%d) = %q, want %q", n, got, want)
		}
	}
}

// headerOf returns the header of shard spec of a run of 1,000 paths (16
// blocks) with the given seed.
func headerOf(spec Spec, seed uint64) *Header {
	lo, hi := spec.Units(16)
	return &Header{Kind: KindRun, Name: "r", Hash: "h", Seed: seed, Paths: 1000, Shard: spec, Units: 16, First: lo, End: hi,
		Cases: []Case{{}}, Parts: PartsOf(lo, hi, 16, 1000)}
}

func TestCheck(t *testing.T) {
	st := &Folder{Dir: "shards"}
	file := func(h *Header) *File {
		return &File{Store: st, Name: FileName(h.Name, h.Shard), Where: st.Where(FileName(h.Name, h.Shard)), Header: h}
	}
	split := func(n int, skip ...int) []*File {
		var out []*File
		for i := 0; i < n; i++ {
			if !slices.Contains(skip, i) {
				out = append(out, file(headerOf(Spec{i, n}, 1)))
			}
		}
		return out
	}
	if missing, err := Check(split(3)); missing || err != nil {
		t.Errorf("a whole split: missing %v, %v", missing, err)
	}
	// Shards of two splits that tile the paths are one run too.
	mixed := append(split(2, 1), file(headerOf(Spec{2, 4}, 1)), file(headerOf(Spec{3, 4}, 1)))
	if _, err := Check(mixed); err != nil {
		t.Errorf("two splits that tile the paths: %v", err)
	}
	for _, tt := range []struct {
		name    string
		files   []*File
		missing bool
		want    string
	}{
		{"a shard missing", split(4, 2), true, "missing: shard 2/4 (paths 512 to 767), expected as " + filepath.Join("shards", "r-2-of-4.shard")},
		{"the last missing", split(4, 3), true, "shard 3/4 (paths 768 to 999)"},
		{"two splits, a gap", append(split(2, 1), file(headerOf(Spec{3, 4}, 1))), true, "missing: paths 512 to 767"},
		{"a shard twice", append(split(2), file(headerOf(Spec{1, 2}, 1))), false, "are the same shard (1/2: paths 512 to 999)"},
		{"overlapping splits", append(split(2), file(headerOf(Spec{1, 3}, 1))), false, "overlaps"},
		{"another seed", append(split(2, 1), file(headerOf(Spec{1, 2}, 2))), false, "is not a shard of the same run as shards/r-0-of-2.shard: seed 2, not 1"},
	} {
		files := tt.files
		slices.SortStableFunc(files, func(a, b *File) int { return a.Header.First*100 + a.Header.End - b.Header.First*100 - b.Header.End })
		missing, err := Check(files)
		if missing != tt.missing || err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: missing %v, %v; want missing %v and %q", tt.name, missing, err, tt.missing, tt.want)
		}
	}
}

// A record whose length is damaged to claim gigabytes is refused as cut
// short, and reading it allocates memory only as far as the file goes.
func TestFileHugeRecordLength(t *testing.T) {
	c := compileSmall(t)
	f := writeShard(t, c, 2*engine.BlockSize, Spec{0, 1})
	off := len(magic) + 8 + int(binary.LittleEndian.Uint32(f[len(magic)+4:])) + 4 // the first record
	d := slices.Clone(f[:off+1000])
	binary.LittleEndian.PutUint32(d[off+1:], 1<<31)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, _, err := readShards(c, d)
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "cut short") {
		t.Errorf("a record claiming 2 GiB in a file of %d bytes: %v, want cut short", len(d), err)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 2*recordChunk+(8<<20) {
		t.Errorf("reading it allocated %d MB", got>>20)
	}
}
