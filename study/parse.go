package study

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

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
	hint scenarios.Hinter
}

// line returns the line of key path, or of its closest enclosing key that
// has one, or 0.
func (p *parser) line(path string) int {
	for path != "" {
		if l, ok := p.lines[path]; ok {
			return l
		}
		i := max(strings.LastIndexByte(path, '.'), strings.LastIndexByte(path, '['))
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return 0
}

// addf reports a problem with the key at path.
func (p *parser) addf(path, format string, args ...any) {
	p.probs = append(p.probs, scenarios.Problem{File: p.label, Line: p.line(path), Key: path, Msg: fmt.Sprintf(format, args...)})
}

// parseFile reads and checks a study file's own keys.
func parseFile(label string, data []byte) (*file, []scenarios.Problem) {
	p := &parser{label: label}
	whole := func(line int, format string, args ...any) (*file, []scenarios.Problem) {
		return nil, []scenarios.Problem{{File: label, Line: line, Msg: fmt.Sprintf(format, args...)}}
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(data) > maxFileSize {
		return whole(0, "%s", tooLong(int64(len(data))))
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return whole(bytes.Count(data[:i], []byte("\n"))+1, "the file is not text (it contains a zero byte); a study must be a UTF-8 TOML text file")
	}
	if !utf8.Valid(data) {
		return whole(0, "the file is not UTF-8 text; save it as UTF-8")
	}
	text := string(data)
	if strings.TrimSpace(text) == "" {
		return whole(0, `the file is empty; a study needs at least name, base, reference and variants`)
	}
	if line, msg := scenarios.CheckStructure(text); msg != "" {
		return whole(line, "%s", msg)
	}
	var m map[string]any
	if _, err := toml.Decode(text, &m); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			msg := strings.TrimSuffix(pe.Message, ".")
			if msg != "" {
				msg = strings.ToLower(msg[:1]) + msg[1:]
			}
			line, col := scenarios.SyntaxErrorAt(text, pe)
			return whole(line, "this line is not valid TOML (column %d): %s", col, msg)
		}
		return whole(0, "the file is not valid TOML: %v", err)
	}
	p.lines = scenarios.KeyLines(text, m)
	f := &file{label: label, lines: p.lines, design: Factorial, keyMetric: DefaultKeyMetric, costMetric: DefaultCostMetric,
		margin: DefaultMargin, paths: DefaultPaths, seed: DefaultSeed}

	p.unknown(m, "", topKeys, "at the top level of a study file")
	f.name = p.str(m, "name", "", true)
	if f.name != "" {
		if msg := checkName(f.name); msg != "" {
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
					p.addf("base", "item %d: expected the name of a shipped scenario or the path of a .toml file, got %s", i+1, describe(e))
					continue
				}
				f.bases = append(f.bases, s)
			}
			if len(b) == 0 {
				p.addf("base", `expected at least one base scenario, such as base = ["heavy-ree-ban"]`)
			}
		default:
			p.addf("base", `expected a list of base scenarios, such as base = ["heavy-ree-ban"], got %s`, describe(v))
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
			p.addf("metrics", "expected a list of headline metric names, got %s", describe(v))
		}
		for i, e := range list {
			s, ok := e.(string)
			if !ok {
				p.addf("metrics", "item %d: expected a headline metric's name, got %s", i+1, describe(e))
				continue
			}
			if p.metric("metrics", s) && !slices.Contains(f.metrics, s) {
				f.metrics = append(f.metrics, s)
			}
		}
	}
	if v, ok := p.num(m, "value_per_tonne_usd"); ok {
		if v <= 0 || v > 1e12 {
			p.addf("value_per_tonne_usd", "expected the value in US dollars of a tonne of magnet not delivered, above 0 and at most 1e12, got %s", fmtNum(v))
		} else {
			f.valuePerT = v
		}
	}
	if v, ok := p.num(m, "margin"); ok {
		if v < 0 || v >= 1 {
			p.addf("margin", "expected a share from 0 to below 1 (0.1: within 10 %% of the best net benefit), got %s", fmtNum(v))
		} else {
			f.margin = v
		}
	}
	if v, ok := m["thresholds"]; ok {
		tbl, isTable := v.(map[string]any)
		if !isTable {
			p.addf("thresholds", "expected a table of headline metrics and the values a future must not exceed (or, for stockpile_low_t, not fall below), such as thresholds = {cum_shortfall_t = 50000}, got %s", describe(v))
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
				p.addf("thresholds."+k, "expected a number in the metric's unit (%s), got %s", unitOf(k), describe(tbl[k]))
				continue
			}
			if math.IsNaN(x) || math.IsInf(x, 0) {
				p.addf("thresholds."+k, "expected a finite number, got %s", fmtNum(x))
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
			p.addf("paths", "expected a whole number of paths from 1 to 100000000, got %s", fmtNum(v))
		} else {
			f.paths = int(v)
		}
	}
	if v, ok := m["seed"]; ok {
		s, isInt := v.(int64)
		if !isInt || s < 0 {
			p.addf("seed", "expected a whole number of 0 or more, got %s", describe(v))
		} else {
			f.seed = uint64(s)
		}
	}

	if v, ok := m["notes"]; ok {
		list, isList := v.([]any)
		if !isList {
			p.addf("notes", "expected a list of strings, such as notes = [\"The value per tonne assumes ...\"], got %s", describe(v))
		}
		for i, e := range list {
			if s, ok := e.(string); ok {
				f.notes = append(f.notes, safetext.Strip(s))
			} else {
				p.addf("notes", "item %d: expected a string, got %s", i+1, describe(e))
			}
		}
	}
	if v, ok := m["scenario"]; ok {
		tbl, isTable := v.(map[string]any)
		if !isTable {
			p.addf("scenario", "expected a table of scenario keys applied to every base, such as [[scenario.stockpile]] entries, got %s", describe(v))
		}
		for _, k := range sortedKeys(tbl) {
			if why, bad := forbidden[k]; bad {
				p.addf("scenario."+k, "a study cannot change %s: %s", k, why)
			}
		}
		f.scenario = tbl
	}
	if v, ok := m["variant"]; ok {
		entries, isTables := asTables(v)
		if !isTables {
			p.addf("variant", "expected [[variant]] tables (double brackets), got %s", describe(v))
		}
		for i, e := range entries {
			f.variants = append(f.variants, p.variant(e, i))
		}
	}
	if v, ok := m["sweep"]; ok {
		entries, isTables := asTables(v)
		if !isTables {
			p.addf("sweep", "expected [[sweep]] tables (double brackets), got %s", describe(v))
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
		p.addf(scenarios.JoinKey(path, k), "%s", msg)
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
	k := scenarios.JoinKey(path, key)
	v, ok := m[key]
	if !ok {
		if req {
			p.addf(k, "this key is required")
		}
		return ""
	}
	s, isStr := v.(string)
	if !isStr {
		p.addf(k, "expected a string, got %s", describe(v))
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
			p.addf(key, "expected a finite number, got %s", fmtNum(x))
			return 0, false
		}
		return x, true
	}
	p.addf(key, "expected a number, got %s", describe(v))
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
	path := scenarios.EntryPath("variant", e["name"], i)
	v := &Variant{line: p.line(path), place: path}
	p.unknown(e, path, variantKeys, "in a [[variant]] entry")
	v.Name = p.str(e, "name", path, true)
	if v.Name != "" {
		if msg := checkName(v.Name); msg != "" {
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
		p.addf(path+".set", `expected a table of scenario keys and values, such as [variant.set] "stockpile.allied.size_days" = 90, got %s`, describe(set))
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
		v.Set = append(v.Set, Setting{Key: k, Value: flat[k], line: p.line(place), place: place, keyLine: p.line(place), keyPlace: place})
	}
	return v
}

// flatten turns nested tables of keys into dotted keys, keeping tables
// with a dist key (distributions) as values.
func flatten(m map[string]any, prefix string, out map[string]any) {
	for k, v := range m {
		key := scenarios.JoinKey(prefix, k)
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
	path := scenarios.EntryPath("sweep", e["name"], i)
	sw := Sweep{line: p.line(path), place: path}
	n := len(p.probs)
	p.unknown(e, path, sweepKeys, "in a [[sweep]] entry")
	sw.Key = p.str(e, "key", path, true)
	sw.Label = p.str(e, "label", path, false)
	sw.Prefix = p.str(e, "name", path, false)
	if sw.Prefix != "" {
		if msg := checkName(sw.Prefix); msg != "" {
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
		if tbls, isTables := asTables(vals); isTables {
			for _, t := range tbls {
				sw.Values = append(sw.Values, t)
			}
		} else {
			p.addf(path+".values", "expected a list of values, such as values = [0, 30, 60, 90, 180], got %s", describe(vals))
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
				p.addf(path+".labels", "item %d: expected a string, got %s", i+1, describe(x))
			}
		}
		switch {
		case !isList:
			p.addf(path+".labels", "expected a list of strings, one per value, got %s", describe(lv))
		case len(list) != len(sw.Values) && len(sw.Values) > 0:
			p.addf(path+".labels", "expected one label per value: there are %d values and %d labels", len(sw.Values), len(list))
		}
	}
	sw.place, sw.keyPlace = path+".values", path+".key"
	sw.line, sw.keyLine = p.line(sw.place), p.line(sw.keyPlace)
	for j, v := range sw.Values {
		if slices.ContainsFunc(sw.Values[:j], func(w any) bool { return equalValues(v, w) }) {
			p.addf(path+".values", "the value %s is listed twice", describe(v))
		}
	}
	return sw, len(p.probs) == n
}

// equalValues reports whether two values read from TOML are the same.
func equalValues(a, b any) bool {
	x, okA := number(a)
	y, okB := number(b)
	if okA && okB {
		return x == y
	}
	return fmt.Sprint(a) == fmt.Sprint(b)
}

// number returns v as a float64 when it is a number.
func number(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

// asTables returns v as a list of tables when it is an array of tables.
func asTables(v any) ([]map[string]any, bool) {
	switch v := v.(type) {
	case []map[string]any:
		return v, true
	case []any:
		out := make([]map[string]any, len(v))
		for i, e := range v {
			m, ok := e.(map[string]any)
			if !ok {
				return nil, false
			}
			out[i] = m
		}
		return out, true
	}
	return nil, false
}

// describe says what a value read from TOML is, for messages.
func describe(v any) string {
	switch x := v.(type) {
	case int64:
		return "the number " + strconv.FormatInt(x, 10)
	case float64:
		return "the number " + fmtNum(x)
	case string:
		return fmt.Sprintf("the string %q", x)
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		return "the date " + x.Format("2006-01-02")
	case []any:
		return "a list"
	case map[string]any:
		return "a table"
	case []map[string]any:
		return "a list of tables"
	case nil:
		return "nothing"
	}
	return fmt.Sprintf("a %T", v)
}

// fmtNum formats a number for messages and names.
func fmtNum(v float64) string {
	a := math.Abs(v)
	if a == 0 || (a >= 1e-4 && a < 1e15) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// maxNameLen is the longest name of a study or variant.
const maxNameLen = 60

// checkName returns what is wrong with name as the name of a study or a
// variant (which name folders), or "".
func checkName(name string) string {
	const rule = "a name must start with a lower-case letter or digit and contain only lower-case letters, digits, '.', '_' and '-'"
	switch {
	case name == "":
		return "the name is empty; " + rule
	case len(name) > maxNameLen:
		return fmt.Sprintf("the name is %d characters long; a name must be at most %d", len(name), maxNameLen)
	case strings.Contains(name, ".."):
		return fmt.Sprintf("%q is not a valid name: a name must not contain \"..\"", name)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case i > 0 && (c == '.' || c == '_' || c == '-'):
		default:
			return fmt.Sprintf("%q is not a valid name: %s", name, rule)
		}
	}
	return ""
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
