package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/reesim/reesim/engine"
	"github.com/reesim/reesim/results"
	"github.com/reesim/reesim/scenarios"
	"github.com/reesim/reesim/uncertain"
)

const smallScenario = "testdata/batch/small.toml"

var (
	binOnce sync.Once
	binDir  string
	binErr  error
)

// reesimBinary builds reesim once per test binary, for the tests that
// need a real process: signals, file-size limits. It skips the test when
// that cannot be done here.
func reesimBinary(t *testing.T) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("signals and ulimit are POSIX")
	}
	if testing.Short() {
		t.Skip("builds reesim; not in -short mode")
	}
	gotool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("builds reesim; no go command on PATH")
	}
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "reesim-bin-")
		if binErr != nil {
			return
		}
		out, err := exec.Command(gotool, "build", "-o", filepath.Join(binDir, "reesim"), ".").CombinedOutput()
		if err != nil {
			binErr = errors.New("go build: " + err.Error() + "\n" + string(out))
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return filepath.Join(binDir, "reesim")
}

// snapshot returns every file under dir, by path relative to dir.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[rel] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// sameFiles reports the first difference between two snapshots, or "".
func sameFiles(a, b map[string]string) string {
	for name, s := range a {
		if t, ok := b[name]; !ok {
			return name + " is gone"
		} else if s != t {
			return name + " changed"
		}
	}
	for name := range b {
		if _, ok := a[name]; !ok {
			return name + " is new"
		}
	}
	return ""
}

// noLeftovers checks that no temporary file or folder is left in out.
func noLeftovers(t *testing.T, out string) {
	t.Helper()
	if left, _ := filepath.Glob(filepath.Join(out, ".*")); len(left) > 0 {
		t.Errorf("temporary files left in %s: %v", out, left)
	}
}

// TestInterrupt runs the real binary, interrupts it after about a second
// and checks that it exits with code 130, leaving either no results or the
// complete tables of the paths done, marked partial in the manifest and
// the summary, without charts; and that with --force it leaves earlier
// complete results as they were rather than replace them with a part of a
// run.
//
// How soon reesim exits is not timed here: on a busy machine any bound
// would fail now and then (the README's figure is measured by hand). The
// bound below only catches a hang; what makes the exit quick is checked
// instead: the charts, which take seconds, are not drawn after an
// interrupt.
func TestInterrupt(t *testing.T) {
	bin := reesimBinary(t)
	tests := []struct {
		name     string
		sig      syscall.Signal
		charts   bool
		existing bool // earlier results in the folder, and --force
	}{
		{"SIGTERM", syscall.SIGTERM, false, false},
		{"SIGINT with charts", syscall.SIGINT, true, false},
		{"SIGINT with --force over earlier results", syscall.SIGINT, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := t.TempDir()
			dir := filepath.Join(out, "small")
			var before map[string]string
			if tt.existing {
				if b, err := exec.Command(bin, "run", smallScenario, "--paths", "64", "--out", out, "--charts=false").CombinedOutput(); err != nil {
					t.Fatalf("first run: %v\n%s", err, b)
				}
				before = snapshot(t, dir)
			}
			args := []string{"run", smallScenario, "--paths", "100000000", "--out", out, "--workers", "2", "--charts=" + map[bool]string{true: "true", false: "false"}[tt.charts]}
			if tt.existing {
				args = append(args, "--force")
			}
			cmd := exec.Command(bin, args...)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			waitForPaths(t, out)
			if err := cmd.Process.Signal(tt.sig); err != nil {
				t.Fatal(err)
			}
			wait(t, cmd, &stderr)
			if code := cmd.ProcessState.ExitCode(); code != 130 {
				t.Fatalf("exit code %d after %v, want 130; stderr:\n%s", code, tt.sig, stderr.String())
			}
			if strings.Contains(stderr.String(), "goroutine ") {
				t.Errorf("stack trace on stderr:\n%s", stderr.String())
			}
			noLeftovers(t, out)
			if tt.existing {
				if diff := sameFiles(before, snapshot(t, dir)); diff != "" {
					t.Errorf("earlier results not kept after an interrupted --force run: %s", diff)
				}
				if !strings.Contains(stderr.String(), "was left as it was") {
					t.Errorf("stderr does not say the earlier results were kept:\n%s", stderr.String())
				}
				return
			}
			if _, err := os.Stat(dir); os.IsNotExist(err) {
				return // no results at all is fine too
			}
			checkPartial(t, dir)
			if !strings.Contains(stdout.String(), "PARTIAL") {
				t.Errorf("stdout does not say the results are partial:\n%s", stdout.String())
			}
			if tt.charts && !strings.Contains(stderr.String(), "its charts and report.html were not drawn (to draw them: reesim plot "+dir+")") {
				t.Errorf("stderr does not say that the charts were left out:\n%s", stderr.String())
			}
		})
	}
}

// waitForPaths waits until a run into out has written some paths: its
// temporary folder holds a paths.csv with rows.
func waitForPaths(t *testing.T, out string) {
	t.Helper()
	waitForPathsOf(t, out, "*")
}

// waitForPathsOf is waitForPaths for the scenario name (a pattern).
func waitForPathsOf(t *testing.T, out, name string) {
	t.Helper()
	for range 1200 {
		files, _ := filepath.Glob(filepath.Join(out, "."+name+".tmp-*", "paths.csv"))
		for _, f := range files {
			if fi, err := os.Stat(f); err == nil && fi.Size() > 64<<10 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("no paths written after a minute")
}

// wait waits for cmd to exit, killing it if it hangs (a minute: far
// longer than a stop takes even on a busy machine).
func wait(t *testing.T, cmd *exec.Cmd, stderr *bytes.Buffer) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(time.Minute):
		cmd.Process.Kill()
		<-done
		t.Fatalf("reesim still running a minute after the signal; stderr:\n%s", stderr.String())
	}
}

// checkPartial checks that the results folder dir holds the complete
// tables of a part of the paths asked for, marked partial everywhere,
// and no charts: an interrupted run does not draw them.
func checkPartial(t *testing.T, dir string) {
	t.Helper()
	var man results.Manifest
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatalf("results without a manifest: %v", err)
	}
	if err := json.Unmarshal(b, &man); err != nil {
		t.Fatal(err)
	}
	if !man.Partial || man.Paths <= 0 || man.Paths >= man.PathsAsked {
		t.Errorf("manifest: partial %v, %d of %d paths; want partial with some paths done", man.Partial, man.Paths, man.PathsAsked)
	}
	var sum results.Summary
	b, err = os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil || json.Unmarshal(b, &sum) != nil || !sum.Partial || sum.Paths != man.Paths {
		t.Errorf("summary.json: partial %v, %d paths (manifest %d), %v", sum.Partial, sum.Paths, man.Paths, err)
	}
	f, err := os.Open(filepath.Join(dir, "paths.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(rows) != man.Paths+1 {
		t.Errorf("paths.csv: %d rows for %d paths, %v", len(rows), man.Paths, err)
	}
	for _, name := range []string{"quantiles.csv", "summary.csv", "scenario.resolved.toml"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("partial results lack %s", name)
		}
	}
	b, err = os.ReadFile(filepath.Join(dir, "scenario.resolved.toml"))
	if err != nil || !strings.Contains(string(b), fmt.Sprintf("\npaths = %d\n", man.Paths)) {
		t.Errorf("scenario.resolved.toml does not record the %d paths run (%v)", man.Paths, err)
	}
	for _, name := range []string{"charts", "report.html", "briefing.pdf"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			t.Errorf("an interrupted run drew %s", name)
		}
	}
}

// TestFullDisk fills the disk, as far as reesim can tell: a file-size
// limit (ulimit -f) makes writes fail part way through paths.csv, as a
// full disk does. The run must fail with a clear message, leave the
// earlier results it was asked to replace (--force) as they were, and
// leave no temporary folder. (A tmpfs of a few hundred KB gives the same
// outcome with "no space left on device"; mounting one needs root.)
func TestFullDisk(t *testing.T) {
	bin := reesimBinary(t)
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh for ulimit")
	}
	out := t.TempDir()
	if b, err := exec.Command(bin, "run", smallScenario, "--paths", "64", "--out", out, "--charts=false").CombinedOutput(); err != nil {
		t.Fatalf("first run: %v\n%s", err, b)
	}
	before := snapshot(t, filepath.Join(out, "small"))
	// 40 blocks are 20 or 40 KB, by the shell; 5000 paths are some 1.5 MB.
	cmd := exec.Command(sh, "-c", `ulimit -f 40 && exec "$0" "$@"`, bin, "run", smallScenario, "--paths", "5000", "--force", "--out", out, "--charts=false")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("run with a full disk: %v, want exit code 1; stderr:\n%s", err, stderr.String())
	}
	msg := stderr.String()
	if !strings.Contains(msg, "file too large") || !strings.Contains(msg, "Nothing was replaced") || strings.Contains(msg, "goroutine ") {
		t.Errorf("stderr does not explain the failure:\n%s", msg)
	}
	if diff := sameFiles(before, snapshot(t, filepath.Join(out, "small"))); diff != "" {
		t.Errorf("earlier results changed by a run that could not write: %s", diff)
	}
	noLeftovers(t, out)
}

// TestUnwritableOutput checks that an output folder reesim cannot write in
// gives a clear error before anything is simulated, and leaves earlier
// results as they were. Root may write anywhere, so as root the folder is
// made unwritable by putting it under a regular file instead.
func TestUnwritableOutput(t *testing.T) {
	out := t.TempDir()
	if code, _, stderr := runReesim("run", smallScenario, "--paths", "64", "--out", out, "--charts=false"); code != 0 {
		t.Fatalf("first run: exit %d: %s", code, stderr)
	}
	before := snapshot(t, out)
	var code int
	var stdout, stderr, want string
	if os.Geteuid() == 0 {
		file := filepath.Join(out, "small", "summary.csv")
		code, stdout, stderr = runReesim("run", smallScenario, "--paths", "100000", "--out", filepath.Join(file, "sub"), "--charts=false")
		want = "reesim run: cannot create the output folder " + filepath.Join(file, "sub") + ": " + file + " is a file, not a folder\n"
	} else {
		if err := os.Chmod(out, 0o500); err != nil {
			t.Fatal(err)
		}
		defer os.Chmod(out, 0o755)
		code, stdout, stderr = runReesim("run", smallScenario, "--paths", "100000", "--out", out, "--force", "--charts=false")
		want = "reesim run: cannot write in the output folder " + out
	}
	if code != 1 || stdout != "" || !strings.HasPrefix(stderr, want) {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 1, nothing on stdout and %q", code, stdout, stderr, want)
	}
	// The error comes from the checks made before anything is simulated.
	s, err := scenarios.Load(smallScenario)
	if err != nil {
		t.Fatal(err)
	}
	o := runOptions{paths: 100000, workers: 2, trace: -1, force: true, out: out, stdout: io.Discard, stderr: io.Discard}
	if os.Geteuid() == 0 {
		o.out = filepath.Join(out, "small", "summary.csv", "sub")
	}
	if err := checkOutput([]*scenarios.Scenario{s}, []string{smallScenario}, &o); err == nil || !strings.HasPrefix("reesim run: "+err.Error()+"\n", want) {
		t.Errorf("checkOutput: %v, want %q", err, want)
	}
	os.Chmod(out, 0o755)
	if diff := sameFiles(before, snapshot(t, out)); diff != "" {
		t.Errorf("earlier results changed: %s", diff)
	}
}

// TestRunStopsOnBadPath spoils a scenario after loading it, as no file
// could (a mine growing 1e300-fold a year), so that its numbers overflow.
// The run must stop, name the scenario, seed and path, say how to trace
// the path, write nothing, and exit with 1; --trace then writes the path's
// months and says what is wrong.
func TestRunStopsOnBadPath(t *testing.T) {
	s, err := scenarios.Load(smallScenario)
	if err != nil {
		t.Fatal(err)
	}
	spoiled := false
	for i := range s.Facilities {
		if s.Facilities[i].Name == "us-mine" {
			s.Facilities[i].Growth = scenarios.Num{Dist: uncertain.Fixed{Value: 1e300}, Set: true}
			spoiled = true
		}
	}
	if !spoiled {
		t.Fatal("no facility us-mine in " + smallScenario)
	}
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	o := runOptions{paths: 200, workers: 2, out: out, trace: -1, stdout: &stdout, stderr: &stderr}
	_, err = runOne(context.Background(), s, smallScenario, &o)
	var pe *engine.PathError
	if !errors.As(err, &pe) || exitCode(context.Background(), err) != 1 {
		t.Fatalf("runOne = %v, want a path error and exit code 1", err)
	}
	want := "scenario small, seed 1, path 0: "
	trace := "; no results were written. To see that path month by month, run: reesim run --trace 0 --seed 1 --out " + out + " " + smallScenario
	if msg := err.Error(); !strings.HasPrefix(msg, want) || !strings.HasSuffix(msg, trace) || strings.Contains(msg, "\n") {
		t.Errorf("error:\n%s\nwant one line:\n%s...%s", msg, want, trace)
	}
	if entries, _ := os.ReadDir(out); len(entries) > 0 {
		t.Errorf("%s written after a path went wrong", entries[0].Name())
	}

	o.trace = 0
	stdout.Reset()
	if _, err := runOne(context.Background(), s, smallScenario, &o); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(out, "small", "trace-0.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), "\n"); n != 49 || !strings.Contains(string(b), "Inf") && !strings.Contains(string(b), "NaN") {
		t.Errorf("trace-0.csv: %d lines, no NaN or Inf in it", n)
	}
	if !strings.Contains(stdout.String(), "this path fails its check: ") {
		t.Errorf("stdout does not say what is wrong with the path:\n%s", stdout.String())
	}
}

// TestReportsEscapeText runs a scenario and a study whose texts hold HTML
// and terminal escape sequences, and checks that their pages show the text
// rather than run it, and that no control character reaches a page, a
// table or the terminal.
func TestReportsEscapeText(t *testing.T) {
	dir := t.TempDir()
	small, err := filepath.Abs(smallScenario)
	if err != nil {
		t.Fatal(err)
	}
	scenario := filepath.Join(dir, "xss.toml")
	text := "extends = " + quote(small) + "\nname = \"xss\"\n" +
		`description = "Ban <script>alert('x')</script> & <img src=x onerror=alert(1)> \u001b[31mred\u001b[0m \u001b]0;title\u0007 \u202eevil"` + "\n"
	if err := os.WriteFile(scenario, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	studyFile := filepath.Join(dir, "xss-study.toml")
	studyText := "name = \"xss-study\"\ndescription = \"<script>alert(2)</script>\"\nbase = \"xss.toml\"\nreference = \"a\"\n" +
		"notes = [\"<img src=y onerror=alert(3)> & </p>\"]\n" +
		"[[variant]]\nname = \"a\"\nlabel = \"<b>A</b> \\u001b[2J\"\n[[variant]]\nname = \"b\"\nlabel = \"<i>B</i>\"\n[variant.set]\n\"stockpile.us-nds.size_days\" = 30\n"
	if err := os.WriteFile(studyFile, []byte(studyText), 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	code, stdout, stderr := runReesim("run", scenario, "--paths", "64", "--out", out)
	if code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	code, stdout2, stderr2 := runReesim("study", studyFile, "--paths", "64", "--out", out, "--charts=false")
	if code != 0 {
		t.Fatalf("study: exit %d: %s", code, stderr2)
	}
	for _, text := range []string{stdout, stderr, stdout2, stderr2} {
		if strings.ContainsAny(text, "\x1b\x07\u202e") {
			t.Errorf("control characters on the terminal: %q", text)
		}
	}
	for _, name := range []string{"xss/manifest.json", "xss/scenario.resolved.toml", "xss-study/summary.json", "xss-study/comparison.csv"} {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil || strings.ContainsAny(string(b), "\x1b\x07\u202e") {
			t.Errorf("%s holds control characters (%v)", name, err)
		}
	}
	for _, page := range []string{filepath.Join(out, "xss", "report.html"), filepath.Join(out, "xss-study", "report.html")} {
		b, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		html := string(b)
		for _, bad := range []string{"<script>alert", "<img src=x", "<img src=y", "<b>A</b>", "<i>B</i>", "\x1b", "\x07", "\u202e"} {
			if strings.Contains(html, bad) {
				t.Errorf("%s holds %q unescaped", page, bad)
			}
		}
		if !strings.Contains(html, "&lt;script&gt;alert(") && !strings.Contains(html, "&lt;img src=") {
			t.Errorf("%s does not show the escaped text", page)
		}
	}
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestInterruptedBatchIndex interrupts a batch after its first scenario
// is done and checks that the batch's index, left by an earlier batch,
// now describes the new results of that scenario, not the earlier ones.
func TestInterruptedBatchIndex(t *testing.T) {
	bin := reesimBinary(t)
	dir := t.TempDir()
	small, err := filepath.Abs(smallScenario)
	if err != nil {
		t.Fatal(err)
	}
	for name, paths := range map[string]string{"quick": "64", "slow": "100000000"} {
		text := "extends = " + quote(small) + "\nname = \"" + name + "\"\npaths = " + paths + "\n"
		if err := os.WriteFile(filepath.Join(dir, name+".toml"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	quick, slow := filepath.Join(dir, "quick.toml"), filepath.Join(dir, "slow.toml")
	out := t.TempDir()
	if b, err := exec.Command(bin, "run", quick, slow, "--paths", "64", "--seed", "5", "--out", out, "--charts=false").CombinedOutput(); err != nil {
		t.Fatalf("first batch: %v\n%s", err, b)
	}
	slowBefore := snapshot(t, filepath.Join(out, "slow"))

	cmd := exec.Command(bin, "run", quick, slow, "--seed", "6", "--force", "--out", out, "--charts=false", "--workers", "2")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Once the slow scenario writes paths, the quick one is done.
	waitForPathsOf(t, out, "slow")
	cmd.Process.Signal(syscall.SIGINT)
	err = cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != 130 {
		t.Fatalf("exit %d (%v), want 130; stderr:\n%s", code, err, stderr.String())
	}
	if diff := sameFiles(slowBefore, snapshot(t, filepath.Join(out, "slow"))); diff != "" {
		t.Errorf("the interrupted scenario's earlier results changed: %s", diff)
	}
	var sum results.Summary
	b, err := os.ReadFile(filepath.Join(out, "quick", "summary.json"))
	if err != nil || json.Unmarshal(b, &sum) != nil || sum.Seed != 6 || sum.Partial {
		t.Fatalf("quick: %+v, %v; want the new complete results of seed 6", sum.Seed, err)
	}
	f, err := os.Open(filepath.Join(out, "index.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(rows) != 3 {
		t.Fatalf("index.csv: %d rows, %v", len(rows), err)
	}
	col := -1
	for i, h := range rows[0] {
		if h == "cum_shortfall_t" {
			col = i
		}
	}
	var want string
	for _, m := range sum.Metrics {
		if m.Name == "cum_shortfall_t" {
			want = results.FormatNumber(m.Mean)
		}
	}
	if col < 0 || rows[1][0] != "quick" || rows[1][col] != want {
		t.Errorf("index.csv row %v; want quick's new mean cumulative shortfall %s", rows[1], want)
	}
	noLeftovers(t, out)
}
