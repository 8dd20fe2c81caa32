//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd)

package results

import "os"

// lock does nothing where there is no flock: a temporary folder then never
// looks stale, and later runs only mention it (see Tidy).
func lock(f *os.File) error { return errNoLock }

// canLock reports whether this platform has lock.
const canLock = false

// removable always says yes here: a failure to delete shows at the end.
func removable(dir string) string { return "" }
