package scenarios

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// FuzzLoadBytes checks that no input makes the loader or the validator
// panic, that every problem has a file and a message on one line, that
// every scenario the loader accepts compiles (so that reesim validate and
// reesim run agree), and that valid scenarios survive the round trip
// through WriteResolved.
//
// make fuzz runs it (and every other fuzz target) for a bounded time;
// inputs that once failed are kept in testdata/fuzz/FuzzLoadBytes.
func FuzzLoadBytes(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*", "*.toml"))
	more, _ := filepath.Glob(filepath.Join("testdata", "*.toml"))
	for _, file := range append(files, more...) {
		if fi, err := os.Stat(file); err == nil && fi.IsDir() {
			continue // testdata/parents/folder.toml
		}
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, name := range shippedNames() {
		data, err := fs.ReadFile(shippedFiles, name+".toml")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("facility = 5\nmarket = [1]\n[[recipe]]\n"))
	f.Add([]byte("[facility]\nname = 1\n[[segment]]\nname = true\nremove = true\n"))
	f.Add([]byte("extends = \"base.toml\"\nname = \"x\"\nhorizon_years = 1e308\nseed = inf\npaths = nan\n"))
	f.Add([]byte("extends = \"base.toml\"\nname = \"x\"\n[[facility]]\nname = \"mine-a\"\ncapacity_tpy = {dist = \"normal\", mean = 1e308, sd = 1e308}\n"))
	f.Add([]byte("extends = \"fuzz.toml\"\n"))
	f.Add([]byte("extends = \"baseline\"\nname = \"../../etc\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		// Relative extends paths resolve against testdata.
		s, err := LoadBytes(filepath.Join("testdata", "fuzz.toml"), data)
		if err != nil {
			ps, ok := err.(Problems)
			if !ok || len(ps) == 0 {
				t.Fatalf("error %T %v, want Problems", err, err)
			}
			for _, p := range ps {
				if p.File == "" || p.Msg == "" || p.Line < 0 || strings.ContainsAny(p.Msg+p.Key, "\n\r") {
					t.Fatalf("bad problem %#v", p)
				}
			}
			return
		}
		if _, err := Compile(s); err != nil {
			t.Fatalf("the loader accepts the scenario but it does not compile: %v", err)
		}
		var buf bytes.Buffer
		if err := s.WriteResolved(&buf); err != nil {
			t.Fatal(err)
		}
		back, err := LoadBytes("resolved.toml", buf.Bytes())
		if err != nil {
			t.Fatalf("resolved output does not load: %v\n%s", err, buf.Bytes())
		}
		a, b := *s, *back
		a.File, a.Chain, b.File, b.Chain = "", nil, "", nil
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("round trip differs:\n%s", buf.Bytes())
		}
	})
}
