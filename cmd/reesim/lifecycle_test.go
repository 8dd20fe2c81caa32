package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/reesim/reesim/scenarios"
)

// The cases of issue 16 in which results were lost or a run was taken for
// complete when it was not, each tested here on the command's own code or
// on the real binary.

// startSmall starts a run of the small scenario into out and simulates 64
// paths, as runOne would, leaving finish to the test.
func startSmall(t *testing.T, o *runOptions) *scenarioRun {
	t.Helper()
	s, err := scenarios.Load(smallScenario)
	if err != nil {
		t.Fatal(err)
	}
	c, err := scenarios.Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	sr, err := startScenarioRun(c, 3, filepath.Join(o.out, "small"), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sr.abort)
	if err := sr.simulate(context.Background(), 64, nil); err != nil {
		t.Fatal(err)
	}
	return sr
}

func smallOptions(out string) *runOptions {
	var stdout, stderr bytes.Buffer
	return &runOptions{workers: 2, out: out, trace: -1, stdout: &stdout, stderr: &stderr}
}

// Two runs into one folder: the second to start is refused while the
// first writes, and one whose results meet results that appeared meanwhile
// keeps its own beside them and fails, saying where.
func TestTwoRunsIntoOneFolder(t *testing.T) {
	out := t.TempDir()
	first := startSmall(t, smallOptions(out))
	code, _, stderr := runReesim("run", smallScenario, "--paths", "64", "--out", out, "--charts=false")
	if code != 1 || !strings.Contains(stderr, "another reesim run (process ") || !strings.Contains(stderr, "is writing "+filepath.Join(out, "small")+" now") {
		t.Errorf("a run into a folder another run is writing: exit %d, %s", code, stderr)
	}
	// Results that appear while the first run writes (a run that started
	// before it and finished first) stay; the first run's go beside them.
	final := filepath.Join(out, "small")
	if err := os.MkdirAll(final, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(final, "summary.json"), []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := first.finish("reesim run small"); err != nil {
		t.Fatal(err)
	}
	err := first.kept
	if err == nil || first.at != final+"~2" || exitCode(context.Background(), err) != 1 {
		t.Fatalf("finish: kept %v at %s, want the results kept in %s~2 and exit code 1", err, first.at, final)
	}
	if b, _ := os.ReadFile(filepath.Join(final, "summary.json")); string(b) != "{}\n" {
		t.Errorf("the results that appeared were changed: %q", b)
	}
	if _, err := os.Stat(filepath.Join(first.at, "paths.csv")); err != nil {
		t.Errorf("the run's own results are not complete in %s: %v", first.at, err)
	}
	if msg := err.Error(); !strings.Contains(msg, "this run's complete results are in "+final+"~2") {
		t.Errorf("message does not say where the results are: %s", msg)
	}
	noLeftovers(t, out)
}

// The output folder deleted during a run: the run fails, saying so, and
// makes nothing again.
func TestOutputFolderDeleted(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	sr := startSmall(t, smallOptions(out))
	if err := os.RemoveAll(out); err != nil {
		t.Fatal(err)
	}
	_, err := sr.finish("reesim run small")
	if err == nil || exitCode(context.Background(), err) != 1 || !strings.Contains(err.Error(), "was removed or replaced by another program during the run") {
		t.Fatalf("finish after the output folder was deleted: %v, want a failure that says so", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("the output folder was made again (%v)", err)
	}
}

// An interrupt while the charts would be drawn: the tables are written,
// the charts are not.
func TestInterruptSkipsCharts(t *testing.T) {
	out := t.TempDir()
	o := smallOptions(out)
	o.charts = true
	sr := startSmall(t, o)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	sr.ctx = ctx
	res, err := sr.finish("reesim run small")
	if err != nil {
		t.Fatal(err)
	}
	if !sr.chartsSkipped || res.Paths != 64 {
		t.Errorf("chartsSkipped %v, %d paths", sr.chartsSkipped, res.Paths)
	}
	dir := filepath.Join(out, "small")
	for _, name := range []string{"paths.csv", "quantiles.csv", "summary.json", "manifest.json", "scenario.resolved.toml"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("tables lack %s", name)
		}
	}
	for _, name := range []string{"charts", "report.html", "briefing.pdf"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			t.Errorf("%s drawn after the interrupt", name)
		}
	}
}

// A batch whose own files would land on an earlier single run's results
// is refused before anything runs.
func TestBatchFilesClash(t *testing.T) {
	dir := t.TempDir()
	small, err := filepath.Abs(smallScenario)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"charts", "index.csv"} {
		file := filepath.Join(dir, name+".toml")
		if err := os.WriteFile(file, []byte("extends = "+quote(small)+"\nname = \""+name+"\"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		out := t.TempDir()
		if code, _, stderr := runReesim("run", file, "--paths", "64", "--out", out, "--charts=false"); code != 0 {
			t.Fatalf("single run of %s: exit %d: %s", name, code, stderr)
		}
		before := snapshot(t, out)
		code, stdout, stderr := runReesim("run", "testdata/bad/files/ok.toml", "testdata/bad/files/ok-two.toml", "--paths", "64", "--out", out)
		want := filepath.Join(out, name) + " holds the results of an earlier run of a scenario named \"" + name + "\""
		if code != 1 || stdout != "" || !strings.Contains(stderr, want) || !strings.HasSuffix(stderr, "nothing was run\n") {
			t.Errorf("batch over a run named %s: exit %d, stdout %q, stderr %q; want exit 1 and %q", name, code, stdout, stderr, want)
		}
		if diff := sameFiles(before, snapshot(t, out)); diff != "" {
			t.Errorf("batch over a run named %s changed the output folder: %s", name, diff)
		}
	}
	// Without charts a batch writes only index.csv: a run named charts is
	// in no one's way then.
	out := t.TempDir()
	if code, _, stderr := runReesim("run", filepath.Join(dir, "charts.toml"), "--paths", "64", "--out", out, "--charts=false"); code != 0 {
		t.Fatal(stderr)
	}
	if code, _, stderr := runReesim("run", "testdata/bad/files/ok.toml", "testdata/bad/files/ok-two.toml", "--paths", "64", "--out", out, "--charts=false"); code != 0 {
		t.Errorf("batch without charts beside a run named charts: exit %d: %s", code, stderr)
	}
}

// --force over results that cannot all be deleted: as another user, the
// run refuses before simulating; as root (who may delete anything but an
// immutable file) the new results go in place and a warning says where
// the rest of the old ones are.
func TestForceOverUndeletableResults(t *testing.T) {
	out := t.TempDir()
	if code, _, stderr := runReesim("run", smallScenario, "--paths", "64", "--out", out, "--charts=false"); code != 0 {
		t.Fatal(stderr)
	}
	final := filepath.Join(out, "small")
	if os.Geteuid() != 0 {
		sub := filepath.Join(final, "sub")
		if err := os.Mkdir(sub, 0o555); err != nil {
			t.Fatal(err)
		}
		defer os.Chmod(sub, 0o755)
		before := snapshot(t, out)
		code, _, stderr := runReesim("run", smallScenario, "--paths", "64", "--out", out, "--charts=false", "--force")
		if code != 1 || !strings.Contains(stderr, "cannot replace "+final+": its files could not be deleted: "+sub+" cannot be written in") {
			t.Errorf("exit %d: %s", code, stderr)
		}
		if diff := sameFiles(before, snapshot(t, out)); diff != "" {
			t.Errorf("results changed: %s", diff)
		}
		return
	}
	locked := filepath.Join(final, "summary.csv")
	if b, err := exec.Command("chattr", "+i", locked).CombinedOutput(); err != nil {
		t.Skipf("as root, and chattr +i fails here: %v %s", err, b)
	}
	defer func() {
		files, _ := filepath.Glob(filepath.Join(out, ".small.tmp-*.old", "summary.csv"))
		for _, f := range append(files, locked) {
			exec.Command("chattr", "-i", f).Run()
		}
	}()
	code, stdout, stderr := runReesim("run", smallScenario, "--paths", "64", "--seed", "9", "--out", out, "--charts=false", "--force")
	if code != 0 || !strings.Contains(stdout, "seed 9 -> "+final) {
		t.Fatalf("exit %d, stdout %s, stderr %s", code, stdout, stderr)
	}
	old, _ := filepath.Glob(filepath.Join(out, ".small.tmp-*.old"))
	if len(old) != 1 || !strings.Contains(stderr, "reesim: warning: the new results are in place in "+final+"; the earlier results they replace were moved to "+old[0]+", and not all of their files could be deleted") {
		t.Errorf("stderr does not say which folder holds what (%v):\n%s", old, stderr)
	}
}

// A run killed with SIGKILL leaves its temporary folder, which the next
// run into the same folder removes, saying so.
func TestKilledRunLitter(t *testing.T) {
	bin := reesimBinary(t)
	out := t.TempDir()
	cmd := exec.Command(bin, "run", smallScenario, "--paths", "100000000", "--out", out, "--charts=false", "--workers", "2")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitForPaths(t, out)
	cmd.Process.Kill()
	cmd.Wait()
	left, _ := filepath.Glob(filepath.Join(out, ".small.tmp-*"))
	if len(left) != 1 {
		t.Fatalf("after kill -9: %v, want one temporary folder", left)
	}
	code, _, stderr := runReesim("run", smallScenario, "--paths", "64", "--out", out, "--charts=false")
	if code != 0 || !strings.Contains(stderr, "reesim run: removed "+left[0]+" (left by a run that was stopped before it finished)") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
	noLeftovers(t, out)
}

// A second interrupt quits at once, with code 130, even when reesim was
// started with SIGINT ignored (as a background job of a script is); the
// next run removes what it left.
func TestSecondInterrupt(t *testing.T) {
	bin := reesimBinary(t)
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	out := t.TempDir()
	cmd := exec.Command(sh, "-c", `trap "" INT; exec "$0" "$@"`, bin, "run", smallScenario, "--paths", "100000000", "--out", out, "--workers", "2")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitForPaths(t, out)
	cmd.Process.Signal(syscall.SIGINT)
	cmd.Process.Signal(syscall.SIGINT)
	wait(t, cmd, &stderr)
	if code := cmd.ProcessState.ExitCode(); code != 130 {
		t.Fatalf("exit %d, want 130; stderr:\n%s", code, stderr.String())
	}
	if _, err := os.Stat(filepath.Join(out, "small", "report.html")); err == nil {
		t.Error("charts drawn after an interrupt")
	}
	code, _, errs := runReesim("run", smallScenario, "--paths", "64", "--out", filepath.Join(out, "next"), "--charts=false")
	if code != 0 {
		t.Fatal(errs)
	}
	os.RemoveAll(filepath.Join(out, "small")) // partial results, if the first signal finished them
	if code, _, errs := runReesim("run", smallScenario, "--paths", "64", "--out", out, "--charts=false"); code != 0 {
		t.Fatal(errs)
	}
	noLeftovers(t, out)
}

// The same scenario and seed make the same files, byte for byte, whatever
// the number of workers, but for manifest.json's times and worker count:
// the PDFs carry a fixed date and the page neither times nor workers. The
// resolved scenario records the seed and paths run, so that running it
// again makes the same results.
func TestSameRunSameBytes(t *testing.T) {
	if os.Getenv("SOURCE_DATE_EPOCH") != "" {
		t.Skip("SOURCE_DATE_EPOCH is set")
	}
	out1, out2 := t.TempDir(), t.TempDir()
	for i, out := range []string{out1, out2} {
		workers := []string{"1", "2"}[i]
		if code, _, stderr := runReesim("run", smallScenario, "--paths", "64", "--seed", "7", "--workers", workers, "--out", out); code != 0 {
			t.Fatalf("run %d: exit %d: %s", i+1, code, stderr)
		}
	}
	a, b := snapshot(t, filepath.Join(out1, "small")), snapshot(t, filepath.Join(out2, "small"))
	delete(a, "manifest.json")
	delete(b, "manifest.json")
	if diff := sameFiles(a, b); diff != "" {
		t.Errorf("two runs of one scenario and seed differ: %s", diff)
	}
	if !strings.Contains(a["briefing.pdf"], "/CreationDate (D:20000101000000") {
		t.Error("briefing.pdf does not carry the fixed date")
	}
	resolved := a["scenario.resolved.toml"]
	if !strings.Contains(resolved, "\nseed = 7\n") || !strings.Contains(resolved, "\npaths = 64\n") {
		t.Fatalf("scenario.resolved.toml does not record seed 7 and 64 paths:\n%.400s", resolved)
	}
	// The resolved scenario, run as it is, makes the same tables.
	again := filepath.Join(t.TempDir(), "again.toml")
	if err := os.WriteFile(again, []byte(resolved), 0o644); err != nil {
		t.Fatal(err)
	}
	out3 := t.TempDir()
	if code, _, stderr := runReesim("run", again, "--out", out3, "--charts=false"); code != 0 {
		t.Fatalf("run of the resolved scenario: exit %d: %s", code, stderr)
	}
	c := snapshot(t, filepath.Join(out3, "small"))
	for _, name := range []string{"paths.csv", "quantiles.csv", "summary.csv", "summary.json", "scenario.resolved.toml"} {
		if withoutSource(a[name]) != withoutSource(c[name]) {
			t.Errorf("running scenario.resolved.toml again: %s differs", name)
		}
	}
}

// withoutSource drops the line of a resolved scenario that says which
// files it was read from.
func withoutSource(text string) string {
	var keep []string
	for _, line := range strings.Split(text, "\n") {
		if !strings.HasPrefix(line, "# Read from: ") {
			keep = append(keep, line)
		}
	}
	return strings.Join(keep, "\n")
}
