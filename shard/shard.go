// Package shard splits a run of many paths, or a study's variant-by-path
// work, into N parts that run on separate machines (the tasks of a
// Kubernetes Indexed Job or of a Slurm job array), writes each part's
// mergeable state to a shard file, and reads shard files back so that
// reesim merge can write exactly the results one machine would have.
//
// # Work units
//
// The work is counted in blocks of engine.BlockSize consecutive paths:
// a run of P paths has B = ceil(P/BlockSize) blocks; a study has B blocks
// for each of its cases (base × variant), in the order the study runs
// them, one case after another. Shard I of N takes the units
// floor(I·U/N) to floor((I+1)·U/N)−1 of the U units, so the shards differ
// by at most one block, and a shard's paths begin on a block boundary:
// the sums and moments of a block are then made on one machine, in path
// order, as on one machine. Every path's inputs come from its own random
// stream (seed, path number, input name), so a path's results do not
// depend on which shard ran it.
//
// # Shard files
//
// A shard file is named NAME-I-of-N.shard. It begins with the line
// "reesim shard file\n", a format version and a JSON header (see Header:
// what ran, the seed, the paths, the version, the shard and its parts,
// and each case's resolved scenario and its SHA-256), followed by
// records, each with a CRC-32C: for each part, its blocks in order (the
// block's sums, moments, exceedance counts and every path's sampled
// inputs and metrics, as float64 bits, then the block's lines of
// paths.csv, formatted where the paths ran so that a merge only copies
// them), then its sketches; and an end record. A file cut short, padded or damaged is refused with an error
// naming it and what is wrong.
package shard

import (
	"fmt"
	"strconv"
	"strings"
)

// Spec is shard Index of Count: Index runs from 0 to Count-1, as the
// indexes of a Kubernetes Indexed Job and of a Slurm array --array=0-N-1
// do.
type Spec struct {
	Index int `json:"index"`
	Count int `json:"count"`
}

// MaxCount is the most shards a run may be split into.
const MaxCount = 100000

func (s Spec) String() string { return strconv.Itoa(s.Index) + "/" + strconv.Itoa(s.Count) }

// ParseSpec parses "I/N", shard I of N, with I from 0 to N-1.
func ParseSpec(text string) (Spec, error) {
	i, n, ok := strings.Cut(text, "/")
	if !ok {
		return Spec{}, fmt.Errorf("expected I/N, shard I of N with I from 0 to N-1 (such as 0/8), got %q", text)
	}
	index, err1 := strconv.Atoi(i)
	count, err2 := strconv.Atoi(n)
	if err1 != nil || err2 != nil || !digits(i) || !digits(n) {
		return Spec{}, fmt.Errorf("expected I/N in whole numbers, shard I of N with I from 0 to N-1 (such as 0/8), got %q", text)
	}
	return Spec{Index: index, Count: count}.check("")
}

// digits reports whether s is made of decimal digits only.
func digits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// check checks s; from names where the index came from, for messages.
func (s Spec) check(from string) (Spec, error) {
	switch {
	case s.Count < 1 || s.Count > MaxCount:
		return s, fmt.Errorf("the number of shards must be from 1 to %d, got %d", MaxCount, s.Count)
	case s.Index < 0 || s.Index >= s.Count:
		what := "shard " + strconv.Itoa(s.Index)
		if from != "" {
			what = from + " is " + strconv.Itoa(s.Index) + ", so shard " + strconv.Itoa(s.Index) + ","
		}
		return s, fmt.Errorf("%s of %d does not exist: shards are numbered from 0 to %d", what, s.Count, s.Count-1)
	}
	return s, nil
}

// IndexVariables are the environment variables FromEnv reads the shard's
// index from, in order: Kubernetes Indexed Jobs and Slurm job arrays.
var IndexVariables = []string{"JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID"}

// FromEnv returns shard I of count, I read from the first variable of
// IndexVariables that getenv (os.Getenv) finds set. When both are set
// they must agree.
func FromEnv(count int, getenv func(string) string) (Spec, error) {
	var spec Spec
	from := ""
	for _, name := range IndexVariables {
		v := getenv(name)
		if v == "" {
			continue
		}
		i, err := strconv.Atoi(v)
		if err != nil || !digits(v) {
			return Spec{}, fmt.Errorf("%s is %q, not a shard number", name, v)
		}
		if from != "" && i != spec.Index {
			return Spec{}, fmt.Errorf("%s is %d but %s is %d: which shard is this?", from, spec.Index, name, i)
		}
		if from == "" {
			spec, from = Spec{Index: i, Count: count}, name
		}
	}
	if from == "" {
		return Spec{}, fmt.Errorf("--shards needs the shard's number from the environment, and neither %s (Kubernetes Indexed Jobs) nor %s (Slurm job arrays) is set; outside those, give it with --shard I/N", IndexVariables[0], IndexVariables[1])
	}
	return spec.check(from)
}

// Units returns the work units of shard s among units: lo to hi-1.
func (s Spec) Units(units int) (lo, hi int) {
	return int(int64(s.Index) * int64(units) / int64(s.Count)), int(int64(s.Index+1) * int64(units) / int64(s.Count))
}

// Ext is the extension of shard files.
const Ext = ".shard"

// FileName returns the name of the file of shard s of the run called
// name: NAME-I-of-N.shard.
func FileName(name string, s Spec) string {
	return fmt.Sprintf("%s-%d-of-%d%s", name, s.Index, s.Count, Ext)
}
