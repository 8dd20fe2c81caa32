package results

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// Temporary files and folders are named ".NAME.tmp-PID-RANDOM" beside the
// file or folder NAME they will become, and the process that writes one
// holds a lock on it (see lock) until it exits. A folder of earlier
// results that a forced run moves aside while it puts the new ones in
// place is named like the temporary folder with ".old" added, and locked
// too. So a later run can tell a temporary file left by a run that was
// killed, which no process holds, from one that a run writes now.

var (
	errBusy   = errors.New("locked by another process")
	errNoLock = errors.New("no file locks on this system")
)

// tempPattern is the pattern of os.MkdirTemp and os.CreateTemp for a
// temporary file or folder that will become name.
func tempPattern(name string) string {
	return "." + filepath.Base(name) + ".tmp-" + strconv.Itoa(os.Getpid()) + "-"
}

// tempPrefix begins the names of the temporary files and folders, of any
// process, that become name.
func tempPrefix(name string) string { return "." + filepath.Base(name) + ".tmp-" }

// pidOf returns the process number in the name of a temporary file, or 0.
func pidOf(base string) int {
	i := strings.LastIndex(base, ".tmp-")
	if i < 0 {
		return 0
	}
	pid, _, ok := strings.Cut(base[i+len(".tmp-"):], "-")
	if !ok {
		return 0 // made by a version of reesim that did not name it
	}
	n, err := strconv.Atoi(pid)
	if err != nil {
		return 0
	}
	return n
}

// openLocked opens the file or folder name and locks it. It returns
// errBusy when another process holds the lock.
func openLocked(name string) (*os.File, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	if err := lock(f); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// BusyError reports that another process is writing the results a run
// was asked to write.
type BusyError struct {
	Final string // the results folder or file
	Temp  string // the other process's temporary folder or file
	PID   int    // the other process, or 0 when not known
}

func (e *BusyError) Error() string {
	who := "another reesim run"
	if e.PID > 0 {
		who += fmt.Sprintf(" (process %d)", e.PID)
	}
	return fmt.Sprintf("%s is writing %s now (into %s): wait for it to finish, or write elsewhere with --out", who, e.Final, e.Temp)
}

// Tidy looks beside the results folder or file final for the temporary
// files and folders of runs that were to write it. Those of runs that
// ended without finishing (killed, or the machine stopped) are removed,
// except that earlier results a killed forced run had moved aside are put
// back when final is missing; Tidy returns a sentence for each thing it
// did or could not do. It returns a *BusyError when a live run is writing
// final now, and nothing is changed then.
//
// Where the system has no file locks, Tidy cannot tell a dead run from a
// live one, and only mentions what it finds.
func Tidy(final string) (notes []string, err error) {
	dir, base := filepath.Dir(final), filepath.Base(final)
	entries, err := os.ReadDir(dir)
	if err != nil {
		// No folder, or one that cannot be read: nothing to tidy, and
		// the write that follows says what is wrong.
		return nil, nil
	}
	prefix := tempPrefix(base)
	var stale []*os.File
	defer func() {
		for _, f := range stale {
			f.Close()
		}
	}()
	var names []string
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		p := filepath.Join(dir, e.Name())
		f, err := openLocked(p)
		switch {
		case errors.Is(err, errBusy):
			return nil, &BusyError{Final: final, Temp: p, PID: pidOf(e.Name())}
		case errors.Is(err, errNoLock), err != nil && !errors.Is(err, os.ErrNotExist):
			notes = append(notes, fmt.Sprintf("%s was left by a reesim run that may have been stopped before it finished; remove it if no reesim run is writing into %s", p, dir))
			continue
		case err != nil:
			continue // gone meanwhile
		}
		stale = append(stale, f)
		names = append(names, p)
	}
	// Put earlier results back first, then remove the rest.
	for _, p := range names {
		if !strings.HasSuffix(p, ".old") {
			continue
		}
		if _, err := os.Lstat(final); errors.Is(err, os.ErrNotExist) {
			if err := os.Rename(p, final); err == nil {
				syncDir(dir)
				notes = append(notes, fmt.Sprintf("put back the earlier results in %s: a run stopped while it was replacing them had moved them to %s", final, p))
				continue
			}
		}
		notes = append(notes, removeStale(p, "earlier results that a run replaced and did not delete"))
	}
	for _, p := range names {
		if !strings.HasSuffix(p, ".old") {
			notes = append(notes, removeStale(p, "left by a run that was stopped before it finished"))
		}
	}
	return notes, nil
}

// removeStale removes the temporary file or folder p, and says so.
func removeStale(p, what string) string {
	if err := os.RemoveAll(p); err != nil {
		return fmt.Sprintf("could not remove %s (%s): %s; remove it yourself", p, what, reason(err))
	}
	return fmt.Sprintf("removed %s (%s)", p, what)
}

// reason says why a file operation failed, naming the file.
func reason(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Path + ": " + pe.Err.Error()
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Old + ": " + le.Err.Error()
	}
	return err.Error()
}

// syncDir makes the entries of the folder dir durable: a rename into it,
// say, survives a power cut. File systems that cannot sync a folder are
// not an error.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, syscall.ENOTSUP) && !errors.Is(err, os.ErrInvalid) {
		return fmt.Errorf("cannot sync the folder %s: %w", dir, err)
	}
	return nil
}

// CheckReplaceable returns an error when final exists and holds a folder
// whose files this user could not delete (no write permission on it):
// replacing final would then leave the earlier results half deleted
// beside the new ones. A run checks this before it simulates anything.
func CheckReplaceable(final string) error {
	if fi, err := os.Lstat(final); err != nil || !fi.IsDir() {
		return nil
	}
	return filepath.WalkDir(final, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("cannot replace %s: %s", final, reason(err))
		}
		if !e.IsDir() {
			return nil
		}
		if why := removable(p); why != "" {
			return fmt.Errorf("cannot replace %s: its files could not be deleted: %s cannot be written in (%s); delete the earlier results yourself, or write elsewhere with --out", final, p, why)
		}
		return nil
	})
}

// TidyAll is Tidy for every file and folder in dir that temporary files
// are named after: reesim plot, which redraws charts in place, calls it
// on a results folder and its charts.
func TidyAll(dir string) (notes []string, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil // as in Tidy
	}
	seen := map[string]bool{}
	for _, e := range entries {
		name, ok := strings.CutPrefix(e.Name(), ".")
		if !ok {
			continue
		}
		i := strings.LastIndex(name, ".tmp-")
		if i <= 0 || seen[name[:i]] {
			continue
		}
		seen[name[:i]] = true
		n, err := Tidy(filepath.Join(dir, name[:i]))
		notes = append(notes, n...)
		if err != nil {
			return notes, err
		}
	}
	return notes, nil
}
