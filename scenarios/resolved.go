package scenarios

import (
	"bufio"
	"fmt"
	"github.com/reesim/reesim/internal/tomlfile"
	"io"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/reesim/reesim/uncertain"
)

// WriteResolved writes s as a scenario file with every key explicit: the
// scenario after inheritance and defaults, without an extends key. Fixed
// numbers are written as plain numbers or "YYYY-MM" months, distributions
// as inline tables, with a name key when the input's name is not its key
// path. Keys left unset (such as a tariff's end) are left out.
//
// LoadBytes of the output gives a scenario equal to s apart from File and
// Chain.
func (s *Scenario) WriteResolved(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# Scenario %q resolved by reesim: inheritance and defaults applied.\n", s.Name)
	if len(s.Chain) > 0 {
		fmt.Fprintf(bw, "# Read from: %s\n", strings.Join(s.Chain, ", "))
	}
	writeTable(bw, reflect.ValueOf(*s), "", "")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("scenarios: writing resolved scenario %s: %w", s.Name, err)
	}
	return nil
}

// writeTable writes the struct v at key path path: its plain keys, then
// its tables, then its arrays of tables. header is path with entry names
// left out, as in a TOML table header.
func writeTable(w *bufio.Writer, v reflect.Value, path, header string) {
	t := v.Type()
	type field struct {
		key string
		v   reflect.Value
	}
	var plain, tables, arrays []field
	for _, f := range keyFields(t) {
		key := tomlKey(f)
		if path == "" && key == "extends" {
			continue
		}
		fv := v.FieldByIndex(f.Index)
		switch {
		case f.Type == numType:
			plain = append(plain, field{key, fv})
		case f.Type.Kind() == reflect.Struct || f.Type.Kind() == reflect.Map:
			tables = append(tables, field{key, fv})
		case f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.Struct:
			arrays = append(arrays, field{key, fv})
		default:
			plain = append(plain, field{key, fv})
		}
	}
	for _, f := range plain {
		if val, ok := plainValue(f.v, tomlfile.JoinKey(path, f.key)); ok {
			fmt.Fprintf(w, "%s = %s\n", f.key, val)
		}
	}
	for _, f := range tables {
		p, h := tomlfile.JoinKey(path, f.key), tomlfile.JoinKey(header, f.key)
		if f.v.Kind() == reflect.Map {
			if f.v.Len() == 0 {
				continue
			}
			fmt.Fprintf(w, "\n[%s]\n", h)
			keys := f.v.MapKeys()
			slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
			for _, k := range keys {
				val, _ := plainValue(f.v.MapIndex(k), tomlfile.JoinKey(p, k.String()))
				fmt.Fprintf(w, "%s = %s\n", quoteKey(k.String()), val)
			}
			continue
		}
		if hasPlainFields(f.v.Type()) {
			fmt.Fprintf(w, "\n[%s]\n", h)
		}
		writeTable(w, f.v, p, h)
	}
	for _, f := range arrays {
		p, h := tomlfile.JoinKey(path, f.key), tomlfile.JoinKey(header, f.key)
		for i := 0; i < f.v.Len(); i++ {
			e := f.v.Index(i)
			fmt.Fprintf(w, "\n[[%s]]\n", h)
			writeTable(w, e, tomlfile.EntryPath(p, entryName(e), i), h)
		}
	}
}

// hasPlainFields reports whether the struct type t has keys that are not
// tables, and so needs a header of its own.
func hasPlainFields(t reflect.Type) bool {
	for _, f := range keyFields(t) {
		if f.Type.Kind() != reflect.Struct || f.Type == numType {
			return true
		}
	}
	return false
}

// plainValue formats a value that is not a table, or reports that it is
// to be left out.
func plainValue(v reflect.Value, path string) (string, bool) {
	if v.Type() == numType {
		n := v.Interface().(Num)
		if !n.Set {
			return "", false
		}
		return numValue(n, path), true
	}
	switch v.Kind() {
	case reflect.String:
		if v.String() == "" {
			return "", false
		}
		return quote(v.String()), true
	case reflect.Bool:
		return strconv.FormatBool(v.Bool()), true
	case reflect.Int:
		return strconv.FormatInt(v.Int(), 10), true
	case reflect.Uint64:
		return strconv.FormatUint(v.Uint(), 10), true
	case reflect.Float64:
		return tomlfile.FormatNum(v.Float()), true
	case reflect.Slice:
		parts := make([]string, v.Len())
		for i := range parts {
			parts[i], _ = plainValue(v.Index(i), path)
			if v.Index(i).Kind() == reflect.String && v.Index(i).String() == "" {
				parts[i] = `""`
			}
		}
		return "[" + strings.Join(parts, ", ") + "]", true
	}
	return "", false
}

// numValue formats a Num whose key path is path.
func numValue(n Num, path string) string {
	d := n.Dist
	num := func(v float64, month bool) string {
		if month && v == math.Trunc(v) && v >= firstMonth && v <= lastMonth {
			return quote(formatMonth(int(v)))
		}
		return tomlfile.FormatNum(v)
	}
	if f, ok := d.(uncertain.Fixed); ok && n.Name == path {
		return num(f.Value, n.Month)
	}
	fam := d.Family()
	parts := []string{"dist = " + quote(fam.Name)}
	vals := d.Params()
	for _, p := range fam.Params {
		vs, ok := vals[p.Name]
		if !ok {
			continue
		}
		s := make([]string, len(vs))
		for i, v := range vs {
			s[i] = num(v, n.Month && p.Location)
		}
		if p.List {
			parts = append(parts, p.Name+" = ["+strings.Join(s, ", ")+"]")
		} else {
			parts = append(parts, p.Name+" = "+s[0])
		}
	}
	if n.Name != path {
		parts = append(parts, "name = "+quote(n.Name))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// quote returns s as a TOML basic string.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// quoteKey returns k as a TOML key, quoted when it is not a bare key.
func quoteKey(k string) string {
	if tomlfile.BareKey(k) {
		return k
	}
	return quote(k)
}
