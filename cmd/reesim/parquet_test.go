package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"

	"github.com/reesim/reesim/results"
)

// TestPathsParquet runs one scenario twice with the same seed, writing
// paths.csv and then paths.parquet, and reads the Parquet file back: its
// columns and every value are those of paths.csv (which writes 7
// significant digits).
func TestPathsParquet(t *testing.T) {
	out := t.TempDir()
	for _, format := range []string{"csv", "parquet"} {
		code, _, stderr := runReesim("run", "testdata/batch/small-ban.toml", "--paths", "300", "--seed", "3", "--out", filepath.Join(out, format), "--paths-format", format, "--no-charts")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", format, code, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "parquet", "small-ban", "paths.csv")); err == nil {
		t.Error("--paths-format parquet wrote paths.csv too")
	}
	f, err := os.Open(filepath.Join(out, "csv", "small-ban", "paths.csv"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	names, cols, err := results.ReadPathsParquet(filepath.Join(out, "parquet", "small-ban", "paths.parquet"), 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != len(want[0]) {
		t.Fatalf("paths.parquet has %d columns, paths.csv %d", len(names), len(want[0]))
	}
	at := map[string]int{}
	for j, n := range names {
		at[n] = j
	}
	for j, name := range want[0] {
		c, ok := at[name]
		if !ok {
			t.Errorf("paths.parquet has no column %q", name)
			continue
		}
		if len(cols[c]) != len(want)-1 {
			t.Fatalf("column %s: %d rows, paths.csv has %d", name, len(cols[c]), len(want)-1)
		}
		for i, row := range want[1:] {
			if got := results.FormatNumber(cols[c][i]); got != row[j] {
				t.Errorf("path %d, %s: parquet %s, csv %s", i, name, got, row[j])
				break
			}
		}
	}
}
