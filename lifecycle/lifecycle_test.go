package lifecycle

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/reesim/reesim/engine"
	"github.com/reesim/reesim/results"
	"github.com/reesim/reesim/scenarios"
)

func compileSmall(t *testing.T) *scenarios.Compiled {
	t.Helper()
	s, err := scenarios.Load("../engine/testdata/small.toml")
	if err != nil {
		t.Fatal(err)
	}
	c, err := scenarios.Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// files returns the files of a results folder but its manifest.
func files(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() == "manifest.json" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = string(b)
	}
	return out
}

// A run whose blocks and sketches are added (as reesim merge adds those of
// shards), with or without their lines of paths.csv made beforehand,
// writes the same tables as a run that simulates its paths.
func TestAddEqualsSimulate(t *testing.T) {
	c := compileSmall(t)
	out := t.TempDir()
	opt := Options{Workers: 2, Version: "test", Commit: "test"}
	const paths = 2*engine.BlockSize + 7
	sim, err := Start(c, 4, filepath.Join(out, "simulated"), opt)
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Abort()
	if err := sim.Simulate(context.Background(), paths, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := sim.Finish(context.Background(), "reesim run", nil); err != nil {
		t.Fatal(err)
	}
	want := files(t, filepath.Join(out, "simulated"))
	for _, withLines := range []bool{false, true} {
		name := map[bool]string{false: "added", true: "lines"}[withLines]
		r, err := Start(c, 4, filepath.Join(out, name), opt)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Abort()
		csv := results.NewPathsWriter(io.Discard, c)
		rowLen := len(c.Inputs) + len(r.Sample.Metrics)
		var rows int
		res, err := engine.Run(context.Background(), c, engine.Options{Paths: paths, Seed: 4, Workers: 1, Block: func(b *engine.Block) error {
			var lines []byte
			if withLines {
				for i := 0; i < b.N; i++ {
					row := b.Rows[i*rowLen : (i+1)*rowLen]
					lines = csv.AppendRow(lines, b.Index*engine.BlockSize+i, row[:len(c.Inputs)], row[len(c.Inputs):])
				}
			}
			return r.Add(b, lines, func(int, []float64, []float64) error { rows++; return nil })
		}})
		if err != nil {
			t.Fatal(err)
		}
		if err := r.AddSketches(res.Series, res.MetricSketch); err != nil {
			t.Fatal(err)
		}
		if _, err := r.Finish(context.Background(), "reesim run", func(m *results.Manifest) { m.Shards = []results.ShardFile{{File: "x"}} }); err != nil {
			t.Fatal(err)
		}
		if rows != paths {
			t.Errorf("%s: %d rows passed on, want %d", name, rows, paths)
		}
		got := files(t, filepath.Join(out, name))
		for f, text := range want {
			if got[f] != text {
				t.Errorf("%s: %s differs from the simulated run's", name, f)
			}
		}
		if len(got) != len(want) {
			t.Errorf("%s: %d files, want %d", name, len(got), len(want))
		}
	}
}

// A run interrupted before any path writes nothing.
func TestInterruptedBeforeAnyPath(t *testing.T) {
	c := compileSmall(t)
	out := t.TempDir()
	r, err := Start(c, 1, filepath.Join(out, "small"), Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := r.Simulate(ctx, 1000, nil); !errors.Is(err, ErrInterrupted) {
		t.Errorf("Simulate after the interrupt: %v, want ErrInterrupted", err)
	}
	r.Abort()
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("the aborted run left %v", entries)
	}
}
