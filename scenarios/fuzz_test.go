package scenarios

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// FuzzLoadBytes checks that no input makes the loader panic, that every
// problem has a message on one line, and that valid scenarios survive the
// round trip through WriteResolved.
func FuzzLoadBytes(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*", "*.toml"))
	more, _ := filepath.Glob(filepath.Join("testdata", "*.toml"))
	for _, file := range append(files, more...) {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("facility = 5\nmarket = [1]\n[[recipe]]\n"))
	f.Add([]byte("[facility]\nname = 1\n[[segment]]\nname = true\nremove = true\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		// Relative extends paths resolve against testdata.
		s, err := LoadBytes(filepath.Join("testdata", "fuzz.toml"), data)
		if err != nil {
			ps, ok := err.(Problems)
			if !ok || len(ps) == 0 {
				t.Fatalf("error %T %v, want Problems", err, err)
			}
			for _, p := range ps {
				if p.Msg == "" || strings.ContainsAny(p.Msg+p.Key, "\n\r") {
					t.Fatalf("bad problem %#v", p)
				}
			}
			return
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
