package study

import (
	"embed"
	"errors"
	"fmt"
	"github.com/reesim/reesim/internal/tomlfile"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/reesim/reesim/internal/inputfile"
	"github.com/reesim/reesim/scenarios"
	"github.com/reesim/reesim/sim"
)

// shippedFiles holds the shipped studies.
//
//go:embed shipped/*.toml
var shippedFiles embed.FS

// shippedPrefix is how the labels of shipped study files begin: the folder
// they are in within the source tree.
const shippedPrefix = "study/"

// maxFileSize is the largest study file read, in bytes.
const maxFileSize = 1 << 20

// maxCases is the most cases (bases × variants) a study may have.
const maxCases = 1000

// Designs say how several sweeps are crossed.
const (
	// Factorial crosses every value of every sweep with every value of
	// the others.
	Factorial = "factorial"
	// Paired takes the i-th value of every sweep together; the sweeps
	// must have the same number of values.
	Paired = "paired"
)

// Defaults of the study file's keys.
const (
	DefaultKeyMetric  = "cum_shortfall_t"
	DefaultCostMetric = "stockpile_cost_musd"
	DefaultMargin     = 0.1
	DefaultPaths      = 10000
	DefaultSeed       = 1
)

// DefaultMetrics are the headline metrics a study compares when its file
// does not list them.
var DefaultMetrics = []string{
	"cum_shortfall_t",
	"peak_shortfall_t",
	"cum_shortfall_defence_t",
	"defence_unmet",
	"months_in_shortage",
	"peak_price_ndpr_exchina",
	"peak_price_dytb_exchina",
	"peak_price_magnet_exchina",
	"stockpile_cost_musd",
	"buyer_extra_cost_musd",
}

// The metrics the cost-benefit analysis reads besides the cost metric.
const (
	shortfallMetric = "cum_shortfall_t"
	buyerMetric     = "buyer_extra_cost_musd"
)

// Study is a checked study file with its cases ready to simulate.
type Study struct {
	// Name names the study's output folder; Description says what it asks.
	Name        string
	Description string
	// File is the file the study was read from, or "study/shipped/NAME.toml"
	// for a shipped study.
	File string
	// Bases are the base scenarios, in the order of the file's base key.
	Bases []*Base
	// Variants are the variants, explicit ones first, then those of the
	// sweeps.
	Variants []*Variant
	// Sweeps are the file's sweeps; Design says how they are crossed.
	Sweeps []Sweep
	Design string
	// Reference is the name of the variant the others are compared with;
	// Ref is its index in Variants.
	Reference string
	Ref       int
	// KeyMetric is the metric the precision target and the answers are
	// about; Metrics are the metrics compared, KeyMetric first.
	KeyMetric string
	Metrics   []string
	// ValuePerTonneUSD is the value of a tonne of magnet not delivered;
	// when it is above 0 the study has a cost-benefit analysis, whose cost
	// is CostMetric and whose choice uses Margin.
	ValuePerTonneUSD float64
	CostMetric       string
	Margin           float64
	// Paths and Seed are the defaults for a run of the study.
	Paths int
	Seed  uint64
	// Notes are the file's notes on its assumptions, for the report.
	Notes []string
	// Thresholds, by headline metric, are the values a future must be on
	// the better side of (at most, unless higher is better) to meet the
	// study's goals; nil when the file sets none.
	Thresholds map[string]float64
	// Scenario holds the keys of the file's [scenario] table, applied to
	// every base before the variants (nil when there is none).
	Scenario map[string]any
	// Cases[b][v] is variant v applied to base b.
	Cases [][]*Case
}

// HasCostBenefit reports whether the study values avoided shortfall and so
// has a cost-benefit analysis.
func (st *Study) HasCostBenefit() bool { return st.ValuePerTonneUSD > 0 }

// Base is a base scenario of a study.
type Base struct {
	// Arg is the base as the study file names it: a shipped scenario's name
	// or a path relative to the study file.
	Arg string
	// Name is the scenario's name, which names the base's folder when the
	// study has several bases.
	Name string
	// Scenario is the base scenario with the study's [scenario] keys
	// applied.
	Scenario *scenarios.Scenario
	// extends is the value of the extends key that makes a scenario
	// inherit from this base.
	extends string
}

// Setting is one key a variant changes.
type Setting struct {
	// Key is the key's dotted path in the scenario, such as
	// "stockpile.allied.size_days", with array-of-tables entries addressed
	// by name.
	Key string `json:"key"`
	// Value is the value as read from the study file.
	Value any `json:"value"`

	line     int    // in the study file, of the value
	place    string // the study file's key the value was written at
	keyLine  int    // and of the key, for problems with the key itself
	keyPlace string
	steps    []step // the key's path through the scenario schema
}

// Variant is a set of changes to the base scenarios.
type Variant struct {
	// Name names the variant's output folder.
	Name string
	// Label is how tables and charts show the variant.
	Label string
	// Set lists the keys it changes, in the order of the sweeps or, for
	// an explicit variant, sorted by key.
	Set []Setting
	// Levels holds, for a variant of the sweeps, each sweep's value as a
	// number (NaN when the value is not a number); nil for an explicit
	// variant.
	Levels []float64

	line  int    // of the entry or the sweep in the study file
	place string // its key path in the study file
}

// Sweep is a key that takes a list of values, one per variant.
type Sweep struct {
	Key    string `json:"key"`
	Values []any  `json:"values"`
	Label  string `json:"label"`
	// Prefix begins the names of the variants it makes.
	Prefix string `json:"prefix"`
	// Labels, when not nil, show the values in labels (one per value).
	Labels []string `json:"labels,omitempty"`

	line, keyLine   int
	place, keyPlace string
}

// Case is one variant applied to one base: a scenario ready to run.
type Case struct {
	Base     *Base
	Variant  *Variant
	Scenario *scenarios.Scenario
	Compiled *scenarios.Compiled
	// B and V index the case in Study.Cases.
	B, V int
}

// Info describes a shipped study.
type Info struct {
	Name        string
	Description string
}

// Shipped lists the shipped studies, sorted by name.
func Shipped() ([]Info, error) {
	var out []Info
	for _, name := range shippedNames() {
		data, err := shippedFiles.ReadFile("shipped/" + name + ".toml")
		if err != nil {
			return nil, fmt.Errorf("study: reading shipped study %s: %w", name, err)
		}
		f, probs := parseFile(shippedPrefix+"shipped/"+name+".toml", data)
		if len(probs) > 0 {
			return nil, fmt.Errorf("study: shipped study %s: %w", name, scenarios.SortProblems(probs))
		}
		out = append(out, Info{Name: name, Description: f.description})
	}
	return out, nil
}

// shippedNames returns the names of the shipped studies, sorted.
func shippedNames() []string {
	entries, _ := fs.ReadDir(shippedFiles, "shipped")
	var names []string
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), ".toml"); ok && !e.IsDir() {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return names
}

// Load reads a study, loads its base scenarios, applies every variant to
// every base and compiles the cases.
//
// arg is the name of a shipped study, such as "stockpile-sizes", or the
// path of a .toml file. When anything is wrong, Load returns a nil study
// and an error of type scenarios.Problems listing every problem found.
func Load(arg string) (*Study, error) {
	if !strings.HasSuffix(arg, ".toml") {
		if slices.Contains(shippedNames(), arg) {
			data, err := shippedFiles.ReadFile("shipped/" + arg + ".toml")
			if err != nil {
				return nil, fmt.Errorf("study: reading shipped study %s: %w", arg, err)
			}
			return load(shippedPrefix+"shipped/"+arg+".toml", data, true)
		}
		if fi, err := os.Stat(arg); err != nil || fi.IsDir() {
			return nil, scenarios.Problems{{File: arg, Msg: fmt.Sprintf("there is no shipped study called %q and no such file%s; expected a shipped study (%s) or the path of a .toml file",
				arg, tomlfile.DidYouMean(arg, shippedNames()), strings.Join(shippedNames(), ", "))}}
		}
	}
	fi, err := os.Stat(arg)
	if err != nil {
		return nil, scenarios.Problems{{File: arg, Msg: "cannot read the file: " + tomlfile.ReadError(err)}}
	}
	if fi.IsDir() {
		return nil, scenarios.Problems{{File: arg, Msg: "this is a folder; expected a study file (.toml)"}}
	}
	// Only a regular file is read, and at most one byte more than the
	// limit: a named pipe may block for ever, and a device may never end.
	data, err := inputfile.ReadFile(arg, maxFileSize)
	var big *inputfile.TooBigError
	switch {
	case errors.As(err, &big):
		return nil, scenarios.Problems{{File: arg, Msg: tooLong(big.Size)}}
	case err != nil:
		return nil, scenarios.Problems{{File: arg, Msg: "cannot read the file: " + tomlfile.ReadError(err)}}
	}
	return load(arg, data, false)
}

// tooLong says that a study file of size bytes is over the limit; -1
// means longer than the limit by an unknown amount.
func tooLong(size int64) string {
	if size < 0 {
		return fmt.Sprintf("the file is longer than %d bytes (%d MiB), the most a study file may be; is this the right file?", maxFileSize, maxFileSize>>20)
	}
	return fmt.Sprintf("the file is %d bytes long, and a study file may be at most %d bytes (%d MiB); is this the right file?", size, maxFileSize, maxFileSize>>20)
}

// metricIndex returns the index of the headline metric name in
// sim.MetricInfo, or -1.
func metricIndex(name string) int {
	for i, info := range sim.MetricInfo {
		if info.Name == name {
			return i
		}
	}
	return -1
}

// metricNames lists the headline metrics' names.
func metricNames() []string {
	out := make([]string, len(sim.MetricInfo))
	for i, info := range sim.MetricInfo {
		out[i] = info.Name
	}
	return out
}

// Direction says whether lower or higher values of a metric are better:
// -1 lower, +1 higher, 0 neither (the share of paths on which a variant is
// better is then not reported).
func Direction(metric string) int {
	switch metric {
	case "stockpile_low_t":
		return +1
	case "stockpile_released_t", "tariff_paid_musd":
		return 0
	}
	return -1
}

// metricTitle returns a headline metric's title.
func metricTitle(metric string) string {
	if i := metricIndex(metric); i >= 0 {
		return sim.MetricInfo[i].Title
	}
	return metric
}

// ShippedText returns the text of the shipped study name, as reesim show
// prints it, and whether there is one.
func ShippedText(name string) ([]byte, bool) {
	if !slices.Contains(shippedNames(), name) {
		return nil, false
	}
	b, err := shippedFiles.ReadFile("shipped/" + name + ".toml")
	return b, err == nil
}

// Order returns the cases in the order Run simulates them: base after
// base, each base's reference first, then its other variants in order.
// The shards of a study split this sequence of cases.
func (st *Study) Order() []*Case {
	var out []*Case
	for b := range st.Bases {
		out = append(out, st.Cases[b][st.Ref])
		for v := range st.Variants {
			if v != st.Ref {
				out = append(out, st.Cases[b][v])
			}
		}
	}
	return out
}
