package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/reesim/reesim/study"
)

// sizesStudy is a small study of stockpile sizes on a 3-year test world.
const sizesStudy = "../../study/testdata/sizes.toml"

func TestStudyList(t *testing.T) {
	code, stdout, stderr := runReesim("study", "--list")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"stockpile-sizes", "price-floor"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("reesim study --list does not list %s:\n%s", want, stdout)
		}
	}
}

func TestStudyWritesFolder(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runReesim("study", sizesStudy, "--paths", "200", "--seed", "3", "--out", out, "--charts=false", "--workers", "2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	dir := filepath.Join(out, "sizes")
	for _, f := range []string{"comparison.csv", "cost_benefit.csv", "summary.json", "report.html",
		"stockpile-0/paths.csv", "stockpile-180/summary.json", "stockpile-90/scenario.resolved.toml", "stockpile-30/manifest.json"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
	leftovers, _ := filepath.Glob(filepath.Join(out, ".*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary folders left: %v", leftovers)
	}

	f, err := os.Open(filepath.Join(dir, "comparison.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows[0], study.ComparisonHeader) {
		t.Errorf("comparison.csv header %q", rows[0])
	}
	if want := 1 + 5*len(study.DefaultMetrics); len(rows) != want {
		t.Errorf("comparison.csv has %d rows, want %d", len(rows), want)
	}

	var o study.Outcome
	b, _ := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err := json.Unmarshal(b, &o); err != nil {
		t.Fatal(err)
	}
	if o.Paths != 200 || o.Seed != 3 || len(o.Bases) != 1 || o.Bases[0].Choice == nil || o.Answer == "" {
		t.Errorf("summary.json: paths %d, seed %d, %d bases, answer %q", o.Paths, o.Seed, len(o.Bases), o.Answer)
	}
	if !strings.Contains(strings.Join(strings.Fields(stdout), " "), o.Answer) || !strings.Contains(stdout, "stockpile-180") {
		t.Errorf("stdout lacks the answer or the ranking:\n%s", stdout)
	}
	html, _ := os.ReadFile(filepath.Join(dir, "report.html"))
	if !strings.Contains(string(html), "Under the small scenario") || !strings.Contains(string(html), "Ranking") {
		t.Error("report.html lacks the answer or the ranking")
	}

	// A variant's folder is what reesim run makes of its resolved
	// scenario with the same seed and paths.
	again := t.TempDir()
	code, _, stderr = runReesim("run", filepath.Join(dir, "stockpile-90", "scenario.resolved.toml"), "--paths", "200", "--seed", "3", "--out", again, "--charts=false")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, name := range []string{"paths.csv", "quantiles.csv", "summary.csv"} {
		x, _ := os.ReadFile(filepath.Join(dir, "stockpile-90", name))
		y, _ := os.ReadFile(filepath.Join(again, "small.stockpile-90", name))
		if len(x) == 0 || !bytes.Equal(x, y) {
			t.Errorf("%s of the study's variant differs from reesim run of its resolved scenario", name)
		}
	}

	// The folder is not replaced without --force.
	code, _, stderr = runReesim("study", sizesStudy, "--paths", "100", "--out", out, "--charts=false")
	if code != 1 || !strings.Contains(stderr, "--force") {
		t.Errorf("second run without --force: exit %d, %s", code, stderr)
	}
	code, _, stderr = runReesim("study", sizesStudy, "--paths", "100", "--out", out, "--charts=false", "--force")
	if code != 0 {
		t.Errorf("second run with --force: exit %d, %s", code, stderr)
	}
}

// With --precision the study says whether it reached the target, and its
// variants' folders equal a single run of as many paths.
func TestStudyPrecision(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runReesim("study", sizesStudy, "--precision", "1e-9", "--paths", "1100", "--out", out, "--charts=false")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "path limit of 1,100 paths") || !strings.Contains(stdout, "1024 paths: widest") {
		t.Errorf("stdout does not say the limit was reached:\n%s", stdout)
	}
	again := t.TempDir()
	code, _, stderr = runReesim("run", filepath.Join(out, "sizes", "stockpile-60", "scenario.resolved.toml"), "--paths", "1100", "--seed", "1", "--out", again, "--charts=false")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, name := range []string{"paths.csv", "quantiles.csv", "summary.json"} {
		x, _ := os.ReadFile(filepath.Join(out, "sizes", "stockpile-60", name))
		y, _ := os.ReadFile(filepath.Join(again, "small.stockpile-60", name))
		if len(x) == 0 || !bytes.Equal(x, y) {
			t.Errorf("%s of a variant run in stages differs from one run of all its paths", name)
		}
	}

	out = t.TempDir()
	code, stdout, stderr = runReesim("study", sizesStudy, "--precision", "1e9", "--out", out, "--charts=false")
	if code != 0 || !strings.Contains(stdout, "precision reached") || !strings.Contains(stdout, "1,024 paths") {
		t.Errorf("a loose target: exit %d\n%s%s", code, stdout, stderr)
	}
}

func TestStudyBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.toml")
	os.WriteFile(bad, []byte("name = \"bad\"\nbase = \"baseline\"\nrefrence = \"a\"\n[[variant]]\nname = \"a\"\n[[variant]]\nname = \"b\"\n"), 0o644)
	for _, tc := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"study"}, 2, "study needs a study"},
		{[]string{"study", "a", "b"}, 2, "one study"},
		{[]string{"study", "--precision", "-1", "stockpile-sizes"}, 2, "above 0"},
		{[]string{"study", "no-such-study"}, 3, `no shipped study called "no-such-study"`},
		{[]string{"study", bad, "--out", dir}, 3, `bad.toml:3: refrence: unknown key "refrence" at the top level of a study file (did you mean "reference"?)`},
	} {
		code, _, stderr := runReesim(tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.stderr) {
			t.Errorf("reesim %s: exit %d, stderr %q; want %d and %q", strings.Join(tc.args, " "), code, stderr, tc.code, tc.stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "bad")); err == nil {
		t.Error("an invalid study left a folder")
	}
}

// A study with several bases writes each base's variants in a folder of
// its own.
func TestStudySeveralBases(t *testing.T) {
	dir := t.TempDir()
	text := `name = "two"
base = ["` + filepath.ToSlash(mustAbs(t, "../../study/testdata/small.toml")) + `", "` + filepath.ToSlash(mustAbs(t, "../../study/testdata/small-b.toml")) + `"]
reference = "a"
[[variant]]
name = "a"
[[variant]]
name = "b"
[variant.set]
"stockpile.allied.size_days" = 30
`
	file := filepath.Join(dir, "two.toml")
	os.WriteFile(file, []byte(text), 0o644)
	code, stdout, stderr := runReesim("study", file, "--paths", "100", "--out", dir, "--charts=false")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, f := range []string{"small/a/paths.csv", "small/b/paths.csv", "small-b/a/paths.csv", "small-b/b/paths.csv", "comparison.csv"} {
		if _, err := os.Stat(filepath.Join(dir, "two", f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
	if !strings.Contains(stdout, "under small-b:") {
		t.Errorf("stdout:\n%s", stdout)
	}
}

func mustAbs(t *testing.T, p string) string {
	t.Helper()
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
