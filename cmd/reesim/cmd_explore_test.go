package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// explore sensitivity gives the same files on one worker as on three, and
// its tables hold every headline metric and the screen.
func TestExploreSensitivityWorkers(t *testing.T) {
	var want map[string]string
	for _, w := range []string{"1", "3"} {
		out := t.TempDir()
		code, stdout, stderr := runReesim("explore", "sensitivity", "baseline", "--base", "8", "--trajectories", "2", "--max-factors", "4",
			"--bootstrap", "20", "--workers", w, "--no-charts", "--out", out)
		if code != 0 {
			t.Fatalf("workers %s: exit %d\n%s\n%s", w, code, stdout, stderr)
		}
		got := map[string]string{}
		for _, f := range []string{"sensitivity.csv", "screening.csv", "summary.json"} {
			b, err := os.ReadFile(filepath.Join(out, "baseline-sensitivity", f))
			if err != nil {
				t.Fatal(err)
			}
			got[f] = string(b)
		}
		if want == nil {
			want = got
			var sum SensitivitySummary
			if err := json.Unmarshal([]byte(got["summary.json"]), &sum); err != nil {
				t.Fatal(err)
			}
			if sum.Screen == nil || sum.Screen.Kept != 3 || len(sum.SobolFactors) != 4 || sum.SobolRuns != 8*6 {
				t.Errorf("summary: screen %+v, factors %v, runs %d", sum.Screen, sum.SobolFactors, sum.SobolRuns)
			}
			if n := strings.Count(got["sensitivity.csv"], "\n"); n != 1+4*len(sum.Metrics) {
				t.Errorf("sensitivity.csv has %d lines, want %d", n, 1+4*len(sum.Metrics))
			}
			continue
		}
		for f := range want {
			if got[f] != want[f] {
				t.Errorf("%s differs between 1 and %s workers", f, w)
			}
		}
	}
}

// explore discover finds a box on a small run and writes its files; a
// crisis that no path meets is refused.
func TestExploreDiscover(t *testing.T) {
	out := t.TempDir()
	if code, _, stderr := runReesim("run", "heavy-ree-ban", "--paths", "400", "--no-charts", "--out", out); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	run := filepath.Join(out, "heavy-ree-ban")
	code, stdout, stderr := runReesim("explore", "discover", run, "--crisis", "peak_price_magnet_exchina > 400", "--resamples", "4")
	if code != 0 {
		t.Fatalf("discover: exit %d\n%s\n%s", code, stdout, stderr)
	}
	for _, f := range []string{"box.csv", "tradeoff.csv", "stability.csv", "summary.json", "report.html", "charts/discover-tradeoff.png"} {
		if _, err := os.Stat(filepath.Join(run, "discover", f)); err != nil {
			t.Errorf("discover wrote no %s", f)
		}
	}
	var sum DiscoverSummary
	b, _ := os.ReadFile(filepath.Join(run, "discover", "summary.json"))
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Paths != 400 || sum.Crises == 0 || !(sum.Density >= sum.BaseRate) || sum.Sentence == "" {
		t.Errorf("summary: %+v", sum)
	}
	if code, _, stderr := runReesim("explore", "discover", run, "--crisis", "cum_shortfall_t > 1e12", "--out", out); code != 1 || !strings.Contains(stderr, "no path meets it") {
		t.Errorf("a crisis no path meets: exit %d, %s", code, stderr)
	}
	// Again without --force: refused, the earlier results kept.
	if code, _, stderr := runReesim("explore", "discover", run, "--crisis", "peak_price_magnet_exchina > 400"); code != 1 || !strings.Contains(stderr, "already exists") {
		t.Errorf("discover into an existing folder: exit %d, %s", code, stderr)
	}
}
