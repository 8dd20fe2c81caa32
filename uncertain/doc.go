// Package uncertain provides the probability distributions that reesim
// scenario inputs are sampled from, and a Gaussian copula that gives
// sampled inputs the rank correlations a scenario asks for.
//
// # Families
//
// Each family of distributions is a small value type with its parameters
// as exported fields, in a file of its own, following gonum's distuv:
// [Fixed], [Uniform], [Triangular], [PERT], [Normal], [LogNormal], [Beta],
// [Discrete] and [Bernoulli]. All of them are a [Dist]. A [Family]
// describes how scenario files write a family: its name and parameters,
// from which package scenarios reads, checks and writes distributions
// without knowing the families. Adding a family is a new file with its
// type and its Family (whose Rank places it in the lists of messages),
// registered there, and its test file, whose cases the shared tests
// check.
//
// # Sampling by inverse transform
//
// A [Dist] never draws random numbers itself. Every draw is made by the
// caller, who takes a uniform number u from its own random stream and maps
// it through the inverse cumulative distribution function, Quantile.
// Working from uniforms in this way has two benefits:
//
//   - Common random numbers. Two scenarios that feed the same stream of
//     uniforms into their inputs see the same "luck": if only one input
//     changes between them, every other input takes identical values, so
//     differences in outcome are due to the change rather than to noise.
//     Because Quantile is non-decreasing in u, a small change to a
//     parameter moves each draw a little rather than reshuffling the draws.
//   - Correlation. A [Copula] turns independent uniforms into correlated
//     ones; passing those through each input's Quantile gives inputs with
//     the requested rank correlations whatever their distributions.
//
// Quantile does not allocate, and nothing in this package uses a random
// source of its own (in particular the Rand methods of gonum's distuv types
// are never called), so the results depend only on the caller's stream.
//
// # Parametrisations
//
// Distributions are written in scenario files in the terms a domain expert
// can give, which are not always the textbook parameters:
//
//   - fixed: always Value.
//   - uniform: evenly spread over [Min, Max].
//   - triangular: Min, Mode and Max.
//   - pert: Min, Mode and Max, as for triangular, but with less weight in
//     the tails. It is a beta distribution scaled to [Min, Max] with shape
//     parameters α = 1 + 4(Mode − Min)/(Max − Min) and
//     β = 1 + 4(Max − Mode)/(Max − Min), so its mean is
//     (Min + 4·Mode + Max)/6.
//   - normal: Mean and SD, optionally truncated to [Min, Max] when HasMin
//     or HasMax is set.
//   - lognormal: given by its Median and its 90th percentile P90, with
//     P90 > Median > 0. The underlying normal has μ = ln(Median) and
//     σ = ln(P90/Median)/z₀.₉, where z₀.₉ ≈ 1.2816 is the 90th percentile of
//     the standard normal. It may be truncated like the normal.
//   - beta: shape parameters Alpha and Beta, scaled from [0, 1] to
//     [Min, Max]; when Min and Max are both zero the unit interval is used.
//   - discrete: Values with Weights; the weights need not add up to one, as
//     they are normalised.
//   - bernoulli: 1 with probability P and 0 otherwise, for events that
//     either happen or do not. The top fraction P of uniforms (u > 1 − P)
//     give 1, so a larger P only ever turns 0s into 1s.
//
// Truncation is done by inversion as well: u is mapped into
// [F(Min), F(Max)], where F is the untruncated distribution function, and
// then inverted, so truncated draws still use exactly one uniform each.
//
// # Rank correlation
//
// Correlations between inputs are asked for as Spearman rank correlations,
// because ranks do not depend on the shape of each input's distribution. A
// Gaussian copula works with the Pearson correlations r of underlying
// standard normal variables; for normals, a Spearman correlation ρs
// corresponds exactly to r = 2 sin(π ρs / 6). [NewCopula] converts each
// asked-for entry this way and factorises the resulting matrix with a
// Cholesky decomposition, so the matrix must be positive definite.
// Each transformed uniform is Φ(y) where y = L z, z holds the standard
// normal quantiles of the independent uniforms and L is the Cholesky
// factor. Rank correlations survive any non-decreasing transformation, so
// they also hold between the inputs after Quantile (exactly for continuous
// distributions, diluted by ties for discrete and bernoulli ones).
package uncertain
