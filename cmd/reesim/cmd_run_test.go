package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reesim/reesim/results"
)

// files returns every file of a results folder but the manifest, whose
// times differ from run to run.
func files(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() || fi.Name() == "manifest.json" || strings.HasSuffix(p, ".png") || strings.HasSuffix(p, ".pdf") || strings.HasSuffix(p, ".svg") || strings.HasSuffix(p, ".html") {
			return err
		}
		b, _ := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[rel] = b
		return nil
	})
	return out
}

func TestRunIdenticalAcrossWorkers(t *testing.T) {
	var first map[string][]byte
	for _, w := range []string{"1", "2", "8"} {
		out := t.TempDir()
		code, _, stderr := runReesim("run", "testdata/batch/small.toml", "--paths", "300", "--seed", "4", "--workers", w, "--out", out, "--charts=false")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		got := files(t, filepath.Join(out, "small"))
		if len(got) < 5 {
			t.Fatalf("only %d files written", len(got))
		}
		if first == nil {
			first = got
			continue
		}
		for name, b := range first {
			if !bytes.Equal(b, got[name]) {
				t.Errorf("%s differs between 1 and %s workers", name, w)
			}
		}
	}
}

func TestRunFilesAndHeaders(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runReesim("run", "--paths", "130", "--out", out, "testdata/batch/small.toml", "--charts=false")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, filepath.Join(out, "small")) {
		t.Errorf("stdout does not say where the results are:\n%s", stdout)
	}
	dir := filepath.Join(out, "small")
	read := func(name string) [][]string {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		recs, err := csv.NewReader(f).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return recs
	}
	q := read("quantiles.csv")
	if strings.Join(q[0], ",") != strings.Join(results.QuantileHeader, ",") {
		t.Errorf("quantiles.csv header %v", q[0])
	}
	if q[1][0] != "2026-01" {
		t.Errorf("first month %q, want 2026-01", q[1][0])
	}
	if p := read("paths.csv"); len(p) != 131 || p[0][0] != "path" || !strings.Contains(strings.Join(p[0], ","), "ban_share") {
		t.Errorf("paths.csv: %d rows, header %v", len(p), p[0])
	}
	s := read("summary.csv")
	if strings.Join(s[0], ",") != strings.Join(results.SummaryHeader, ",") {
		t.Errorf("summary.csv header %v", s[0])
	}
	found := false
	for _, row := range s[1:] {
		if row[0] == "cum_shortfall_t" {
			found = true
			if !strings.Contains(row[9], "P(>1000)=") {
				t.Errorf("summary.csv row %v: no exceedance of 1000", row)
			}
		}
	}
	if !found {
		t.Errorf("summary.csv has no cum_shortfall_t row")
	}
	var man results.Manifest
	b, _ := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err := json.Unmarshal(b, &man); err != nil || man.Paths != 130 || man.Seed != 1 || len(man.ScenarioHash) != 64 {
		t.Errorf("manifest %+v, %v", man, err)
	}
	// The resolved scenario runs again to the same results.
	out2 := t.TempDir()
	code, _, stderr = runReesim("run", "--paths", "130", "--out", out2, filepath.Join(dir, "scenario.resolved.toml"), "--charts=false")
	if code != 0 {
		t.Fatalf("re-run of the resolved scenario: exit %d: %s", code, stderr)
	}
	a, c := files(t, dir), files(t, filepath.Join(out2, "small"))
	for _, name := range []string{"quantiles.csv", "paths.csv", "summary.csv"} {
		if !bytes.Equal(a[name], c[name]) {
			t.Errorf("%s differs when the resolved scenario is run again", name)
		}
	}
	// Existing results are not replaced without --force.
	code, _, stderr = runReesim("run", "--paths", "10", "--out", out, "testdata/batch/small.toml")
	if code == 0 || !strings.Contains(stderr, "--force") {
		t.Errorf("second run without --force: exit %d, %s", code, stderr)
	}
}

func TestRunShippedNameAndFolder(t *testing.T) {
	out := t.TempDir()
	code, _, stderr := runReesim("run", "baseline", "--paths", "20", "--out", out, "--charts=false")
	if code != 0 {
		t.Fatalf("shipped name: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "baseline", "quantiles.csv")); err != nil {
		t.Error(err)
	}
	code, stdout, stderr := runReesim("run", "testdata/batch", "--paths", "20", "--out", out, "--charts=false")
	if code != 0 {
		t.Fatalf("folder: exit %d: %s", code, stderr)
	}
	idx, err := os.ReadFile(filepath.Join(out, "index.csv"))
	if err != nil || strings.Count(string(idx), "\n") != 3 || !strings.Contains(stdout, "index of 2 scenarios") {
		t.Errorf("index.csv: %q, %v", idx, err)
	}
}

func TestRunTrace(t *testing.T) {
	out := t.TempDir()
	code, _, stderr := runReesim("run", "testdata/batch/small.toml", "--trace", "7", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(out, "small", "trace-7.csv"))
	if err != nil || strings.Count(string(b), "\n") != 49 || !strings.HasPrefix(string(b), "month,price_ndpr_china") {
		t.Errorf("trace: %d lines, %v", strings.Count(string(b), "\n"), err)
	}
}
