package scenarios

import (
	"fmt"
	"github.com/reesim/reesim/internal/tomlfile"
	"reflect"
	"slices"
	"sort"
)

// The loader reads each file of an extends chain into a tree of tables
// whose every key carries its origin (file and line), merges the trees
// parent first, and decodes the merged tree. Origins travel with the keys,
// so a problem in a key a parent set names the parent's file.

// origin is where a key was written.
type origin struct {
	file string
	line int
}

// node is the value of one key.
type node struct {
	at    origin
	raw   any      // a scalar or an array of scalars, as parsed
	table *table   // a table, for sections and inline tables
	list  []*table // an array of tables
}

// table is a TOML table.
type table struct {
	at   origin
	path string // the key path in the file it came from
	keys map[string]*node
}

// sortedKeys returns t's keys in order.
func (t *table) sortedKeys() []string {
	keys := make([]string, 0, len(t.keys))
	for k := range t.keys {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// wrap turns the parsed table m at path into a table, taking lines from
// the file's key lines.
func wrap(m map[string]any, path string, at origin, lines map[string]int) *table {
	t := &table{at: at, path: path, keys: make(map[string]*node, len(m))}
	for k, v := range m {
		p := tomlfile.JoinKey(path, k)
		n := &node{at: origin{at.file, tomlfile.LineOf(lines, p)}}
		if sub, ok := v.(map[string]any); ok {
			n.table = wrap(sub, p, n.at, lines)
		} else if entries, ok := tomlfile.Tables(v); ok {
			for i, e := range entries {
				ep := tomlfile.EntryPath(p, e["name"], i)
				n.list = append(n.list, wrap(e, ep, origin{at.file, tomlfile.LineOf(lines, ep)}, lines))
			}
		} else {
			n.raw = v
		}
		t.keys[k] = n
	}
	return t
}

// merger merges the tables of an extends chain.
type merger struct {
	problems *[]Problem
	hint     *tomlfile.Hinter
	more     *int // problems found past maxRecorded, not kept
}

func (m merger) addf(at origin, key, format string, args ...any) {
	if len(*m.problems) >= maxRecorded {
		*m.more++
		return
	}
	*m.problems = append(*m.problems, Problem{File: at.file, Line: at.line, Key: key, Msg: fmt.Sprintf(format, args...)})
}

// merge merges src, read from one file, over dst, the result of merging
// its parents, following the struct type t that the table decodes into.
// hasParent says whether src extends a parent.
func (m merger) merge(dst, src *table, t reflect.Type, hasParent bool) {
	if src.at.line > 0 || dst.at.file == "" {
		dst.at = src.at
	}
	for _, k := range src.sortedKeys() {
		sn := src.keys[k]
		f, ok := fieldByKey(t, k)
		dn := dst.keys[k]
		if !ok {
			dst.keys[k] = sn
			continue
		}
		ft := f.Type
		switch {
		case ft == numType:
			dst.keys[k] = sn
		case ft.Kind() == reflect.Struct:
			if dn != nil && dn.table != nil && sn.table != nil {
				m.merge(dn.table, sn.table, ft, hasParent)
				dn.at = sn.at
			} else {
				dst.keys[k] = sn
			}
		case ft.Kind() == reflect.Map:
			if dn != nil && dn.table != nil && sn.table != nil {
				for kk, v := range sn.table.keys {
					dn.table.keys[kk] = v
				}
				dn.at = sn.at
			} else {
				dst.keys[k] = sn
			}
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
			if sn.list == nil {
				if dn != nil && dn.list != nil {
					// Keep the parent's entries, so that references to
					// them are not reported as well.
					m.addf(sn.at, tomlfile.JoinKey(src.path, k), "%s", notEntries(sn, k))
				} else {
					dst.keys[k] = sn // the decoder reports it
				}
				continue
			}
			if dn == nil || dn.list == nil {
				dn = &node{at: sn.at}
				dst.keys[k] = dn
			}
			if _, named := ft.Elem().FieldByName("Name"); named {
				m.mergeEntries(dn, sn, k, hasParent)
			} else {
				dn.list = append(dn.list, sn.list...)
			}
		default:
			dst.keys[k] = sn
		}
	}
}

// mergeEntries merges the named entries of src over those of dst: an entry
// with a new name is appended, one with a parent's name overrides the keys
// it sets, and one with remove = true deletes the parent's entry.
func (m merger) mergeEntries(dst, src *node, kind string, hasParent bool) {
	// index finds dst's entries by name (the first of a name), and names
	// lists those names for suggestions, made when first needed: a file
	// of thousands of entries is merged in time proportional to them, not
	// to their square. Removed entries are left nil until the end.
	index := map[string]int{}
	for i, t := range dst.list {
		if n, ok := t.keys["name"].rawString(); ok {
			if _, dup := index[n]; !dup {
				index[n] = i
			}
		}
	}
	var names []string
	defer func() { dst.list = slices.DeleteFunc(dst.list, func(t *table) bool { return t == nil }) }()
	seen := map[string]bool{}
	for _, e := range src.list {
		name, named := e.keys["name"].rawString()
		remove := false
		if rn, ok := e.keys["remove"]; ok {
			delete(e.keys, "remove")
			b, isBool := rn.raw.(bool)
			if !isBool {
				m.addf(rn.at, tomlfile.JoinKey(e.path, "remove"), "expected remove = true (to delete the parent's %s of this name) or false, got %s", kind, describe(rn))
			}
			remove = b
		}
		if named {
			if seen[name] {
				m.addf(e.at, e.path, "this is the second %s named %q in the file; give each %s its own name", kind, name, kind)
			}
			seen[name] = true
		}
		idx := -1
		if i, ok := index[name]; named && ok {
			idx = i
		}
		switch {
		case remove && !named:
			m.addf(e.at, tomlfile.JoinKey(e.path, "remove"), "remove = true needs the name of the parent's %s to delete", kind)
		case remove && !hasParent:
			m.addf(e.at, tomlfile.JoinKey(e.path, "remove"), "remove = true deletes a %s inherited from the parent scenario, but this scenario does not extend another", kind)
		case remove && idx < 0:
			if names == nil {
				names = []string{}
				for _, t := range dst.list {
					if t == nil {
						continue
					}
					if n, ok := t.keys["name"].rawString(); ok {
						names = append(names, n)
					}
				}
			}
			m.addf(e.at, tomlfile.JoinKey(e.path, "remove"), "the parent scenario has no %s named %q to remove%s", kind, name, m.hint.DidYouMean(name, names))
		case remove:
			dst.list[idx] = nil
			delete(index, name)
			names = nil
		case idx >= 0:
			target := dst.list[idx]
			for k, v := range e.keys {
				target.keys[k] = v
			}
		default:
			dst.list = append(dst.list, e)
			if named {
				index[name] = len(dst.list) - 1
				if names != nil {
					names = append(names, name)
				}
			}
		}
	}
}

// rawString returns n's value when it is a string.
func (n *node) rawString() (string, bool) {
	if n == nil {
		return "", false
	}
	s, ok := n.raw.(string)
	return s, ok
}
