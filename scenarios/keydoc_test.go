package scenarios

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// docsFile is the page whose tables of keys are made from the keys'
// declarations: the fields of types.go and sim/keys.go.
const docsFile = "../docs/SCENARIOS.md"

// keySections are the tables of docs/SCENARIOS.md made from declarations:
// the name in the page's markers, <!-- keys: NAME --> ... <!-- end keys -->,
// and the type whose keys the table lists.
var keySections = []struct{ name, typ string }{
	{"top", "Scenario"},
	{"recipe", "Recipe"},
	{"market", "Market"},
	{"supply_response", "Response"},
	{"facility", "Facility"},
	{"segment", "Segment"},
	{"stockpile", "Stockpile"},
	{"export_control", "ExportControl"},
	{"tariff", "Tariff"},
	{"price_floor", "PriceFloor"},
	{"production_quota", "Quota"},
	{"disruption", "Disruption"},
	{"state_reserve", "Reserve"},
	{"recycling", "Recycling"},
	{"correlation", "Correlation"},
	{"input_group", "InputGroup"},
}

// TestKeyTables checks that the tables of keys in docs/SCENARIOS.md are
// those the keys' declarations make; with -update, it rewrites them.
func TestKeyTables(t *testing.T) {
	decls := parseDecls(t, map[string]string{"": ".", "sim.": "../sim"})
	b, err := os.ReadFile(docsFile)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, sec := range keySections {
		begin, end := "<!-- keys: "+sec.name+" -->\n", "<!-- end keys -->\n"
		i := strings.Index(doc, begin)
		if i < 0 {
			t.Errorf("%s has no marker %q for the table of %s", docsFile, strings.TrimSpace(begin), sec.typ)
			continue
		}
		i += len(begin)
		j := strings.Index(doc[i:], end)
		if j < 0 {
			t.Errorf("%s: the table of %s has no end marker %q", docsFile, sec.typ, strings.TrimSpace(end))
			continue
		}
		want := keyTable(t, decls, sec.typ)
		if got := doc[i : i+j]; got != want {
			if !*update {
				t.Errorf("%s: the table of %s keys is not the one their declarations make (go test ./scenarios -run TestKeyTables -update rewrites it):\n%s", docsFile, sec.name, firstDiff(got, want))
			}
			doc = doc[:i] + want + doc[i+j:]
		}
	}
	if *update && doc != string(b) {
		if err := os.WriteFile(docsFile, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestKeySectionsComplete checks that every table and array of tables of
// a scenario has its table of keys in keySections.
func TestKeySectionsComplete(t *testing.T) {
	have := map[string]bool{"top": true}
	for _, s := range keySections {
		have[s.name] = true
	}
	for _, f := range keyFields(reflect.TypeFor[Scenario]()) {
		k, ft := tomlKey(f), f.Type
		isTable := ft.Kind() == reflect.Struct && ft != numType
		isArray := ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct
		if (isTable || isArray) && !have[k] {
			t.Errorf("the scenario key %s has no table in keySections", k)
		}
	}
}

// firstDiff shows the first line where got and want differ.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d:\n  page: %s\n  made: %s", i+1, gl, wl)
		}
	}
	return ""
}

// parseDecls returns the type declarations of the packages in dirs, by
// name with the prefix dirs gives them ("sim." for package sim).
func parseDecls(t *testing.T, dirs map[string]string) map[string]*ast.TypeSpec {
	t.Helper()
	out := map[string]*ast.TypeSpec{}
	for prefix, dir := range dirs {
		fset := token.NewFileSet()
		pkgs, err := parser.ParseDir(fset, dir, func(fi os.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pkgs {
			for _, f := range p.Files {
				for _, d := range f.Decls {
					g, ok := d.(*ast.GenDecl)
					if !ok || g.Tok != token.TYPE {
						continue
					}
					for _, s := range g.Specs {
						ts := s.(*ast.TypeSpec)
						out[prefix+ts.Name.Name] = ts
					}
				}
			}
		}
	}
	return out
}

// structOf returns the struct type named by e, an identifier such as
// Facility or an instance of a struct of keys such as sim.SegmentKeys[Num],
// following aliases.
func structOf(t *testing.T, decls map[string]*ast.TypeSpec, e ast.Expr) *ast.StructType {
	t.Helper()
	if ix, ok := e.(*ast.IndexExpr); ok {
		e = ix.X
	}
	var name string
	switch e := e.(type) {
	case *ast.Ident:
		name = e.Name
	case *ast.SelectorExpr:
		name = e.X.(*ast.Ident).Name + "." + e.Sel.Name
	default:
		t.Fatalf("cannot follow the type %T", e)
	}
	ts, ok := decls[name]
	if !ok {
		t.Fatalf("no declaration of the type %s", name)
	}
	if st, ok := ts.Type.(*ast.StructType); ok {
		return st
	}
	return structOf(t, decls, ts.Type)
}

// keyTable makes the table of the keys of the type typ.
func keyTable(t *testing.T, decls map[string]*ast.TypeSpec, typ string) string {
	var b strings.Builder
	b.WriteString("| Key | Type, unit | Default | Meaning |\n|---|---|---|---|\n")
	var rows func(st *ast.StructType)
	rows = func(st *ast.StructType) {
		for _, f := range st.Fields.List {
			if len(f.Names) == 0 {
				rows(structOf(t, decls, f.Type))
				continue
			}
			if f.Tag == nil {
				continue
			}
			tag, err := strconv.Unquote(f.Tag.Value)
			if err != nil {
				t.Fatal(err)
			}
			sf := reflect.StructField{Name: f.Names[0].Name, Tag: reflect.StructTag(tag)}
			key := sf.Tag.Get("toml")
			kind := goKind(f.Type)
			if key == "" || key == "-" || kind == "" {
				continue // not a key, or a table of its own
			}
			meaning, def := fieldDoc(f.Doc)
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", key, typeCell(sf, kind), defaultCell(sf, kind, def), meaning)
		}
	}
	rows(structOf(t, decls, &ast.Ident{Name: typ}))
	return b.String()
}

// goKind says what a field of type e holds: "num", "string", "bool",
// "int", "uint64", "float64" or "list"; or "" for a table or an array of
// tables, which have tables of their own.
func goKind(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		switch e.Name {
		case "N", "Num":
			return "num"
		case "string", "bool", "int", "uint64", "float64":
			return e.Name
		}
	case *ast.ArrayType:
		if id, ok := e.Elt.(*ast.Ident); ok && id.Name == "string" {
			return "list"
		}
	}
	return ""
}

// fieldDoc returns the first paragraph of a field's comment as one line
// without its final full stop, the meaning, and the text of its
// "Default:" line, if any.
func fieldDoc(g *ast.CommentGroup) (meaning string, def *string) {
	if g == nil {
		return "", nil
	}
	var words []string
	for _, line := range strings.Split(g.Text(), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			if len(words) > 0 || def != nil {
				break
			}
			continue
		}
		if d, ok := strings.CutPrefix(line, "Default:"); ok {
			d = strings.TrimSpace(d)
			def = &d
			continue
		}
		words = append(words, line)
	}
	return strings.TrimSuffix(strings.Join(words, " "), "."), def
}

// quoted lists words as `"a"`, `"b"` and `"c"`, joined by and or or.
func quoted(words []string, conj string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = "`\"" + w + "\"`"
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " " + conj + " " + q[len(q)-1]
}

// typeCell says what a key's value is: its type, unit and range.
func typeCell(f reflect.StructField, kind string) string {
	o, unit := optsOf(f), f.Tag.Get("unit")
	r := ranges[o.rng]
	if unit == "" {
		unit = r.unit
	}
	join := func(parts ...string) string {
		return strings.Join(slices.DeleteFunc(parts, func(s string) bool { return s == "" }), ", ")
	}
	switch kind {
	case "num":
		if o.month {
			return "Num, month"
		}
		return join("Num", unit, r.span)
	case "string":
		switch {
		case o.name:
			return "name"
		case o.month:
			return "month `\"YYYY-MM\"`"
		case len(o.oneof) > 0:
			return quoted(o.oneof, "or")
		case unit != "":
			return unit
		}
		return "string"
	case "bool":
		return "true or false"
	case "int":
		return join("whole number", unit, r.span)
	case "uint64":
		return "whole number ≥ 0"
	case "float64":
		return join("number", r.span)
	case "list":
		if len(o.oneof) > 0 {
			return "list of " + quoted(o.oneof, "and")
		}
		return unit
	}
	return kind
}

// sameDefault matches the defaults that are another key's value.
var sameDefault = regexp.MustCompile(`^same:(.+)$`)

// defaultCell says what a key is when it is left out.
func defaultCell(f reflect.StructField, kind string, override *string) string {
	o := optsOf(f)
	switch {
	case override != nil:
		return *override
	case o.req:
		return "required"
	case o.def == "start":
		return "the scenario's `start`"
	case sameDefault.MatchString(o.def):
		return "`" + sameDefault.FindStringSubmatch(o.def)[1] + "` (the same input, so the same draw)"
	case o.def != "":
		return o.def
	case kind == "bool":
		return "false"
	}
	return "none"
}
