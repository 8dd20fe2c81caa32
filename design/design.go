package design

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
)

// Kind is a sampling design.
type Kind int

const (
	// MC is plain Monte Carlo.
	MC Kind = iota
	// LHS is Latin hypercube sampling in slices of SliceSize paths.
	LHS
	// QMC is randomised quasi-Monte Carlo (scrambled Halton).
	QMC
)

// Kinds lists the designs by their names, as the --sampling flag and the
// scenario's sampling key write them.
var Kinds = []string{"mc", "lhs", "qmc"}

// String returns the design's name: "mc", "lhs" or "qmc".
func (k Kind) String() string {
	if k < 0 || int(k) >= len(Kinds) {
		return fmt.Sprintf("Kind(%d)", int(k))
	}
	return Kinds[k]
}

// Parse returns the design named s ("" is MC).
func Parse(s string) (Kind, error) {
	switch s {
	case "", "mc":
		return MC, nil
	case "lhs":
		return LHS, nil
	case "qmc":
		return QMC, nil
	}
	return MC, fmt.Errorf("expected mc, lhs or qmc, got %q", s)
}

// SliceSize is the number of consecutive paths that form one Latin
// hypercube. It is a multiple of 64, the engine's block of paths, and
// the first stage of a run with a precision target is one slice, so that
// a run extended stage by stage makes the same paths as one run.
const SliceSize = 1024

// Hash returns the FNV-1a-64 hash of an input's name, which keys its
// random streams.
func Hash(name string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	return h.Sum64()
}

// splitmix is SplitMix64's finaliser.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Uniform returns the plain Monte Carlo uniform in (0, 1) of the input
// whose name hashes to h on path i: the first output of a PCG generator
// seeded with (splitmix(seed ⊕ splitmix(i)), h), as docs/MODEL.md §5
// states.
func Uniform(seed uint64, i int, h uint64) float64 {
	var g rand.PCG
	g.Seed(splitmix(seed^splitmix(uint64(i))), h)
	return (float64(g.Uint64()>>11) + 0.5) / (1 << 53)
}

// Plan is the sampling design of one run: which design, its seed and
// total number of paths, and its dimensions. It is read-only once made
// and may be shared by goroutines.
type Plan struct {
	kind  Kind
	seed  uint64
	paths int
	names []string
	hash  []uint64
	// Halton (QMC): per dimension its base and the permutations of its
	// scrambled digit positions, perm[d][k*base+digit].
	base   []int
	digits []int
	perm   [][]uint16
}

// MaxQMCDims is the most dimensions a QMC plan may have: the Halton bases
// are the first MaxQMCDims primes.
const MaxQMCDims = 4096

// NewPlan returns the plan of a run of paths paths under design kind,
// whose dimensions are the inputs named in names, in order. paths is the
// total number of paths the run will have: it sets the size of the last
// Latin hypercube slice.
func NewPlan(kind Kind, seed uint64, paths int, names []string) (*Plan, error) {
	if paths < 1 {
		return nil, fmt.Errorf("design: paths must be at least 1, got %d", paths)
	}
	p := &Plan{kind: kind, seed: seed, paths: paths, names: names, hash: make([]uint64, len(names))}
	for d, n := range names {
		p.hash[d] = Hash(n)
	}
	switch kind {
	case MC, LHS:
	case QMC:
		if len(names) > MaxQMCDims {
			return nil, fmt.Errorf("design: qmc supports at most %d sampled inputs, got %d; use lhs", MaxQMCDims, len(names))
		}
		primes := firstPrimes(len(names))
		p.base = primes
		p.digits = make([]int, len(names))
		p.perm = make([][]uint16, len(names))
		for d := range names {
			p.digits[d], p.perm[d] = haltonPerms(primes[d], seed, p.hash[d])
		}
	default:
		return nil, fmt.Errorf("design: unknown design %d", int(kind))
	}
	return p, nil
}

// Kind returns the plan's design.
func (p *Plan) Kind() Kind { return p.kind }

// Dims returns the number of dimensions.
func (p *Plan) Dims() int { return len(p.names) }

// Name returns the name of dimension d.
func (p *Plan) Name(d int) string { return p.names[d] }

// U returns the uniform in (0, 1) of dimension d on path i.
func (p *Plan) U(i, d int) float64 {
	h := p.hash[d]
	u := Uniform(p.seed, i, h)
	switch p.kind {
	case LHS:
		start := i / SliceSize * SliceSize
		n := min(SliceSize, p.paths-start)
		if n <= 1 || i-start >= n {
			return u
		}
		key := splitmix(p.seed ^ splitmix(h^splitmix(uint64(start))))
		s := permute(uint32(i-start), uint32(n), key)
		return below1((float64(s) + u) / float64(n))
	case QMC:
		return below1(halton(i, p.base[d], p.digits[d], p.perm[d], u))
	}
	return u
}

// below1 returns u, or the largest float64 below 1 when rounding made u
// reach 1.
func below1(u float64) float64 {
	if u >= 1 {
		return math.Nextafter(1, 0)
	}
	return u
}
