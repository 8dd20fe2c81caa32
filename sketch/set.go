package sketch

import "fmt"

// Set is a fixed number of sketches that share one alpha, for example one
// per (series, month) cell of a simulation. The sketches are allocated
// together; each allocates its buckets when it first receives values.
type Set struct {
	alpha    float64
	sketches []Sketch
}

// NewSet returns a Set of n empty sketches with relative accuracy alpha.
//
// NewSet panics if alpha is not in (0, 1) or n is negative; those are
// programming errors.
func NewSet(alpha float64, n int) *Set {
	if n < 0 {
		panic(fmt.Sprintf("sketch: negative Set length %d", n))
	}
	checkAlpha(alpha)
	set := &Set{alpha: alpha, sketches: make([]Sketch, n)}
	if n == 0 {
		return set
	}
	set.sketches[0].init(alpha)
	for i := 1; i < n; i++ {
		set.sketches[i] = set.sketches[0]
	}
	return set
}

// Len returns the number of sketches in the set.
func (set *Set) Len() int { return len(set.sketches) }

// Alpha returns the relative accuracy shared by the sketches.
func (set *Set) Alpha() float64 { return set.alpha }

// At returns the i-th sketch, 0 <= i < Len. Like slice indexing, it panics
// if i is out of range.
func (set *Set) At(i int) *Sketch { return &set.sketches[i] }

// Merge merges each sketch of o into the sketch of set at the same index.
//
// Merge panics if the sets differ in length or alpha; those are programming
// errors.
func (set *Set) Merge(o *Set) {
	if len(o.sketches) != len(set.sketches) {
		panic(fmt.Sprintf("sketch: merging sets of length %d and %d", len(set.sketches), len(o.sketches)))
	}
	if o.alpha != set.alpha {
		panic(fmt.Sprintf("sketch: merging sets with alpha %v and %v", set.alpha, o.alpha))
	}
	for i := range set.sketches {
		set.sketches[i].Merge(&o.sketches[i])
	}
}

// Reset empties every sketch in the set, keeping allocated buckets.
func (set *Set) Reset() {
	for i := range set.sketches {
		set.sketches[i].Reset()
	}
}

// Buckets returns the total number of bucket counters allocated by the
// sketches in the set; memory is about 4 bytes per bucket.
func (set *Set) Buckets() int {
	n := 0
	for i := range set.sketches {
		n += set.sketches[i].Buckets()
	}
	return n
}
