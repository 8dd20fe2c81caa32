package scenarios

import (
	"fmt"
	"github.com/reesim/reesim/internal/tomlfile"
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// This file reads the declarations of a scenario's keys: the fields of
// Scenario and of the structs of keys it holds (types.go, and sim/keys.go
// for the keys the model reads). The decoder, the defaults, the checks,
// the compiler, the resolved writer and the documentation all follow them.

// tagOpts are the options of a field's reesim tag.
type tagOpts struct {
	req, name, month bool
	oneof            []string
	rng              string
	// def is the default: a number such as 0.2 or 1/6, "start" for the
	// scenario's start month, or "same:KEY" for the value of the entry's
	// key KEY; "" for none.
	def string
	// draw, for an event's probability, names the event's uniform draw,
	// which the model makes right after it: "occurs_draw" unless the tag
	// names another; "" for other keys.
	draw string
	// only names the condition under which the model reads the key (see
	// compiler.keys); "" for always.
	only string
}

func optsOf(f reflect.StructField) tagOpts {
	var o tagOpts
	for _, opt := range strings.Split(f.Tag.Get("reesim"), ",") {
		switch {
		case opt == "":
		case opt == "req":
			o.req = true
		case opt == "name":
			o.name = true
		case opt == "month":
			o.month = true
		case opt == "draw":
			o.draw = "occurs_draw"
		case strings.HasPrefix(opt, "draw="):
			o.draw = strings.TrimPrefix(opt, "draw=")
		case strings.HasPrefix(opt, "oneof="):
			o.oneof = strings.Split(strings.TrimPrefix(opt, "oneof="), "|")
		case strings.HasPrefix(opt, "default="):
			o.def = strings.TrimPrefix(opt, "default=")
		case strings.HasPrefix(opt, "only="):
			o.only = strings.TrimPrefix(opt, "only=")
		default:
			o.rng = opt
		}
	}
	return o
}

// rangeSpec is a named range of values from a reesim tag.
type rangeSpec struct {
	lo, hi float64
	loOpen bool   // lo itself is not allowed
	what   string // what is expected, for messages
	// unit and span say what the values are and which are allowed, for
	// docs/SCENARIOS.md: "share" and "0 to 1".
	unit, span string
}

func (r rangeSpec) contains(v float64) bool {
	if r.loOpen {
		return v > r.lo && v <= r.hi
	}
	return v >= r.lo && v <= r.hi
}

// ranges are the named ranges of reesim tags.
var ranges = map[string]rangeSpec{
	"share":      {0, 1, false, "a share from 0 to 1", "share", "0 to 1"},
	"prob":       {0, 1, false, "a probability from 0 to 1", "probability", "0 to 1"},
	"tpy":        {0, 1e7, false, "a quantity from 0 to 10000000 t/yr", "t/yr", "0 to 10,000,000"},
	"tonnes":     {0, 1e8, false, "a quantity from 0 to 100000000 t", "tonnes", "0 to 100,000,000"},
	"days":       {0, 3650, false, "a number of days from 0 to 3650", "days", "0 to 3650"},
	"price":      {0, 1e6, true, "a price above 0 and at most 1000000 $/kg", "$/kg", "above 0, at most 1,000,000"},
	"months":     {0, 1200, false, "a number of months from 0 to 1200", "months", "0 to 1200"},
	"elasticity": {0, 100, false, "an elasticity from 0 to 100, written as a positive number", "elasticity", "0 to 100"},
	"growth":     {-1, 10, true, "a yearly growth rate above -1 and at most 10 (0.05 is 5 % a year)", "per year", "above -1, at most 10"},
	"ratio":      {0, 1000, false, "a price ratio from 0 to 1000", "ratio", "0 to 1000"},
	"multiple":   {1, 1e4, false, "a multiple from 1 to 10000 (of the reference price for a price cap, of normal cover for precaution)", "multiple", "1 to 10000"},
	"recipe":     {0, 1, true, "tonnes of oxide per tonne of magnet, above 0 and at most 1", "t oxide per t magnet", "above 0, at most 1"},
	"level":      {0, 5, false, "a tariff level as a share of the import value, from 0 to 5 (0.25 is 25 %, 5 is 500 %)", "share of the import value", "0 to 5"},
	"cost":       {0, 10, false, "a yearly cost from 0 to 10 as a share of the stock's value (0.05 is 5 % a year)", "share of the stock's value per year", "0 to 10"},
	"horizon":    {1, 50, false, "a whole number of years from 1 to 50", "years", "1 to 50"},
	"paths":      {1, 1e8, false, "a whole number of paths from 1 to 100000000", "", "1 to 100,000,000"},
	"priority":   {1, 100, false, "a whole number from 1 (served first) to 100", "", "1 to 100"},
	"rank":       {-1, 1, false, "a rank correlation from -1 to 1", "", "-1 to 1"},
	"month":      {firstMonth, lastMonth, false, "a month from " + monthRange, "month", monthRange},
}

// rangeOf returns the named range of a reesim tag.
func rangeOf(name string) (rangeSpec, bool) {
	r, ok := ranges[name]
	return r, ok
}

// tomlKey returns the key of field f, or "" for fields that are not read
// from files.
func tomlKey(f reflect.StructField) string {
	k := f.Tag.Get("toml")
	if k == "-" || !f.IsExported() || f.Anonymous {
		return ""
	}
	return k
}

// keyFieldsOf holds, for each struct type, its keys (see keyFields).
var keyFieldsOf sync.Map // reflect.Type → []reflect.StructField

// keyFields returns the fields of struct type t that are keys of a
// scenario file, in order, with the keys of an embedded struct of keys
// (such as sim.SegmentKeys) in its place. A field's Index is its path
// from t, for reflect.Value.FieldByIndex. The list is made once per type:
// a file of many keys looks fields up many times.
func keyFields(t reflect.Type) []reflect.StructField {
	if fs, ok := keyFieldsOf.Load(t); ok {
		return fs.([]reflect.StructField)
	}
	var fs []reflect.StructField
	for _, f := range reflect.VisibleFields(t) {
		if tomlKey(f) != "" {
			fs = append(fs, f)
		}
	}
	v, _ := keyFieldsOf.LoadOrStore(t, fs)
	return v.([]reflect.StructField)
}

// fieldByKey returns the field of struct type t with toml key key.
func fieldByKey(t reflect.Type, key string) (reflect.StructField, bool) {
	if t == nil || t.Kind() != reflect.Struct {
		return reflect.StructField{}, false
	}
	for _, f := range keyFields(t) {
		if tomlKey(f) == key {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// defaultValue returns the number a default of a reesim tag gives: a
// number such as 0.2, or a fraction such as 1/6.
func defaultValue(def string) (float64, error) {
	num, den, frac := strings.Cut(def, "/")
	v, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return 0, err
	}
	if frac {
		d, err := strconv.ParseFloat(den, 64)
		if err != nil {
			return 0, err
		}
		v /= d
	}
	return v, nil
}

// defaultKeys gives every key of v, a struct at key path path, that the
// files left out and whose declaration has a default its default value.
// start is the scenario's start month, when startOK.
func (d *decoder) defaultKeys(v reflect.Value, path string, start int, startOK bool) {
	for _, f := range keyFields(v.Type()) {
		fv, p, o := v.FieldByIndex(f.Index), tomlfile.JoinKey(path, tomlKey(f)), optsOf(f)
		switch {
		case f.Type == numType:
			n := fv.Addr().Interface().(*Num)
			switch {
			case o.def == "" || n.Set:
			case o.def == "start":
				defMonth(n, start, startOK)
			case strings.HasPrefix(o.def, "same:"):
				src, ok := fieldByKey(v.Type(), strings.TrimPrefix(o.def, "same:"))
				if !ok {
					panic(fmt.Sprintf("scenarios: the default of %s names no key of its table", p))
				}
				if from := v.FieldByIndex(src.Index).Interface().(Num); from.Set {
					// The same distribution under the same name: one
					// input, drawn once.
					n.Dist, n.Set = from.Dist, true
					if !from.IsFixed() {
						n.Name = from.Name
					}
				}
			default:
				x, err := defaultValue(o.def)
				if err != nil {
					panic(fmt.Sprintf("scenarios: the default of %s: %v", p, err))
				}
				def(n, x)
			}
		case o.def != "" && (f.Type.Kind() == reflect.Int || f.Type.Kind() == reflect.Uint64):
			if d.has(p) {
				continue
			}
			x, err := strconv.ParseInt(o.def, 10, 64)
			if err != nil {
				panic(fmt.Sprintf("scenarios: the default of %s: %v", p, err))
			}
			if f.Type.Kind() == reflect.Int {
				fv.SetInt(x)
			} else {
				fv.SetUint(uint64(x))
			}
		case f.Type.Kind() == reflect.Struct:
			d.defaultKeys(fv, p, start, startOK)
		case f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.Struct:
			for i := 0; i < fv.Len(); i++ {
				e := fv.Index(i)
				d.defaultKeys(e, tomlfile.EntryPath(p, entryName(e), i), start, startOK)
			}
		}
	}
}

// entryName returns the name of e, an entry of an array of tables, or nil
// when its kind of entry has no name.
func entryName(e reflect.Value) any {
	if f := e.FieldByName("Name"); f.IsValid() {
		return f.String()
	}
	return nil
}
