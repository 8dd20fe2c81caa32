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

// Page is the briefing page of one run.
type Page struct {
	// Title heads the page, Scenario names the scenario, Description is
	// the scenario's description.
	Title, Scenario, Description string
	// Partial, when not empty, is a warning that the run was interrupted.
	Partial string
	// Source is the line that credits the run.
	Source string
	// Assumptions are the sampled inputs and their ranges.
	Assumptions []Assumption
	// FixedNote says how many inputs did not vary, if any.
	FixedNote string
	// Headline are the headline metrics.
	Headline []Headline
	// Charts are the charts, in order.
	Charts []Chart
	// Notes say which charts were not drawn and why.
	Notes []string
	// Reproduce says how to make the run again.
	Reproduce []Field
}

// Assumption is a sampled input and its range over the paths.
type Assumption struct {
	Label, Name      string
	Min, Median, Max string
}

// Headline is a headline metric's summary.
type Headline struct {
	Title, Unit            string
	Mean, SE, P5, P50, P95 string
	// Exceedances read like "P(> 10,000 t) = 12% ± 0.3%".
	Exceedances []string
}

// Chart is one chart: its PNG, inlined, and links to its other formats.
type Chart struct {
	Title, Alt string
	PNG        []byte
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
// checks that the images decoded.
const head = `{{define "head"}}<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<style>
body { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; color: #222; max-width: 1320px; margin: 0 auto; padding: 1.5em 2em 4em; line-height: 1.45; }
h1 { font-size: 1.9em; margin: 0.2em 0; }
h2 { font-size: 1.35em; margin-top: 2em; border-bottom: 2px solid #0072B2; padding-bottom: 0.2em; }
.lede { font-size: 1.15em; color: #333; }
.source { color: #555; font-size: 0.9em; }
.partial { background: #D55E00; color: #fff; font-weight: bold; font-size: 1.2em; padding: 0.8em 1em; border-radius: 4px; margin: 1em 0; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.95em; }
th, td { border-bottom: 1px solid #ddd; padding: 0.35em 0.7em; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th { background: #f2f2f2; }
code { font-size: 0.85em; color: #555; }
figure { margin: 1.5em 0 2.5em; }
figure img { width: 100%; max-width: 1280px; height: auto; border: 1px solid #ddd; }
figcaption { font-size: 0.9em; color: #555; }
.links a { margin-right: 1em; }
@media print { figure { break-inside: avoid; } .links { display: none; } }
</style>
<script>
window.addEventListener("load", function () {
  var ok = document.images.length > 0;
  for (var img of document.images) {
    if (!img.complete || img.naturalWidth === 0) { ok = false; }
  }
  document.body.dataset.images = String(document.images.length);
  document.body.dataset.imagesOk = ok ? "true" : "false";
});
</script>{{end}}`

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
<p class="source">{{.Source}}</p>

<h2 id="headline">Headline results</h2>
<table>
<thead><tr><th>Metric</th><th>Unit</th><th>Mean</th><th>± SE</th><th>p5</th><th>Median (p50)</th><th>p95</th><th>Chance of exceeding</th></tr></thead>
<tbody>
{{range .Headline}}<tr><td>{{.Title}}</td><td>{{.Unit}}</td><td class="n">{{.Mean}}</td><td class="n">{{.SE}}</td><td class="n">{{.P5}}</td><td class="n">{{.P50}}</td><td class="n">{{.P95}}</td><td>{{range $i, $e := .Exceedances}}{{if $i}}<br/>{{end}}{{$e}}{{end}}</td></tr>
{{end}}</tbody>
</table>
<p class="source">Mean over paths with its Monte Carlo standard error (SE): the mean is known to about ± 2 SE. p5, p50 and p95: 5 %, 50 % and 95 % of paths are at or below the value. Chance of exceeding: the share of paths above each threshold the scenario names, ± its standard error.</p>

<h2 id="assumptions">Key assumptions: the sampled inputs</h2>
{{if .Assumptions}}<table>
<thead><tr><th>Input</th><th>Lowest</th><th>Median</th><th>Highest</th></tr></thead>
<tbody>
{{range .Assumptions}}<tr><td>{{.Label}}<br/><code>{{.Name}}</code></td><td class="n">{{.Min}}</td><td class="n">{{.Median}}</td><td class="n">{{.Max}}</td></tr>
{{end}}</tbody>
</table>
{{else}}<p>No input is sampled: every path is the same.</p>
{{end}}{{if .FixedNote}}<p class="source">{{.FixedNote}}</p>
{{end}}
<h2 id="charts">Charts</h2>
{{range .Charts}}<figure>
<img src="{{png .PNG}}" alt="{{.Alt}}" width="1600" height="900"/>
<figcaption>{{.Title}} <span class="links">{{range .Links}}<a href="{{.Value}}">{{.Name}}</a>{{end}}</span></figcaption>
</figure>
{{end}}{{range .Notes}}<p class="source">{{.}}</p>
{{end}}
<h2 id="reproduce">How to reproduce</h2>
<table>
<tbody>
{{range .Reproduce}}<tr><th>{{.Name}}</th><td><code>{{.Value}}</code></td></tr>
{{end}}</tbody>
</table>
<p class="source">Run the command with the same reesim version to get the same numbers, byte for byte; the scenario hash identifies the exact resolved scenario (scenario.resolved.toml). <code>reesim plot</code> on the results folder re-draws the charts from its files.</p>
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
<table>
<thead><tr><th>Scenario</th><th>Paths</th>{{range .Columns}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>
{{range .Rows}}<tr><td><a href="{{.Href}}">{{.Scenario}}</a>{{if .Partial}} <strong>(PARTIAL RUN)</strong>{{end}}<br/><span class="source">{{.Description}}</span></td><td class="n">{{.Paths}}</td>{{range .Cells}}<td class="n">{{.}}</td>{{end}}</tr>
{{end}}</tbody>
</table>
<p class="source">Each cell: mean over paths ± 1.96 standard errors (the 95 % confidence interval of the mean), then the 5th to 95th percentile of paths.</p>

<h2 id="charts">Comparison</h2>
{{range .Charts}}<figure>
<img src="{{png .PNG}}" alt="{{.Alt}}" width="1600" height="900"/>
<figcaption>{{.Title}} <span class="links">{{range .Links}}<a href="{{.Value}}">{{.Name}}</a>{{end}}</span></figcaption>
</figure>
{{end}}</body>
</html>
`
