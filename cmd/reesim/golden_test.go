package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGoldenRun freezes a small run: its summary and the first months of its
// quantiles. A change in the model or the random streams shows here at
// once; when it is deliberate, regenerate with
// go test ./cmd/reesim -run TestGoldenRun -update and say why in the
// commit.
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
		checkGolden(t, filepath.Join("testdata", "golden", name), b)
	}
}
