// Package plots draws a reesim run's charts and briefing from the files the
// run wrote, so that a folder of results can be re-drawn at any time
// without simulating again.
//
// Render reads a results folder (quantiles.csv, paths.csv, summary.json and
// manifest.json) and writes:
//
//   - charts/NAME.png, charts/NAME.svg and charts/NAME.pdf for every chart;
//   - briefing.pdf, every chart on its own 16:9 page;
//   - report.html, a self-contained briefing page (see package report).
//
// RenderIndex compares the headline metrics of several runs and writes an
// index page that links each run's report.
//
// The charts are:
//
//   - fan charts over calendar time of prices (China and ex-China on one
//     chart per product), ex-China magnet supply against demand, shortfall,
//     defence shortfall, government stockpiles and the Chinese-origin share
//     of ex-China supply: the median as a line, the mean dashed, and the
//     middle 50 % and 90 % of paths as bands. The bands are polygons built
//     from the p5, p25, p75 and p95 columns of quantiles.csv and nothing
//     else (see ReadQuantiles);
//   - the distribution of headline metrics over paths, from paths.csv: a
//     histogram and an exceedance curve, with the mean and the 95th
//     percentile marked;
//   - tornado charts ranking the sampled inputs by their Spearman rank
//     correlation with the cumulative shortfall and the peak ex-China magnet
//     price.
//
// Every chart shares one style, set in one constructor: Liberation Sans, a title and
// subtitle, units on both axes, the legend above the data, the Okabe–Ito
// colour-blind-safe palette and a source line naming the reesim version,
// scenario, number of paths and seed, marked PARTIAL RUN when the run was
// interrupted.
//
// For runs of more than MaxCorrelationRows paths, the tornado charts and the
// medians of the sampled inputs use the first MaxCorrelationRows paths
// (paths are independent draws, so these are a random sample); the input
// minima and maxima, histograms and exceedance curves use every path.
package plots
