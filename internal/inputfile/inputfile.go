// Package inputfile opens the files reesim reads (scenarios, studies and
// the tables of finished runs) so that no file can make it hang or run out
// of memory: only regular files are read, never a named pipe or a device,
// which may block or never end, and reads are bounded.
package inputfile

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// NotRegularError reports a file that is not a regular file.
type NotRegularError struct {
	Mode fs.FileMode
}

func (e *NotRegularError) Error() string {
	kind := "not a regular file"
	switch m := e.Mode; {
	case m.IsDir():
		kind = "a folder"
	case m&fs.ModeNamedPipe != 0:
		kind = "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		kind = "a socket"
	case m&fs.ModeCharDevice != 0, m&fs.ModeDevice != 0:
		kind = "a device"
	}
	return fmt.Sprintf("it is %s, not a regular file; reesim reads only regular files", kind)
}

// Open opens name for reading if it is a regular file (following symbolic
// links). Anything else gives a *NotRegularError wrapped in an
// *fs.PathError, at once: a named pipe is opened without waiting for a
// writer.
func Open(name string) (*os.File, error) {
	f, err := os.OpenFile(name, os.O_RDONLY|oNonblock, 0)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: &NotRegularError{Mode: fi.Mode()}}
	}
	return f, nil
}

// TooBigError reports a file longer than the most reesim reads of it.
type TooBigError struct {
	Size  int64 // the file's size, or -1 when only known to be too big
	Limit int64
}

func (e *TooBigError) Error() string {
	if e.Size < 0 {
		return fmt.Sprintf("the file is longer than %s, the most reesim reads of it; is this the right file?", bytesText(e.Limit))
	}
	return fmt.Sprintf("the file is %d bytes long, and reesim reads at most %s of it; is this the right file?", e.Size, bytesText(e.Limit))
}

// bytesText says n bytes in MiB when it is a whole number of them.
func bytesText(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d bytes (%d MiB)", n, n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// ReadFile reads the regular file name whole, if it holds at most limit
// bytes; a longer one gives a *TooBigError.
func ReadFile(name string, limit int64) ([]byte, error) {
	f, err := Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size() > limit {
		return nil, &TooBigError{Size: fi.Size(), Limit: limit}
	}
	// The size may change while the file is read: read one byte more than
	// the limit at most.
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, &TooBigError{Size: -1, Limit: limit}
	}
	return data, nil
}

// LineTooLongError reports a line longer than a reader allows.
type LineTooLongError struct {
	Line  int // counting from 1
	Limit int
}

func (e *LineTooLongError) Error() string {
	return fmt.Sprintf("line %d is longer than %s, more than any line reesim writes; is this the right file?", e.Line, bytesText(int64(e.Limit)))
}

// LineLimit returns a reader of r that fails with a *LineTooLongError on
// a line longer than limit bytes, so that a reader of lines (such as
// encoding/csv's) never holds more than that in memory for one line.
func LineLimit(r io.Reader, limit int) io.Reader {
	return &lineLimit{r: bufio.NewReaderSize(r, 1<<16), limit: limit, line: 1}
}

type lineLimit struct {
	r     *bufio.Reader
	limit int
	cur   int // bytes of the current line so far
	line  int
	err   error
}

func (l *lineLimit) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.r.Read(p)
	b := p[:n]
	for {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			l.cur += len(b)
			break
		}
		if l.cur+i > l.limit {
			l.err = &LineTooLongError{Line: l.line, Limit: l.limit}
			return 0, l.err
		}
		l.cur = 0
		l.line++
		b = b[i+1:]
	}
	if l.cur > l.limit {
		l.err = &LineTooLongError{Line: l.line, Limit: l.limit}
		return 0, l.err
	}
	return n, err
}
