package tomlfile

import (
	"math"
	"sort"
	"strconv"
	"strings"
)

// BurntSushi/toml does not report where keys are, so the readers find
// them themselves: KeyLines scans a file that has already parsed without error and
// records the line of every key, table header and array entry by its key
// path (see entryPath). It never fails; on text it does not understand it
// skips ahead, so at worst a problem is reported without its line.

// KeyLines returns the line, counting from 1, of every key, table header
// and array-of-tables entry in text, a TOML document that parsed without
// error into root. Keys are named by their key path: keys joined by ".",
// with the entries of an array of tables named by their name key
// (path.NAME) or, when they have none, numbered from 1 (path[N]); see
// EntryPath. A quoted key containing dots is one step of the path, written
// as it is.
func KeyLines(text string, root map[string]any) map[string]int {
	sc := &lineScanner{s: text, out: map[string]int{}, counts: map[string]int{}}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			sc.starts = append(sc.starts, i+1)
		}
	}
	sc.run(root)
	return sc.out
}

// EntryPath returns the key path of entry i (counting from 0) of the array
// of tables at path, as KeyLines names it: path.NAME when the entry has a
// string name, or path[N] with N counting from 1.
func EntryPath(path string, name any, i int) string {
	if s, ok := name.(string); ok && s != "" {
		return path + "." + s
	}
	return path + "[" + strconv.Itoa(i+1) + "]"
}

// JoinKey appends key to the key path path.
func JoinKey(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

type lineScanner struct {
	s      string
	i      int
	keys   int   // keys and headers seen, by CheckStructure
	starts []int // byte offsets of the second and later lines
	out    map[string]int
	counts map[string]int // entries seen per array-of-tables path
}

// line returns the line of byte offset off, counting from 1.
func (sc *lineScanner) line(off int) int {
	return sort.Search(len(sc.starts), func(k int) bool { return sc.starts[k] > off }) + 1
}

func (sc *lineScanner) record(path string, off int) {
	if _, ok := sc.out[path]; !ok && path != "" {
		sc.out[path] = sc.line(off)
	}
}

func (sc *lineScanner) peek(p string) bool { return strings.HasPrefix(sc.s[sc.i:], p) }

func (sc *lineScanner) run(root map[string]any) {
	prefix, cur := "", any(root)
	for sc.i < len(sc.s) {
		sc.skipSpace(true)
		if sc.i >= len(sc.s) {
			break
		}
		start := sc.i
		switch {
		case sc.peek("[["):
			sc.i += 2
			segs := sc.readKey()
			prefix, cur = sc.header(root, segs, true, start)
		case sc.s[sc.i] == '[':
			sc.i++
			segs := sc.readKey()
			prefix, cur = sc.header(root, segs, false, start)
		default:
			segs := sc.readKey()
			sc.skipSpace(false)
			if len(segs) > 0 && sc.i < len(sc.s) && sc.s[sc.i] == '=' {
				sc.i++
				p, v := sc.descend(prefix, cur, segs, start)
				sc.value(p, v)
			}
		}
		sc.skipLine()
		if sc.i == start {
			sc.i++
		}
	}
}

// header handles a [table] or [[array]] header with key segs.
func (sc *lineScanner) header(root map[string]any, segs []string, array bool, off int) (string, any) {
	path, counter := "", ""
	var cur any = root
	for k, seg := range segs {
		path = JoinKey(path, seg)
		counter = JoinKey(counter, seg)
		sc.record(path, off)
		cur = lookup(cur, seg)
		if entries, ok := Tables(cur); ok {
			idx := sc.counts[counter] - 1
			if array && k == len(segs)-1 {
				idx++
				sc.counts[counter] = idx + 1
			}
			if idx < 0 || idx >= len(entries) {
				return path, nil
			}
			path = EntryPath(path, entries[idx]["name"], idx)
			counter += "[" + strconv.Itoa(idx) + "]"
			sc.record(path, off)
			cur = entries[idx]
		}
	}
	return path, cur
}

// descend follows the dotted key segs from the table cur at path.
func (sc *lineScanner) descend(path string, cur any, segs []string, off int) (string, any) {
	for _, seg := range segs {
		path = JoinKey(path, seg)
		sc.record(path, off)
		cur = lookup(cur, seg)
	}
	return path, cur
}

// value skips over one value, recording the keys of inline tables.
func (sc *lineScanner) value(path string, v any) {
	sc.skipSpace(false)
	if sc.i >= len(sc.s) {
		return
	}
	switch c := sc.s[sc.i]; c {
	case '{':
		sc.i++
		for sc.i < len(sc.s) {
			sc.skipSpace(true)
			if sc.i >= len(sc.s) {
				return
			}
			start := sc.i
			switch sc.s[sc.i] {
			case '}':
				sc.i++
				return
			case ',':
				sc.i++
				continue
			}
			segs := sc.readKey()
			sc.skipSpace(false)
			if len(segs) == 0 || sc.i >= len(sc.s) || sc.s[sc.i] != '=' {
				sc.i = max(sc.i, start+1)
				continue
			}
			sc.i++
			p, sub := sc.descend(path, v, segs, start)
			sc.value(p, sub)
		}
	case '[':
		sc.i++
		entries, isTables := Tables(v)
		for n := 0; sc.i < len(sc.s); {
			sc.skipSpace(true)
			if sc.i >= len(sc.s) {
				return
			}
			start := sc.i
			switch sc.s[sc.i] {
			case ']':
				sc.i++
				return
			case ',':
				sc.i++
				continue
			}
			p, elem := path, any(nil)
			if isTables && n < len(entries) {
				p, elem = EntryPath(path, entries[n]["name"], n), entries[n]
				sc.record(p, start)
			}
			sc.value(p, elem)
			n++
			if sc.i == start {
				sc.i++
			}
		}
	case '"', '\'':
		sc.skipString()
	default:
		for sc.i < len(sc.s) && !strings.ContainsRune(",]}#\n", rune(sc.s[sc.i])) {
			sc.i++
		}
	}
}

// readKey reads a possibly dotted, possibly quoted key.
func (sc *lineScanner) readKey() []string { return sc.readKeyUpTo(math.MaxInt) }

// readKeyUpTo is readKey that stops after max segments.
func (sc *lineScanner) readKeyUpTo(max int) []string {
	var segs []string
	for len(segs) < max {
		sc.skipSpace(false)
		if sc.i >= len(sc.s) {
			return segs
		}
		switch c := sc.s[sc.i]; {
		case c == '"' || c == '\'':
			start := sc.i
			sc.skipString()
			raw := sc.s[start:sc.i]
			seg := strings.Trim(raw, `"'`)
			if c == '"' {
				if u, err := strconv.Unquote(raw); err == nil {
					seg = u
				}
			}
			segs = append(segs, seg)
		case isBare(c):
			start := sc.i
			for sc.i < len(sc.s) && isBare(sc.s[sc.i]) {
				sc.i++
			}
			segs = append(segs, sc.s[start:sc.i])
		default:
			return segs
		}
		sc.skipSpace(false)
		if sc.i < len(sc.s) && sc.s[sc.i] == '.' {
			sc.i++
			continue
		}
		return segs
	}
	return segs
}

// BareKey reports whether k can be written as a bare TOML key, without
// quotes.
func BareKey(k string) bool {
	for i := 0; i < len(k); i++ {
		if !isBare(k[i]) {
			return false
		}
	}
	return k != ""
}

func isBare(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-'
}

// skipString skips a basic, literal or multi-line string starting at sc.i.
func (sc *lineScanner) skipString() {
	q := sc.s[sc.i]
	if triple := strings.Repeat(string(q), 3); sc.peek(triple) {
		sc.i += 3
		for sc.i < len(sc.s) {
			if q == '"' && sc.s[sc.i] == '\\' {
				sc.i = min(sc.i+2, len(sc.s)) // a backslash at the end escapes nothing
				continue
			}
			if sc.peek(triple) {
				sc.i += 3
				// Up to two more quotes may close the string.
				for k := 0; k < 2 && sc.i < len(sc.s) && sc.s[sc.i] == q; k++ {
					sc.i++
				}
				return
			}
			sc.i++
		}
		return
	}
	sc.i++
	for sc.i < len(sc.s) && sc.s[sc.i] != '\n' {
		c := sc.s[sc.i]
		if q == '"' && c == '\\' {
			sc.i = min(sc.i+2, len(sc.s)) // a backslash at the end escapes nothing
			continue
		}
		sc.i++
		if c == q {
			return
		}
	}
}

// skipSpace skips blanks and comments, and newlines when newlines is set.
func (sc *lineScanner) skipSpace(newlines bool) {
	for sc.i < len(sc.s) {
		switch sc.s[sc.i] {
		case ' ', '\t', '\r':
			sc.i++
		case '\n':
			if !newlines {
				return
			}
			sc.i++
		case '#':
			for sc.i < len(sc.s) && sc.s[sc.i] != '\n' {
				sc.i++
			}
		default:
			return
		}
	}
}

// skipLine skips to the start of the next line, over anything left on
// this one (a comment, or text the scanner did not understand).
func (sc *lineScanner) skipLine() {
	for sc.i < len(sc.s) && sc.s[sc.i] != '\n' {
		if c := sc.s[sc.i]; c == '"' || c == '\'' {
			sc.skipString()
			continue
		}
		sc.i++
	}
}

// lookup returns table[key] when table is a table, and nil otherwise.
func lookup(table any, key string) any {
	if m, ok := table.(map[string]any); ok {
		return m[key]
	}
	return nil
}

// Tables returns v, a value parsed from TOML, as a list of tables when it
// is a non-empty array of tables.
func Tables(v any) ([]map[string]any, bool) {
	switch v := v.(type) {
	case []map[string]any:
		return v, true
	case []any:
		if len(v) == 0 {
			return nil, false
		}
		out := make([]map[string]any, len(v))
		for i, e := range v {
			m, ok := e.(map[string]any)
			if !ok {
				return nil, false
			}
			out[i] = m
		}
		return out, true
	}
	return nil, false
}

// Enclosing returns the value m holds for the key path path, or for its
// closest enclosing key that m holds, and whether there is one: a problem
// with a key that is not in the file (a required key, say) is placed at
// its table.
func Enclosing[V any](m map[string]V, path string) (V, bool) {
	for path != "" {
		if v, ok := m[path]; ok {
			return v, true
		}
		i := max(strings.LastIndexByte(path, '.'), strings.LastIndexByte(path, '['))
		if i < 0 {
			break
		}
		path = path[:i]
	}
	var zero V
	return zero, false
}

// LineOf returns the line of key path in lines (see KeyLines), or of its
// closest enclosing key that has one, or 0.
func LineOf(lines map[string]int, path string) int {
	l, _ := Enclosing(lines, path)
	return l
}
