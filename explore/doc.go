// Package explore holds the methods of exploratory modelling that reesim
// explore uses, written for any model that maps a point of the unit
// hypercube to a few outputs:
//
//   - variance-based sensitivity: Saltelli's sampling design with the
//     Saltelli (2010) first-order and the Jansen (1999) total-order
//     estimators of Sobol' indices, for single inputs or groups of
//     inputs, with bootstrap confidence intervals from a fixed seed;
//   - Morris's elementary effects, a cheap screen of many inputs;
//   - the patient rule induction method (PRIM) of Friedman and Fisher
//     (1999) for scenario discovery: peeling, pasting, the
//     coverage-density trade-off, a significance test of each
//     restriction and a resampling check of the box's stability.
//
// The methods follow the descriptions in Saltelli et al., "Variance based
// sensitivity analysis of model output" (Computer Physics Communications
// 181, 2010), Campolongo, Cariboni and Saltelli, "An effective screening
// design for sensitivity analysis of large models" (Environmental
// Modelling & Software 22, 2007) and Bryant and Lempert, "Thinking inside
// the box" (Technological Forecasting & Social Change 77, 2010), as SALib
// and the EMA Workbench implement them; docs/EXPLORE.md says how to read
// their results.
package explore
