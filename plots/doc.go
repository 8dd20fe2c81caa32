// Package plots draws a reesim run's charts and briefing from the files the
// run wrote, so that a folder of results can be re-drawn at any time
// without simulating again.
//
// [RenderWith] reads a results folder (quantiles.csv, the first MaxSample rows
// of paths.csv or paths.parquet, summary.json and manifest.json) and
// writes:
//
//   - charts/NAME.png, charts/NAME.svg and charts/NAME.pdf for every chart;
//   - briefing.pdf: a cover, a summary page with the message and the
//     headline table, then every chart on its own 16:9 page, the key
//     charts first;
//   - report.html, a self-contained briefing page (see package report)
//     that opens with the message and the key charts.
//
// The message is written from the run's metadata, never from a list of
// today's metrics: a metric is recognised by its name and unit (see
// message.go), so metrics added to the model find their way into the
// sentences, the tables and the comparison charts.
//
// RenderIndex compares the headline metrics of several runs and writes an
// index page that links each run's report.
//
// The charts are:
//
//   - fan charts over calendar time of prices (ex-China as bands, China's
//     median and p5-p95 laid over them as lines), ex-China magnet supply
//     against demand, shortfall, defence shortfall, government stockpiles
//     and the Chinese-origin share of ex-China supply. The bands are
//     polygons built from the p5, p25, p75 and p95 columns of
//     quantiles.csv and nothing else (see ReadQuantiles). A chart whose
//     series stay level on every path (stockpiles nothing draws on) is
//     replaced by a sentence that says so;
//   - the distribution of headline metrics over paths: a histogram and an
//     exceedance curve, with the mean, the 95th percentile and the
//     scenario's thresholds marked and labelled, on logarithmic axes when
//     the tail is heavy;
//   - drivers charts: each sampled input's swing in the metric (the mean in
//     the fifth of paths with the most of the input less that in the
//     fifth with the least), ranked by Spearman rank correlation, policy
//     levers and uncertainties apart from model settings, internal draws
//     left out.
//
// Each chart's title states what it shows where the data support a
// message; the descriptive title leads the subtitle.
//
// Every chart shares one style, set in one constructor: Liberation Sans, a title and
// subtitle, units on both axes, the legend above the data, the Okabe–Ito
// colour-blind-safe palette and a source line naming the reesim version,
// scenario, number of paths and seed, marked PARTIAL RUN when the run was
// interrupted.
//
// Drawing takes the same time and memory whatever the number of paths:
// histograms, exceedance curves, drivers and input ranges use the first
// MaxSample paths (paths are independent draws, so these are a random
// sample), and everything else comes from quantiles.csv and summary.json,
// which cover every path. Charts are drawn as many at once as there are
// CPUs.
package plots
