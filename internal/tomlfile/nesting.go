package tomlfile

import "fmt"

// MaxNesting bounds how deeply keys, tables and arrays may nest in a
// scenario or study file: a table header, a dotted key, an inline table or
// an array counts one level per part. The deepest key of a scenario, such
// as facility.NAME.delay_months.max, is four or five levels deep. The TOML
// parser spends time and memory that grow with the square of the depth (a
// 40 KB header 20,000 levels deep took a minute and gigabytes), so deeper
// files are refused before they are parsed.
const MaxNesting = 32

// MaxKeys bounds the number of keys and table headers in a scenario or
// study file. The shipped baseline has some 600; a file of a hundred
// thousand is no scenario, and would take seconds to parse and check.
const MaxKeys = 50_000

// CheckStructure returns the line, counting from 1, of the first key,
// table or value of text that nests more than MaxNesting levels deep, or
// of the key past the first MaxKeys, and a message saying what is wrong;
// or 0 and "". It reads text as TOML only as far as it needs to: strings
// and comments are skipped, and text it does not understand is left to
// the parser.
func CheckStructure(text string) (line int, msg string) {
	sc := &lineScanner{s: text}
	lineOf := func(off int) int {
		n := 1
		for i := 0; i < off && i < len(text); i++ {
			if text[i] == '\n' {
				n++
			}
		}
		return n
	}
	at := func(off int) (int, string) {
		return lineOf(off), fmt.Sprintf("keys, tables or arrays are nested more than %d levels deep here; a scenario or study needs at most a few levels", MaxNesting)
	}
	for sc.i < len(sc.s) {
		sc.skipSpace(true)
		if sc.i >= len(sc.s) {
			break
		}
		start := sc.i
		if sc.keys++; sc.keys > MaxKeys {
			return lineOf(start), fmt.Sprintf("the file holds more than %d keys and tables; a scenario or study needs a few thousand at most", MaxKeys)
		}
		switch {
		case sc.s[sc.i] == '[':
			// [table] or [[array of tables]]
			sc.i++
			if sc.peek("[") {
				sc.i++
			}
			if len(sc.readKeyUpTo(MaxNesting+1)) > MaxNesting {
				return at(start)
			}
		default:
			segs := sc.readKeyUpTo(MaxNesting + 1)
			if len(segs) > MaxNesting {
				return at(start)
			}
			sc.skipSpace(false)
			if len(segs) > 0 && sc.i < len(sc.s) && sc.s[sc.i] == '=' {
				sc.i++
				if off, deep := sc.valueDepth(len(segs)); deep {
					if sc.keys > MaxKeys {
						return lineOf(off), fmt.Sprintf("the file holds more than %d keys and tables; a scenario or study needs a few thousand at most", MaxKeys)
					}
					return at(off)
				}
			}
		}
		sc.skipLine()
		if sc.i == start {
			sc.i++
		}
	}
	return 0, ""
}

// valueDepth skips one value whose key is depth levels deep, without
// recursion, and reports the offset where it nests more than MaxNesting
// levels deep, or where its inline tables' keys take the file's count of
// keys past MaxKeys, if they do.
func (sc *lineScanner) valueDepth(depth int) (int, bool) {
	// open holds the brackets of the arrays and inline tables the scanner
	// is in; each inline table's keys add their own levels while read.
	var open []byte
	key := func() bool {
		start := sc.i
		if sc.keys++; sc.keys > MaxKeys {
			return false
		}
		segs := sc.readKeyUpTo(MaxNesting + 1)
		if depth+len(open)+len(segs) > MaxNesting {
			sc.i = start
			return false
		}
		sc.skipSpace(false)
		if len(segs) > 0 && sc.i < len(sc.s) && sc.s[sc.i] == '=' {
			sc.i++
		}
		return true
	}
	for sc.i < len(sc.s) {
		sc.skipSpace(len(open) > 0)
		if sc.i >= len(sc.s) {
			break
		}
		switch c := sc.s[sc.i]; c {
		case '[', '{':
			open = append(open, c)
			if depth+len(open) > MaxNesting {
				return sc.i, true
			}
			sc.i++
			if c == '{' && !key() {
				return sc.i, true
			}
		case ']', '}':
			sc.i++
			if len(open) > 0 {
				open = open[:len(open)-1]
			}
			if len(open) == 0 {
				return 0, false
			}
		case ',':
			sc.i++
			if len(open) > 0 && open[len(open)-1] == '{' && !key() {
				return sc.i, true
			}
		case '"', '\'':
			sc.skipString()
			if len(open) == 0 {
				return 0, false
			}
		case '\n', '#':
			return 0, false
		default:
			for sc.i < len(sc.s) && !isSpaceOrEnd(sc.s[sc.i]) {
				sc.i++
			}
			if len(open) == 0 {
				return 0, false
			}
		}
	}
	return 0, false
}

// isSpaceOrEnd reports whether c ends a bare value: a number, a date or a
// boolean.
func isSpaceOrEnd(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', ',', ']', '}', '#', '[', '{', '"', '\'':
		return true
	}
	return false
}
