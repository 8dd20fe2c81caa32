package results

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, d *Dir, name, text string) {
	t.Helper()
	if err := d.WriteFile(name, func(w io.Writer) error { _, err := io.WriteString(w, text); return err }); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A folder is written beside the final one and appears only on Commit;
// an existing one is replaced only when forced; Abort leaves nothing.
func TestDir(t *testing.T) {
	out := t.TempDir()
	final := filepath.Join(out, "run")

	d, err := Create(final, false)
	if err != nil {
		t.Fatal(err)
	}
	write(t, d, "a.csv", "new\n")
	if _, err := os.Stat(final); !os.IsNotExist(err) {
		t.Fatal("the final folder exists before Commit")
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(final); err != nil || fi.Mode().Perm()&0o055 != 0o055 {
		t.Errorf("committed folder %v, %v: want it readable by others", fi.Mode(), err)
	}

	if _, err := Create(final, false); err == nil || !strings.Contains(err.Error(), "already exists: use --force") {
		t.Errorf("Create over existing results without force: %v", err)
	}

	d, err = Create(final, true)
	if err != nil {
		t.Fatal(err)
	}
	write(t, d, "a.csv", "newer\n")
	d.Abort()
	if got := read(t, filepath.Join(final, "a.csv")); got != "new\n" {
		t.Errorf("after Abort the results hold %q, want the old ones", got)
	}

	d, err = Create(final, true)
	if err != nil {
		t.Fatal(err)
	}
	write(t, d, "b.csv", "replaced\n")
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := read(t, filepath.Join(final, "b.csv")); got != "replaced\n" {
		t.Errorf("after a forced Commit b.csv holds %q", got)
	}
	if _, err := os.Stat(filepath.Join(final, "a.csv")); !os.IsNotExist(err) {
		t.Error("a forced Commit kept a file of the old results")
	}
	if left, _ := filepath.Glob(filepath.Join(out, ".*")); len(left) > 0 {
		t.Errorf("temporary folders left: %v", left)
	}
}

// Output folders that cannot be made say why, naming the file in the way.
func TestCheckWritable(t *testing.T) {
	dir := t.TempDir()
	if err := CheckWritable(filepath.Join(dir, "new", "out")); err != nil {
		t.Errorf("a folder that can be made: %v", err)
	}
	if left, _ := os.ReadDir(filepath.Join(dir, "new", "out")); len(left) != 0 {
		t.Errorf("CheckWritable left %d entries", len(left))
	}
	file := filepath.Join(dir, "file.txt")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	want := "cannot create the output folder " + filepath.Join(file, "sub", "out") + ": " + file + " is a file, not a folder"
	if err := CheckWritable(filepath.Join(file, "sub", "out")); err == nil || err.Error() != want {
		t.Errorf("CheckWritable under a file: %v\nwant %s", err, want)
	}
	if _, err := Create(filepath.Join(file, "run"), false); err == nil || !strings.Contains(err.Error(), "is a file, not a folder") {
		t.Errorf("Create under a file: %v", err)
	}
}

// A write that fails leaves the old file as it was and no temporary file.
func TestWriteFileAtomicKeepsOldOnFailure(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "index.csv")
	if err := WriteFileAtomic(name, func(w io.Writer) error { _, err := io.WriteString(w, "old\n"); return err }); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk full")
	if err := WriteFileAtomic(name, func(w io.Writer) error { io.WriteString(w, "half"); return boom }); !errors.Is(err, boom) {
		t.Fatalf("error %v, want %v", err, boom)
	}
	if b, _ := os.ReadFile(name); string(b) != "old\n" {
		t.Errorf("file holds %q after a failed write, want the old content", b)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("%d entries in the folder, want only the file", len(ents))
	}
}
