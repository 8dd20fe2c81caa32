package study

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/reesim/reesim/internal/tomlfile"
	"math"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/reesim/reesim/scenarios"
)

var (
	scenarioType = reflect.TypeFor[scenarios.Scenario]()
	numType      = reflect.TypeFor[scenarios.Num]()
)

// reservedNames are the files and folders a study writes into its own
// folder besides the variants' folders (named by the variants, or by the
// bases when there are several), which no variant or base may take.
var reservedNames = []string{"comparison.csv", "cost_benefit.csv", "summary.json", "report.html", "charts"}

// forbidden are the top-level scenario keys a study may not change, and
// why.
var forbidden = map[string]string{
	"name":        "the study names each variant's scenario itself",
	"description": "the study describes each variant's scenario itself",
	"extends":     "a variant extends its base scenario; list other bases in the study's base key",
	"seed":        "every variant runs with the study's seed (common random numbers); set seed in the study file or use --seed",
	"paths":       "every variant runs the study's number of paths; set paths in the study file or use --paths",
}

// load reads a study whose text is data, labelled label.
func load(label string, data []byte, shipped bool) (*Study, error) {
	f, probs := parseFile(label, data)
	if f == nil || len(probs) > 0 {
		return nil, scenarios.SortProblems(probs)
	}
	p := &parser{label: label, lines: f.lines}
	st := &Study{
		Name: f.name, Description: f.description, File: label, Design: f.design, Reference: f.reference,
		KeyMetric: f.keyMetric, ValuePerTonneUSD: f.valuePerT, CostMetric: f.costMetric, Margin: f.margin, Thresholds: f.thresholds,
		Paths: f.paths, Seed: f.seed, Sweeps: f.sweeps, Scenario: f.scenario, Notes: f.notes,
	}

	// The variants: explicit ones, then the sweeps'.
	st.Variants = append(st.Variants, f.variants...)
	n := len(p.probs)
	st.Variants = append(st.Variants, p.expand(f.sweeps, f.design)...)
	expanded := len(p.probs) == n
	seen := map[string]*Variant{}
	var names []string
	for _, v := range st.Variants {
		if prev, ok := seen[v.Name]; ok && v.Name != "" {
			p.addf(v.place, "two variants are named %q (the other is at line %d); give each variant its own name", v.Name, prev.line)
			continue
		}
		seen[v.Name] = v
		names = append(names, v.Name)
		if slices.Contains(reservedNames, v.Name) {
			p.addf(v.place, "a variant cannot be named %q: its results folder would take the place of the study's own %s; give it another name", v.Name, v.Name)
		}
	}
	st.Ref = slices.Index(names, f.reference)
	if st.Ref < 0 && f.reference != "" && expanded {
		p.addf("reference", "there is no variant named %q%s; the variants are %s", f.reference, tomlfile.DidYouMean(f.reference, names), strings.Join(names, ", "))
	}
	if len(st.Variants) < 2 && len(f.sweeps)+len(f.variants) > 0 && expanded {
		p.addf("", "a study needs at least two variants to compare (the reference and another); it has %d", len(st.Variants))
	}

	// The metrics compared: the key metric first, then the file's list or
	// the defaults, then what the cost-benefit analysis needs.
	st.Metrics = []string{st.KeyMetric}
	list := f.metrics
	if list == nil {
		list = DefaultMetrics
	}
	extra := []string{}
	if st.HasCostBenefit() {
		extra = []string{shortfallMetric, buyerMetric, st.CostMetric}
	}
	for _, m := range slices.Concat(list, extra) {
		if !slices.Contains(st.Metrics, m) {
			st.Metrics = append(st.Metrics, m)
		}
	}

	// The bases.
	for _, arg := range f.bases {
		b, err := loadBase(arg, label, shipped)
		if err != nil {
			var ps scenarios.Problems
			if errors.As(err, &ps) {
				p.probs = append(p.probs, ps...)
			} else {
				p.addf("base", "cannot load the base %q: %v", arg, err)
			}
			continue
		}
		if slices.ContainsFunc(st.Bases, func(o *Base) bool { return o.Name == b.Name }) {
			p.addf("base", "two bases are scenarios named %q; their results would share a folder", b.Name)
			continue
		}
		if len(f.bases) > 1 && slices.Contains(reservedNames, b.Name) {
			p.addf("base", "the base scenario %q cannot be one of several bases: its results folder would take the place of the study's own %s; give the scenario another name", b.Name, b.Name)
			continue
		}
		if st.Scenario != nil && !p.applyScenario(st, b) {
			continue
		}
		st.Bases = append(st.Bases, b)
	}
	if len(p.probs) > 0 {
		return nil, scenarios.SortProblems(p.probs)
	}
	if n := len(st.Bases) * len(st.Variants); n > maxCases {
		p.addf("", "the study has %d cases (%d bases × %d variants); at most %d are allowed", n, len(st.Bases), len(st.Variants), maxCases)
		return nil, scenarios.SortProblems(p.probs)
	}

	// Check every variant's keys against every base, then make the cases.
	reported := map[scenarios.Problem]bool{}
	for _, b := range st.Bases {
		for _, v := range st.Variants {
			for i := range v.Set {
				s := &v.Set[i]
				steps, msg := resolveKey(b.Scenario, s.Key, &p.hint)
				if msg != "" {
					pr := scenarios.Problem{File: label, Line: s.keyLine, Key: s.keyPlace, Msg: fmt.Sprintf("%q: %s", s.Key, withBase(msg, b, st))}
					if !reported[pr] {
						reported[pr] = true
						p.probs = append(p.probs, pr)
					}
					continue
				}
				s.steps = steps
			}
		}
	}
	if len(p.probs) > 0 {
		return nil, scenarios.SortProblems(p.probs)
	}
	for bi, b := range st.Bases {
		var row []*Case
		for vi, v := range st.Variants {
			c, ps := makeCase(st, b, v, label)
			p.probs = append(p.probs, ps...)
			if c != nil {
				c.B, c.V = bi, vi
			}
			row = append(row, c)
		}
		st.Cases = append(st.Cases, row)
	}
	if len(p.probs) > 0 {
		return nil, scenarios.SortProblems(p.probs)
	}
	return st, nil
}

// withBase names the base in a message of resolveKey, and says which
// base a problem concerns when the study has several.
func withBase(msg string, b *Base, st *Study) string {
	if strings.Contains(msg, "%BASE%") {
		return strings.ReplaceAll(msg, "%BASE%", fmt.Sprintf("%q", b.Name))
	}
	if len(st.Bases) > 1 {
		return fmt.Sprintf("with base %q: %s", b.Name, msg)
	}
	return msg
}

// loadBase loads the base scenario arg of the study file label.
func loadBase(arg, label string, shipped bool) (*Base, error) {
	b := &Base{Arg: arg}
	path := arg
	if strings.HasSuffix(arg, ".toml") {
		if shipped {
			return nil, scenarios.Problems{{File: label, Key: "base", Msg: fmt.Sprintf("a shipped study's bases must be shipped scenarios, named without .toml; got %q", arg)}}
		}
		if !filepath.IsAbs(path) {
			path = filepath.Join(filepath.Dir(label), filepath.FromSlash(arg))
		}
		abs, err := filepath.Abs(path)
		if err != nil {
			return nil, err
		}
		b.extends = abs
	} else {
		if !slices.ContainsFunc(shippedScenarios(), func(s string) bool { return s == arg }) {
			return nil, scenarios.Problems{{File: label, Key: "base", Msg: fmt.Sprintf("there is no shipped scenario called %q%s; expected a shipped scenario (%s) or the path of a .toml file relative to the study file",
				arg, tomlfile.DidYouMean(arg, shippedScenarios()), strings.Join(shippedScenarios(), ", "))}}
		}
		b.extends = arg
	}
	s, err := scenarios.Load(path)
	if err != nil {
		return nil, err
	}
	b.Scenario, b.Name = s, s.Name
	return b, nil
}

// shippedScenarios lists the shipped scenarios' names.
func shippedScenarios() []string {
	infos, err := scenarios.Shipped()
	if err != nil {
		return nil
	}
	out := make([]string, len(infos))
	for i, in := range infos {
		out[i] = in.Name
	}
	return out
}

// step is one step of a key's path through the scenario schema.
type step struct {
	key   string // the toml key (or, in a map, the map key)
	entry string // for an array of tables, the entry's name
}

// resolveKey checks that key names one value of a scenario whose base is
// s, and returns its path. The message, when not "", says what is wrong;
// "%BASE%" in it stands for the base's name.
func resolveKey(s *scenarios.Scenario, key string, hint *tomlfile.Hinter) ([]step, string) {
	t, v := scenarioType, reflect.ValueOf(*s)
	rest, where, schema := key, "at the top level of a scenario", ""
	var steps []step
	for {
		seg, tail, _ := strings.Cut(rest, ".")
		f, ok := fieldByKey(t, seg)
		if !ok {
			known := keysOf(t)
			hinted := hint.DidYouMean(seg, known)
			msg := fmt.Sprintf("a scenario has no key %q %s%s", seg, where, hinted)
			if hinted == "" {
				msg += "; expected one of " + strings.Join(known, ", ")
			}
			return nil, msg
		}
		if why, bad := forbidden[seg]; bad && len(steps) == 0 {
			return nil, fmt.Sprintf("a study cannot change %s: %s", seg, why)
		}
		schema = tomlfile.JoinKey(schema, seg)
		ft := f.Type
		fv := v.FieldByIndex(f.Index)
		switch {
		case ft == numType, ft.Kind() != reflect.Struct && ft.Kind() != reflect.Map && !(ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct):
			if tail != "" {
				return nil, fmt.Sprintf("%s is a single value; it has no key %q", tomlfile.JoinKey(prefixOf(key, rest), seg), tail)
			}
			return append(steps, step{key: seg}), sizeHint(key, steps, s)
		case ft.Kind() == reflect.Map:
			if tail == "" {
				return nil, fmt.Sprintf("[%s] is a table; name one of its keys, such as %s.NAME", schema, key)
			}
			return append(steps, step{key: seg}, step{key: tail}), ""
		case ft.Kind() == reflect.Struct:
			if tail == "" {
				return nil, fmt.Sprintf("[%s] is a table; name one of its keys (%s), such as %s.%s", schema, strings.Join(keysOf(ft), ", "), key, keysOf(ft)[0])
			}
			steps = append(steps, step{key: seg})
			t, v, rest, where = ft, fv, tail, "in ["+schema+"]"
		default: // an array of tables
			if _, named := ft.Elem().FieldByName("Name"); !named {
				return nil, fmt.Sprintf("[[%s]] entries have no name, so a study cannot address them; change them in a scenario that extends the base, and use it as the base", schema)
			}
			var names []string
			for i := 0; i < fv.Len(); i++ {
				names = append(names, fv.Index(i).FieldByName("Name").String())
			}
			name := ""
			for _, n := range names {
				if (tail == n || strings.HasPrefix(tail, n+".")) && len(n) > len(name) {
					name = n
				}
			}
			if name == "" {
				guess := tail
				if i := strings.LastIndexByte(tail, '.'); i >= 0 {
					guess = tail[:i]
				}
				has := "none"
				if len(names) > 0 {
					has = scenarios.JoinSome(names, 20)
				}
				return nil, fmt.Sprintf("the base scenario %%BASE%% has no %s named %q%s (it has: %s); a study changes only entries its base has: to vary a %s the base lacks, add it to a scenario that extends the base (a stockpile with size_days = 0, say) and use that scenario as the base",
					seg, guess, hint.DidYouMean(guess, names), has, seg)
			}
			rest = strings.TrimPrefix(tail, name)
			if rest == "" {
				return nil, fmt.Sprintf("name a key of the %s %q, such as %s.%s.%s", seg, name, seg, name, keysOf(ft.Elem())[1])
			}
			rest = rest[1:]
			if rest == "name" {
				return nil, fmt.Sprintf("a study cannot rename the %s %q", seg, name)
			}
			steps = append(steps, step{key: seg, entry: name})
			t, v, where = ft.Elem(), fv.Index(slices.Index(names, name)), "in a [["+schema+"]] entry"
		}
	}
}

// prefixOf returns the part of key before its suffix rest.
func prefixOf(key, rest string) string {
	return strings.TrimSuffix(strings.TrimSuffix(key, rest), ".")
}

// sizeHint explains that a stockpile sized one way cannot be sized the
// other way by a variant, or returns "".
func sizeHint(key string, steps []step, s *scenarios.Scenario) string {
	if len(steps) != 1 || steps[0].key != "stockpile" {
		return ""
	}
	i := slices.IndexFunc(s.Stockpiles, func(sp scenarios.Stockpile) bool { return sp.Name == steps[0].entry })
	if i < 0 {
		return ""
	}
	sp := s.Stockpiles[i]
	switch {
	case strings.HasSuffix(key, ".size_days") && sp.SizeT.Set && !sp.SizeDays.Set:
		return fmt.Sprintf("the base's stockpile %q is sized in tonnes (size_t), and a stockpile's size is given once: vary stockpile.%s.size_t instead, or size the stockpile in days in the base", sp.Name, sp.Name)
	case strings.HasSuffix(key, ".size_t") && sp.SizeDays.Set && !sp.SizeT.Set:
		return fmt.Sprintf("the base's stockpile %q is sized in days (size_days), and a stockpile's size is given once: vary stockpile.%s.size_days instead, or size the stockpile in tonnes in the base", sp.Name, sp.Name)
	}
	return ""
}

// fieldByKey returns the field of struct type t with toml key key.
func fieldByKey(t reflect.Type, key string) (reflect.StructField, bool) {
	for _, f := range keyFields(t) {
		if f.Tag.Get("toml") == key {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// keysOf lists the toml keys of struct type t.
func keysOf(t reflect.Type) []string {
	var out []string
	for _, f := range keyFields(t) {
		out = append(out, f.Tag.Get("toml"))
	}
	return out
}

// keyFields returns the fields of struct type t that are keys of a
// scenario file, those of an embedded struct of keys (such as
// sim.SegmentKeys) in its place.
func keyFields(t reflect.Type) []reflect.StructField {
	var out []reflect.StructField
	for _, f := range reflect.VisibleFields(t) {
		if k := f.Tag.Get("toml"); k != "" && k != "-" && f.IsExported() && !f.Anonymous {
			out = append(out, f)
		}
	}
	return out
}

// makeCase applies variant v to base b through the scenario loader: it
// writes a scenario file that extends the base and sets the variant's
// keys, loads it (so that the extends merge, the defaults and every check
// apply as to any scenario) and compiles it. Problems in the variant's
// keys are placed at the study file's lines.
func makeCase(st *Study, b *Base, v *Variant, label string) (*Case, []scenarios.Problem) {
	name := b.Name + "." + v.Name
	if len(name) > 100 {
		name = v.Name
	}
	desc := fmt.Sprintf("%s — study %s, variant %s", b.Scenario.Description, st.Name, v.Label)
	top := deepCopy(st.Scenario)
	top["extends"], top["name"], top["description"] = b.extends, name, desc
	for _, s := range v.Set {
		setPath(top, s.steps, s.Value)
	}
	var buf bytes.Buffer
	if err := toml.NewEncoder(&buf).Encode(top); err != nil {
		return nil, []scenarios.Problem{{File: label, Line: v.line, Key: v.place, Msg: fmt.Sprintf("cannot apply the variant's values: %v", err)}}
	}
	caseLabel := fmt.Sprintf("%s (variant %s of base %s)", label, v.Name, b.Name)
	s, err := scenarios.LoadBytes(caseLabel, buf.Bytes())
	if err != nil {
		var ps scenarios.Problems
		if !errors.As(err, &ps) {
			return nil, []scenarios.Problem{{File: label, Line: v.line, Key: v.place, Msg: fmt.Sprintf("variant %q on base %q: %v", v.Name, b.Name, err)}}
		}
		var out []scenarios.Problem
		for _, pr := range ps {
			out = append(out, placeProblem(pr, caseLabel, label, b, v))
		}
		return nil, out
	}
	s.File = label
	c, err := scenarios.Compile(s)
	if err != nil {
		return nil, []scenarios.Problem{{File: label, Line: v.line, Key: v.place, Msg: fmt.Sprintf("variant %q on base %q cannot be compiled: %v", v.Name, b.Name, err)}}
	}
	return &Case{Base: b, Variant: v, Scenario: s, Compiled: c}, nil
}

// placeProblem moves a problem found in a case's scenario to the study
// file line where the variant set the key concerned.
func placeProblem(pr scenarios.Problem, caseLabel, label string, b *Base, v *Variant) scenarios.Problem {
	ctx := fmt.Sprintf("variant %q on base %q: ", v.Name, b.Name)
	if pr.File != caseLabel {
		pr.Msg = ctx + pr.Msg
		if strings.HasPrefix(pr.Key, "correlation") {
			pr.Msg += " (the variant fixes an input that the base correlates with another: vary it in a scenario that extends the base without that correlation, and use that scenario as the base)"
		}
		return pr
	}
	for _, s := range v.Set {
		if pr.Key == s.Key || strings.HasPrefix(pr.Key, s.Key+".") {
			return scenarios.Problem{File: label, Line: s.line, Key: s.place, Msg: ctx + pr.Msg}
		}
	}
	for _, s := range v.Set {
		if strings.HasPrefix(s.Key, pr.Key+".") {
			return scenarios.Problem{File: label, Line: s.line, Key: s.place, Msg: ctx + pr.Key + ": " + pr.Msg}
		}
	}
	key := v.place
	if pr.Key != "" {
		key = pr.Key
	}
	return scenarios.Problem{File: label, Line: v.line, Key: key, Msg: ctx + pr.Msg}
}

// setPath sets value at the path steps in the scenario tree top, making
// the tables and entries on the way.
func setPath(top map[string]any, steps []step, value any) {
	cur := top
	for i, s := range steps {
		if i == len(steps)-1 {
			cur[s.key] = value
			return
		}
		if s.entry != "" {
			list, _ := cur[s.key].([]map[string]any)
			j := slices.IndexFunc(list, func(e map[string]any) bool { return e["name"] == s.entry })
			if j < 0 {
				list = append(list, map[string]any{"name": s.entry})
				j = len(list) - 1
			}
			cur[s.key] = list
			cur = list[j]
			continue
		}
		sub, ok := cur[s.key].(map[string]any)
		if !ok {
			sub = map[string]any{}
			cur[s.key] = sub
		}
		cur = sub
	}
}

// expand makes the variants of the sweeps.
func (p *parser) expand(sweeps []Sweep, design string) []*Variant {
	if len(sweeps) == 0 {
		return nil
	}
	var combos [][]int
	switch design {
	case Paired:
		n := len(sweeps[0].Values)
		for _, sw := range sweeps[1:] {
			if len(sw.Values) != n {
				p.addf(sw.place, "design = %q takes the i-th value of every sweep together, so the sweeps need as many values each: %s has %d, %s has %d",
					Paired, sweeps[0].Key, n, sw.Key, len(sw.Values))
				return nil
			}
		}
		for i := 0; i < n; i++ {
			c := make([]int, len(sweeps))
			for j := range c {
				c[j] = i
			}
			combos = append(combos, c)
		}
	default:
		total := 1
		for _, sw := range sweeps {
			total *= len(sw.Values)
			if total > maxCases {
				p.addf(sw.place, "the sweeps cross into more than %d variants", maxCases)
				return nil
			}
		}
		// The first sweep varies slowest, as in nested loops written in
		// the file's order.
		c := make([]int, len(sweeps))
		for range total {
			combos = append(combos, slices.Clone(c))
			for j := len(c) - 1; j >= 0; j-- {
				c[j]++
				if c[j] < len(sweeps[j].Values) {
					break
				}
				c[j] = 0
			}
		}
	}
	var out []*Variant
	for _, c := range combos {
		v := &Variant{line: sweeps[0].line, place: sweeps[0].place}
		var names, labels []string
		for j, i := range c {
			sw := sweeps[j]
			val := sw.Values[i]
			names = append(names, sw.Prefix+"-"+valueName(val, i))
			if sw.Labels != nil {
				labels = append(labels, sw.Labels[i])
			} else {
				labels = append(labels, sw.Label+": "+valueLabel(val, i))
			}
			x, ok := tomlfile.Number(val)
			if !ok {
				x = math.NaN()
			}
			v.Levels = append(v.Levels, x)
			v.Set = append(v.Set, Setting{Key: sw.Key, Value: val, line: sw.line, place: sw.place, keyLine: sw.keyLine, keyPlace: sw.keyPlace})
		}
		v.Name = strings.Join(names, "_")
		v.Label = strings.Join(labels, ", ")
		if len(sweeps) > 1 {
			// Place problems of a combination at the first sweep.
			v.line, v.place = sweeps[0].line, sweeps[0].place
		}
		if msg := tomlfile.CheckName(v.Name); msg != "" {
			p.addf(sweeps[0].place, "the variant made from these values would be named %q: %s; give the sweep a shorter name = \"...\"", v.Name, msg)
			return nil
		}
		out = append(out, v)
	}
	return out
}

// valueName is how the i-th value of a sweep appears in variant names.
func valueName(v any, i int) string {
	switch x := v.(type) {
	case int64, float64:
		// A number keeps its sign (g--0.5 and g-0.5 are two variants) and
		// its exponent's: 1e+20 is written 1e20, and 1e-20 stays.
		return strings.Replace(valueLabel(x, i), "e+", "e", 1)
	case bool:
		return sanitize(valueLabel(x, i))
	case string:
		return sanitize(x)
	}
	return fmt.Sprintf("v%d", i+1)
}

// valueLabel is how the i-th value of a sweep appears in labels.
func valueLabel(v any, i int) string {
	switch x := v.(type) {
	case int64:
		return fmt.Sprint(x)
	case float64:
		return tomlfile.FormatNum(x)
	case bool:
		return fmt.Sprint(x)
	case string:
		return x
	}
	return fmt.Sprintf("value %d", i+1)
}

// applyScenario applies the study's [scenario] keys to base b, through the
// scenario loader as for a variant, and reports whether that worked.
func (p *parser) applyScenario(st *Study, b *Base) bool {
	top := deepCopy(st.Scenario)
	top["extends"], top["name"], top["description"] = b.extends, b.Name, b.Scenario.Description
	var buf bytes.Buffer
	if err := toml.NewEncoder(&buf).Encode(top); err != nil {
		p.addf("scenario", "cannot apply the [scenario] keys: %v", err)
		return false
	}
	label := fmt.Sprintf("%s ([scenario] on base %s)", st.File, b.Name)
	s, err := scenarios.LoadBytes(label, buf.Bytes())
	if err != nil {
		var ps scenarios.Problems
		if !errors.As(err, &ps) {
			p.addf("scenario", "with base %q: %v", b.Name, err)
			return false
		}
		for _, pr := range ps {
			if pr.File != label {
				pr.Msg = fmt.Sprintf("with the study's [scenario] keys: %s", pr.Msg)
				p.probs = append(p.probs, pr)
				continue
			}
			key := tomlfile.JoinKey("scenario", pr.Key)
			p.probs = append(p.probs, scenarios.Problem{File: st.File, Line: tomlfile.LineOf(p.lines, key), Key: key, Msg: withBase(pr.Msg, b, st)})
		}
		return false
	}
	s.File = b.Scenario.File
	b.Scenario = s
	return true
}

// deepCopy copies a tree of TOML values, so that a variant's settings do
// not change the study's [scenario] table. A nil tree gives an empty one.
func deepCopy(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = copyValue(v)
	}
	return out
}

func copyValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		return deepCopy(x)
	case []map[string]any:
		out := make([]map[string]any, len(x))
		for i, e := range x {
			out[i] = deepCopy(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = copyValue(e)
		}
		return out
	}
	return v
}
