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

// Results that appear in the final folder while a run writes (another run
// into the same folder finished first) are not replaced without force:
// the run's results go beside them, under a name that says so.
func TestCommitKeepsResultsThatAppeared(t *testing.T) {
	out := t.TempDir()
	final := filepath.Join(out, "run")
	d, err := Create(final, false)
	if err != nil {
		t.Fatal(err)
	}
	write(t, d, "a.csv", "mine\n")
	other, err := Create(final, false)
	if err == nil {
		t.Fatal("a second Create while the first writes: no error")
	}
	var busy *BusyError
	if !errors.As(err, &busy) || busy.PID != os.Getpid() || !strings.Contains(err.Error(), "is writing "+final+" now") {
		t.Errorf("second Create: %v (%v), want a BusyError naming this process", err, other)
	}
	if err := os.Mkdir(final, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(final, "a.csv"), []byte("theirs\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err = d.Commit()
	var clash *ClashError
	if !errors.As(err, &clash) || clash.Kept != final+"~2" {
		t.Fatalf("Commit: %v, want a ClashError keeping the results in %s~2", err, final)
	}
	if got := read(t, filepath.Join(final, "a.csv")); got != "theirs\n" {
		t.Errorf("the results that appeared hold %q", got)
	}
	if got := read(t, filepath.Join(final+"~2", "a.csv")); got != "mine\n" {
		t.Errorf("the run's own results hold %q", got)
	}
	if left, _ := filepath.Glob(filepath.Join(out, ".*")); len(left) > 0 {
		t.Errorf("temporary folders left: %v", left)
	}
}

// A temporary folder removed during the run (with its output folder, say)
// is never made again: the run fails, saying what happened.
func TestTemporaryFolderRemoved(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	final := filepath.Join(out, "run")
	d, err := Create(final, false)
	if err != nil {
		t.Fatal(err)
	}
	write(t, d, "paths.csv", "1\n")
	if err := os.RemoveAll(out); err != nil {
		t.Fatal(err)
	}
	const want = "was removed or replaced by another program during the run"
	if err := d.WriteFile("charts/x.png", func(io.Writer) error { return nil }); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("WriteFile: %v, want %q", err, want)
	}
	if err := d.Commit(); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Commit: %v, want %q", err, want)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("the output folder was made again (%v)", err)
	}

	// A file removed from the temporary folder fails the Commit too.
	d, err = Create(final, false)
	if err != nil {
		t.Fatal(err)
	}
	write(t, d, "paths.csv", "1\n")
	os.Remove(d.Path("paths.csv"))
	if err := d.Commit(); err == nil || !strings.Contains(err.Error(), "paths.csv was removed") {
		t.Errorf("Commit without paths.csv: %v", err)
	}
	if _, err := os.Stat(final); !os.IsNotExist(err) {
		t.Error("results without paths.csv were moved into place")
	}
}

// When the earlier results that a forced Commit replaces cannot all be
// deleted, the new ones are in place and the error says where the rest of
// the old ones are.
func TestCommitLeftover(t *testing.T) {
	out := t.TempDir()
	final := filepath.Join(out, "run")
	if err := os.MkdirAll(final, 0o755); err != nil {
		t.Fatal(err)
	}
	d, err := Create(final, true)
	if err != nil {
		t.Fatal(err)
	}
	write(t, d, "a.csv", "new\n")
	d.removeAll = func(string) error {
		return &os.PathError{Op: "unlinkat", Path: "x", Err: os.ErrPermission}
	}
	err = d.Commit()
	var lo *LeftoverError
	if !errors.As(err, &lo) || lo.Final != final || !strings.HasPrefix(lo.Old, filepath.Join(out, ".run.tmp-")) {
		t.Fatalf("Commit: %v, want a LeftoverError", err)
	}
	if !errors.Is(err, os.ErrPermission) {
		t.Errorf("Commit: %v does not wrap the reason the old results stay", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "the new results are in place in "+final) || !strings.Contains(msg, "were moved to "+lo.Old) || !strings.Contains(msg, "delete that folder yourself") {
		t.Errorf("message does not say which folder holds what: %s", msg)
	}
	if got := read(t, filepath.Join(final, "a.csv")); got != "new\n" {
		t.Errorf("final holds %q", got)
	}
	// The next run removes what is left.
	notes, err := Tidy(final)
	if err != nil || len(notes) != 1 || !strings.HasPrefix(notes[0], "removed "+lo.Old) {
		t.Errorf("Tidy: %q, %v", notes, err)
	}
}

// Tidy removes the temporary folders of runs that are dead, puts back
// earlier results a dead forced run had moved aside, and refuses while a
// live run writes.
func TestTidy(t *testing.T) {
	if !canLock {
		t.Skip("no file locks here")
	}
	out := t.TempDir()
	final := filepath.Join(out, "run")
	// A run killed while writing: its folder, locked by no one.
	stale := filepath.Join(out, ".run.tmp-99999999-123")
	if err := os.MkdirAll(stale, 0o755); err != nil {
		t.Fatal(err)
	}
	// A run killed while replacing earlier results: they are moved aside
	// and the new ones are not in place yet.
	old := filepath.Join(out, ".run.tmp-99999999-456.old")
	if err := os.MkdirAll(old, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(old, "a.csv"), []byte("earlier\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Another run's folder, and a file of another name: not touched.
	other := filepath.Join(out, ".runner.tmp-99999999-1")
	if err := os.Mkdir(other, 0o755); err != nil {
		t.Fatal(err)
	}
	notes, err := Tidy(final)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"put back the earlier results in " + final + ": a run stopped while it was replacing them had moved them to " + old,
		"removed " + stale + " (left by a run that was stopped before it finished)",
	}
	if strings.Join(notes, "\n") != strings.Join(want, "\n") {
		t.Errorf("notes:\n%s\nwant:\n%s", strings.Join(notes, "\n"), strings.Join(want, "\n"))
	}
	if got := read(t, filepath.Join(final, "a.csv")); got != "earlier\n" {
		t.Errorf("earlier results not put back: %q", got)
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("another name's folder was touched: %v", err)
	}

	// A live run: its folder is locked.
	live := filepath.Join(out, ".run.tmp-42-7")
	if err := os.Mkdir(live, 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := openLocked(live)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Tidy(final)
	var busy *BusyError
	if !errors.As(err, &busy) || busy.PID != 42 || busy.Temp != live {
		t.Errorf("Tidy beside a live run: %v, want a BusyError naming process 42", err)
	}
	f.Close()
	if notes, err := Tidy(final); err != nil || len(notes) != 1 {
		t.Errorf("Tidy once the run has ended: %q, %v", notes, err)
	}

	// TidyAll does the same for every name in a folder.
	for _, name := range []string{".a.png.tmp-99999999-1", ".b.svg.tmp-99999999-2"} {
		if err := os.WriteFile(filepath.Join(out, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if notes, err := TidyAll(out); err != nil || len(notes) != 3 {
		t.Errorf("TidyAll: %q, %v; want the two files and %s removed", notes, err, other)
	}
	if left, _ := filepath.Glob(filepath.Join(out, ".*")); len(left) > 0 {
		t.Errorf("left: %v", left)
	}
}

// Results whose files cannot be deleted are found out before a forced
// run. (Root may delete anything, so this runs as another user only.)
func TestCheckReplaceable(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root can delete anything")
	}
	final := filepath.Join(t.TempDir(), "run")
	sub := filepath.Join(final, "charts")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := CheckReplaceable(final); err != nil {
		t.Errorf("a folder that can be replaced: %v", err)
	}
	if err := os.Chmod(sub, 0o555); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(sub, 0o755)
	if err := CheckReplaceable(final); err == nil || !strings.Contains(err.Error(), sub+" cannot be written in") {
		t.Errorf("CheckReplaceable: %v", err)
	}
}

// A metric that is the same on every path says so in the summary's note;
// one that varies, or a single path, has no note.
func TestConstantNote(t *testing.T) {
	for _, tt := range []struct {
		paths    int
		sd, mean float64
		want     string
	}{
		{1000, 0, 0, "0 on every path: nothing in this scenario causes it"},
		{1000, 0, 1, "the same on every path (1)"},
		{1000, 0.5, 1, ""},
		{1, 0, 3, ""},
	} {
		if got := constantNote(tt.paths, tt.sd, tt.mean); got != tt.want {
			t.Errorf("constantNote(%d, %v, %v) = %q, want %q", tt.paths, tt.sd, tt.mean, got, tt.want)
		}
	}
}

// Settle says where the results went: Final; after a clash, where they
// were kept, with the clash; a leftover is a warning, not an error.
func TestSettle(t *testing.T) {
	out := t.TempDir()
	final := filepath.Join(out, "run")
	noWarn := func(w error) { t.Errorf("warning %v", w) }

	d, err := Create(final, false)
	if err != nil {
		t.Fatal(err)
	}
	write(t, d, "a.csv", "first\n")
	if at, clash, err := d.Settle(noWarn); at != final || clash != nil || err != nil {
		t.Errorf("Settle into a free folder: %q, %v, %v", at, clash, err)
	}

	d, err = Create(final, true)
	if err != nil {
		t.Fatal(err)
	}
	write(t, d, "a.csv", "second\n")
	d.removeAll = func(string) error { return os.ErrPermission }
	var warned []error
	at, clash, err := d.Settle(func(w error) { warned = append(warned, w) })
	var lo *LeftoverError
	if at != final || clash != nil || err != nil || len(warned) != 1 || !errors.As(warned[0], &lo) {
		t.Errorf("Settle with a leftover: %q, %v, %v, warnings %v", at, clash, err, warned)
	}

	d, err = Create(filepath.Join(out, "other"), false)
	if err != nil {
		t.Fatal(err)
	}
	write(t, d, "a.csv", "third\n")
	if err := os.Mkdir(filepath.Join(out, "other"), 0o755); err != nil {
		t.Fatal(err)
	}
	at, clash, err = d.Settle(noWarn)
	if at != filepath.Join(out, "other~2") || clash == nil || clash.Kept != at || err != nil {
		t.Errorf("Settle after a clash: %q, %v, %v", at, clash, err)
	}
}
