package shard

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/reesim/reesim/results"
)

// A Store holds shard files: a local or shared folder (Folder), or a
// prefix of an S3-compatible bucket (see OpenStore).
type Store interface {
	// Put stores the file name, whose content write writes, so that it
	// appears whole or not at all.
	Put(ctx context.Context, name string, write func(w io.Writer) error) error
	// List returns the names of the shard files (*.shard) in the store,
	// sorted.
	List(ctx context.Context) ([]string, error)
	// Open opens the file name for reading.
	Open(ctx context.Context, name string) (io.ReadCloser, error)
	// Exists reports whether the file name is in the store.
	Exists(ctx context.Context, name string) (bool, error)
	// Where returns the address of the file name, for messages.
	Where(name string) string
}

// OpenStore returns the store at location: a bucket and prefix when
// location is an s3:// address, else a folder.
func OpenStore(ctx context.Context, location string) (Store, error) {
	if IsS3(location) {
		return openS3(ctx, location)
	}
	return &Folder{Dir: location}, nil
}

// IsS3 reports whether location is an s3:// address.
func IsS3(location string) bool { return strings.HasPrefix(location, "s3://") }

// Folder is a store in a local or shared folder.
type Folder struct {
	Dir string
	// Log, when not nil, receives a line for each temporary file of a
	// killed run that Put removes.
	Log io.Writer
}

// Put writes the file through a temporary file beside it, synced and
// renamed into place when complete (results.WriteFileAtomic). It refuses
// while another process writes the same file.
func (f *Folder) Put(ctx context.Context, name string, write func(w io.Writer) error) error {
	if err := os.MkdirAll(f.Dir, 0o755); err != nil {
		return fmt.Errorf("cannot create the folder for shard files: %w", err)
	}
	p := filepath.Join(f.Dir, name)
	notes, err := results.Tidy(p)
	for _, n := range notes {
		if f.Log != nil {
			fmt.Fprintf(f.Log, "reesim: %s\n", n)
		}
	}
	if err != nil {
		return err
	}
	return results.WriteFileAtomic(p, func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<20)
		if err := write(bw); err != nil {
			return err
		}
		return bw.Flush()
	})
}

// List returns the *.shard files in the folder.
func (f *Folder) List(ctx context.Context) ([]string, error) {
	entries, err := os.ReadDir(f.Dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), Ext) && !strings.HasPrefix(e.Name(), ".") && e.Type().IsRegular() {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	return names, nil
}

// Open opens the file.
func (f *Folder) Open(ctx context.Context, name string) (io.ReadCloser, error) {
	return os.Open(filepath.Join(f.Dir, name))
}

// Exists reports whether the file is in the folder.
func (f *Folder) Exists(ctx context.Context, name string) (bool, error) {
	_, err := os.Stat(filepath.Join(f.Dir, name))
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// Where returns the file's path.
func (f *Folder) Where(name string) string { return filepath.Join(f.Dir, name) }
