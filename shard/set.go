package shard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/reesim/reesim/engine"
	"github.com/reesim/reesim/internal/tomlfile"
	"github.com/reesim/reesim/results"
	"github.com/reesim/reesim/sketch"
)

// File is a shard file found for a merge, with its header.
type File struct {
	Store  Store
	Name   string // in Store
	Where  string // its path or address, for messages
	Header *Header
}

// SameRun says how the run of h differs from that of o, or "" when they
// are one run: the same kind, name, version and commit, seed, paths,
// scenario or study (by SHA-256) and command-line argument.
func (h *Header) SameRun(o *Header) string {
	switch {
	case h.Kind != o.Kind:
		return fmt.Sprintf("a %s, not a %s", h.Kind, o.Kind)
	case h.Name != o.Name:
		return fmt.Sprintf("%s %q, not %q", h.Kind, h.Name, o.Name)
	case h.Version != o.Version || h.Commit != o.Commit:
		return fmt.Sprintf("made by reesim %s (commit %s), not %s (commit %s)", h.Version, h.Commit, o.Version, o.Commit)
	case h.Seed != o.Seed:
		return fmt.Sprintf("seed %d, not %d", h.Seed, o.Seed)
	case h.Paths != o.Paths:
		return fmt.Sprintf("%d paths, not %d", h.Paths, o.Paths)
	case h.Sampling != o.Sampling:
		return fmt.Sprintf("sampled with %s, not %s", samplingName(h.Sampling), samplingName(o.Sampling))
	case h.Hash != o.Hash:
		return fmt.Sprintf("its scenario's SHA-256 is %.12s…, not %.12s…: the scenario or study files differ", h.Hash, o.Hash)
	case h.Arg != o.Arg:
		return fmt.Sprintf("it was run as %q, not %q", h.Arg, o.Arg)
	}
	return ""
}

// msgEmpty says that a folder or prefix holds no shard files.
const msgEmpty = "holds no shard files (*" + Ext + ")"

// IsEmpty reports whether err says that a folder or prefix given to Find
// holds no shard files (yet).
func IsEmpty(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Msg == msgEmpty
}

// Find returns the shard files that args name (files or folders, local or
// s3:// addresses) with their headers, sorted by the work they hold. The
// same file named twice is taken once.
func Find(ctx context.Context, args []string) ([]*File, error) {
	var files []*File
	seen := map[string]bool{}
	add := func(st Store, name string) error {
		where := st.Where(name)
		if seen[where] {
			return nil
		}
		seen[where] = true
		f, err := st.Open(ctx, name)
		if err != nil {
			return &Error{File: where, Msg: "cannot read it: " + tomlfile.ReadError(err)}
		}
		defer f.Close()
		r, err := NewReader(f, where)
		if err != nil {
			return err
		}
		files = append(files, &File{Store: st, Name: name, Where: where, Header: r.Header()})
		return nil
	}
	addAll := func(st Store, arg string) error {
		names, err := st.List(ctx)
		if err != nil {
			return &Error{File: arg, Msg: "cannot list it: " + err.Error()}
		}
		if len(names) == 0 {
			return &Error{File: arg, Msg: msgEmpty}
		}
		for _, n := range names {
			if err := add(st, n); err != nil {
				return err
			}
		}
		return nil
	}
	for _, a := range args {
		var err error
		switch fi, serr := os.Stat(a); {
		case IsS3(a) && strings.HasSuffix(a, Ext):
			var st Store
			if st, err = OpenStore(ctx, "s3://"+path.Dir(strings.TrimPrefix(a, "s3://"))); err == nil {
				err = add(st, path.Base(a))
			}
		case IsS3(a):
			var st Store
			if st, err = OpenStore(ctx, a); err == nil {
				err = addAll(st, a)
			}
		case serr != nil:
			err = &Error{File: a, Msg: "cannot read it: " + tomlfile.ReadError(serr) + "; expected a shard file (NAME-I-of-N" + Ext + ") or a folder of them"}
		case fi.IsDir():
			err = addAll(&Folder{Dir: a}, a)
		default:
			err = add(&Folder{Dir: filepath.Dir(a)}, filepath.Base(a))
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				err = &Error{File: a, Msg: err.Error()}
			}
			return nil, err
		}
	}
	slices.SortStableFunc(files, func(a, b *File) int {
		if a.Header.First != b.Header.First {
			return a.Header.First - b.Header.First
		}
		return a.Header.End - b.Header.End
	})
	return files, nil
}

// Check checks that files, sorted as Find sorts them, are the shards of
// one run, each work unit in exactly one of them. It returns an *Error
// naming the files that do not belong or overlap, or the shards missing;
// missing is true when the only problem is shards still missing.
func Check(files []*File) (missing bool, err error) {
	if len(files) == 0 {
		return false, &Error{Msg: "no shard files"}
	}
	h := files[0].Header
	var problems []string
	for _, f := range files[1:] {
		if why := f.Header.SameRun(h); why != "" {
			problems = append(problems, fmt.Sprintf("%s is not a shard of the same run as %s: %s", f.Where, files[0].Where, why))
		}
	}
	if len(problems) > 0 {
		return false, &Error{Msg: strings.Join(problems, "\n")}
	}
	var gaps [][2]int
	pos := 0
	var prev *File
	for _, f := range files {
		fh := f.Header
		switch {
		case fh.First < pos && prev != nil && fh.First == prev.Header.First && fh.End == prev.Header.End:
			problems = append(problems, fmt.Sprintf("%s and %s are the same shard (%s: %s): remove one", prev.Where, f.Where, fh.Shard, h.UnitsText(fh.First, fh.End)))
		case fh.First < pos:
			problems = append(problems, fmt.Sprintf("%s (shard %s) overlaps %s (shard %s): both hold %s; keep the shards of one split", f.Where, fh.Shard, prev.Where, prev.Header.Shard, h.UnitsText(fh.First, min(pos, fh.End))))
		case fh.First > pos:
			gaps = append(gaps, [2]int{pos, fh.First})
		}
		if fh.End > pos {
			pos, prev = fh.End, f
		}
	}
	if pos < h.Units {
		gaps = append(gaps, [2]int{pos, h.Units})
	}
	if len(problems) > 0 {
		return false, &Error{Msg: strings.Join(problems, "\n")}
	}
	if len(gaps) == 0 {
		return false, nil
	}
	where := files[0].Store.Where("")
	for _, g := range gaps {
		problems = append(problems, "missing: "+missingText(files, g[0], g[1], where))
	}
	return true, &Error{Msg: fmt.Sprintf("the shards of %s %s (seed %d, %s paths) are not all there:\n  %s\nmerge again once they are (or wait for them with --wait)",
		h.Kind, h.Name, h.Seed, group(h.Paths), strings.Join(problems, "\n  "))}
}

// missingText names the shards that would hold the units lo to hi-1,
// when every file found is of one split, else the paths missing.
func missingText(files []*File, lo, hi int, where string) string {
	h := files[0].Header
	n := h.Shard.Count
	for _, f := range files {
		if f.Header.Shard.Count != n {
			return h.UnitsText(lo, hi)
		}
	}
	var out []string
	for i := 0; i < n; i++ {
		s := Spec{Index: i, Count: n}
		a, b := s.Units(h.Units)
		if a < hi && b > lo {
			out = append(out, fmt.Sprintf("shard %s (%s), expected as %s", s, h.UnitsText(a, b), filepath.Join(where, FileName(h.Name, s))))
		}
	}
	return strings.Join(out, "; ")
}

// UnitsText describes the paths of the work units lo to hi-1 of the run
// of h: "paths 0 to 9,983", with the case's name for a study.
func (h *Header) UnitsText(lo, hi int) string {
	blocks := (h.Paths + engine.BlockSize - 1) / engine.BlockSize
	var out []string
	for _, p := range PartsOf(lo, hi, blocks, h.Paths) {
		t := fmt.Sprintf("paths %s to %s", group(p.First), group(p.First+p.Paths-1))
		if h.Kind == KindStudy {
			t += " of " + h.Cases[p.Case].Name
		}
		out = append(out, t)
	}
	return strings.Join(out, ", ")
}

// group writes n with its thousands separated by commas.
func group(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// Source reads the parts of a run's shard files, as Check found them
// complete, in order: each file once, from the first work unit to the
// last.
type Source struct {
	files  []*File
	next   int // the next file to open
	cur    *Reader
	closer io.Closer
	used   map[int][]results.ShardFile // by case
}

// NewSource returns the source of the parts in files.
func NewSource(files []*File) *Source {
	return &Source{files: files, used: map[int][]results.ShardFile{}}
}

// Replay reads the parts of case c that come next: it passes each block
// to add (see Reader.ReadPart) and each part's sketches to sketches, and
// returns the number of paths read.
func (s *Source) Replay(ctx context.Context, c int, l Layout, add func(b *engine.Block, lines []byte) error, sketches func(series, metrics *sketch.Set) error) (int, error) {
	paths := 0
	for {
		if err := ctx.Err(); err != nil {
			return paths, err
		}
		if s.cur == nil {
			if s.next == len(s.files) {
				return paths, nil
			}
			f := s.files[s.next]
			s.next++
			rc, err := f.Store.Open(ctx, f.Name)
			if err != nil {
				return paths, &Error{File: f.Where, Msg: "cannot read it: " + tomlfile.ReadError(err)}
			}
			r, err := NewReader(rc, f.Where)
			if err != nil {
				rc.Close()
				return paths, err
			}
			s.cur, s.closer = r, rc
		}
		p, ok := s.cur.Part()
		if !ok {
			err := s.cur.Close()
			s.closer.Close()
			s.cur = nil
			if err != nil {
				return paths, err
			}
			continue
		}
		if p.Case != c {
			return paths, nil
		}
		series, metrics, err := s.cur.ReadPart(l, add)
		if err != nil {
			return paths, err
		}
		if err := sketches(series, metrics); err != nil {
			return paths, err
		}
		f := s.files[s.next-1]
		s.used[c] = append(s.used[c], results.ShardFile{File: f.Where, Shard: f.Header.Shard.String(), FirstPath: p.First, Paths: p.Paths,
			Host: f.Header.Host, Workers: f.Header.Workers, Started: f.Header.Started})
		paths += p.Paths
	}
}

// Used returns the shards that held the paths of case c read so far, for
// the manifest.
func (s *Source) Used(c int) []results.ShardFile { return s.used[c] }

// Done reads what is left, which must be nothing but end records, and
// checks that every file was read to its end.
func (s *Source) Done(ctx context.Context) error {
	for s.cur != nil || s.next < len(s.files) {
		if s.cur != nil {
			if _, ok := s.cur.Part(); ok {
				return errors.New("shard: parts were left unread")
			}
		}
		if _, err := s.Replay(ctx, -1, Layout{}, nil, nil); err != nil {
			return err
		}
	}
	return nil
}

// Close closes the file being read, if any.
func (s *Source) Close() {
	if s.cur != nil {
		s.closer.Close()
		s.cur = nil
	}
}

// samplingName names a header's sampling design for a message.
func samplingName(s string) string {
	if s == "" {
		return "mc"
	}
	return s
}
