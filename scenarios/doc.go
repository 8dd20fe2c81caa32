// Package scenarios reads, checks and writes reesim scenario files.
//
// A scenario is a TOML file describing the rare-earth market at a start
// month (facilities, demand segments, markets, regions) and the policies
// and shocks to simulate (export controls, tariffs, stockpiles, price
// floors, recycling). docs/SCENARIOS.md documents every key.
//
// # Loading
//
// [Load] takes a shipped scenario's name, such as "baseline" or
// "history/2010-quota-crisis", or the path of a .toml file; [LoadBytes]
// takes the text itself. Both resolve the extends chain, apply the
// defaults and check the result, returning either a complete [Scenario]
// or every problem found as [Problems]. [Shipped] lists the scenarios
// embedded in the program from scenarios/shipped/*.toml and
// scenarios/shipped/history/*.toml.
//
// Loading goes in five steps:
//
//  1. Each file of the extends chain is checked to be UTF-8 text and parsed
//     with github.com/BurntSushi/toml. The loader finds the line of every
//     key itself, as the parser does not report them, and attaches it to
//     the key's value.
//  2. The files are merged, the parent first: plain keys of the child
//     override the parent's; entries of arrays of tables ([[facility]],
//     [[segment]], ...) merge by name, and remove = true deletes the
//     parent's entry of that name; [[correlation]] entries are appended.
//  3. A reflective decoder walks the Scenario struct along its toml tags
//     and reads the merged tree, checking types, units and ranges as the
//     fields' reesim tags ask. It carries on after a problem, so that
//     every problem in the files is reported, each with the file and line
//     it comes from (a parent's file for keys the parent set).
//  4. Defaults fill the keys left out.
//  5. Checks that involve several keys run last: references between
//     entries, events inside the horizon, mines' oxide shares, stockpile
//     sizes and correlations.
//
// # Numbers and distributions
//
// Each number a scenario may sample is a [Num]: a plain number, a month
// "YYYY-MM", or an inline table {dist = "KIND", ...} giving a distribution
// of package uncertain. A distribution's whole support is checked against the
// key's range, so uniform(0.5, 1.3) is rejected for a probability. Every
// Num has a name: the one given by its name key, or its key path such as
// "facility.iluka-eneabba.delay_months". Keys that share a name are one
// input, drawn once per path, and must give the same distribution.
//
// # Writing
//
// [Scenario.WriteResolved] writes a scenario with inheritance and defaults
// applied and every key explicit; loading that text gives the same
// Scenario back, so a run's output folder can record exactly what was run.
package scenarios
