// Package report writes reesim's HTML briefing pages.
//
// A page is one self-contained file: its charts are inlined as PNG data
// URIs and its style sheet and one small script are inline, so it opens
// with no network and can be mailed as it is. Every text that comes from a
// run's files is escaped by html/template.
//
// The script marks the page's body with data-images-ok="true" once every
// image has decoded, which scripts/browser-check.sh looks for.
package report

import (
	"bytes"
	"encoding/base64"
	"html/template"
	"io"

	"github.com/reesim/reesim/internal/safetext"
)

// Page is the briefing page of one run. It reads as a briefing: the
// message first, in sentences with their uncertainty, then the key
// charts, then what the scenario changes from the one it extends, and
// an appendix with the tables, the other charts, the inputs and the
// method.
type Page struct {
	// Title heads the page, Scenario names the scenario, Description is
	// the scenario's description.
	Title, Scenario, Description string
	// Partial, when not empty, is a warning that the run was interrupted.
	Partial string
	// Source is the line that credits the run.
	Source string
	// Message are the sentences that say what the run found.
	Message []string
	// KeyCharts follow the message; Charts are the others, in the
	// appendix.
	KeyCharts, Charts []Chart
	// Differences, when not nil, compares the scenario with the one it
	// extends.
	Differences *Differences
	// Headline are the headline metrics.
	Headline []Headline
	// Assumptions are the sampled inputs and their ranges; Hidden says
	// which inputs are left out of the page (internal draws).
	Assumptions []Assumption
	Hidden      string
	// FixedNote says over which paths the ranges were taken.
	FixedNote string
	// Notes say which charts were not drawn and why.
	Notes []string
	// Method are paragraphs on how the numbers were made.
	Method []string
	// Reproduce says how to make the run again.
	Reproduce []Field
}

// Differences is what a scenario changes from the scenario it extends,
// and what that does to the headline metrics on the same draws.
type Differences struct {
	// Parent names the scenario extended.
	Parent string
	// Changes are the keys the scenario sets.
	Changes []Change
	// Effects are the headline metrics of both, paired path by path;
	// empty when the parent's results were not at hand, and Note then
	// says how to get them.
	Effects []Effect
	Note    string
}

// Change is one key a scenario sets: its label and key, the parent's
// value ("" when the parent has none) and the scenario's.
type Change struct {
	Label, Key, Parent, Value string
}

// Effect is one headline metric in the parent and the scenario, with the
// paired difference and its 95 % confidence interval, and the share of
// futures in which the scenario's value is higher.
type Effect struct {
	Title, Parent, Value, Diff, CI, Higher string
}

// Assumption is a sampled input and its range over the paths.
type Assumption struct {
	Label, Name      string
	Min, Median, Max string
}

// Headline is a headline metric's summary, every number with its unit.
type Headline struct {
	Title, Unit            string
	Mean, CI, P5, P50, P95 string
	// Exceedances read like "P(> 10,000 t) = 12% ± 0.3%".
	Exceedances []string
}

// Chart is one chart: its PNG, inlined, and links to its other formats.
type Chart struct {
	Title, Alt string
	// Subtitle, when not empty, is shown under the title.
	Subtitle string
	PNG      []byte
	// Links are relative links to the chart's other files, such as SVG
	// and PDF, by the text to show.
	Links []Field
}

// Field is a name and its value.
type Field struct{ Name, Value string }

// Write writes the page as HTML.
func Write(w io.Writer, p *Page) error {
	t, err := parse("page", pageHTML)
	if err != nil {
		return err
	}
	return execute(t, w, p)
}

// Explore is the page of an exploratory analysis (reesim explore): the
// message first, in sentences, then the key charts, then sections of
// tables and further charts, the method and how to reproduce it.
type Explore struct {
	Title, Lede string
	Message     []string
	Source      string
	KeyCharts   []Chart
	Sections    []Section
	Method      []string
	Reproduce   []Field
}

// Section is a part of an Explore page: paragraphs, a table, charts.
type Section struct {
	ID, Title  string
	Paragraphs []string
	Table      *Table
	Charts     []Chart
	// Notes are small print under the table.
	Notes []string
}

// Table is a table of text cells; the columns whose index is in Numeric
// are right-aligned.
type Table struct {
	Head    []string
	Rows    [][]string
	Numeric []int
}

// IsNumeric reports whether column i is numeric.
func (t *Table) IsNumeric(i int) bool {
	for _, n := range t.Numeric {
		if n == i {
			return true
		}
	}
	return false
}

// WriteExplore writes an Explore page as HTML.
func WriteExplore(w io.Writer, p *Explore) error {
	t, err := parse("explore", exploreHTML)
	if err != nil {
		return err
	}
	return execute(t, w, p)
}

const exploreHTML = `<!DOCTYPE html>
<html lang="en">
<head>
<title>{{.Title}}</title>
{{template "head"}}
</head>
<body>
<h1>{{.Title}}</h1>
<p class="lede">{{.Lede}}</p>
{{template "lead" .}}{{range .Sections}}
<h2 id="{{.ID}}">{{.Title}}</h2>
{{range .Paragraphs}}<p>{{.}}</p>
{{end}}{{with .Table}}<div class="scroll"><table>
<thead><tr>{{range .Head}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>
{{$t := .}}{{range .Rows}}<tr>{{range $i, $c := .}}<td{{if $t.IsNumeric $i}} class="n"{{end}}>{{$c}}</td>{{end}}</tr>
{{end}}</tbody>
</table></div>
{{end}}{{range .Notes}}<p class="source">{{.}}</p>
{{end}}{{range .Charts}}<figure>
<img src="{{png .PNG}}" alt="{{.Alt}}" width="1600" height="900"/>
<figcaption>{{.Title}} <span class="links">{{range .Links}}<a href="{{.Value}}">{{.Name}}</a>{{end}}</span></figcaption>
</figure>
{{end}}{{end}}
<h2 id="method">Method</h2>
{{range .Method}}<p>{{.}}</p>
{{end}}
<h2 id="reproduce">How to reproduce</h2>
<table>
<tbody>
{{range .Reproduce}}<tr><th>{{.Name}}</th><td><code>{{.Value}}</code></td></tr>
{{end}}</tbody>
</table>
</body>
</html>
`

// Index is the page that compares the runs of a batch.
type Index struct {
	Title string
	// Partial, when not empty, warns that some runs were interrupted.
	Partial string
	Source  string
	// Columns head the metric columns of Rows.
	Columns []string
	Rows    []IndexRow
	Charts  []Chart
}

// IndexRow is one run of a batch.
type IndexRow struct {
	Scenario, Description string
	// Href links the run's report.html, relative to the index.
	Href    string
	Paths   string
	Partial bool
	// Cells hold the metrics, in the order of Index.Columns.
	Cells []string
}

// WriteIndex writes the index page as HTML.
func WriteIndex(w io.Writer, ix *Index) error {
	t, err := parse("index", indexHTML)
	if err != nil {
		return err
	}
	return execute(t, w, ix)
}

// execute writes the page t makes of data to w, without control
// characters: html/template escapes markup, not the escape sequences that
// text from a scenario file might hold.
func execute(t *template.Template, w io.Writer, data any) error {
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return err
	}
	_, err := w.Write(safetext.Bytes(b.Bytes()))
	return err
}

func parse(name, text string) (*template.Template, error) {
	return template.New(name).Funcs(template.FuncMap{
		"png": func(b []byte) template.URL {
			return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(b))
		},
	}).Parse(head + text)
}

// head is the start of every page: the style sheet and the script that
// checks that the images decoded and that the message and a chart are
// on the first screen. It also defines "lead", the message, source line
// and key charts that open a run's and an explore command's page.
const head = `{{define "head"}}<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<style>
body { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; color: #222; max-width: 1320px; margin: 0 auto; padding: 1em 2em 4em; line-height: 1.4; }
h1 { font-size: 1.7em; margin: 0.1em 0 0.2em; }
h2 { font-size: 1.3em; margin-top: 1.6em; border-bottom: 2px solid #0072B2; padding-bottom: 0.2em; }
h3 { font-size: 1.05em; margin-top: 1.2em; }
.lede { font-size: 1.05em; color: #333; margin: 0.2em 0; }
.message { font-size: 1.2em; background: #eef6fb; border-left: 5px solid #0072B2; padding: 0.6em 1em; margin: 0.6em 0; }
.message p { margin: 0.3em 0; }
.source { color: #555; font-size: 0.88em; }
.partial { background: #D55E00; color: #fff; font-weight: bold; font-size: 1.2em; padding: 0.8em 1em; border-radius: 4px; margin: 1em 0; }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.92em; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th { background: #f2f2f2; }
code { font-size: 0.85em; color: #555; word-break: break-all; }
figure { margin: 1em 0 1.5em; }
figure img { width: 100%; max-width: 1280px; height: auto; border: 1px solid #ddd; }
figcaption { font-size: 0.88em; color: #555; }
table.cmp td.n { white-space: pre; }
table.cmp td:first-child { min-width: 12em; }
.keycharts { display: grid; grid-template-columns: 1fr; gap: 0 1.2em; }
.keycharts figure { margin: 0.4em 0 0.8em; }
@media (min-width: 1100px) { .keycharts { grid-template-columns: 1fr 1fr; } }
.links a { margin-right: 1em; }
.appendix { break-before: page; }
@page { size: A4; margin: 11mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  h2 { margin-top: 0.8em; }
  .keycharts { display: block; }
  .keycharts figure { margin: 0.2em 0 0.4em; text-align: center; }
  .keycharts figure img { width: 80%; }
  .keycharts figcaption { display: none; }
  .message { font-size: 1.1em; padding: 0.4em 0.8em; }
  figure { break-inside: avoid; }
  .links { display: none; }
  .scroll { overflow: visible; }
  table { font-size: 8.5pt; }
}
</style>
<script>
window.addEventListener("load", function () {
  var ok = document.images.length > 0;
  for (var img of document.images) {
    if (!img.complete || img.naturalWidth === 0) { ok = false; }
  }
  document.body.dataset.images = String(document.images.length);
  document.body.dataset.imagesOk = ok ? "true" : "false";
  // The first screen must show the message and the first key chart.
  var msg = document.getElementById("message");
  var chart = document.querySelector(".keycharts img");
  // (No less-than signs or ampersands here: tests read the page as XML.)
  if (msg) {
    var h = window.innerHeight;
    var first = h > msg.getBoundingClientRect().bottom;
    if (chart) {
      var box = chart.getBoundingClientRect();
      first = first ? h > box.top + 0.5 * box.height : false;
    }
    document.body.dataset.firstScreen = first ? "message-and-chart" : "not-on-first-screen";
  }
});
</script>{{end}}{{define "lead"}}<div class="message" id="message">
{{range .Message}}<p>{{.}}</p>
{{end}}</div>
<p class="source">{{.Source}}</p>
{{if .KeyCharts}}<div class="keycharts" id="key-charts">
{{range .KeyCharts}}<figure>
<img src="{{png .PNG}}" alt="{{.Alt}}" width="1600" height="900"/>
<figcaption>{{.Title}} <span class="links">{{range .Links}}<a href="{{.Value}}">{{.Name}}</a>{{end}}</span></figcaption>
</figure>
{{end}}</div>
{{end}}{{end}}`

const pageHTML = `<!DOCTYPE html>
<html lang="en">
<head>
<title>{{.Title}}</title>
{{template "head"}}
</head>
<body>
<h1>{{.Title}}</h1>
{{if .Partial}}<div class="partial" id="partial">{{.Partial}}</div>
{{end}}<p class="lede">{{.Description}}</p>
{{template "lead" .}}{{with .Differences}}
<h2 id="differences">What this scenario changes from {{.Parent}}</h2>
{{if .Effects}}<p>The same futures with and without the changes below: path i of both runs draws the same shocks (common random numbers), so each difference is due to the changes alone.</p>
<div class="scroll"><table>
<thead><tr><th>Headline</th><th>{{.Parent}}</th><th>This scenario</th><th>Difference (95 % CI)</th><th>Higher in</th></tr></thead>
<tbody>
{{range .Effects}}<tr><td>{{.Title}}</td><td class="n">{{.Parent}}</td><td class="n">{{.Value}}</td><td class="n">{{.Diff}} ({{.CI}})</td><td class="n">{{.Higher}}</td></tr>
{{end}}</tbody>
</table></div>
{{end}}{{if .Note}}<p class="source">{{.Note}}</p>
{{end}}{{if .Changes}}<h3>Keys changed</h3>
<div class="scroll"><table>
<thead><tr><th>Setting</th><th>{{.Parent}}</th><th>This scenario</th></tr></thead>
<tbody>
{{range .Changes}}<tr><td>{{.Label}}<br/><code>{{.Key}}</code></td><td>{{if .Parent}}{{.Parent}}{{else}}<em>not set</em>{{end}}</td><td>{{.Value}}</td></tr>
{{end}}</tbody>
</table></div>
{{end}}{{end}}
<div class="appendix" id="appendix">
<h2 id="headline">Appendix A. Headline results</h2>
<div class="scroll"><table>
<thead><tr><th>Metric</th><th>Mean (95 % CI)</th><th>p5</th><th>Median</th><th>p95</th><th>Chance of exceeding</th></tr></thead>
<tbody>
{{range .Headline}}<tr><td>{{.Title}}</td><td class="n">{{.Mean}}<br/><span class="source">{{.CI}}</span></td><td class="n">{{.P5}}</td><td class="n">{{.P50}}</td><td class="n">{{.P95}}</td><td>{{range $i, $e := .Exceedances}}{{if $i}}<br/>{{end}}{{$e}}{{end}}</td></tr>
{{end}}</tbody>
</table></div>
<p class="source">Mean over paths with its 95 % confidence interval (± 1.96 Monte Carlo standard errors). p5, median and p95: 5 %, 50 % and 95 % of paths are at or below the value. Chance of exceeding: the share of paths above each threshold the scenario names, ± its standard error. Three significant figures; summary.csv and summary.json hold full precision.</p>

{{if .Charts}}<h2 id="charts">Appendix B. Further charts</h2>
{{range .Charts}}<figure>
<img src="{{png .PNG}}" alt="{{.Alt}}" width="1600" height="900"/>
<figcaption>{{.Title}} <span class="links">{{range .Links}}<a href="{{.Value}}">{{.Name}}</a>{{end}}</span></figcaption>
</figure>
{{end}}{{end}}{{range .Notes}}<p class="source">{{.}}</p>
{{end}}
<h2 id="assumptions">Appendix C. The sampled inputs</h2>
{{if .Assumptions}}<div class="scroll"><table>
<thead><tr><th>Input</th><th>Lowest</th><th>Median</th><th>Highest</th></tr></thead>
<tbody>
{{range .Assumptions}}<tr><td>{{.Label}}<br/><code>{{.Name}}</code></td><td class="n">{{.Min}}</td><td class="n">{{.Median}}</td><td class="n">{{.Max}}</td></tr>
{{end}}</tbody>
</table></div>
{{else}}<p>No input is sampled: every path is the same.</p>
{{end}}{{if .FixedNote}}<p class="source">{{.FixedNote}}</p>
{{end}}{{if .Hidden}}<p class="source">{{.Hidden}}</p>
{{end}}
<h2 id="method">Appendix D. Method</h2>
{{range .Method}}<p>{{.}}</p>
{{end}}
<h2 id="reproduce">Appendix E. How to reproduce</h2>
<table>
<tbody>
{{range .Reproduce}}<tr><th>{{.Name}}</th><td><code>{{.Value}}</code></td></tr>
{{end}}</tbody>
</table>
<p class="source">Run the command with the same reesim version to get the same numbers, byte for byte; the scenario hash identifies the exact resolved scenario (scenario.resolved.toml). <code>reesim plot</code> on the results folder re-draws the charts from its files.</p>
</div>
</body>
</html>
`

const indexHTML = `<!DOCTYPE html>
<html lang="en">
<head>
<title>{{.Title}}</title>
{{template "head"}}
</head>
<body>
<h1>{{.Title}}</h1>
{{if .Partial}}<div class="partial" id="partial">{{.Partial}}</div>
{{end}}<p class="source">{{.Source}}</p>

<h2 id="scenarios">Scenarios</h2>
<div class="scroll"><table class="cmp">
<thead><tr><th>Scenario</th><th>Paths</th>{{range .Columns}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>
{{range .Rows}}<tr><td><a href="{{.Href}}">{{.Scenario}}</a>{{if .Partial}} <strong>(PARTIAL RUN)</strong>{{end}}<br/><span class="source">{{.Description}}</span></td><td class="n">{{.Paths}}</td>{{range .Cells}}<td class="n">{{.}}</td>{{end}}</tr>
{{end}}</tbody>
</table></div>
<p class="source">Each cell: mean over paths ± 1.96 standard errors (the 95 % confidence interval of the mean), then, below it, the 5th to 95th percentile of paths. Each scenario's name opens its briefing.</p>

<h2 id="charts">Comparison</h2>
{{range .Charts}}<figure>
<img src="{{png .PNG}}" alt="{{.Alt}}" width="1600" height="900"/>
<figcaption>{{.Title}} <span class="links">{{range .Links}}<a href="{{.Value}}">{{.Name}}</a>{{end}}</span></figcaption>
</figure>
{{end}}</body>
</html>
`
