package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/reesim/reesim/scenarios"
)

// sameButManifest compares two results folders: every file the same, byte
// for byte, and the manifests the same but for the times, the workers
// and the list of shards.
func sameButManifest(t *testing.T, one, merged string) {
	t.Helper()
	a, b := snapshot(t, one), snapshot(t, merged)
	for name := range a {
		if filepath.Base(name) != "manifest.json" {
			continue
		}
		ma, mb := manifestFields(t, a[name]), manifestFields(t, b[name])
		if ma != mb {
			t.Errorf("%s differs beyond times, workers and shards:\n%s\n%s", name, ma, mb)
		}
		if !strings.Contains(b[name], `"shards"`) {
			t.Errorf("the merged %s does not list its shards", name)
		}
		delete(a, name)
		delete(b, name)
	}
	if diff := sameFiles(a, b); diff != "" {
		t.Errorf("merged results differ from one machine's: %s", diff)
	}
}

// manifestFields returns a manifest without the fields a merge may change.
func manifestFields(t *testing.T, text string) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(text), &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"started", "finished", "workers", "shards"} {
		delete(m, k)
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// shardProcesses runs the N shards of reesim args as N processes at once,
// as the tasks of a cluster job would, each with the shard's number in
// the environment, as Kubernetes and Slurm give it.
func shardProcesses(t *testing.T, n int, args ...string) {
	t.Helper()
	bin := reesimBinary(t)
	cmds := make([]*exec.Cmd, n)
	outs := make([]bytes.Buffer, n)
	for i := range cmds {
		cmd := exec.Command(bin, append(slices.Clone(args), "--shards", strconv.Itoa(n), "--workers", strconv.Itoa(1+i%2))...)
		variable := []string{"JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID"}[i%2]
		cmd.Env = append(slices.DeleteFunc(os.Environ(), func(kv string) bool {
			return strings.HasPrefix(kv, "JOB_COMPLETION_INDEX=") || strings.HasPrefix(kv, "SLURM_ARRAY_TASK_ID=")
		}), variable+"="+strconv.Itoa(i))
		cmd.Stdout, cmd.Stderr = &outs[i], &outs[i]
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds[i] = cmd
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("shard %d/%d: %v\n%s", i, n, err, outs[i].String())
		}
	}
}

// A run split into N shards, run as N processes at once, and merged
// writes the same files as one run, for N = 1, 3 and 8 (with charts for
// 3, and into paths.parquet for 3), whatever each shard's workers.
func TestShardMergeSameBytes(t *testing.T) {
	if os.Getenv("SOURCE_DATE_EPOCH") != "" {
		t.Skip("SOURCE_DATE_EPOCH is set")
	}
	const paths = "600" // 10 blocks of 64 paths
	one := t.TempDir()
	if code, _, stderr := runReesim("run", smallScenario, "--paths", paths, "--seed", "11", "--out", one, "--workers", "2"); code != 0 {
		t.Fatalf("one run: exit %d: %s", code, stderr)
	}
	oneTables := t.TempDir()
	if code, _, stderr := runReesim("run", smallScenario, "--paths", paths, "--seed", "11", "--out", oneTables, "--charts=false"); code != 0 {
		t.Fatalf("one run: exit %d: %s", code, stderr)
	}
	oneParquet := t.TempDir()
	if code, _, stderr := runReesim("run", smallScenario, "--paths", paths, "--seed", "11", "--out", oneParquet, "--charts=false", "--paths-format", "parquet"); code != 0 {
		t.Fatalf("one run: exit %d: %s", code, stderr)
	}
	for _, n := range []int{1, 3, 8} {
		shards := t.TempDir()
		shardProcesses(t, n, "run", smallScenario, "--paths", paths, "--seed", "11", "--out", shards)
		for i := 0; i < n; i++ {
			if _, err := os.Stat(filepath.Join(shards, "small-"+strconv.Itoa(i)+"-of-"+strconv.Itoa(n)+".shard")); err != nil {
				t.Fatal(err)
			}
		}
		out := t.TempDir()
		args := []string{"merge", shards, "--out", out}
		want := one
		if n != 3 {
			args, want = append(args, "--charts=false"), oneTables
		}
		code, stdout, stderr := runReesim(args...)
		if code != 0 || !strings.Contains(stdout, "merged "+strconv.Itoa(n)+" shards of small") {
			t.Fatalf("merge of %d shards: exit %d: %s%s", n, code, stdout, stderr)
		}
		sameButManifest(t, filepath.Join(want, "small"), filepath.Join(out, "small"))
		if n == 3 {
			// The same shards merged into paths.parquet give one run's.
			pq := t.TempDir()
			if code, stdout, stderr := runReesim("merge", shards, "--out", pq, "--charts=false", "--paths-format", "parquet"); code != 0 {
				t.Fatalf("merge into parquet: exit %d: %s%s", code, stdout, stderr)
			}
			sameButManifest(t, filepath.Join(oneParquet, "small"), filepath.Join(pq, "small"))
		}
	}
}

// A study split into shards (cases cut across shards) and merged writes
// the same folder as the study on one machine.
func TestStudyShardMergeSameBytes(t *testing.T) {
	one := t.TempDir()
	args := []string{"study", sizesStudy, "--paths", "200", "--seed", "3", "--charts=false"}
	if code, _, stderr := runReesim(append(args, "--out", one)...); code != 0 {
		t.Fatalf("one study: exit %d: %s", code, stderr)
	}
	shards := t.TempDir()
	shardProcesses(t, 3, append(args, "--out", shards)...)
	out := t.TempDir()
	// Shards named one by one, in any order.
	names, _ := filepath.Glob(filepath.Join(shards, "*.shard"))
	if len(names) != 3 {
		t.Fatalf("shard files %v", names)
	}
	code, stdout, stderr := runReesim("merge", names[2], names[0], names[1], "--out", out, "--charts=false")
	if code != 0 || !strings.Contains(stdout, "study sizes:") {
		t.Fatalf("merge: exit %d: %s%s", code, stdout, stderr)
	}
	sameButManifest(t, filepath.Join(one, "sizes"), filepath.Join(out, "sizes"))
}

// Shards that are missing, duplicated, of another run, or damaged are
// refused with exit code 3 and a message naming them, and nothing is
// written; once the missing shard arrives, the merge goes through.
func TestMergeRefusesBadShards(t *testing.T) {
	dir := t.TempDir()
	shards := filepath.Join(dir, "shards")
	shardRun := func(out string, spec string, extra ...string) {
		t.Helper()
		args := append([]string{"run", smallScenario, "--paths", "300", "--seed", "4", "--out", out, "--shard", spec}, extra...)
		if code, stdout, stderr := runReesim(args...); code != 0 {
			t.Fatalf("shard %s: exit %d: %s%s", spec, code, stdout, stderr)
		}
	}
	shardRun(shards, "0/3")
	shardRun(shards, "2/3")
	out := filepath.Join(dir, "out")
	check := func(what string, wantCode int, want string, args ...string) {
		t.Helper()
		code, _, stderr := runReesim(append(append([]string{"merge"}, args...), "--out", out, "--charts=false")...)
		if code != wantCode || !strings.Contains(stderr, want) {
			t.Errorf("%s: exit %d, stderr:\n%s\nwant exit %d and %q", what, code, stderr, wantCode, want)
		}
		if _, err := os.Stat(out); err == nil {
			entries, _ := os.ReadDir(out)
			if len(entries) > 0 {
				t.Errorf("%s: the merge wrote %v", what, entries)
			}
		}
	}
	check("a shard missing", 3, "missing: shard 1/3 (paths 64 to 191), expected as "+filepath.Join(shards, "small-1-of-3.shard"), shards)
	shardRun(shards, "1/3")
	// The same shard twice.
	copyDir := filepath.Join(dir, "copy")
	os.MkdirAll(copyDir, 0o755)
	data, err := os.ReadFile(filepath.Join(shards, "small-1-of-3.shard"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(copyDir, "small-1-of-3.shard"), data, 0o644)
	check("a shard twice", 3, "are the same shard (1/3: paths 64 to 191): remove one", shards, copyDir)
	// A shard of another seed.
	other := filepath.Join(dir, "other")
	shardRun(other, "1/3", "--seed", "5")
	check("a shard of another run", 3, "is not a shard of the same run as "+filepath.Join(shards, "small-0-of-3.shard")+": seed 5, not 4",
		filepath.Join(shards, "small-0-of-3.shard"), filepath.Join(other, "small-1-of-3.shard"), filepath.Join(shards, "small-2-of-3.shard"))
	// A shard of another split overlapping.
	split := filepath.Join(dir, "split")
	shardRun(split, "0/2")
	check("overlapping shards", 3, "overlaps", shards, split)
	// A damaged or cut shard.
	bad := filepath.Join(dir, "bad")
	os.MkdirAll(bad, 0o755)
	for _, f := range []string{"small-0-of-3.shard", "small-2-of-3.shard"} {
		b, _ := os.ReadFile(filepath.Join(shards, f))
		os.WriteFile(filepath.Join(bad, f), b, 0o644)
	}
	damaged := append([]byte(nil), data...)
	damaged[len(damaged)/2] ^= 1
	os.WriteFile(filepath.Join(bad, "small-1-of-3.shard"), damaged, 0o644)
	check("a damaged shard", 3, filepath.Join(bad, "small-1-of-3.shard")+": damaged: the checksum of", bad)
	os.WriteFile(filepath.Join(bad, "small-1-of-3.shard"), data[:len(data)-100], 0o644)
	check("a shard cut short", 3, filepath.Join(bad, "small-1-of-3.shard")+": cut short", bad)
	os.WriteFile(filepath.Join(bad, "small-1-of-3.shard"), []byte("not a shard\n"), 0o644)
	check("not a shard file", 3, "not a shard file", bad)
	check("no such file", 3, filepath.Join(dir, "nowhere")+": cannot read it", filepath.Join(dir, "nowhere"))
	check("no shards at all", 2, "merge needs the shard files")
	// Once all are there, the merge goes through.
	if code, stdout, stderr := runReesim("merge", shards, "--out", out, "--charts=false"); code != 0 || !strings.Contains(stdout, "merged 3 shards of small") {
		t.Fatalf("merge of all the shards: exit %d: %s%s", code, stdout, stderr)
	}
	// A second merge into the same folder needs --force.
	if code, _, stderr := runReesim("merge", shards, "--out", out, "--charts=false"); code != 1 || !strings.Contains(stderr, "already exists: use --force") {
		t.Errorf("merge over results: exit %d: %s", code, stderr)
	}
}

// The shard flags: bad specs are usage errors; --shards takes the index
// from the environment; a shard already done is not run again.
func TestShardFlags(t *testing.T) {
	out := t.TempDir()
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--shard", "3/3"}, "shard 3 of 3 does not exist: shards are numbered from 0 to 2"},
		{[]string{"--shard", "1"}, "expected I/N"},
		{[]string{"--shard", "-1/4"}, "expected I/N in whole numbers"},
		{[]string{"--shard", "0/0"}, "the number of shards must be from 1"},
		{[]string{"--shard", "0/9"}, "300 paths make 5 blocks of 64 paths, the smallest part a shard can take: use at most 5 shards"},
		{[]string{"--shard", "0/2", "--shards", "2"}, "not both"},
		{[]string{"--shards", "4"}, "neither JOB_COMPLETION_INDEX (Kubernetes Indexed Jobs) nor SLURM_ARRAY_TASK_ID (Slurm job arrays) is set"},
		{[]string{"--shard", "0/2", "--trace", "3"}, "--trace re-runs one path"},
	} {
		args := append([]string{"run", smallScenario, "--paths", "300", "--out", out}, tt.args...)
		if code, _, stderr := runReesim(args...); code != 2 || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", tt.args, code, stderr, tt.want)
		}
	}
	t.Setenv("SLURM_ARRAY_TASK_ID", "5")
	if code, _, stderr := runReesim("run", smallScenario, "--paths", "300", "--out", out, "--shards", "4"); code != 2 || !strings.Contains(stderr, "SLURM_ARRAY_TASK_ID is 5, so shard 5, of 4 does not exist") {
		t.Errorf("index out of range from the environment: exit %d: %s", code, stderr)
	}
	t.Setenv("SLURM_ARRAY_TASK_ID", "")
	t.Setenv("JOB_COMPLETION_INDEX", "1")
	code, stdout, stderr := runReesim("run", smallScenario, "--paths", "300", "--out", out, "--shards", "4")
	if code != 0 || !strings.Contains(stdout, "shard 1/4") {
		t.Fatalf("--shards 4 with JOB_COMPLETION_INDEX=1: exit %d: %s%s", code, stdout, stderr)
	}
	code, stdout, _ = runReesim("run", smallScenario, "--paths", "300", "--out", out, "--shards", "4")
	if code != 0 || !strings.Contains(stdout, "is already in") {
		t.Errorf("a shard run again: exit %d: %s", code, stdout)
	}
	code, _, stderr = runReesim("run", smallScenario, "--paths", "300", "--seed", "9", "--out", out, "--shards", "4")
	if code != 1 || !strings.Contains(stderr, "already exists and holds a shard of another run (seed 1, not 9)") {
		t.Errorf("a shard of another run in the way: exit %d: %s", code, stderr)
	}
	if code, _, stderr := runReesim("study", sizesStudy, "--paths", "100", "--precision", "5", "--shard", "0/2", "--out", out); code != 2 || !strings.Contains(stderr, "--precision") {
		t.Errorf("study --shard with --precision: exit %d: %s", code, stderr)
	}
}

// An interrupted shard leaves no shard file, not even a temporary one,
// and exits with 130; a merge interrupted writes nothing.
func TestShardInterrupted(t *testing.T) {
	bin := reesimBinary(t)
	out := t.TempDir()
	cmd := exec.Command(bin, "run", smallScenario, "--paths", "100000000", "--shard", "0/2", "--out", out, "--workers", "2")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for i := 0; ; i++ {
		files, _ := filepath.Glob(filepath.Join(out, ".small-0-of-2.shard.tmp-*"))
		if len(files) > 0 {
			if fi, err := os.Stat(files[0]); err == nil && fi.Size() > 1<<20 {
				break
			}
		}
		if i == 1200 {
			cmd.Process.Kill()
			t.Fatal("no shard file begun after a minute")
		}
		time.Sleep(50 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGINT)
	wait(t, cmd, &stderr)
	if code := cmd.ProcessState.ExitCode(); code != 130 {
		t.Fatalf("exit %d, want 130; stderr:\n%s", code, stderr.String())
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("an interrupted shard left %v", entries)
	}

	shards := t.TempDir()
	if code, _, stderr := runReesim("run", smallScenario, "--paths", "200", "--shard", "0/1", "--out", shards); code != 0 {
		t.Fatal(stderr)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var so, se bytes.Buffer
	results := t.TempDir()
	if code := realMain(ctx, []string{"merge", shards, "--out", results, "--charts=false"}, &so, &se); code != 130 {
		t.Errorf("an interrupted merge: exit %d: %s", code, se.String())
	}
	if entries, _ := os.ReadDir(results); len(entries) != 0 {
		t.Errorf("an interrupted merge left %v", entries)
	}
}

// --wait waits for missing shards, and for a folder that has none yet,
// and gives up after the time given, saying what is missing.
func TestMergeWaits(t *testing.T) {
	made := t.TempDir()
	for i := 0; i < 2; i++ {
		if code, _, stderr := runReesim("run", smallScenario, "--paths", "200", "--out", made, "--shard", strconv.Itoa(i)+"/2"); code != 0 {
			t.Fatal(stderr)
		}
	}
	shards := filepath.Join(t.TempDir(), "shards")
	os.MkdirAll(shards, 0o755)
	move := func(name string) {
		b, err := os.ReadFile(filepath.Join(made, name))
		if err != nil {
			t.Error(err)
			return
		}
		os.WriteFile(filepath.Join(shards, "."+name), b, 0o644)
		os.Rename(filepath.Join(shards, "."+name), filepath.Join(shards, name))
	}
	var stderr bytes.Buffer
	o := &mergeOptions{run: runOptions{stderr: &stderr}, wait: time.Minute, poll: 20 * time.Millisecond}
	done := make(chan struct{})
	go func() {
		defer close(done)
		time.Sleep(100 * time.Millisecond)
		move("small-1-of-2.shard")
		time.Sleep(100 * time.Millisecond)
		move("small-0-of-2.shard")
	}()
	files, err := waitForShards(context.Background(), []string{shards}, o)
	<-done
	if err != nil || len(files) != 2 {
		t.Fatalf("waited for %d shards: %v", len(files), err)
	}
	for _, want := range []string{"waiting: " + shards + ": holds no shard files", "waiting: the shards of run small (seed 1, 200 paths) are not all there"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("the wait did not say %q:\n%s", want, stderr.String())
		}
	}
	os.Remove(filepath.Join(shards, "small-0-of-2.shard"))
	o.wait = 100 * time.Millisecond
	if _, err := waitForShards(context.Background(), []string{shards}, o); err == nil || !strings.Contains(err.Error(), "missing: shard 0/2") || !strings.Contains(err.Error(), "(waited 100ms)") {
		t.Errorf("a wait that ends with a shard missing: %v", err)
	}
}

// Under the Latin hypercube and QMC designs, shards merged give the
// same files as one machine's run, for a run whose last Latin hypercube
// slice is cut short (each shard draws from the plan of all the paths)
// and for a study; shards of different designs are refused, and so is
// --precision with --shard.
func TestShardMergeSameBytesUnderDesigns(t *testing.T) {
	const paths = "1100" // a slice of 1,024 and one of 76; 18 blocks
	for _, kind := range []string{"lhs", "qmc"} {
		one := t.TempDir()
		args := []string{"run", smallScenario, "--paths", paths, "--seed", "6", "--sampling", kind, "--charts=false"}
		if code, _, stderr := runReesim(append(args, "--out", one)...); code != 0 {
			t.Fatalf("%s: one run: exit %d: %s", kind, code, stderr)
		}
		shards := t.TempDir()
		for i := range 3 {
			code, stdout, stderr := runReesim(append(args, "--out", shards, "--shard", strconv.Itoa(i)+"/3")...)
			if code != 0 {
				t.Fatalf("%s: shard %d/3: exit %d: %s%s", kind, i, code, stdout, stderr)
			}
			if warned := strings.Contains(stderr, "not a power of two"); warned != (kind == "qmc") {
				t.Errorf("%s: shard %d/3 of 1,100 paths: warned of a QMC size %v, stderr:\n%s", kind, i, warned, stderr)
			}
		}
		out := t.TempDir()
		if code, stdout, stderr := runReesim("merge", shards, "--out", out, "--charts=false"); code != 0 {
			t.Fatalf("%s: merge: exit %d: %s%s", kind, code, stdout, stderr)
		}
		sameButManifest(t, filepath.Join(one, "small"), filepath.Join(out, "small"))
		man, err := os.ReadFile(filepath.Join(out, "small", "manifest.json"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(man), `"sampling": "`+kind+`"`) || !strings.Contains(string(man), "--sampling "+kind) {
			t.Errorf("%s: the merged manifest does not name the design:\n%s", kind, man)
		}
	}

	one := t.TempDir()
	args := []string{"study", sizesStudy, "--paths", "200", "--seed", "3", "--sampling", "lhs", "--charts=false"}
	if code, _, stderr := runReesim(append(args, "--out", one)...); code != 0 {
		t.Fatalf("one lhs study: exit %d: %s", code, stderr)
	}
	shards := t.TempDir()
	for i := range 3 {
		if code, stdout, stderr := runReesim(append(args, "--out", shards, "--shard", strconv.Itoa(i)+"/3")...); code != 0 {
			t.Fatalf("lhs study shard %d/3: exit %d: %s%s", i, code, stdout, stderr)
		}
	}
	out := t.TempDir()
	if code, stdout, stderr := runReesim("merge", shards, "--out", out, "--charts=false"); code != 0 {
		t.Fatalf("lhs study merge: exit %d: %s%s", code, stdout, stderr)
	}
	sameButManifest(t, filepath.Join(one, "sizes"), filepath.Join(out, "sizes"))

	// Shards of one run under two designs do not merge.
	mixed := t.TempDir()
	for i, kind := range []string{"mc", "lhs", "mc"} {
		if code, stdout, stderr := runReesim("run", smallScenario, "--paths", "300", "--seed", "6", "--sampling", kind, "--out", mixed, "--shard", strconv.Itoa(i)+"/3"); code != 0 {
			t.Fatalf("shard %d/3 (%s): exit %d: %s%s", i, kind, code, stdout, stderr)
		}
	}
	out = t.TempDir()
	if code, _, stderr := runReesim("merge", mixed, "--out", out, "--charts=false"); code != 3 || !strings.Contains(stderr, "sampled with lhs, not mc") {
		t.Errorf("shards of two designs: exit %d, stderr:\n%s\nwant exit 3 and %q", code, stderr, "sampled with lhs, not mc")
	}
	if code, _, stderr := runReesim("run", smallScenario, "--paths", "300", "--precision", "5%", "--shard", "0/2", "--out", t.TempDir()); code != 2 || !strings.Contains(stderr, "--precision") {
		t.Errorf("run --shard with --precision: exit %d: %s", code, stderr)
	}
}

// runPaths takes --paths, else the scenario's paths, else 10,000; with
// --precision and no --paths, the precision limit; --seed over the
// scenario's seed.
func TestRunPaths(t *testing.T) {
	for _, tt := range []struct {
		name      string
		o         runOptions
		paths     int
		seed      uint64
		wantPaths int
		wantSeed  uint64
	}{
		{"flags", runOptions{paths: 500, seed: 9, seedSet: true}, 2000, 1, 500, 9},
		{"scenario", runOptions{}, 2000, 1, 2000, 1},
		{"default", runOptions{}, 0, 1, 10000, 1},
		{"precision", runOptions{precision: 0.02}, 2000, 1, precisionLimit, 1},
		{"precision and paths", runOptions{precision: 0.02, paths: 4096}, 2000, 1, 4096, 1},
	} {
		s := &scenarios.Scenario{Paths: tt.paths, Seed: tt.seed}
		if p, seed := runPaths(s, &tt.o); p != tt.wantPaths || seed != tt.wantSeed {
			t.Errorf("%s: paths %d, seed %d; want %d, %d", tt.name, p, seed, tt.wantPaths, tt.wantSeed)
		}
	}
}
