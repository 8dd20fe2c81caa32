package scenarios

import (
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

// KeyLines returns the line, counting from 1, of every key, table header
// and array-of-tables entry in text, a TOML document that parsed without
// error into root. Keys are named by their key path: keys joined by ".",
// with the entries of an array of tables named by their name key
// (path.NAME) or, when they have none, numbered from 1 (path[N]). A quoted
// key containing dots is one step of the path, written as it is.
//
// It lets other files read by reesim, such as study files, place their
// problems the way the scenario loader does.
func KeyLines(text string, root map[string]any) map[string]int {
	return keyLines(text, root)
}

// DidYouMean returns ` (did you mean "x"?)` for the candidate closest to
// word in edit distance, or "" when none is close enough to be a likely
// misspelling of it.
func DidYouMean(word string, candidates []string) string {
	return didYouMean(word, candidates)
}

// SortProblems sorts problems by file and line, problems without a line
// last in their file, and drops exact repeats, as Load does.
func SortProblems(ps []Problem) Problems {
	return tidy(ps)
}

// SyntaxErrorAt returns the line and column, counting from 1, of the TOML
// syntax error pe in text. The parser's own line is one too far when the
// error is at the end of a line (an unclosed [table, say), so the place
// is worked out again from the error's byte offset.
func SyntaxErrorAt(text string, pe toml.ParseError) (line, col int) {
	start := pe.Position.Start
	if start < 0 || start > len(text) {
		return pe.Position.Line, pe.Position.Col
	}
	before := text[:start]
	line = strings.Count(before, "\n") + 1
	col = utf8.RuneCountInString(before[strings.LastIndexByte(before, '\n')+1:]) + 1
	return line, col
}

// EntryPath returns the key path of entry i (counting from 0) of the array
// of tables at path, as KeyLines names it: path.NAME when the entry has a
// string name, or path[N] with N counting from 1.
func EntryPath(path string, name any, i int) string { return entryPath(path, name, i) }

// JoinKey appends key to the key path path.
func JoinKey(path, key string) string { return joinKey(path, key) }

// ReadError says why a file could not be read, without repeating its name.
func ReadError(err error) string { return readError(err) }
