//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package results

import (
	"errors"
	"os"
	"syscall"
)

// lock takes an exclusive advisory lock (flock) on the open file or
// folder f, without waiting. It reports errBusy when another process holds
// one. The lock goes with the file, not its name, so it survives a rename,
// and the system drops it when the process ends, however it ends: a later
// run that can take the lock of a temporary folder knows that the run that
// made it is dead.
func lock(f *os.File) error {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, syscall.EINTR):
			continue
		case errors.Is(err, syscall.EWOULDBLOCK):
			return errBusy
		}
		return err
	}
}

// canLock reports whether this platform has lock.
const canLock = true

// removable returns "" when the current user may delete what is in the
// folder dir (write and search permission on it), or why not.
func removable(dir string) string {
	if err := syscall.Access(dir, 0x2|0x1); err != nil { // W_OK|X_OK
		return err.Error()
	}
	return ""
}
