package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateGolden = flag.Bool("update-golden", false, "rewrite testdata/golden from the current model")

// TestGoldenRun freezes a small run: its summary and the first months of its
// quantiles. A change in the model or the random streams shows here at
// once; when it is deliberate, regenerate with
// go test ./cmd/reesim -run TestGoldenRun -update-golden and say why in
// the commit.
func TestGoldenRun(t *testing.T) {
	out := t.TempDir()
	code, _, stderr := runReesim("run", "testdata/batch/small.toml", "--paths", "200", "--seed", "7", "--workers", "2", "--out", out, "--charts=false")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	dir := filepath.Join(out, "small")
	q, err := os.ReadFile(filepath.Join(dir, "quantiles.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(q), "\n")
	head := strings.Join(lines[:1+3*26], "") // header and the first three months
	got := map[string][]byte{"quantiles-head.csv": []byte(head)}
	if got["summary.csv"], err = os.ReadFile(filepath.Join(dir, "summary.csv")); err != nil {
		t.Fatal(err)
	}
	for name, b := range got {
		golden := filepath.Join("testdata", "golden", name)
		if *updateGolden {
			if err := os.WriteFile(golden, b, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run with -update-golden to create it)", err)
		}
		if !bytes.Equal(b, want) {
			t.Errorf("%s differs from %s; if the model changed on purpose, run go test ./cmd/reesim -run TestGoldenRun -update-golden", name, golden)
		}
	}
}
