package study

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/reesim/reesim/scenarios"
	"github.com/reesim/reesim/uncertain"
)

// loadText reads a study whose text is given, as if it were the file
// testdata/study.toml (so that bases are found in testdata/).
func loadText(t *testing.T, text string) *Study {
	t.Helper()
	st, err := loadBytes("testdata/study.toml", []byte(text))
	if err != nil {
		t.Fatalf("loading the study: %v", err)
	}
	return st
}

func names(vs []*Variant) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.Name
	}
	return out
}

func TestVariants(t *testing.T) {
	for _, tc := range []struct {
		name   string
		text   string
		bases  []string
		want   []string // variant names, in order
		ref    string
		levels [][]float64
		labels []string
	}{
		{
			name: "one sweep",
			text: `name = "s"
base = "small.toml"
reference = "stockpile-0"
[[sweep]]
name = "stockpile"
key = "stockpile.allied.size_days"
values = [0, 30, 60, 90, 180]
label = "Stockpile (days)"
`,
			bases:  []string{"small"},
			want:   []string{"stockpile-0", "stockpile-30", "stockpile-60", "stockpile-90", "stockpile-180"},
			ref:    "stockpile-0",
			levels: [][]float64{{0}, {30}, {60}, {90}, {180}},
			labels: []string{"Stockpile (days): 0", "Stockpile (days): 30", "Stockpile (days): 60", "Stockpile (days): 90", "Stockpile (days): 180"},
		},
		{
			// Negative values keep their sign in the variant names, and
			// exponents theirs.
			name: "signed values",
			text: `name = "s"
base = "small.toml"
reference = "g-0.5"
[[sweep]]
name = "g"
key = "segment.us-civil.growth"
values = [-0.5, 0.5, -1e-05, 1e-05]
`,
			bases: []string{"small"},
			want:  []string{"g--0.5", "g-0.5", "g--1e-05", "g-1e-05"},
			ref:   "g-0.5",
		},
		{
			name: "factorial of two sweeps, the first slowest",
			text: `name = "s"
base = ["small.toml"]
reference = "size_days-0_ref_price-100"
design = "factorial"
[[sweep]]
key = "stockpile.allied.size_days"
values = [0, 90]
[[sweep]]
key = "market.magnet.ref_price"
values = [100, 150.5, 200]
labels = ["cheap", "as now", "dear"]
`,
			bases: []string{"small"},
			want: []string{"size_days-0_ref_price-100", "size_days-0_ref_price-150.5", "size_days-0_ref_price-200",
				"size_days-90_ref_price-100", "size_days-90_ref_price-150.5", "size_days-90_ref_price-200"},
			ref:    "size_days-0_ref_price-100",
			levels: [][]float64{{0, 100}, {0, 150.5}, {0, 200}, {90, 100}, {90, 150.5}, {90, 200}},
			labels: []string{"stockpile.allied.size_days: 0, cheap", "stockpile.allied.size_days: 0, as now", "stockpile.allied.size_days: 0, dear",
				"stockpile.allied.size_days: 90, cheap", "stockpile.allied.size_days: 90, as now", "stockpile.allied.size_days: 90, dear"},
		},
		{
			name: "paired sweeps",
			text: `name = "s"
base = ["small.toml"]
reference = "a-0_b-1"
design = "paired"
[[sweep]]
name = "a"
key = "stockpile.allied.size_days"
values = [0, 30, 60]
[[sweep]]
name = "b"
key = "stockpile.allied.release_rate"
values = [1, 0.5, 0.25]
`,
			bases:  []string{"small"},
			want:   []string{"a-0_b-1", "a-30_b-0.5", "a-60_b-0.25"},
			ref:    "a-0_b-1",
			levels: [][]float64{{0, 1}, {30, 0.5}, {60, 0.25}},
		},
		{
			name: "explicit variants then a sweep, on two bases",
			text: `name = "s"
base = ["small.toml", "small-b.toml"]
reference = "as-is"
[[variant]]
name = "as-is"
label = "The base as it is"
[[variant]]
name = "big"
[variant.set]
"stockpile.allied.size_days" = 120
"stockpile.allied.lag_months" = 0
[[sweep]]
name = "trigger"
key = "stockpile.allied.trigger_price_ratio"
values = [1.3, 2]
`,
			bases:  []string{"small", "small-b"},
			want:   []string{"as-is", "big", "trigger-1.3", "trigger-2"},
			ref:    "as-is",
			levels: [][]float64{nil, nil, {1.3}, {2}},
			labels: []string{"The base as it is", "big", "stockpile.allied.trigger_price_ratio: 1.3", "stockpile.allied.trigger_price_ratio: 2"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := loadText(t, tc.text)
			if got := names(st.Variants); !slices.Equal(got, tc.want) {
				t.Errorf("variants %q, want %q", got, tc.want)
			}
			if st.Reference != tc.ref || st.Variants[st.Ref].Name != tc.ref {
				t.Errorf("reference %q (index %d), want %q", st.Reference, st.Ref, tc.ref)
			}
			var bases []string
			for _, b := range st.Bases {
				bases = append(bases, b.Name)
			}
			if !slices.Equal(bases, tc.bases) {
				t.Errorf("bases %q, want %q", bases, tc.bases)
			}
			if len(st.Cases) != len(tc.bases) {
				t.Fatalf("%d rows of cases, want %d", len(st.Cases), len(tc.bases))
			}
			for b, row := range st.Cases {
				if len(row) != len(tc.want) {
					t.Fatalf("base %d: %d cases, want %d", b, len(row), len(tc.want))
				}
				for v, c := range row {
					if c.Base != st.Bases[b] || c.Variant != st.Variants[v] || c.B != b || c.V != v || c.Compiled == nil {
						t.Errorf("case (%d, %d) is not base %d × variant %d", b, v, b, v)
					}
				}
			}
			for i, v := range st.Variants {
				if tc.levels != nil && !slices.Equal(v.Levels, tc.levels[i]) {
					t.Errorf("variant %s: levels %v, want %v", v.Name, v.Levels, tc.levels[i])
				}
				if tc.labels != nil && v.Label != tc.labels[i] {
					t.Errorf("variant %s: label %q, want %q", v.Name, v.Label, tc.labels[i])
				}
			}
		})
	}
}

// A variant is the base with its keys changed: the keys it sets take the
// values asked, and nothing else changes.
func TestVariantScenario(t *testing.T) {
	st := loadText(t, `name = "s"
base = "small.toml"
reference = "ref"
[[variant]]
name = "ref"
[[variant]]
name = "changed"
[variant.set]
"stockpile.allied.size_days" = 45
"market.magnet.ref_price" = 160
"export_control.magnet-ban.share_blocked" = {dist = "uniform", min = 0.5, max = 0.9, name = "ban_share"}
"regions.japan" = "allied"
`)
	ref, ch := st.Cases[0][0].Scenario, st.Cases[0][1].Scenario
	if got := ch.Stockpiles[1].SizeDays.Dist.(uncertain.Fixed).Value; got != 45 {
		t.Errorf("size_days %v, want 45", got)
	}
	if got := ch.Market.Magnet.RefPrice.Dist.(uncertain.Fixed).Value; got != 160 {
		t.Errorf("magnet ref_price %v, want 160", got)
	}
	if got := ch.ExportControls[0].ShareBlocked.Dist; got != (uncertain.Uniform{Min: 0.5, Max: 0.9}) {
		t.Errorf("share_blocked %+v, want uniform 0.5-0.9", got)
	}
	if ch.Regions["japan"] != "allied" || len(ch.Regions) != len(ref.Regions)+1 {
		t.Errorf("regions %v", ch.Regions)
	}
	// Everything else is the base's.
	if !reflect.DeepEqual(ch.Stockpiles[1].ReleaseRate, ref.Stockpiles[1].ReleaseRate) || !reflect.DeepEqual(ch.Stockpiles[0], ref.Stockpiles[0]) ||
		!reflect.DeepEqual(ch.Facilities, ref.Facilities) || !reflect.DeepEqual(ch.Tariffs, ref.Tariffs) {
		t.Error("a key the variant does not set differs from the base's")
	}
	if ch.Name != "small.changed" || ref.Name != "small.ref" {
		t.Errorf("scenario names %q, %q", ch.Name, ref.Name)
	}
}

// The [scenario] table adds entries to every base, which variants and
// sweeps then address.
func TestScenarioTable(t *testing.T) {
	st := loadText(t, `name = "s"
base = ["small.toml", "small-b.toml"]
reference = "defence-0"
[[scenario.stockpile]]
name = "defence"
holder = "us"
product = "magnet"
size_days = 0
serves = ["us-defence"]
[[sweep]]
name = "defence"
key = "stockpile.defence.size_days"
values = [0, 20]
`)
	for b := range st.Bases {
		for v, want := range []float64{0, 20} {
			s := st.Cases[b][v].Scenario
			i := slices.IndexFunc(s.Stockpiles, func(sp scenarios.Stockpile) bool { return sp.Name == "defence" })
			if i < 0 {
				t.Fatalf("base %d variant %d has no stockpile defence", b, v)
			}
			if got := s.Stockpiles[i].SizeDays.Dist.(uncertain.Fixed).Value; got != want || s.Stockpiles[i].Serves[0] != "us-defence" {
				t.Errorf("base %d variant %d: size_days %v, serves %v", b, v, got, s.Stockpiles[i].Serves)
			}
		}
	}
	if len(st.Cases[0][0].Scenario.Stockpiles) != 3 {
		t.Errorf("%d stockpiles, want the base's 2 and the added one", len(st.Cases[0][0].Scenario.Stockpiles))
	}
}

// Bad study files give every problem, each with the file, line and key and
// a message that says what was expected.
func TestBadStudies(t *testing.T) {
	const head = "name = \"s\"\nbase = \"small.toml\"\n"
	const sweep = "[[sweep]]\nname = \"p\"\nkey = \"stockpile.allied.size_days\"\nvalues = [0, 30]\n"
	for _, tc := range []struct {
		name string
		text string
		want []string // substrings of the error, one problem each
	}{
		{"misspelt top-level key", head + "refrence = \"p-0\"\n" + sweep,
			[]string{`testdata/study.toml:3: refrence: unknown key "refrence" at the top level of a study file (did you mean "reference"?)`, `reference: this key is required`}},
		{"misspelt key in a sweep", head + "reference = \"p-0\"\n[[sweep]]\nname = \"p\"\nkey = \"stockpile.allied.size_days\"\nvalue = [0, 30]\n",
			[]string{`testdata/study.toml:7: sweep.p.value: unknown key "value" in a [[sweep]] entry (did you mean "values"?)`}},
		{"sweep on a key the schema lacks", head + "reference = \"p-0\"\n[[sweep]]\nname = \"p\"\nkey = \"stockpile.allied.size_dayz\"\nvalues = [0, 30]\n",
			[]string{`testdata/study.toml:6: sweep.p.key: "stockpile.allied.size_dayz": a scenario has no key "size_dayz" in a [[stockpile]] entry (did you mean "size_days"?)`}},
		{"sweep on an entry the base lacks", head + "reference = \"p-0\"\n[[sweep]]\nname = \"p\"\nkey = \"stockpile.alied.size_days\"\nvalues = [0, 30]\n",
			[]string{`sweep.p.key: "stockpile.alied.size_days": the base scenario "small" has no stockpile named "alied" (did you mean "allied"?) (it has: us-nds, allied)`}},
		{"sweep on a section the schema lacks", head + "reference = \"p-50\"\n[[sweep]]\nname = \"p\"\nkey = \"markets.ndpr.ref_price\"\nvalues = [50, 60]\n",
			[]string{`a scenario has no key "markets" at the top level of a scenario (did you mean "market"?)`}},
		{"paired sweeps of unequal length", head + "reference = \"a-0_b-1\"\ndesign = \"paired\"\n[[sweep]]\nname = \"a\"\nkey = \"stockpile.allied.size_days\"\nvalues = [0, 30, 60]\n[[sweep]]\nname = \"b\"\nkey = \"stockpile.allied.release_rate\"\nvalues = [1, 0.5]\n",
			[]string{`testdata/study.toml:12: sweep.b.values: design = "paired" takes the i-th value of every sweep together, so the sweeps need as many values each: stockpile.allied.size_days has 3, stockpile.allied.release_rate has 2`}},
		{"missing reference", head + sweep,
			[]string{`testdata/study.toml: reference: this key is required`}},
		{"reference that names no variant", head + "reference = \"p-00\"\n" + sweep,
			[]string{`testdata/study.toml:3: reference: there is no variant named "p-00" (did you mean "p-0"?); the variants are p-0, p-30`}},
		{"value out of range, at the sweep's line", head + "reference = \"p-0\"\n[[sweep]]\nname = \"p\"\nkey = \"stockpile.allied.size_days\"\nvalues = [0, 5000]\n",
			[]string{`testdata/study.toml:7: sweep.p.values: variant "p-5000" on base "small": expected a number of days from 0 to 3650, got 5000`}},
		{"value of the wrong type in a variant", head + "reference = \"a\"\n[[variant]]\nname = \"a\"\n[[variant]]\nname = \"b\"\n[variant.set]\n\"stockpile.allied.lag_months\" = \"soon\"\n",
			[]string{`testdata/study.toml:9: variant.b.set.stockpile.allied.lag_months: variant "b" on base "small": expected a number, got the string "soon"`}},
		{"a key a study may not change", head + "reference = \"a\"\n[[variant]]\nname = \"a\"\n[[variant]]\nname = \"b\"\n[variant.set]\nseed = 3\n",
			[]string{`variant.b.set.seed: "seed": a study cannot change seed: every variant runs with the study's seed`}},
		{"size in days of a stockpile sized in tonnes", "name = \"s\"\nbase = \"small.toml\"\nreference = \"a\"\n[scenario]\n[[scenario.stockpile]]\nname = \"t\"\nholder = \"us\"\nproduct = \"ndpr\"\nsize_t = 10\n[[variant]]\nname = \"a\"\n[[variant]]\nname = \"b\"\n[variant.set]\n\"stockpile.t.size_days\" = 3\n",
			[]string{`the base's stockpile "t" is sized in tonnes (size_t)`}},
		{"two variants of one name", head + "reference = \"a\"\n[[variant]]\nname = \"a\"\n[[variant]]\nname = \"a\"\n",
			[]string{`two variants are named "a"`}},
		{"unknown metric", head + "reference = \"p-0\"\nkey_metric = \"cum_shortfall\"\n" + sweep,
			[]string{`testdata/study.toml:4: key_metric: unknown headline metric "cum_shortfall" (did you mean "cum_shortfall_t"?)`}},
		{"missing base file", "name = \"s\"\nbase = \"nothere.toml\"\nreference = \"p-0\"\n" + sweep,
			[]string{`testdata/nothere.toml: cannot read the file: no such file`}},
		{"unknown shipped base", "name = \"s\"\nbase = \"heavy-ree-bann\"\nreference = \"p-0\"\n" + sweep,
			[]string{`base: there is no shipped scenario called "heavy-ree-bann" (did you mean "heavy-ree-ban"?)`}},
		{"scenario key at the top level", head + "reference = \"p-0\"\nhorizon_years = 3\n" + sweep,
			[]string{`unknown key "horizon_years" at the top level of a study file; expected one of`, `put it in the [scenario] table`}},
		{"bad [scenario] key", head + "reference = \"p-0\"\n[scenario]\nhorizon_years = 99\n" + sweep,
			[]string{`testdata/study.toml:5: scenario.horizon_years: expected a whole number of years from 1 to 50, got 99`}},
		{"no variants", head + "reference = \"a\"\n",
			[]string{`a study needs variants to compare`}},
		{"not TOML", "name = \"s\n", []string{`testdata/study.toml:1: this line is not valid TOML`}},
		{"a variant named as a file of the study", head + "reference = \"a\"\n[[variant]]\nname = \"a\"\n[[variant]]\nname = \"report.html\"\n",
			[]string{`testdata/study.toml:6: variant.report.html: a variant cannot be named "report.html": its results folder would take the place of the study's own report.html; give it another name`}},
		{"a variant name that leaves the folder", head + "reference = \"a\"\n[[variant]]\nname = \"a\"\n[[variant]]\nname = \"../../etc\"\n",
			[]string{`variant.../../etc.name: "../../etc" is not a valid name`}},
		{"too long", strings.Repeat("# a comment\n", maxFileSize/12+1), []string{`testdata/study.toml: the file is 1048584 bytes long, and a study file may be at most 1048576 bytes (1 MiB); is this the right file?`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := loadBytes("testdata/study.toml", []byte(tc.text))
			var ps scenarios.Problems
			if !errors.As(err, &ps) {
				t.Fatalf("got %v, want problems", err)
			}
			msg := err.Error()
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("the problems\n%s\ndo not contain\n%s", msg, w)
				}
			}
		})
	}
}

// The shipped studies load, with their bases, and are listed.
func TestShipped(t *testing.T) {
	infos, err := Shipped()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, in := range infos {
		got = append(got, in.Name)
		if in.Description == "" {
			t.Errorf("shipped study %s has no description", in.Name)
		}
		st, err := Load(in.Name)
		if err != nil {
			t.Errorf("shipped study %s: %v", in.Name, err)
			continue
		}
		if !st.HasCostBenefit() || len(st.Variants) < 3 {
			t.Errorf("shipped study %s: %d variants, cost-benefit %v", in.Name, len(st.Variants), st.HasCostBenefit())
		}
	}
	for _, want := range []string{"price-floor", "stockpile-sizes"} {
		if !slices.Contains(got, want) {
			t.Errorf("shipped studies %q lack %s", got, want)
		}
	}
}

// loadBytes is like Load for a study whose text is data. name is the file
// name used in problems and Study.File; relative paths of base scenarios
// are taken relative to name's folder.
func loadBytes(name string, data []byte) (*Study, error) {
	return load(name, data, false)
}
