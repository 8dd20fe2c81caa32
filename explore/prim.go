package explore

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"

	"gonum.org/v1/gonum/stat/distuv"
)

// Data is the input of PRIM: n points of p inputs, stored by input
// (X[j][i] is input j on point i), with each input's points sorted once.
// It is read-only once made and may be shared by goroutines.
type Data struct {
	X     [][]float64
	Y     []bool // whether each point is a case of interest (a crisis)
	n     int
	order [][]int32 // order[j]: the points sorted by X[j]
}

// NewData checks x and y and sorts each input's points (in parallel).
func NewData(x [][]float64, y []bool) (*Data, error) {
	if len(x) == 0 {
		return nil, errors.New("explore: PRIM needs at least one input")
	}
	n := len(y)
	if n < 2 {
		return nil, fmt.Errorf("explore: PRIM needs at least 2 points, got %d", n)
	}
	for j, col := range x {
		if len(col) != n {
			return nil, fmt.Errorf("explore: input %d has %d values for %d points", j, len(col), n)
		}
		for i, v := range col {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("explore: input %d is %v on point %d", j, v, i)
			}
		}
	}
	d := &Data{X: x, Y: y, n: n, order: make([][]int32, len(x))}
	parallel(len(x), func(j int) {
		o := make([]int32, n)
		for i := range o {
			o[i] = int32(i)
		}
		col := x[j]
		slices.SortStableFunc(o, func(a, b int32) int { return cmp.Compare(col[a], col[b]) })
		d.order[j] = o
	})
	return d, nil
}

// parallel calls f(0..n−1) on as many goroutines as there are CPUs.
func parallel(n int, f func(i int)) {
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(n, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// Box is a box of PRIM: the points with Lo[j] ≤ X[j] ≤ Hi[j] for every
// input j (−Inf and +Inf where the input is not restricted).
type Box struct {
	Lo, Hi []float64
	// N and Cases count the points in the box and the cases among them;
	// Mass is N over all points, Coverage Cases over all cases, Density
	// Cases over N.
	N, Cases                int
	Mass, Coverage, Density float64
}

// Restricted reports whether the box restricts input j.
func (b *Box) Restricted(j int) bool { return !math.IsInf(b.Lo[j], -1) || !math.IsInf(b.Hi[j], 1) }

// Dims lists the inputs the box restricts.
func (b *Box) Dims() []int {
	var out []int
	for j := range b.Lo {
		if b.Restricted(j) {
			out = append(out, j)
		}
	}
	return out
}

// clone returns a copy of b.
func (b *Box) clone() Box {
	c := *b
	c.Lo, c.Hi = slices.Clone(b.Lo), slices.Clone(b.Hi)
	return c
}

// PRIMOptions say how PRIM peels and pastes.
type PRIMOptions struct {
	// Alpha is the share of the box's points a peel removes (0: 0.05);
	// PasteAlpha the share a paste adds (0: 0.05).
	Alpha, PasteAlpha float64
	// MinMass is the smallest share of all points a box may hold (0:
	// 0.05).
	MinMass float64
	// PValue is the significance level below which a restriction is kept
	// (0: 0.05).
	PValue float64
}

func (o *PRIMOptions) defaults() {
	if o.Alpha == 0 {
		o.Alpha = 0.05
	}
	if o.PasteAlpha == 0 {
		o.PasteAlpha = 0.05
	}
	if o.MinMass == 0 {
		o.MinMass = 0.05
	}
	if o.PValue == 0 {
		o.PValue = 0.05
	}
}

// state is a box being peeled or pasted over the active points.
type state struct {
	d      *Data
	active []bool // the points taken into account (a resample)
	in     []bool // active and in the box
	nAct   int
	cAct   int // cases among the active points
	box    Box
	first  []int // per input, a position in order before which no point is in the box
	last   []int // and after which none is
	dims   []int // the inputs the box restricts (after setBox)
}

func newState(d *Data, active []bool) *state {
	p := len(d.X)
	s := &state{d: d, active: active, in: make([]bool, d.n), first: make([]int, p), last: make([]int, p)}
	s.box = Box{Lo: make([]float64, p), Hi: make([]float64, p)}
	for j := range p {
		s.box.Lo[j], s.box.Hi[j] = math.Inf(-1), math.Inf(1)
		s.last[j] = d.n - 1
	}
	for i := range d.n {
		if active == nil || active[i] {
			s.in[i] = true
			s.nAct++
			if d.Y[i] {
				s.cAct++
			}
		}
	}
	s.count()
	return s
}

// count sets the box's counts from s.in.
func (s *state) count() {
	n, c := 0, 0
	for i, in := range s.in {
		if in {
			n++
			if s.d.Y[i] {
				c++
			}
		}
	}
	b := &s.box
	b.N, b.Cases = n, c
	b.Mass = float64(n) / float64(max(s.nAct, 1))
	b.Coverage = float64(c) / float64(max(s.cAct, 1))
	b.Density = 0
	if n > 0 {
		b.Density = float64(c) / float64(n)
	}
}

// peelCandidate is one possible peel: input j, from below or above,
// removing the points up to (from below) or from (from above) the value
// cut, leaving n points of which c are cases; bound is the new limit (the
// first value kept).
type peelCandidate struct {
	j     int
	upper bool
	n, c  int
	bound float64
	ok    bool
}

// candidate returns the peel of input j from one side.
func (s *state) candidate(j int, upper bool, need int) peelCandidate {
	d := s.d
	o, col := d.order[j], d.X[j]
	cand := peelCandidate{j: j, upper: upper}
	removed, cases := 0, 0
	var cut float64
	pos, dir := s.first[j], 1
	if upper {
		pos, dir = s.last[j], -1
	}
	// Skip the points already out of the box, remembering where the box
	// begins: the box only shrinks while peeling.
	for pos >= 0 && pos < d.n && !s.in[o[pos]] {
		pos += dir
	}
	if upper {
		s.last[j] = pos
	} else {
		s.first[j] = pos
	}
	for ; pos >= 0 && pos < d.n; pos += dir {
		i := o[pos]
		if !s.in[i] {
			continue
		}
		if removed >= need && col[i] != cut {
			cand.bound = col[i]
			cand.n, cand.c = s.box.N-removed, s.box.Cases-cases
			cand.ok = cand.n > 0
			return cand
		}
		removed++
		if d.Y[i] {
			cases++
		}
		cut = col[i]
	}
	return cand // every point would go
}

// peel applies a peel.
func (s *state) peel(c peelCandidate) {
	col := s.d.X[c.j]
	for i, in := range s.in {
		if in && (!c.upper && col[i] < c.bound || c.upper && col[i] > c.bound) {
			s.in[i] = false
		}
	}
	if c.upper {
		s.box.Hi[c.j] = c.bound
	} else {
		s.box.Lo[c.j] = c.bound
	}
	s.count()
}

// Peel returns PRIM's peeling trajectory over the active points (all when
// active is nil): the box of all points, then the boxes left by each
// peel. Each candidate peel removes, from one side of one input, the
// smallest number of points above Alpha of the box's points (with their
// ties); the peel made is the one that raises the density most per point
// removed (see better); peeling stops when no peel leaves MinMass of the
// points.
func Peel(ctx context.Context, d *Data, active []bool, opt PRIMOptions) ([]Box, error) {
	opt.defaults()
	s := newState(d, active)
	traj := []Box{s.box.clone()}
	minN := int(math.Ceil(opt.MinMass * float64(s.nAct)))
	for step := 0; ; step++ {
		if step%8 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		need := max(1, int(math.Ceil(opt.Alpha*float64(s.box.N))))
		best := peelCandidate{}
		for j := range d.X {
			for _, upper := range []bool{false, true} {
				c := s.candidate(j, upper, need)
				if !c.ok || c.n < minN {
					continue
				}
				if !best.ok || better(c, best, s.box) {
					best = c
				}
			}
		}
		if !best.ok {
			return traj, nil
		}
		s.peel(best)
		traj = append(traj, s.box.clone())
	}
}

// better reports whether peel a is better than b from box cur: it raises
// the density more per point removed (the EMA Workbench's "lenient1"
// objective, which equals Friedman's densest box when peels remove as many
// points, and keeps a discrete input, whose value's ties make a large peel,
// from being peeled whole for a small gain), or as much and leaves more.
func better(a, b peelCandidate, cur Box) bool {
	ga := (float64(a.c)/float64(a.n) - cur.Density) / float64(cur.N-a.n)
	gb := (float64(b.c)/float64(b.n) - cur.Density) / float64(cur.N-b.n)
	if ga != gb {
		return ga > gb
	}
	return a.n > b.n
}

// Select returns the index of the box of the trajectory to keep: with
// minCoverage above 0, the densest box whose coverage is at least
// minCoverage; otherwise the box with the best balance of coverage and
// density, the highest harmonic mean 2·c·d/(c+d). Ties go to the earlier,
// larger box.
func Select(traj []Box, minCoverage float64) int {
	best, score := 0, math.Inf(-1)
	for k, b := range traj {
		var v float64
		if minCoverage > 0 {
			if b.Coverage < minCoverage {
				continue
			}
			v = b.Density
		} else if b.Coverage+b.Density > 0 {
			v = 2 * b.Coverage * b.Density / (b.Coverage + b.Density)
		}
		if v > score {
			best, score = k, v
		}
	}
	return best
}

// setBox makes s hold box b: its limits, the points in it and its counts.
func (s *state) setBox(b Box) {
	s.box.Lo, s.box.Hi = slices.Clone(b.Lo), slices.Clone(b.Hi)
	s.dims = s.box.Dims()
	for i := range s.in {
		s.in[i] = (s.active == nil || s.active[i]) && s.outside(i) == 0
	}
	s.count()
}

// outside returns the number of restricted inputs on which active point i
// is outside the box's limits, and one of them (the last).
func (s *state) outside(i int) (n int) {
	n, _ = s.outsideWhich(i)
	return n
}

// outsideWhich is outside, also returning the last input point i is
// outside of (−1 when none).
func (s *state) outsideWhich(i int) (n, which int) {
	which = -1
	for _, j := range s.dims {
		if v := s.d.X[j][i]; v < s.box.Lo[j] || v > s.box.Hi[j] {
			n++
			which = j
		}
	}
	return n, which
}

// Paste widens box b over the active points (all when active is nil) for
// as long as a paste keeps or raises its density: each paste moves one
// limit of one input outwards over the nearest points outside it (those
// in the box on every other input), at least PasteAlpha of the box's
// points with their ties; the paste that leaves the densest box is made.
func Paste(ctx context.Context, d *Data, active []bool, b Box, opt PRIMOptions) (Box, error) {
	opt.defaults()
	s := newState(d, active)
	s.setBox(b)
	for {
		if err := ctx.Err(); err != nil {
			return Box{}, err
		}
		// The points outside the box on one input alone, by input.
		alone := map[int][]int{}
		for i := range d.n {
			if s.in[i] || active != nil && !active[i] {
				continue
			}
			if n, j := s.outsideWhich(i); n == 1 {
				alone[j] = append(alone[j], i)
			}
		}
		need := max(1, int(math.Ceil(opt.PasteAlpha*float64(s.box.N))))
		type paste struct {
			j       int
			upper   bool
			n, c    int
			bound   float64
			density float64
		}
		var best *paste
		for j, col := range d.X {
			if !s.box.Restricted(j) {
				continue
			}
			var below, above []int
			for _, i := range alone[j] {
				if col[i] < s.box.Lo[j] {
					below = append(below, i)
				} else {
					above = append(above, i)
				}
			}
			for _, side := range []struct {
				pts   []int
				upper bool
			}{{below, false}, {above, true}} {
				if len(side.pts) == 0 {
					continue
				}
				pts := side.pts
				// Nearest first.
				slices.SortFunc(pts, func(a, b int) int {
					if side.upper {
						return cmp.Compare(col[a], col[b])
					}
					return cmp.Compare(col[b], col[a])
				})
				n, c := 0, 0
				k := 0
				for ; k < len(pts); k++ {
					if n >= need && col[pts[k]] != col[pts[k-1]] {
						break
					}
					n++
					if d.Y[pts[k]] {
						c++
					}
				}
				bound := col[pts[k-1]]
				if k == len(pts) {
					bound = math.Inf(1)
					if !side.upper {
						bound = math.Inf(-1)
					}
				}
				dens := float64(s.box.Cases+c) / float64(s.box.N+n)
				if dens >= s.box.Density && (best == nil || dens > best.density) {
					best = &paste{j, side.upper, n, c, bound, dens}
				}
			}
		}
		if best == nil {
			return s.box.clone(), nil
		}
		nb := s.box.clone()
		if best.upper {
			nb.Hi[best.j] = best.bound
		} else {
			nb.Lo[best.j] = best.bound
		}
		s.setBox(nb)
	}
}

// Restriction says how much one restriction of a box matters: the box
// without it, and the quasi-p-value of keeping it.
type Restriction struct {
	Input int
	// Without is the density and coverage of the box without this
	// restriction.
	WithoutDensity, WithoutCoverage float64
	// QP is the chance of a box as dense as this one if the restriction
	// did not matter: the binomial upper tail of the box's cases among its
	// points at the density of the box without the restriction (Bryant
	// and Lempert 2010).
	QP float64
}

// Prune drops, one at a time, the restriction of box b whose quasi-p-value
// is largest while it is above PValue, and returns the box left and its
// restrictions' statistics.
func Prune(d *Data, active []bool, b Box, opt PRIMOptions) (Box, []Restriction) {
	opt.defaults()
	s := newState(d, active)
	s.setBox(b)
	for {
		rs := s.restrictions()
		worst := -1
		for k, r := range rs {
			if r.QP > opt.PValue && (worst < 0 || r.QP > rs[worst].QP) {
				worst = k
			}
		}
		if worst < 0 {
			return s.box.clone(), rs
		}
		nb := s.box.clone()
		nb.Lo[rs[worst].Input], nb.Hi[rs[worst].Input] = math.Inf(-1), math.Inf(1)
		s.setBox(nb)
	}
}

// restrictions returns the statistics of each restriction of the box.
func (s *state) restrictions() []Restriction {
	// The points outside the box on one input alone would be in the box
	// without that restriction.
	extraN, extraC := map[int]int{}, map[int]int{}
	for i := range s.d.n {
		if s.in[i] || s.active != nil && !s.active[i] {
			continue
		}
		if k, j := s.outsideWhich(i); k == 1 {
			extraN[j]++
			if s.d.Y[i] {
				extraC[j]++
			}
		}
	}
	var out []Restriction
	for _, j := range s.dims {
		n, c := s.box.N+extraN[j], s.box.Cases+extraC[j]
		r := Restriction{Input: j, WithoutDensity: float64(c) / float64(max(n, 1)), WithoutCoverage: float64(c) / float64(max(s.cAct, 1))}
		r.QP = binomialUpper(s.box.N, s.box.Cases, r.WithoutDensity)
		out = append(out, r)
	}
	return out
}

// binomialUpper returns P(X ≥ k) for X binomial with n trials of
// probability p.
func binomialUpper(n, k int, p float64) float64 {
	switch {
	case k <= 0:
		return 1
	case p <= 0:
		return 0
	case p >= 1:
		return 1
	}
	return distuv.Binomial{N: float64(n), P: p}.Survival(float64(k - 1))
}

// Result is a box found by PRIM with the trajectory it was chosen from.
type Result struct {
	Trajectory []Box
	// Chosen is the index in Trajectory of the peeled box chosen; Box is
	// that box pruned of insignificant restrictions and pasted.
	Chosen       int
	Box          Box
	Restrictions []Restriction
}

// Find runs PRIM on the active points: peel, choose a box (Select),
// prune its insignificant restrictions, paste.
func Find(ctx context.Context, d *Data, active []bool, minCoverage float64, opt PRIMOptions) (*Result, error) {
	traj, err := Peel(ctx, d, active, opt)
	if err != nil {
		return nil, err
	}
	k := Select(traj, minCoverage)
	b, _ := Prune(d, active, traj[k], opt)
	b, err = Paste(ctx, d, active, b, opt)
	if err != nil {
		return nil, err
	}
	s := newState(d, active)
	s.setBox(b)
	return &Result{Trajectory: traj, Chosen: k, Box: s.box.clone(), Restrictions: s.restrictions()}, nil
}

// Stability is how often each input is restricted when PRIM runs on
// random halves of the points, and where its limits fall.
type Stability struct {
	Resamples int
	// Share[j] is the share of resamples whose box restricts input j;
	// LoMedian and HiMedian the median of its limits over those
	// resamples that restrict that side (NaN when none does).
	Share              []float64
	LoMedian, HiMedian []float64
	// Coverage and Density of each resample's box on its own half.
	Coverage, Density []float64
}

// Resample runs Find on r random halves of the points (drawn from seed)
// and returns how stable the box is.
func Resample(ctx context.Context, d *Data, r int, seed uint64, minCoverage float64, opt PRIMOptions) (*Stability, error) {
	p := len(d.X)
	boxes := make([]*Result, r)
	errs := make([]error, r)
	parallel(r, func(k int) {
		g := rand.New(rand.NewPCG(seed, uint64(k)))
		active := make([]bool, d.n)
		for _, i := range g.Perm(d.n)[:d.n/2] {
			active[i] = true
		}
		boxes[k], errs[k] = Find(ctx, d, active, minCoverage, opt)
	})
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	st := &Stability{Resamples: r, Share: make([]float64, p), LoMedian: make([]float64, p), HiMedian: make([]float64, p)}
	for j := range p {
		var lo, hi []float64
		n := 0
		for _, b := range boxes {
			if b.Box.Restricted(j) {
				n++
			}
			if !math.IsInf(b.Box.Lo[j], -1) {
				lo = append(lo, b.Box.Lo[j])
			}
			if !math.IsInf(b.Box.Hi[j], 1) {
				hi = append(hi, b.Box.Hi[j])
			}
		}
		st.Share[j] = float64(n) / float64(r)
		st.LoMedian[j], st.HiMedian[j] = quantile(lo, 0.5), quantile(hi, 0.5)
	}
	for _, b := range boxes {
		st.Coverage = append(st.Coverage, b.Box.Coverage)
		st.Density = append(st.Density, b.Box.Density)
	}
	return st, nil
}
