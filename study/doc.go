// Package study runs policy studies: the same scenario, or several, under
// several settings of a policy lever — stockpiles of 0, 30, 60, 90 and 180
// days, price floors, tariff levels — with the same random draws on every
// path (common random numbers), and compares them path by path.
//
// A study file (TOML) names one or more base scenarios, the variants to
// compare (explicit [[variant]] tables and [[sweep]] tables that expand
// into variants) and the reference variant the others are compared with.
// Load reads and checks a study file, applies every variant to every base
// through the scenario loader's own extends merge, and compiles the
// resulting scenarios, reporting every problem found with its file, line
// and key, as scenarios.Load does.
//
// Run simulates every case (base × variant) with the same seed. Because
// every sampled input's random stream depends only on the seed, the path
// number and the input's name, path i of every variant sees the same
// shocks, so the per-path difference between a variant and the reference
// measures the effect of the lever alone. Run keeps the reference's
// per-path values of the compared metrics in memory (8 bytes per path and
// metric, per base) and accumulates every other variant's paired
// differences as its paths stream past, in path order; nothing else grows
// with the number of paths.
//
// With a precision target, Run simulates in stages of doubling size
// (1,024 paths, then 2,048, 4,096, ... in all), numbering the paths on
// across stages, until the 95 % confidence interval of every paired
// difference of the key metric is narrower than the target or the path
// limit is reached. The result is the same as a single run of that many
// paths.
//
// An Outcome holds the comparison (per base, variant and metric: mean,
// standard error, percentiles, paired difference from the reference with
// its confidence interval, the unpaired interval for contrast and the share
// of paths on which the variant is better), the cost-benefit analysis when
// the study values a tonne of magnet not delivered, and one-sentence
// answers. WriteComparisonCSV, WriteCostBenefitCSV and WriteReport write
// it; docs/STUDIES.md describes the file format, the outputs and the
// statistics.
package study
