package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
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

// expand replaces $(VAR) in args with the container's env values, as the
// kubelet does.
func (j *job) args() []string {
	c := j.Spec.Template.Spec.Containers[0]
	env := map[string]string{}
	for _, e := range c.Env {
		env[e.Name] = e.Value
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
