package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// checkGolden compares got with the golden file, or rewrites it with -update.
func checkGolden(t *testing.T, golden string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/reesim -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run go test ./cmd/reesim -update if the change is intended)\ngot:\n%s\nwant:\n%s", golden, got, want)
	}
}

var (
	bigOnce sync.Once
	bigFile string
	bigErr  error
)

// big returns a file of 100 MB that starts like a scenario, made once per
// test binary (not kept in the repository).
func big(t *testing.T) string {
	bigOnce.Do(func() {
		dir, err := os.MkdirTemp("", "reesim-big-")
		if err != nil {
			bigErr = err
			return
		}
		bigFile = filepath.Join(dir, "big.toml")
		f, err := os.Create(bigFile)
		if err != nil {
			bigErr = err
			return
		}
		defer f.Close()
		chunk := bytes.Repeat([]byte("# a comment of sixty-four bytes, written again and again ......\n"), 1<<14) // 1 MiB
		if _, err := f.WriteString("name = \"big\"\nstart = \"2026-01\"\n"); err != nil {
			bigErr = err
			return
		}
		for range 100 {
			if _, err := f.Write(chunk); err != nil {
				bigErr = err
				return
			}
		}
	})
	if bigErr != nil {
		t.Fatal(bigErr)
	}
	return bigFile
}

// fifos makes the named pipes of the placeholders {{fifo}},
// {{fifo-folder}} and {{fifo-child}}, and returns the placeholders and
// their paths. It skips the test where there are no named pipes.
func fifos(t *testing.T) []string {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.toml")
	folder := filepath.Join(dir, "folder")
	if err := os.Mkdir(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{fifo, filepath.Join(folder, "a.toml")} {
		if err := exec.Command("mkfifo", p).Run(); err != nil {
			t.Skipf("cannot make a named pipe here: %v", err)
		}
	}
	child := filepath.Join(dir, "child.toml")
	if err := os.WriteFile(child, []byte("extends = \"fifo.toml\"\nname = \"child\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Longest first: {{fifo}} is the start of the others.
	return []string{"{{fifo-folder}}", folder, "{{fifo-child}}", child, "{{fifo}}", fifo}
}

// badResults makes the results folders of the placeholders
// {{zero-results}} and {{huge-results}}, and returns the placeholders and
// their paths.
func badResults(t *testing.T) []string {
	dir := t.TempDir()
	zero, huge := filepath.Join(dir, "zero"), filepath.Join(dir, "huge")
	for _, d := range []string{zero, huge} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, "summary.json"), []byte(`{"scenario": "x", "paths": 10, "seed": 1, "metrics": []}`+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("/dev/zero", filepath.Join(zero, "quantiles.csv")); err != nil {
		t.Skipf("no /dev/zero to link to: %v", err)
	}
	q := "month,series,unit,mean,p5,p25,p50,p75,p95\n" +
		"2026-01,price_ndpr_exchina,$/kg,80,70,75,80,85,90\n" +
		"2026-01,china_share_exchina_supply,share,0.5,0.4,0.45,1e308,0.55,0.6\n"
	if err := os.WriteFile(filepath.Join(huge, "quantiles.csv"), []byte(q), 0o644); err != nil {
		t.Fatal(err)
	}
	return []string{"{{zero-results}}", zero, "{{huge-results}}", huge}
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if bigFile != "" {
		os.RemoveAll(filepath.Dir(bigFile))
	}
	if binDir != "" {
		os.RemoveAll(binDir) // the binary faults_test.go builds
	}
	os.Exit(code)
}

// TestBadCommandLines runs each command line in testdata/bad/NAME.args (one
// argument a line) and compares its exit code, stdout and stderr with
// NAME.golden. The arguments may name files in testdata/bad/files and use
//
//	{{out}}       an empty folder, which must still be empty afterwards
//	{{existing}}  a folder holding results of a scenario "ok" from before,
//	              which must be left as they were
//	{{file}}      a regular file, where a folder is expected
//	{{big}}       a file of 100 MB
//	{{fifo}}      a named pipe, fifo.toml, that no one writes to
//	{{fifo-folder}}  a folder holding a named pipe a.toml
//	{{fifo-child}}   a scenario whose parent is {{fifo}}
//	{{zero-results}} a results folder whose quantiles.csv is /dev/zero
//	{{huge-results}} a results folder whose quantiles.csv holds 1e308
//
// Every command line must fail with a non-zero exit code and a message,
// never a panic. Run go test ./cmd/reesim -update to rewrite the golden
// files after an intended change, and read the difference.
func TestBadCommandLines(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "bad", "*.args"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no command lines in testdata/bad: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".args")
		t.Run(name, func(t *testing.T) {
			text, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			out := t.TempDir()
			existing := t.TempDir()
			old := filepath.Join(existing, "ok", "quantiles.csv")
			if err := os.MkdirAll(filepath.Dir(old), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(old, []byte("results of an earlier run\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			regular := filepath.Join(t.TempDir(), "file.txt")
			if err := os.WriteFile(regular, []byte("not a folder\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			subst := []string{"{{out}}", out, "{{existing}}", existing, "{{file}}", regular}
			if bytes.Contains(text, []byte("{{big}}")) {
				subst = append(subst, "{{big}}", big(t))
			}
			if bytes.Contains(text, []byte("{{fifo")) {
				subst = append(subst, fifos(t)...)
			}
			if bytes.Contains(text, []byte("-results}}")) {
				subst = append(subst, badResults(t)...)
			}
			fill := strings.NewReplacer(subst...)
			var args []string
			for _, line := range strings.Split(strings.TrimRight(string(text), "\n"), "\n") {
				if line != "" {
					args = append(args, fill.Replace(line))
				}
			}

			code, stdout, stderr := runReesim(args...)

			if code == 0 {
				t.Errorf("exit code 0, want a failure")
			}
			if stderr == "" || strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine ") {
				t.Errorf("stderr is not a plain message:\n%s", stderr)
			}
			if entries, _ := os.ReadDir(out); len(entries) > 0 {
				t.Errorf("%d files or folders left in the output folder, want none (the first is %s)", len(entries), entries[0].Name())
			}
			if b, err := os.ReadFile(old); err != nil || string(b) != "results of an earlier run\n" {
				t.Errorf("earlier results changed: %q, %v", b, err)
			}
			if entries, _ := os.ReadDir(existing); len(entries) != 1 {
				t.Errorf("%d entries in the folder of earlier results, want only ok/", len(entries))
			}
			var unfill []string
			for i := 0; i < len(subst); i += 2 {
				unfill = append(unfill, subst[i+1], subst[i])
			}
			back := strings.NewReplacer(unfill...)
			got := fmt.Sprintf("$ reesim %s\nexit %d\n-- stdout --\n%s-- stderr --\n%s", strings.Join(strings.Split(strings.TrimRight(string(text), "\n"), "\n"), " "), code, back.Replace(stdout), back.Replace(stderr))
			checkGolden(t, filepath.Join("testdata", "bad", name+".golden"), []byte(got))
		})
	}
}
