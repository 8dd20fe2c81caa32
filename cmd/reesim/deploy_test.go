package main

import (
	"bytes"
	"errors"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// job is the part of a Kubernetes Job the deploy files must get right.
type job struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Metadata   struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
	Spec struct {
		CompletionMode       string `yaml:"completionMode"`
		Completions          *int   `yaml:"completions"`
		Parallelism          *int   `yaml:"parallelism"`
		BackoffLimitPerIndex *int   `yaml:"backoffLimitPerIndex"`
		Template             struct {
			Spec struct {
				RestartPolicy string `yaml:"restartPolicy"`
				Containers    []struct {
					Name  string   `yaml:"name"`
					Image string   `yaml:"image"`
					Args  []string `yaml:"args"`
					Env   []struct {
						Name  string `yaml:"name"`
						Value string `yaml:"value"`
					} `yaml:"env"`
				} `yaml:"containers"`
			} `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

// args returns the container's arguments with $(VAR) replaced by the
// container's env values, as the kubelet does; set overrides values.
func (j *job) args(set ...string) []string {
	c := j.Spec.Template.Spec.Containers[0]
	env := map[string]string{}
	for _, e := range c.Env {
		env[e.Name] = e.Value
	}
	for i := 0; i+1 < len(set); i += 2 {
		env[set[i]] = set[i+1]
	}
	var out []string
	for _, a := range c.Args {
		out = append(out, regexp.MustCompile(`\$\(([A-Z_]+)\)`).ReplaceAllStringFunc(a, func(m string) string {
			return env[m[2:len(m)-1]]
		}))
	}
	return out
}

// The Kubernetes manifest holds an Indexed Job of shards and a merge Job
// whose command lines reesim accepts, with as many shards as completions,
// both writing to and reading from the same place. (No cluster can be
// started on the test machine: kind needs a Docker engine.)
func TestKubernetesManifest(t *testing.T) {
	jobs := readJobs(t)
	if len(jobs) != 2 {
		t.Fatalf("%d documents, want the shards' Job and the merge's", len(jobs))
	}
	shards, merge := jobs[0], jobs[1]
	for _, j := range jobs {
		if j.APIVersion != "batch/v1" || j.Kind != "Job" || j.Metadata.Name == "" || len(j.Spec.Template.Spec.Containers) != 1 ||
			j.Spec.Template.Spec.RestartPolicy != "Never" || j.Spec.Template.Spec.Containers[0].Image == "" {
			t.Errorf("%s: not a batch/v1 Job with one container, an image and restartPolicy Never", j.Metadata.Name)
		}
	}
	s := shards.Spec
	if s.CompletionMode != "Indexed" || s.Completions == nil || s.Parallelism == nil || *s.Parallelism > *s.Completions || s.BackoffLimitPerIndex == nil {
		t.Fatalf("the shards' Job is not Indexed with completions, parallelism and backoffLimitPerIndex: %+v", s)
	}
	args := shards.args()
	i := slices.Index(args, "--shards")
	if i < 0 || args[i+1] != strconv.Itoa(*s.Completions) {
		t.Errorf("the shards' --shards %v does not match completions %d", args, *s.Completions)
	}
	out := args[slices.Index(args, "--out")+1]
	margs := merge.args()
	if margs[0] != "merge" || margs[1] != out || !slices.Contains(margs, "--wait") {
		t.Errorf("the merge %v does not merge the shards' %s, waiting for them", margs, out)
	}
	// reesim accepts both command lines (checked with --help, which
	// parses every flag and runs nothing).
	for _, a := range [][]string{args, margs} {
		if code, _, stderr := runReesim(append(slices.Clone(a), "--help")...); code != 0 {
			t.Errorf("reesim %v: exit %d: %s", a, code, stderr)
		}
	}
}

// The two Jobs of the Kubernetes manifest, played on this machine: each
// pod of the Indexed Job a process with its JOB_COMPLETION_INDEX, all at
// once, writing to an S3-compatible store (the in-memory fake), then the
// merge's pod; the results in the bucket are those of one run. The
// manifest's values are kept but for a small scenario and fewer paths.
func TestKubernetesJobsRun(t *testing.T) {
	jobs := readJobs(t)
	fake := &fakeS3{objects: map[string][]byte{}}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	env := append(slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, "JOB_COMPLETION_INDEX=") || strings.HasPrefix(kv, "SLURM_ARRAY_TASK_ID=")
	}), "AWS_ENDPOINT_URL="+srv.URL, "AWS_REGION=us-east-1", "AWS_ACCESS_KEY_ID=k", "AWS_SECRET_ACCESS_KEY=s")
	set := []string{"KIND", "run", "NAME", smallScenario, "PATHS", "600", "WORKERS", "1", "WAIT", "1m"}
	bin := reesimBinary(t)
	n := *jobs[0].Spec.Completions
	var cmds []*exec.Cmd
	outs := make([]bytes.Buffer, n)
	for i := 0; i < n; i++ {
		cmd := exec.Command(bin, jobs[0].args(set...)...)
		cmd.Env = append(slices.Clone(env), "JOB_COMPLETION_INDEX="+strconv.Itoa(i))
		cmd.Stdout, cmd.Stderr = &outs[i], &outs[i]
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("pod %d: %v\n%s", i, err, outs[i].String())
		}
	}
	merge := exec.Command(bin, append(jobs[1].args(set...), "--charts=false")...)
	merge.Env = env
	if out, err := merge.CombinedOutput(); err != nil {
		t.Fatalf("the merge's pod: %v\n%s", err, out)
	}
	one := t.TempDir()
	if code, _, stderr := runReesim("run", smallScenario, "--paths", "600", "--seed", "1", "--out", one, "--charts=false"); code != 0 {
		t.Fatal(stderr)
	}
	results := strings.TrimPrefix(jobs[1].args(set...)[3], "s3://") + "/small/"
	for name, text := range snapshot(t, filepath.Join(one, "small")) {
		got, ok := fake.objects[results+filepath.ToSlash(name)]
		switch {
		case !ok:
			t.Errorf("%s%s was not uploaded", results, name)
		case name != "manifest.json" && string(got) != text:
			t.Errorf("%s%s differs from one machine's", results, name)
		}
	}
}

// readJobs reads the Jobs of the Kubernetes manifest.
func readJobs(t *testing.T) []job {
	t.Helper()
	b, err := os.ReadFile("../../deploy/kubernetes/reesim-study.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var jobs []job
	dec := yaml.NewDecoder(bytes.NewReader(b))
	for {
		var j job
		if err := dec.Decode(&j); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		jobs = append(jobs, j)
	}
	return jobs
}

// The Slurm scripts: shell syntax, an array numbered from 0, its shards
// read from SLURM_ARRAY_TASK_ID, and a merge that depends on the whole
// array succeeding.
func TestSlurmScripts(t *testing.T) {
	files := []string{"../../deploy/slurm/shards.sbatch", "../../deploy/slurm/merge.sbatch", "../../deploy/slurm/submit.sh"}
	text := map[string]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text[f] = string(b)
		if bash, err := exec.LookPath("bash"); err == nil {
			if out, err := exec.Command(bash, "-n", f).CombinedOutput(); err != nil {
				t.Errorf("%s: %v: %s", f, err, out)
			}
		}
	}
	sh, mg, sub := text[files[0]], text[files[1]], text[files[2]]
	for _, want := range []string{"#SBATCH --array=0-", "--shards \"$SHARDS\"", "--out \"$SHARD_DIR\""} {
		if !strings.Contains(sh, want) {
			t.Errorf("shards.sbatch lacks %q", want)
		}
	}
	if !strings.Contains(mg, "merge \"$SHARD_DIR\" --out \"$OUT\"") {
		t.Error("merge.sbatch does not merge SHARD_DIR into OUT")
	}
	for _, want := range []string{`--array="0-$((shards - 1))"`, `--dependency="afterok:$array"`} {
		if !strings.Contains(sub, want) {
			t.Errorf("submit.sh lacks %q", want)
		}
	}
}

// fakeSbatch stands in for Slurm's sbatch: it runs a job at once on this
// machine, an array's tasks all at the same time, each with its
// SLURM_ARRAY_TASK_ID, and prints the job's number, as sbatch --parsable
// does. A job whose dependency failed is not run.
const fakeSbatch = `#!/bin/bash
array="" dep="" script=""
for a in "$@"; do
	case $a in
	--array=*) array=${a#--array=} ;;
	--dependency=*) dep=${a#--dependency=} ;;
	--*) ;;
	*) script=$a ;;
	esac
done
state="$FAKE_SLURM_DIR/state"
id=$(( $(cat "$state" 2>/dev/null || echo 100) + 1 ))
echo "$id" >"$state"
if [ -n "$dep" ] && [ -e "$FAKE_SLURM_DIR/failed-${dep#afterok:}" ]; then
	echo "$id"
	exit 0
fi
if [ -n "$array" ]; then
	pids=()
	for i in $(seq "${array%-*}" "${array#*-}"); do
		SLURM_ARRAY_JOB_ID=$id SLURM_ARRAY_TASK_ID=$i SLURM_CPUS_PER_TASK=1 bash "$script" >"$FAKE_SLURM_DIR/$id-$i.log" 2>&1 &
		pids+=($!)
	done
	for p in "${pids[@]}"; do wait "$p" || touch "$FAKE_SLURM_DIR/failed-$id"; done
else
	SLURM_JOB_ID=$id SLURM_CPUS_PER_TASK=1 bash "$script" >"$FAKE_SLURM_DIR/$id.log" 2>&1 || touch "$FAKE_SLURM_DIR/failed-$id"
fi
echo "$id"
`

// The Slurm scripts, played on this machine with a stand-in for sbatch
// (no Slurm can be started here): submit.sh submits the array of shards
// and the merge after it, and the merged results are those of one run.
func TestSlurmJobsRun(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	bin := reesimBinary(t)
	dir := t.TempDir()
	fakeBin := filepath.Join(dir, "bin")
	os.MkdirAll(fakeBin, 0o755)
	if err := os.WriteFile(filepath.Join(fakeBin, "sbatch"), []byte(fakeSbatch), 0o755); err != nil {
		t.Fatal(err)
	}
	scenario, _ := filepath.Abs(smallScenario)
	submit, _ := filepath.Abs("../../deploy/slurm/submit.sh")
	cmd := exec.Command(bash, submit, "run", scenario, "600", "3", "results")
	cmd.Dir = dir
	cmd.Env = append(slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, "PATH=") || strings.HasPrefix(kv, "JOB_COMPLETION_INDEX=") || strings.HasPrefix(kv, "SLURM_")
	}), "PATH="+fakeBin+string(os.PathListSeparator)+os.Getenv("PATH"), "REESIM="+bin, "FAKE_SLURM_DIR="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "submitted shards as job array 101 (tasks 0-2) and the merge as job 102") {
		t.Fatalf("submit.sh: %v\n%s", err, out)
	}
	logs, _ := filepath.Glob(filepath.Join(dir, "*.log"))
	if failed, _ := filepath.Glob(filepath.Join(dir, "failed-*")); len(failed) > 0 {
		var b strings.Builder
		for _, l := range logs {
			text, _ := os.ReadFile(l)
			b.WriteString(l + ":\n" + string(text))
		}
		t.Fatalf("jobs failed: %v\n%s", failed, b.String())
	}
	one := t.TempDir()
	if code, _, stderr := runReesim("run", scenario, "--paths", "600", "--seed", "1", "--out", one); code != 0 {
		t.Fatal(stderr)
	}
	sameButManifest(t, filepath.Join(one, "small"), filepath.Join(dir, "results", "small"))
}
