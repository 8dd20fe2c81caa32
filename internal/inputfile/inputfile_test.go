package inputfile

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestOpenAndReadFile(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.toml")
	if err := os.WriteFile(small, []byte("name = \"x\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := ReadFile(small, 100); err != nil || string(b) != "name = \"x\"\n" {
		t.Errorf("ReadFile: %q, %v", b, err)
	}
	var big *TooBigError
	if _, err := ReadFile(small, 5); !errors.As(err, &big) || big.Size != 11 {
		t.Errorf("ReadFile over the limit: %v", err)
	}
	var notRegular *NotRegularError
	if _, err := Open(dir); !errors.As(err, &notRegular) || !strings.Contains(err.Error(), "it is a folder") {
		t.Errorf("Open of a folder: %v", err)
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		if _, err := ReadFile("/dev/zero", 100); !errors.As(err, &notRegular) || !strings.Contains(err.Error(), "it is a device") {
			t.Errorf("ReadFile of /dev/zero: %v", err)
		}
	}
	// A named pipe no one writes to is refused at once, not waited on.
	fifo := filepath.Join(dir, "fifo.toml")
	if err := exec.Command("mkfifo", fifo).Run(); err == nil {
		if _, err := ReadFile(fifo, 100); !errors.As(err, &notRegular) || !strings.Contains(err.Error(), "named pipe") {
			t.Errorf("ReadFile of a named pipe: %v", err)
		}
	}
}

func TestLineLimit(t *testing.T) {
	ok := strings.Repeat("x", 10) + "\n" + strings.Repeat("y", 10) + "\nz"
	if b, err := io.ReadAll(LineLimit(strings.NewReader(ok), 10)); err != nil || string(b) != ok {
		t.Errorf("lines within the limit: %q, %v", b, err)
	}
	long := "short\n" + strings.Repeat("x", 11) + "\n"
	var tooLong *LineTooLongError
	if _, err := io.ReadAll(LineLimit(strings.NewReader(long), 10)); !errors.As(err, &tooLong) || tooLong.Line != 2 {
		t.Errorf("a line over the limit: %v", err)
	}
	endless := io.LimitReader(zeros{}, 1<<20)
	if _, err := io.ReadAll(LineLimit(endless, 1000)); !errors.As(err, &tooLong) || tooLong.Line != 1 {
		t.Errorf("a line without end: %v", err)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
