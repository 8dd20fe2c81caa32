package scenarios

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"github.com/reesim/reesim/internal/tomlfile"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"github.com/reesim/reesim/internal/inputfile"
)

// shippedTree holds the shipped scenarios, scenarios/shipped/*.toml and
// scenarios/shipped/history/*.toml, with the files that go with them.
//
//go:embed all:shipped
var shippedTree embed.FS

// shippedFiles is the shipped folder, so that a scenario's name is its path
// in it without ".toml".
var shippedFiles = func() fs.FS {
	f, err := fs.Sub(shippedTree, "shipped")
	if err != nil {
		panic(err) // "shipped" is a valid path: it cannot fail
	}
	return f
}()

// shippedPrefix is how the labels of shipped files begin: the folder they
// are in within the source tree.
const shippedPrefix = "scenarios/shipped/"

// Limits on what the loader reads.
const (
	maxFileSize = 4 << 20 // bytes
	maxChain    = 16      // files in an extends chain
)

// Info describes a shipped scenario.
type Info struct {
	// Name is what Load takes, such as "baseline" or
	// "history/2010-quota-crisis".
	Name string
	// Description is the scenario's one-line description (inherited from
	// its parent when it has none of its own).
	Description string
}

// Load reads a scenario, applies its extends chain and the defaults, and
// checks it.
//
// arg is the name of a shipped scenario, such as "baseline" or
// "history/2010-quota-crisis", or the path of a .toml file. A name that is
// not shipped is read as a path if such a file exists.
//
// When the scenario is invalid, Load returns a nil scenario and an error
// of type Problems listing every problem found, in every file of the
// chain.
func Load(arg string) (*Scenario, error) {
	if !strings.HasSuffix(arg, ".toml") {
		if loc, ok := shippedLocation(arg); ok {
			return load(loc, nil)
		}
		if fi, err := os.Stat(arg); err != nil || fi.IsDir() {
			return nil, Problems{{File: arg, Msg: fmt.Sprintf("there is no shipped scenario called %q and no such file%s; expected a shipped name (see reesim list) or the path of a .toml file", arg, tomlfile.DidYouMean(arg, shippedNames()))}}
		}
	}
	return load(location{path: arg}, nil)
}

// LoadBytes is like Load for a scenario whose text is data. name is the
// file name used in problems and Scenario.File; a relative path in its
// extends key is taken relative to name's folder.
func LoadBytes(name string, data []byte) (*Scenario, error) {
	if data == nil {
		data = []byte{}
	}
	return load(location{path: name}, data)
}

// Shipped lists the shipped scenarios, sorted by name.
func Shipped() ([]Info, error) {
	var out []Info
	for _, name := range shippedNames() {
		loc, _ := shippedLocation(name)
		desc, err := description(loc)
		if err != nil {
			return nil, fmt.Errorf("scenarios: reading shipped scenario %s: %w", name, err)
		}
		out = append(out, Info{Name: name, Description: desc})
	}
	return out, nil
}

// description returns the description of the scenario at loc, following
// its extends chain until one has a description.
func description(loc location) (string, error) {
	for range maxChain {
		data, err := loc.read()
		if err != nil {
			return "", err
		}
		var probs []Problem
		lay := parseLayer(loc, data, &probs)
		if len(probs) > 0 {
			return "", tidy(probs)
		}
		if n, ok := lay.tree.keys["description"]; ok {
			if s, ok := n.raw.(string); ok && s != "" {
				return s, nil
			}
		}
		if lay.extends == "" {
			return "", nil
		}
		parent, ok := loc.resolve(lay.extends)
		if !ok {
			return "", fmt.Errorf("its parent %q does not exist", lay.extends)
		}
		loc = parent
	}
	return "", errors.New("its extends chain is too long")
}

// location is where a scenario file is: among the shipped files or on
// disk.
type location struct {
	shipped bool
	path    string // slash-separated in shippedFiles, or an OS path
}

// label returns the name problems give the file.
func (l location) label() string {
	if l.shipped {
		return shippedPrefix + l.path
	}
	return l.path
}

// id identifies the file, to find cycles in extends chains.
func (l location) id() string {
	if l.shipped {
		return "shipped:" + l.path
	}
	if abs, err := filepath.Abs(l.path); err == nil {
		return abs
	}
	return filepath.Clean(l.path)
}

func (l location) read() ([]byte, error) {
	if l.shipped {
		return fs.ReadFile(shippedFiles, l.path)
	}
	fi, err := os.Stat(l.path)
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return nil, fmt.Errorf("%s is a folder, not a file", l.path)
	}
	// Only a regular file is read, and at most one byte more than the
	// limit: a named pipe may block for ever, and a device such as
	// /dev/zero may never end.
	data, err := inputfile.ReadFile(l.path, maxFileSize)
	var big *inputfile.TooBigError
	if errors.As(err, &big) {
		return nil, errTooBig(big.Size)
	}
	return data, err
}

// errTooBig says that a file of size bytes (-1 when not known) is over
// the limit.
type errTooBig int64

func (e errTooBig) Error() string {
	if e < 0 {
		return fmt.Sprintf("the file is longer than %d bytes (%d MiB), the most a scenario may be; is this the right file?", maxFileSize, maxFileSize>>20)
	}
	return fmt.Sprintf("the file is %d bytes long, and a scenario may be at most %d bytes (%d MiB); is this the right file?", int64(e), maxFileSize, maxFileSize>>20)
}

// resolve finds the parent named by the extends value ext of the file at
// l: a path ending in .toml, relative to l's folder, or else a shipped
// name.
func (l location) resolve(ext string) (location, bool) {
	if !strings.HasSuffix(ext, ".toml") {
		return shippedLocation(ext)
	}
	if l.shipped {
		p := path.Join(path.Dir(l.path), ext)
		if !fs.ValidPath(p) {
			return location{}, false
		}
		_, err := fs.Stat(shippedFiles, p)
		return location{shipped: true, path: p}, err == nil
	}
	p := ext
	if !filepath.IsAbs(p) {
		p = filepath.Join(filepath.Dir(l.path), filepath.FromSlash(ext))
	}
	fi, err := os.Stat(p)
	return location{path: p}, err == nil && !fi.IsDir()
}

// shippedLocation returns the location of the shipped scenario name.
func shippedLocation(name string) (location, bool) {
	p := name + ".toml"
	if !fs.ValidPath(p) || hidden(p) {
		return location{}, false
	}
	fi, err := fs.Stat(shippedFiles, p)
	if err != nil || fi.IsDir() {
		return location{}, false
	}
	return location{shipped: true, path: p}, true
}

// hidden reports whether a slash path has an element starting with "." or
// "_", which the go tool also leaves out.
func hidden(p string) bool {
	for _, e := range strings.Split(p, "/") {
		if strings.HasPrefix(e, ".") || strings.HasPrefix(e, "_") {
			return true
		}
	}
	return false
}

// shippedNames returns the names of the shipped scenarios, sorted.
func shippedNames() []string {
	var names []string
	// The embedded tree cannot fail to walk.
	_ = fs.WalkDir(shippedFiles, ".", func(p string, de fs.DirEntry, err error) error {
		if err == nil && !de.IsDir() && strings.HasSuffix(p, ".toml") && !hidden(p) {
			names = append(names, strings.TrimSuffix(p, ".toml"))
		}
		return nil
	})
	slices.Sort(names)
	return names
}

// layer is one file of an extends chain.
type layer struct {
	loc       location
	tree      *table
	extends   string
	extendsAt origin
}

// load reads the scenario at loc (whose text is data, when not nil).
func load(loc location, data []byte) (*Scenario, error) {
	var probs []Problem
	var layers []*layer
	var ids []string
	for {
		if data == nil {
			var err error
			data, err = loc.read()
			if err != nil {
				msg := "cannot read the file: " + tomlfile.ReadError(err)
				var big errTooBig
				if errors.As(err, &big) {
					msg = big.Error()
				}
				if len(layers) == 0 {
					probs = append(probs, Problem{File: loc.label(), Msg: msg})
				} else {
					at := layers[len(layers)-1].extendsAt
					probs = append(probs, Problem{File: at.file, Line: at.line, Key: "extends", Msg: fmt.Sprintf("cannot read the parent %s: %s", loc.label(), tomlfile.ReadError(err))})
				}
				break
			}
		}
		if slices.Contains(ids, loc.id()) {
			at := layers[len(layers)-1].extendsAt
			chain := make([]string, 0, len(layers)+1)
			for _, l := range layers {
				chain = append(chain, l.loc.label())
			}
			chain = append(chain, loc.label())
			probs = append(probs, Problem{File: at.file, Line: at.line, Key: "extends", Msg: fmt.Sprintf("the extends chain loops back on itself (%s); a scenario cannot be its own ancestor", strings.Join(chain, " → "))})
			break
		}
		if len(layers) == maxChain {
			at := layers[len(layers)-1].extendsAt
			probs = append(probs, Problem{File: at.file, Line: at.line, Key: "extends", Msg: fmt.Sprintf("the extends chain is more than %d files long", maxChain)})
			break
		}
		ids = append(ids, loc.id())
		n := len(probs)
		lay := parseLayer(loc, data, &probs)
		if len(probs) > n {
			break
		}
		layers = append(layers, lay)
		if lay.extends == "" {
			break
		}
		parent, ok := loc.resolve(lay.extends)
		if !ok {
			probs = append(probs, Problem{File: lay.extendsAt.file, Line: lay.extendsAt.line, Key: "extends", Msg: missingParent(loc, lay.extends)})
			break
		}
		loc, data = parent, nil
	}
	if len(probs) > 0 {
		return nil, tidy(probs)
	}

	merged := &table{keys: map[string]*node{}}
	hint := new(tomlfile.Hinter)
	more := 0
	m := merger{problems: &probs, hint: hint, more: &more}
	for i := len(layers) - 1; i >= 0; i-- {
		m.merge(merged, layers[i].tree, reflect.TypeFor[Scenario](), i < len(layers)-1)
	}
	leaf := layers[0].loc.label()
	merged.at = origin{file: leaf}

	d := &decoder{present: map[string]origin{}, top: origin{file: leaf}, hint: hint}
	s := new(Scenario)
	d.decodeStruct(reflect.ValueOf(s).Elem(), merged, "", "", false)
	d.defaults(s)
	d.validate(s)
	probs = append(probs, d.problems...)
	if more += d.more; more > 0 {
		return nil, tidyMore(probs, more)
	}
	if len(probs) > 0 {
		return nil, tidy(probs)
	}
	s.File = leaf
	for _, l := range layers {
		s.Chain = append(s.Chain, l.loc.label())
	}
	return s, nil
}

// missingParent says that the parent ext of the file at loc was not found.
func missingParent(loc location, ext string) string {
	if strings.HasSuffix(ext, ".toml") {
		p, _ := loc.resolve(ext)
		where := p.label()
		if fi, err := os.Stat(p.path); err == nil && fi.IsDir() && !p.shipped {
			return fmt.Sprintf("the parent %q is a folder (%s), not a scenario file; expected the path of a .toml file relative to this file, or the name of a shipped scenario without .toml", ext, where)
		}
		return fmt.Sprintf("the parent file %q does not exist (looked for %s); expected a path relative to this file, or the name of a shipped scenario without .toml", ext, where)
	}
	if hint := tomlfile.DidYouMean(ext, shippedNames()); hint != "" {
		return fmt.Sprintf("the parent %q is not a shipped scenario%s", ext, hint)
	}
	return fmt.Sprintf("the parent %q is not a shipped scenario; expected one of %s, or a path ending in .toml", ext, strings.Join(shippedNames(), ", "))
}

// parseLayer checks and parses one file.
func parseLayer(loc location, data []byte, probs *[]Problem) *layer {
	file := loc.label()
	add := func(line int, key, format string, args ...any) {
		*probs = append(*probs, Problem{File: file, Line: line, Key: key, Msg: fmt.Sprintf(format, args...)})
	}
	if len(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))) > maxFileSize {
		add(0, "", "%s", errTooBig(len(data)).Error())
		return nil
	}
	text, m, err := tomlfile.Parse(data, "scenario", `name = "..." and start = "YYYY-MM"`)
	if err != nil {
		e := err.(*tomlfile.Error)
		add(e.Line, "", "%s", e.Msg)
		return nil
	}
	lines := tomlfile.KeyLines(text, m)
	lay := &layer{loc: loc, tree: wrap(m, "", origin{file: file}, lines)}
	if n, ok := lay.tree.keys["extends"]; ok {
		delete(lay.tree.keys, "extends")
		lay.extendsAt = n.at
		s, isStr := n.raw.(string)
		switch {
		case !isStr:
			add(n.at.line, "extends", "expected the name of a shipped scenario or the path of a .toml file, got %s", describe(n))
		case s == "":
			add(n.at.line, "extends", "extends is empty; expected the name of a shipped scenario or the path of a .toml file, or no extends key")
		default:
			lay.extends = s
		}
	}
	return lay
}
