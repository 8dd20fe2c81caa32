package study

import (
	"bytes"
	"fmt"
	"github.com/reesim/reesim/internal/tomlfile"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/reesim/reesim/internal/safetext"
	"github.com/reesim/reesim/scenarios"
)

// file is a study file as read, before its bases are loaded.
type file struct {
	label       string
	lines       map[string]int
	name        string
	description string
	bases       []string
	reference   string
	design      string
	keyMetric   string
	metrics     []string
	valuePerT   float64
	costMetric  string
	margin      float64
	paths       int
	seed        uint64
	variants    []*Variant
	sweeps      []Sweep
	notes       []string
	// thresholds are the values a future must be on the better side of,
	// by metric.
	thresholds map[string]float64
	// scenario holds the keys of the [scenario] table, applied to every
	// base before the variants.
	scenario map[string]any
}

// The keys of a study file.
var (
	topKeys     = []string{"name", "description", "base", "reference", "design", "key_metric", "metrics", "value_per_tonne_usd", "cost_metric", "margin", "paths", "seed", "notes", "thresholds", "scenario", "variant", "sweep"}
	variantKeys = []string{"name", "label", "set"}
	sweepKeys   = []string{"name", "key", "values", "label", "labels"}
)

// parser collects the problems of one study file.
type parser struct {
	label string
	lines map[string]int
	probs []scenarios.Problem
	// hint makes the file's "did you mean" suggestions, within one bound
	// on their work.
	hint tomlfile.Hinter
}

// addf reports a problem with the key at path.
func (p *parser) addf(path, format string, args ...any) {
	p.probs = append(p.probs, scenarios.Problem{File: p.label, Line: tomlfile.LineOf(p.lines, path), Key: path, Msg: fmt.Sprintf(format, args...)})
}

// parseFile reads and checks a study file's own keys.
func parseFile(label string, data []byte) (*file, []scenarios.Problem) {
	p := &parser{label: label}
	whole := func(line int, format string, args ...any) (*file, []scenarios.Problem) {
		return nil, []scenarios.Problem{{File: label, Line: line, Msg: fmt.Sprintf(format, args...)}}
	}
	if len(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))) > maxFileSize {
		return whole(0, "%s", tooLong(int64(len(data))))
	}
	text, m, err := tomlfile.Parse(data, "study", "name, base, reference and variants")
	if err != nil {
		e := err.(*tomlfile.Error)
		return whole(e.Line, "%s", e.Msg)
	}
	p.lines = tomlfile.KeyLines(text, m)
	f := &file{label: label, lines: p.lines, design: Factorial, keyMetric: DefaultKeyMetric, costMetric: DefaultCostMetric,
		margin: DefaultMargin, paths: DefaultPaths, seed: DefaultSeed}

	p.unknown(m, "", topKeys, "at the top level of a study file")
	f.name = p.str(m, "name", "", true)
	if f.name != "" {
		if msg := tomlfile.CheckName(f.name); msg != "" {
			p.addf("name", "%s", msg)
		}
	}
	f.description = p.str(m, "description", "", false)
	f.reference = p.str(m, "reference", "", true)
	if v, ok := m["base"]; ok {
		switch b := v.(type) {
		case string:
			f.bases = []string{b}
		case []any:
			for i, e := range b {
				s, ok := e.(string)
				if !ok || s == "" {
					p.addf("base", "item %d: expected the name of a shipped scenario or the path of a .toml file, got %s", i+1, tomlfile.Describe(e))
					continue
				}
				f.bases = append(f.bases, s)
			}
			if len(b) == 0 {
				p.addf("base", `expected at least one base scenario, such as base = ["heavy-ree-ban"]`)
			}
		default:
			p.addf("base", `expected a list of base scenarios, such as base = ["heavy-ree-ban"], got %s`, tomlfile.Describe(v))
		}
		for i, b := range f.bases {
			if slices.Contains(f.bases[:i], b) {
				p.addf("base", "the base %q is listed twice", b)
			}
		}
	} else {
		p.addf("base", `this key is required: the base scenario or scenarios the variants change, such as base = ["heavy-ree-ban"]`)
	}
	if d := p.str(m, "design", "", false); d != "" {
		if d != Factorial && d != Paired {
			p.addf("design", "expected %q (every value of each sweep with every value of the others) or %q (the i-th values of all sweeps together), got %q%s",
				Factorial, Paired, d, p.hint.DidYouMean(d, []string{Factorial, Paired}))
		} else {
			f.design = d
		}
	}
	if k := p.str(m, "key_metric", "", false); k != "" && p.metric("key_metric", k) {
		f.keyMetric = k
	}
	if k := p.str(m, "cost_metric", "", false); k != "" && p.metric("cost_metric", k) {
		f.costMetric = k
	}
	if v, ok := m["metrics"]; ok {
		list, isList := v.([]any)
		if !isList {
			p.addf("metrics", "expected a list of headline metric names, got %s", tomlfile.Describe(v))
		}
		for i, e := range list {
			s, ok := e.(string)
			if !ok {
				p.addf("metrics", "item %d: expected a headline metric's name, got %s", i+1, tomlfile.Describe(e))
				continue
			}
			if p.metric("metrics", s) && !slices.Contains(f.metrics, s) {
				f.metrics = append(f.metrics, s)
			}
		}
	}
	if v, ok := p.num(m, "value_per_tonne_usd"); ok {
		if v <= 0 || v > 1e12 {
			p.addf("value_per_tonne_usd", "expected the value in US dollars of a tonne of magnet not delivered, above 0 and at most 1e12, got %s", tomlfile.FormatNum(v))
		} else {
			f.valuePerT = v
		}
	}
	if v, ok := p.num(m, "margin"); ok {
		if v < 0 || v >= 1 {
			p.addf("margin", "expected a share from 0 to below 1 (0.1: within 10 %% of the best net benefit), got %s", tomlfile.FormatNum(v))
		} else {
			f.margin = v
		}
	}
	if v, ok := m["thresholds"]; ok {
		tbl, isTable := v.(map[string]any)
		if !isTable {
			p.addf("thresholds", "expected a table of headline metrics and the values a future must not exceed (or, for stockpile_low_t, not fall below), such as thresholds = {cum_shortfall_t = 50000}, got %s", tomlfile.Describe(v))
		}
		for _, k := range sortedKeys(tbl) {
			if !p.metric("thresholds."+k, k) {
				continue
			}
			var x float64
			switch n := tbl[k].(type) {
			case int64:
				x = float64(n)
			case float64:
				x = n
			default:
				p.addf("thresholds."+k, "expected a number in the metric's unit (%s), got %s", unitOf(k), tomlfile.Describe(tbl[k]))
				continue
			}
			if math.IsNaN(x) || math.IsInf(x, 0) {
				p.addf("thresholds."+k, "expected a finite number, got %s", tomlfile.FormatNum(x))
				continue
			}
			if f.thresholds == nil {
				f.thresholds = map[string]float64{}
			}
			f.thresholds[k] = x
		}
	}
	if v, ok := p.num(m, "paths"); ok {
		if v != math.Trunc(v) || v < 1 || v > 1e8 {
			p.addf("paths", "expected a whole number of paths from 1 to 100000000, got %s", tomlfile.FormatNum(v))
		} else {
			f.paths = int(v)
		}
	}
	if v, ok := m["seed"]; ok {
		s, isInt := v.(int64)
		if !isInt || s < 0 {
			p.addf("seed", "expected a whole number of 0 or more, got %s", tomlfile.Describe(v))
		} else {
			f.seed = uint64(s)
		}
	}

	if v, ok := m["notes"]; ok {
		list, isList := v.([]any)
		if !isList {
			p.addf("notes", "expected a list of strings, such as notes = [\"The value per tonne assumes ...\"], got %s", tomlfile.Describe(v))
		}
		for i, e := range list {
			if s, ok := e.(string); ok {
				f.notes = append(f.notes, safetext.Strip(s))
			} else {
				p.addf("notes", "item %d: expected a string, got %s", i+1, tomlfile.Describe(e))
			}
		}
	}
	if v, ok := m["scenario"]; ok {
		tbl, isTable := v.(map[string]any)
		if !isTable {
			p.addf("scenario", "expected a table of scenario keys applied to every base, such as [[scenario.stockpile]] entries, got %s", tomlfile.Describe(v))
		}
		for _, k := range sortedKeys(tbl) {
			if why, bad := forbidden[k]; bad {
				p.addf("scenario."+k, "a study cannot change %s: %s", k, why)
			}
		}
		f.scenario = tbl
	}
	if v, ok := m["variant"]; ok {
		entries, isTables := tomlfile.Tables(v)
		if !isTables {
			p.addf("variant", "expected [[variant]] tables (double brackets), got %s", tomlfile.Describe(v))
		}
		for i, e := range entries {
			f.variants = append(f.variants, p.variant(e, i))
		}
	}
	if v, ok := m["sweep"]; ok {
		entries, isTables := tomlfile.Tables(v)
		if !isTables {
			p.addf("sweep", "expected [[sweep]] tables (double brackets), got %s", tomlfile.Describe(v))
		}
		for i, e := range entries {
			if sw, ok := p.sweep(e, i); ok {
				f.sweeps = append(f.sweeps, sw)
			}
		}
	}
	if _, ok := m["variant"]; !ok {
		if _, ok := m["sweep"]; !ok {
			p.addf("", "a study needs variants to compare: [[variant]] tables, [[sweep]] tables or both")
		}
	}
	return f, p.probs
}

// sortedKeys returns m's keys in order.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// unknown reports the keys of m that are not in known.
func (p *parser) unknown(m map[string]any, path string, known []string, where string) {
	for _, k := range sortedKeys(m) {
		if slices.Contains(known, k) {
			continue
		}
		msg := fmt.Sprintf("unknown key %q %s", k, where)
		if s := p.hint.DidYouMean(k, known); s != "" {
			msg += s
		} else {
			msg += "; expected one of " + strings.Join(known, ", ")
		}
		if path == "" && !slices.Contains(topKeys, k) && looksLikeScenarioKey(k) {
			msg += `; to change a scenario's key in every variant, put it in the [scenario] table; in one variant, in its [variant.set] table`
		}
		p.addf(tomlfile.JoinKey(path, k), "%s", msg)
	}
}

// looksLikeScenarioKey reports whether k is a top-level key of scenarios,
// which a user may have written in a study by mistake.
func looksLikeScenarioKey(k string) bool {
	_, ok := fieldByKey(scenarioType, k)
	return ok
}

// str reads an optional or required string key of m at path.
func (p *parser) str(m map[string]any, key, path string, req bool) string {
	k := tomlfile.JoinKey(path, key)
	v, ok := m[key]
	if !ok {
		if req {
			p.addf(k, "this key is required")
		}
		return ""
	}
	s, isStr := v.(string)
	if !isStr {
		p.addf(k, "expected a string, got %s", tomlfile.Describe(v))
		return ""
	}
	if req && s == "" {
		p.addf(k, "this key is required and cannot be empty")
	}
	// Text goes to pages and terminals: escape sequences in it are
	// dropped.
	return safetext.Strip(s)
}

// num reads an optional number.
func (p *parser) num(m map[string]any, key string) (float64, bool) {
	v, ok := m[key]
	if !ok {
		return 0, false
	}
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			p.addf(key, "expected a finite number, got %s", tomlfile.FormatNum(x))
			return 0, false
		}
		return x, true
	}
	p.addf(key, "expected a number, got %s", tomlfile.Describe(v))
	return 0, false
}

// metric checks that name is a headline metric.
func (p *parser) metric(key, name string) bool {
	if metricIndex(name) >= 0 {
		return true
	}
	p.addf(key, "unknown headline metric %q%s; expected one of %s", name, p.hint.DidYouMean(name, metricNames()), strings.Join(metricNames(), ", "))
	return false
}

// variant reads the i-th [[variant]] entry.
func (p *parser) variant(e map[string]any, i int) *Variant {
	path := tomlfile.EntryPath("variant", e["name"], i)
	v := &Variant{line: tomlfile.LineOf(p.lines, path), place: path}
	p.unknown(e, path, variantKeys, "in a [[variant]] entry")
	v.Name = p.str(e, "name", path, true)
	if v.Name != "" {
		if msg := tomlfile.CheckName(v.Name); msg != "" {
			p.addf(path+".name", "%s", msg)
		}
	}
	v.Label = p.str(e, "label", path, false)
	if v.Label == "" {
		v.Label = v.Name
	}
	set, ok := e["set"]
	if !ok {
		return v
	}
	tbl, isTable := set.(map[string]any)
	if !isTable {
		p.addf(path+".set", `expected a table of scenario keys and values, such as [variant.set] "stockpile.allied.size_days" = 90, got %s`, tomlfile.Describe(set))
		return v
	}
	flat := map[string]any{}
	flatten(tbl, "", flat)
	keys := make([]string, 0, len(flat))
	for k := range flat {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		place := path + ".set." + k
		v.Set = append(v.Set, Setting{Key: k, Value: flat[k], line: tomlfile.LineOf(p.lines, place), place: place, keyLine: tomlfile.LineOf(p.lines, place), keyPlace: place})
	}
	return v
}

// flatten turns nested tables of keys into dotted keys, keeping tables
// with a dist key (distributions) as values.
func flatten(m map[string]any, prefix string, out map[string]any) {
	for k, v := range m {
		key := tomlfile.JoinKey(prefix, k)
		if sub, ok := v.(map[string]any); ok {
			if _, isDist := sub["dist"]; !isDist && len(sub) > 0 {
				flatten(sub, key, out)
				continue
			}
		}
		out[key] = v
	}
}

// sweep reads the i-th [[sweep]] entry.
func (p *parser) sweep(e map[string]any, i int) (Sweep, bool) {
	path := tomlfile.EntryPath("sweep", e["name"], i)
	sw := Sweep{line: tomlfile.LineOf(p.lines, path), place: path}
	n := len(p.probs)
	p.unknown(e, path, sweepKeys, "in a [[sweep]] entry")
	sw.Key = p.str(e, "key", path, true)
	sw.Label = p.str(e, "label", path, false)
	sw.Prefix = p.str(e, "name", path, false)
	if sw.Prefix != "" {
		if msg := tomlfile.CheckName(sw.Prefix); msg != "" {
			p.addf(path+".name", "%s", msg)
		}
	} else if sw.Key != "" {
		sw.Prefix = sanitize(sw.Key[strings.LastIndexByte(sw.Key, '.')+1:])
	}
	if sw.Label == "" {
		sw.Label = sw.Key
	}
	vals, ok := e["values"]
	switch list, isList := vals.([]any); {
	case !ok:
		p.addf(path+".values", "this key is required: the list of values the key takes, such as values = [0, 30, 60, 90, 180]")
	case !isList:
		if tbls, isTables := tomlfile.Tables(vals); isTables {
			for _, t := range tbls {
				sw.Values = append(sw.Values, t)
			}
		} else {
			p.addf(path+".values", "expected a list of values, such as values = [0, 30, 60, 90, 180], got %s", tomlfile.Describe(vals))
		}
	case len(list) == 0:
		p.addf(path+".values", "expected at least one value, got an empty list")
	default:
		sw.Values = list
	}
	if lv, ok := e["labels"]; ok {
		list, isList := lv.([]any)
		for i, x := range list {
			if l, isStr := x.(string); isStr {
				sw.Labels = append(sw.Labels, l)
			} else {
				p.addf(path+".labels", "item %d: expected a string, got %s", i+1, tomlfile.Describe(x))
			}
		}
		switch {
		case !isList:
			p.addf(path+".labels", "expected a list of strings, one per value, got %s", tomlfile.Describe(lv))
		case len(list) != len(sw.Values) && len(sw.Values) > 0:
			p.addf(path+".labels", "expected one label per value: there are %d values and %d labels", len(sw.Values), len(list))
		}
	}
	sw.place, sw.keyPlace = path+".values", path+".key"
	sw.line, sw.keyLine = tomlfile.LineOf(p.lines, sw.place), tomlfile.LineOf(p.lines, sw.keyPlace)
	for j, v := range sw.Values {
		if slices.ContainsFunc(sw.Values[:j], func(w any) bool { return equalValues(v, w) }) {
			p.addf(path+".values", "the value %s is listed twice", tomlfile.Describe(v))
		}
	}
	return sw, len(p.probs) == n
}

// equalValues reports whether two values read from TOML are the same.
func equalValues(a, b any) bool {
	x, okA := tomlfile.Number(a)
	y, okB := tomlfile.Number(b)
	if okA && okB {
		return x == y
	}
	return fmt.Sprint(a) == fmt.Sprint(b)
}

// sanitize turns s into a valid name: lower case, other characters than
// letters, digits, '.', '_' and '-' replaced by '-'.
func sanitize(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9', r == '.', r == '_', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	out := strings.ReplaceAll(b.String(), "..", ".")
	out = strings.TrimLeft(out, "._-")
	if out == "" {
		out = "v"
	}
	return out
}
