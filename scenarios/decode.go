package scenarios

import (
	"fmt"
	"github.com/reesim/reesim/internal/tomlfile"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/reesim/reesim/internal/safetext"
	"github.com/reesim/reesim/uncertain"
)

var numType = reflect.TypeFor[Num]()

// decoder decodes a merged tree into a Scenario, collecting every problem.
type decoder struct {
	problems []Problem
	// present holds the origin of every key path present in the tree,
	// including array entries; the checks after decoding use it to place
	// their problems and to tell a key set to zero from a missing one.
	present map[string]origin
	// top is where problems without a better place go: the child file.
	top origin
	// bad holds the key paths with a problem already, which later checks
	// skip.
	bad map[string]bool
	// hint makes the "did you mean" suggestions of a file, within one
	// bound on the work they take.
	hint *tomlfile.Hinter
	// more counts the problems found past maxRecorded, not kept.
	more int
}

func (d *decoder) addf(at origin, key, format string, args ...any) {
	if d.bad == nil {
		d.bad = map[string]bool{}
	}
	d.bad[key] = true
	if len(d.problems) >= maxRecorded {
		d.more++
		return
	}
	d.problems = append(d.problems, Problem{File: at.file, Line: at.line, Key: key, Msg: fmt.Sprintf(format, args...)})
}

// at returns the origin of key path, or of its closest enclosing key
// that is present, or the top of the child file.
func (d *decoder) at(path string) origin {
	if o, ok := tomlfile.Enclosing(d.present, path); ok {
		return o
	}
	return d.top
}

// has reports whether key path was present in the files.
func (d *decoder) has(path string) bool {
	_, ok := d.present[path]
	return ok
}

// sectionLabel says where a table is, for messages about unknown keys.
func sectionLabel(path string, entry bool) string {
	switch {
	case path == "":
		return "at the top level of a scenario"
	case entry:
		return "in a [[" + path + "]] entry"
	}
	return "in [" + path + "]"
}

// decodeStruct decodes table t at key path into the struct rv. schema is
// the path without entry names, for labels.
func (d *decoder) decodeStruct(rv reflect.Value, t *table, path, schema string, entry bool) {
	fields := keyFields(rv.Type())
	var known []string
	for _, f := range fields {
		if k := tomlKey(f); !(path == "" && k == "extends") {
			known = append(known, k)
		}
	}
	// misspelt maps the known keys that an unknown key looks like a
	// misspelling of to that unknown key: the problem with the unknown key
	// suggests the right one, so a missing required key is not reported too.
	misspelt := map[string]bool{}
	for k := range t.keys {
		if !slices.Contains(known, k) {
			if s, ok := d.hint.Closest(k, known); ok {
				misspelt[s] = true
			}
		}
	}
	for _, f := range fields {
		key := tomlKey(f)
		if path == "" && key == "extends" {
			continue
		}
		o := optsOf(f)
		p := tomlfile.JoinKey(path, key)
		fv := rv.FieldByIndex(f.Index)
		if f.Type == numType {
			fv.Set(reflect.ValueOf(Num{Name: p, Month: o.month}))
		}
		n, ok := t.keys[key]
		if !ok {
			if f.Type.Kind() == reflect.Struct {
				initNums(fv, p)
			}
			if o.req && !misspelt[key] {
				d.addf(t.at, p, "this key is required %s", sectionLabel(schema, entry))
			}
			continue
		}
		d.present[p] = n.at
		d.decodeField(fv, n, p, tomlfile.JoinKey(schema, key), o)
	}
	for _, k := range t.sortedKeys() {
		if slices.Contains(known, k) {
			continue
		}
		n := t.keys[k]
		msg := fmt.Sprintf("unknown key %q %s", k, sectionLabel(schema, entry))
		if s := d.hint.DidYouMean(k, known); s != "" {
			msg += s
		} else {
			msg += "; expected one of " + strings.Join(known, ", ")
		}
		if path == "" && k == "remove" {
			msg = "remove = true belongs in a [[...]] entry of a scenario that extends another"
		}
		d.addf(n.at, tomlfile.JoinKey(path, k), "%s", msg)
	}
}

// initNums gives every Num in the struct v at key path, which is not in
// the files, its key path as name and its month flag.
func initNums(v reflect.Value, path string) {
	for _, f := range keyFields(v.Type()) {
		key := tomlKey(f)
		switch {
		case f.Type == numType:
			v.FieldByIndex(f.Index).Set(reflect.ValueOf(Num{Name: tomlfile.JoinKey(path, key), Month: optsOf(f).month}))
		case f.Type.Kind() == reflect.Struct:
			initNums(v.FieldByIndex(f.Index), tomlfile.JoinKey(path, key))
		}
	}
}

// decodeField decodes n into the field fv.
func (d *decoder) decodeField(fv reflect.Value, n *node, path, schema string, o tagOpts) {
	ft := fv.Type()
	switch {
	case ft == numType:
		fv.Set(reflect.ValueOf(d.num(n, path, o)))
	case ft.Kind() == reflect.String:
		if s, ok := d.str(n, path, o); ok {
			fv.SetString(s)
		}
	case ft.Kind() == reflect.Bool:
		if b, ok := n.raw.(bool); ok {
			fv.SetBool(b)
		} else {
			d.addf(n.at, path, "expected true or false, got %s", describe(n))
		}
	case ft.Kind() == reflect.Int:
		if v, ok := d.whole(n, path, o); ok {
			fv.SetInt(v)
		}
	case ft.Kind() == reflect.Uint64:
		if v, ok := d.whole(n, path, o); ok {
			if v < 0 {
				d.addf(n.at, path, "expected a whole number of 0 or more, got %d", v)
			} else {
				fv.SetUint(uint64(v))
			}
		}
	case ft.Kind() == reflect.Float64:
		if v, ok := d.float(n, path, o); ok {
			fv.SetFloat(v)
		}
	case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.String:
		fv.Set(reflect.ValueOf(d.strings(n, path, o)))
	case ft.Kind() == reflect.Map:
		d.decodeMap(fv, n, path, o)
	case ft.Kind() == reflect.Struct:
		if n.table == nil {
			d.addf(n.at, path, "expected a table [%s], got %s", schema, describe(n))
			return
		}
		d.decodeStruct(fv, n.table, path, schema, false)
	case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
		if n.list == nil {
			d.addf(n.at, path, "%s", notEntries(n, schema))
			return
		}
		s := reflect.MakeSlice(ft, len(n.list), len(n.list))
		for i, e := range n.list {
			ep := tomlfile.EntryPath(path, rawOf(e.keys["name"]), i)
			d.present[ep] = e.at
			d.decodeStruct(s.Index(i), e, ep, schema, true)
		}
		fv.Set(s)
	default:
		d.addf(n.at, path, "the loader cannot read this key (type %s)", ft)
	}
}

// notEntries says that n, the value of the key of an array of tables
// such as [[facility]], is not an array of tables.
func notEntries(n *node, key string) string {
	hint := ""
	if n.table != nil {
		hint = fmt.Sprintf(" (write each entry under [[%s]], with double brackets)", key)
	}
	return fmt.Sprintf("expected one or more [[%s]] tables, got %s%s", key, describe(n), hint)
}

func rawOf(n *node) any {
	if n == nil {
		return nil
	}
	return n.raw
}

// describe says what a value is, for messages such as "expected a number,
// got the string "12"".
func describe(n *node) string {
	switch {
	case n.table != nil:
		return "a table"
	case n.list != nil:
		return "a list of tables"
	}
	return tomlfile.Describe(n.raw)
}

// str decodes a string, checking a month, name or oneof option.
func (d *decoder) str(n *node, path string, o tagOpts) (string, bool) {
	if o.month {
		if t, ok := n.raw.(time.Time); ok {
			m, ok := d.timeMonth(n.at, path, "", t)
			return formatMonth(int(m)), ok
		}
	}
	s, ok := n.raw.(string)
	if !ok {
		want := "a string"
		switch {
		case o.month:
			want = `a month written as "YYYY-MM"`
		case len(o.oneof) > 0:
			want = list(o.oneof, "or")
		}
		d.addf(n.at, path, "expected %s, got %s", want, describe(n))
		return "", false
	}
	switch {
	case s == "" && o.req && !o.name:
		d.addf(n.at, path, "this key is required and cannot be empty")
		return s, false
	case o.month:
		m, ok := parseMonth(s)
		if !ok {
			d.addf(n.at, path, `expected a month written as "YYYY-MM", got %q`, s)
			return s, false
		}
		if !d.checkMonth(n.at, path, float64(m)) {
			return s, false
		}
	case o.name:
		if msg := tomlfile.CheckName(s); msg != "" {
			d.addf(n.at, path, "%s", msg)
		}
	case len(o.oneof) > 0:
		d.oneof(n.at, path, s, o.oneof)
	default:
		// Free text, such as a description, goes to pages and terminals:
		// escape sequences in it are dropped.
		s = safetext.Strip(s)
	}
	return s, true
}

// oneof checks that s is one of words.
func (d *decoder) oneof(at origin, path, s string, words []string) bool {
	if slices.Contains(words, s) {
		return true
	}
	d.addf(at, path, "expected %s, got %q%s", list(words, "or"), s, d.hint.DidYouMean(s, words))
	return false
}

// checkMonth checks that m is a month the model can use.
// timeMonth returns the month of a TOML date or date and time, which is
// taken for that month, and checks it; what prefixes problems. A time of
// day alone is no month.
func (d *decoder) timeMonth(at origin, path, what string, t time.Time) (float64, bool) {
	if t.Location().String() == "time-local" {
		d.addf(at, path, `%sexpected a month written as "YYYY-MM", got %s`, what, tomlfile.Describe(t))
		return 0, false
	}
	m := float64(t.Year()*12 + int(t.Month()) - 1)
	if m < firstMonth || m > lastMonth {
		d.addf(at, path, "%sexpected a month from %s, got %s", what, monthRange, tomlfile.Describe(t))
		return m, false
	}
	return m, true
}

func (d *decoder) checkMonth(at origin, path string, m float64) bool {
	if m < firstMonth || m > lastMonth {
		d.addf(at, path, "expected a month from %s, got %s", monthRange, fmtMonthValue(m))
		return false
	}
	return true
}

// notFinite returns the problem with a NaN or infinite value, or "".
func notFinite(v float64) string {
	switch {
	case math.IsNaN(v):
		return "got nan (not a number); expected a finite number"
	case math.IsInf(v, 0):
		return fmt.Sprintf("got %s (infinity); expected a finite number", tomlfile.FormatNum(v))
	}
	return ""
}

// whole decodes a whole number.
func (d *decoder) whole(n *node, path string, o tagOpts) (int64, bool) {
	var v int64
	switch raw := n.raw.(type) {
	case int64:
		v = raw
	case float64:
		if msg := notFinite(raw); msg != "" {
			d.addf(n.at, path, "%s", msg)
			return 0, false
		}
		if raw != math.Trunc(raw) {
			d.addf(n.at, path, "expected a whole number, got %s", tomlfile.FormatNum(raw))
			return 0, false
		}
		if math.Abs(raw) > 1<<53 {
			if r, ok := rangeOf(o.rng); ok {
				d.addf(n.at, path, "expected %s, got %s", r.what, tomlfile.FormatNum(raw))
			} else {
				d.addf(n.at, path, "expected a whole number written in digits, without a decimal point or an exponent, got %s, which is too large to be exact", tomlfile.FormatNum(raw))
			}
			return 0, false
		}
		v = int64(raw)
	default:
		d.addf(n.at, path, "expected a whole number, got %s", describe(n))
		return 0, false
	}
	if r, ok := rangeOf(o.rng); ok && !r.contains(float64(v)) {
		d.addf(n.at, path, "expected %s, got %d", r.what, v)
		return v, false
	}
	return v, true
}

// float decodes a plain number.
func (d *decoder) float(n *node, path string, o tagOpts) (float64, bool) {
	v, ok := tomlfile.Number(n.raw)
	if !ok {
		d.addf(n.at, path, "expected a number, got %s", describe(n))
		return 0, false
	}
	if msg := notFinite(v); msg != "" {
		d.addf(n.at, path, "%s", msg)
		return v, false
	}
	if r, ok := rangeOf(o.rng); ok && !r.contains(v) {
		d.addf(n.at, path, "expected %s, got %s", r.what, tomlfile.FormatNum(v))
		return v, false
	}
	return v, true
}

// strings decodes a list of strings.
func (d *decoder) strings(n *node, path string, o tagOpts) []string {
	raw, ok := n.raw.([]any)
	if !ok {
		if s, isStr := n.raw.(string); isStr {
			d.addf(n.at, path, "expected a list of strings such as [%q], got the string %q", s, s)
		} else {
			d.addf(n.at, path, "expected a list of strings, got %s", describe(n))
		}
		return nil
	}
	var out []string
	for i, e := range raw {
		s, ok := e.(string)
		if !ok {
			d.addf(n.at, path, "expected a list of strings, but item %d is %s", i+1, tomlfile.Describe(e))
			continue
		}
		if len(o.oneof) > 0 {
			d.oneof(n.at, path, s, o.oneof)
		}
		out = append(out, s)
	}
	return out
}

// decodeMap decodes [regions] and [thresholds].
func (d *decoder) decodeMap(fv reflect.Value, n *node, path string, o tagOpts) {
	if n.table == nil {
		d.addf(n.at, path, "expected a table [%s], got %s", path, describe(n))
		return
	}
	m := reflect.MakeMap(fv.Type())
	for _, k := range n.table.sortedKeys() {
		v := n.table.keys[k]
		p := tomlfile.JoinKey(path, k)
		d.present[p] = v.at
		if msg := tomlfile.CheckName(k); msg != "" {
			d.addf(v.at, p, "%s", msg)
		}
		switch fv.Type().Elem().Kind() {
		case reflect.String:
			if s, ok := d.str(v, p, o); ok {
				m.SetMapIndex(reflect.ValueOf(k), reflect.ValueOf(s))
			}
		case reflect.Slice:
			raw, ok := v.raw.([]any)
			if !ok {
				d.addf(v.at, p, "expected a list of numbers such as [100, 200], got %s", describe(v))
				continue
			}
			var xs []float64
			for i, e := range raw {
				x, ok := tomlfile.Number(e)
				if !ok {
					d.addf(v.at, p, "expected a list of numbers, but item %d is %s", i+1, tomlfile.Describe(e))
					continue
				}
				if msg := notFinite(x); msg != "" {
					d.addf(v.at, p, "item %d: %s", i+1, msg)
					continue
				}
				xs = append(xs, x)
			}
			m.SetMapIndex(reflect.ValueOf(k), reflect.ValueOf(xs))
		}
	}
	if m.Len() == 0 {
		d.addf(n.at, path, "[%s] is empty; leave it out or list at least one key", path)
		return
	}
	fv.Set(m)
}

// num decodes a Num: a number, a month, or a distribution table.
func (d *decoder) num(n *node, path string, o tagOpts) Num {
	num := Num{Name: path, Set: true, Month: o.month}
	var ok bool
	if n.table != nil {
		var name string
		num.Dist, name, ok = d.distTable(n.table, path, o)
		if name != "" {
			num.Name = name
		}
	} else {
		var v float64
		v, ok = d.scalar(n.raw, n.at, path, "", o.month)
		num.Dist = uncertain.Fixed{Value: v}
	}
	if !ok {
		// No distribution, whose Bounds are NaN, so that the checks
		// after decoding skip it rather than repeat its problem.
		num.Dist = nil
		return num
	}
	d.checkRange(num, n.at, path, o)
	return num
}

// scalar decodes a plain number, or a month when month is set. param
// names the distribution parameter, or is "" for the value of a key.
func (d *decoder) scalar(raw any, at origin, path, param string, month bool) (float64, bool) {
	what := ""
	if param != "" {
		what = param + ": "
	}
	if month {
		switch v := raw.(type) {
		case string:
			if m, ok := parseMonth(v); ok {
				return float64(m), true
			}
			d.addf(at, path, `%sexpected a month written as "YYYY-MM", got %q`, what, v)
		case time.Time:
			return d.timeMonth(at, path, what, v)
		default:
			d.addf(at, path, `%sexpected a month written as "YYYY-MM", got %s`, what, tomlfile.Describe(raw))
		}
		return 0, false
	}
	v, ok := tomlfile.Number(raw)
	if !ok {
		hint := ""
		if s, isStr := raw.(string); isStr {
			if _, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil {
				hint = " (write numbers without quotes)"
			}
		}
		d.addf(at, path, "%sexpected a number, got %s%s", what, tomlfile.Describe(raw), hint)
		return 0, false
	}
	if msg := notFinite(v); msg != "" {
		d.addf(at, path, "%s%s", what, msg)
		return v, false
	}
	return v, true
}

// familyNames lists the names of the families of distributions.
func familyNames() []string {
	var out []string
	for _, f := range uncertain.Families() {
		out = append(out, f.Name)
	}
	return out
}

// distTable decodes an inline distribution table: its dist key names the
// family, whose parameters (uncertain.Family) say what else it holds.
func (d *decoder) distTable(t *table, path string, o tagOpts) (uncertain.Dist, string, bool) {
	kn, ok := t.keys["dist"]
	if !ok {
		d.addf(t.at, path, "a distribution needs dist = \"KIND\", with KIND one of %s; for a fixed value write just the number", strings.Join(familyNames(), ", "))
		return nil, "", false
	}
	ks, ok := kn.raw.(string)
	if !ok {
		d.addf(kn.at, path, "dist: expected the name of a distribution, got %s", describe(kn))
		return nil, "", false
	}
	fam := uncertain.FamilyNamed(ks)
	if fam == nil {
		d.addf(kn.at, path, "unknown distribution %q%s; expected one of %s", ks, d.hint.DidYouMean(ks, familyNames()), strings.Join(familyNames(), ", "))
		return nil, "", false
	}
	ok = true
	name := ""
	if nn, has := t.keys["name"]; has {
		if s, isStr := nn.raw.(string); !isStr {
			d.addf(nn.at, path, "name: expected a string naming the input, got %s", describe(nn))
			ok = false
		} else if msg := tomlfile.CheckName(s); msg != "" {
			d.addf(nn.at, path, "name: %s", msg)
			ok = false
		} else {
			name = s
		}
	}
	var req, opt, all, optLoc []string
	reqLoc := false
	for _, p := range fam.Params {
		all = append(all, p.Name)
		switch {
		case !p.Optional:
			req = append(req, p.Name)
			reqLoc = reqLoc || p.Location
		case p.Location:
			opt = append(opt, p.Name)
			optLoc = append(optLoc, p.Name)
		default:
			opt = append(opt, p.Name)
		}
	}
	needs := list(req, "and")
	if len(opt) > 0 {
		needs += ", and optionally " + list(opt, "and")
	}
	if o.month && !reqLoc && len(optLoc) == 0 {
		d.addf(kn.at, path, "a month cannot follow a %s distribution; use a discrete one with values written as \"YYYY-MM\"", fam.Name)
		return nil, name, false
	}
	for _, k := range t.sortedKeys() {
		if k == "dist" || k == "name" || slices.Contains(all, k) {
			continue
		}
		d.addf(t.keys[k].at, path, "a %s distribution has no parameter %q%s; it takes %s", fam.Name, k, d.hint.DidYouMean(k, all), list(all, "and"))
		ok = false
	}
	var missing []string
	for _, k := range req {
		if _, has := t.keys[k]; !has {
			missing = append(missing, k)
		}
	}
	if !ok {
		// An unknown parameter was reported, with a suggestion when it
		// looks like a missing one: report no more than that.
		missing = nil
	}
	// Optional parameters that go together, such as a beta's min and
	// max; a distribution of months needs its location parameters.
	given := 0
	for _, p := range fam.Params {
		_, has := t.keys[p.Name]
		if has && p.Location && p.Optional {
			given++
		}
		if _, with := t.keys[p.With]; p.With != "" && !has && with {
			missing = append(missing, p.Name)
			pair := []string{p.Name, p.With}
			if slices.Index(all, p.With) < slices.Index(all, p.Name) {
				pair[0], pair[1] = p.With, p.Name
			}
			needs += fmt.Sprintf(" (%s and %s go together)", pair[0], pair[1])
		}
	}
	if o.month && !reqLoc && given == 0 {
		missing = append(missing, optLoc...)
	}
	if len(missing) > 0 {
		verb := " are"
		if len(missing) == 1 {
			verb = " is"
		}
		d.addf(t.at, path, "a %s distribution needs %s; %s%s missing", fam.Name, needs, list(missing, "and"), verb)
		ok = false
	}
	vals := uncertain.Values{}
	for _, p := range fam.Params {
		n, has := t.keys[p.Name]
		if !has {
			continue
		}
		month := o.month && p.Location
		if !p.List {
			v, good := d.scalar(n.raw, n.at, path, p.Name, month)
			ok = ok && good
			vals[p.Name] = []float64{v}
			continue
		}
		raw, isList := n.raw.([]any)
		if !isList {
			d.addf(n.at, path, "%s: expected a list such as [1, 2, 3], got %s", p.Name, describe(n))
			ok = false
			continue
		}
		out := make([]float64, 0, len(raw))
		for i, e := range raw {
			v, good := d.scalar(e, n.at, path, fmt.Sprintf("%s item %d", p.Name, i+1), month)
			ok = ok && good
			out = append(out, v)
		}
		vals[p.Name] = out
	}
	dd := fam.New(vals)
	if !ok {
		return dd, name, false
	}
	if frags := dd.Check(); len(frags) > 0 {
		for _, f := range frags {
			if o.month {
				f = monthsInText(f)
			}
			d.addf(t.at, path, "this %s distribution is not valid: %s", fam.Name, f)
		}
		return dd, name, false
	}
	return dd, name, true
}

// monthsInText rewrites the absolute month numbers in package uncertain's messages,
// such as "min (24327)", as months: "min (2027-04)".
func monthsInText(s string) string {
	re := regexp.MustCompile(`\((\d+)\)|\[(\d+), (\d+)\]`)
	return re.ReplaceAllStringFunc(s, func(m string) string {
		return regexp.MustCompile(`\d+`).ReplaceAllStringFunc(m, func(num string) string {
			v, err := strconv.Atoi(num)
			if err != nil || v < firstMonth || v > lastMonth {
				return num
			}
			return formatMonth(v)
		})
	})
}

// checkRange checks that every value num can take is in the range its
// tag names.
func (d *decoder) checkRange(num Num, at origin, path string, o tagOpts) {
	name := o.rng
	if o.month {
		name = "month"
	}
	r, ok := rangeOf(name)
	if !ok {
		return
	}
	show := tomlfile.FormatNum
	if o.month {
		show = fmtMonthValue
	}
	if f, ok := num.Dist.(uncertain.Fixed); ok {
		if v := f.Value; !r.contains(v) {
			d.addf(at, path, "expected %s, got %s", r.what, show(v))
		}
		return
	}
	lo, hi := num.Bounds()
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return
	}
	// An unbounded tail reaches as far as Quantile goes: about 8 standard
	// deviations, for u at the limits of a random draw.
	loInf, hiInf := math.IsInf(lo, -1), math.IsInf(hi, 1)
	if loInf {
		lo = num.Dist.Quantile(0)
	}
	if hiInf {
		hi = num.Dist.Quantile(1)
	}
	tail := func(v float64) string {
		if o.month {
			return fmtMonthValue(v)
		}
		return strconv.FormatFloat(v, 'g', 4, 64)
	}
	k := num.Dist.Family().Name
	switch {
	case r.contains(lo) || lo >= r.hi:
	case loInf:
		d.addf(at, path, "expected %s, but this %s distribution has no lower limit and its tail reaches %s; add min = %s to cut it off", r.what, k, tail(lo), show(r.lo))
	default:
		d.addf(at, path, "expected %s, but this %s distribution can take values as low as %s", r.what, k, show(lo))
	}
	switch {
	case r.contains(hi):
	case hiInf:
		d.addf(at, path, "expected %s, but this %s distribution has no upper limit and its tail reaches %s; add max = %s to cut it off", r.what, k, tail(hi), show(r.hi))
	default:
		d.addf(at, path, "expected %s, but this %s distribution can take values as high as %s", r.what, k, show(hi))
	}
}
