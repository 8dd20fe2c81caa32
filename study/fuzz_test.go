package study

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reesim/reesim/scenarios"
)

// FuzzLoadBytes checks that no study file makes the study loader panic,
// that every problem has a file and a one-line message, and that every
// study it accepts has a compiled case for each base and variant, whose
// folder names stay inside the study's folder.
//
// make fuzz runs it (and every other fuzz target) for a bounded time;
// inputs that once failed are kept in testdata/fuzz/FuzzLoadBytes.
func FuzzLoadBytes(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.toml"))
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, name := range shippedNames() {
		data, err := shippedFiles.ReadFile("shipped/" + name + ".toml")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	const head = "name = \"s\"\nbase = \"small.toml\"\n"
	const sweep = "[[sweep]]\nname = \"p\"\nkey = \"stockpile.allied.size_days\"\nvalues = [0, 30]\n"
	for _, text := range []string{
		head + "reference = \"p-0\"\n" + sweep,
		head + "reference = \"a\"\n[[variant]]\nname = \"a\"\n[[variant]]\nname = \"b\"\n[variant.set]\n\"stockpile.allied.lag_months\" = \"soon\"\n",
		head + "reference = \"a-0_b-1\"\ndesign = \"paired\"\n[[sweep]]\nname = \"a\"\nkey = \"stockpile.allied.size_days\"\nvalues = [0, 30, 60]\n[[sweep]]\nname = \"b\"\nkey = \"stockpile.allied.release_rate\"\nvalues = [1, 0.5]\n",
		head + "reference = \"p-0\"\n[scenario]\nhorizon_years = 99\n" + sweep,
		"name = \"s\"\nbase = [\"small.toml\", \"small-b.toml\"]\nreference = \"x-0\"\n[[scenario.stockpile]]\nname = \"d\"\nholder = \"us\"\nproduct = \"magnet\"\nsize_days = 0\n[[sweep]]\nname = \"x\"\nkey = \"stockpile.d.size_days\"\nvalues = [0, 1e308, nan, inf]\n",
		head + "reference = \"report.html\"\n[[variant]]\nname = \"report.html\"\n[[variant]]\nname = \"../../etc\"\n",
		head + "reference = \"v1\"\n[[sweep]]\nkey = \"regions.x\"\nvalues = [\"china\", \"<script>\", 1, true, 2026-01-01]\n",
		"name = \"s\n",
		"",
		"\x00",
	} {
		f.Add([]byte(text))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// Relative base paths resolve against testdata.
		st, err := loadBytes(filepath.Join("testdata", "fuzz.toml"), data)
		if err != nil {
			var ps scenarios.Problems
			if !errors.As(err, &ps) || len(ps) == 0 {
				t.Fatalf("error %T %v, want Problems", err, err)
			}
			if st != nil {
				t.Fatal("a study returned with problems")
			}
			for _, p := range ps {
				if p.File == "" || p.Msg == "" || p.Line < 0 || strings.ContainsAny(p.Msg+p.Key, "\n\r") {
					t.Fatalf("bad problem %#v", p)
				}
			}
			return
		}
		if len(st.Bases) == 0 || len(st.Variants) < 2 || st.Ref < 0 || st.Ref >= len(st.Variants) || len(st.Cases) != len(st.Bases) {
			t.Fatalf("study %q: %d bases, %d variants, reference %d, %d rows of cases", st.Name, len(st.Bases), len(st.Variants), st.Ref, len(st.Cases))
		}
		if filepath.Base(st.Name) != st.Name || strings.Contains(st.Name, "..") {
			t.Fatalf("study name %q is not a plain folder name", st.Name)
		}
		for _, row := range st.Cases {
			if len(row) != len(st.Variants) {
				t.Fatalf("%d cases in a row, want %d", len(row), len(st.Variants))
			}
			for _, c := range row {
				if c == nil || c.Compiled == nil {
					t.Fatal("a case is not compiled")
				}
				for _, name := range []string{c.Variant.Name, c.Base.Name} {
					if filepath.Base(name) != name || strings.Contains(name, "..") || name == "" {
						t.Fatalf("folder name %q is not a plain folder name", name)
					}
				}
			}
		}
	})
}
