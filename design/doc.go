// Package design makes the uniform numbers that reesim's sampled inputs
// are drawn from, by one of three sampling designs:
//
//   - MC, plain Monte Carlo: every uniform is an independent draw of a
//     PCG generator seeded by the seed, the path number and the input's
//     name (docs/MODEL.md §5).
//   - LHS, Latin hypercube: the paths are cut into slices of SliceSize
//     consecutive paths (the last one shorter), and within a slice each
//     input takes one value in each of the slice's equal-probability
//     strata, in an order that is a pseudo-random permutation keyed by
//     the seed, the input's name and the slice; the value within its
//     stratum is the input's MC draw.
//   - QMC, randomised quasi-Monte Carlo: the points of the Halton
//     sequence, one prime base per dimension, with each digit position of
//     each dimension scrambled by its own random permutation (Owen's
//     randomised Halton, as gonum's stat/samplemv does it) and the
//     remainder below the last scrambled digit filled by the MC draw.
//
// Every design gives each uniform by a formula of the path number, so a
// path's uniforms do not depend on how many workers run or in which
// order, nor (for MC and LHS) on which other inputs exist: an input's
// uniforms depend on its name. Under QMC an input's dimension is its
// place in a list of names that the caller fixes (a study passes the same
// list to all its variants), and its scrambling depends on its name.
//
// Each uniform is marginally U(0, 1) under every design, so estimates of
// means and probabilities stay unbiased; LHS and QMC make their spread
// over seeds smaller when the output depends smoothly on a few inputs.
package design
