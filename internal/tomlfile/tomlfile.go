// Package tomlfile reads reesim's TOML files, scenarios and studies
// alike, so that both say the same things about the same mistakes.
//
// [Parse] checks that a file is UTF-8 text, not empty, and nested no
// deeper than a scenario or study needs ([CheckStructure]) before it parses
// it, and turns the parser's errors into a line, a column and a message.
// BurntSushi/toml does not report where keys are, so [KeyLines] finds the
// line of every key path, which names the entries of arrays of tables by
// their name key ([EntryPath], [JoinKey]); [LineOf] places a problem at a
// key or at its closest enclosing one. [CheckName] is the one rule for
// names, [Describe] and [FormatNum] say what a value is in messages, and
// a [Hinter] suggests what a misspelt word was meant to be.
package tomlfile

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

// Error is a problem with a file as a whole: it is not text, not TOML,
// or holds nothing. Line is its line, counting from 1, or 0.
type Error struct {
	Line int
	Msg  string
}

func (e *Error) Error() string { return e.Msg }

// Parse checks and parses data, the text of a file of a kind such as
// "scenario" or "study". needs says what the smallest such file holds,
// for the message about an empty one: `name = "..." and start =
// "YYYY-MM"`. A byte-order mark is skipped. Parse returns the text and
// its tables, or an *Error.
func Parse(data []byte, kind, needs string) (text string, root map[string]any, err error) {
	fail := func(line int, format string, args ...any) (string, map[string]any, error) {
		return "", nil, &Error{Line: line, Msg: fmt.Sprintf(format, args...)}
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return fail(bytes.Count(data[:i], []byte("\n"))+1, "the file is not text (it contains a zero byte); a %s must be a UTF-8 TOML text file", kind)
	}
	if !utf8.Valid(data) {
		i := 0
		for i < len(data) {
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size == 1 {
				break
			}
			i += size
		}
		return fail(bytes.Count(data[:i], []byte("\n"))+1, "the file is not UTF-8 text (it has an invalid byte here); save it as UTF-8")
	}
	text = string(data)
	if strings.TrimSpace(text) == "" {
		return fail(0, "the file is empty; a %s needs at least %s", kind, needs)
	}
	if line, msg := CheckStructure(text); msg != "" {
		return fail(line, "%s", msg)
	}
	if _, err := toml.Decode(text, &root); err != nil {
		var pe toml.ParseError
		if !errors.As(err, &pe) {
			return fail(0, "the file is not valid TOML: %v", err)
		}
		msg := strings.TrimSuffix(pe.Message, ".")
		if msg != "" {
			msg = strings.ToLower(msg[:1]) + msg[1:]
		}
		line, col := syntaxErrorAt(text, pe)
		return fail(line, "this line is not valid TOML (column %d): %s", col, msg)
	}
	if len(root) == 0 {
		return fail(0, "the file has only comments and blank lines; a %s needs at least %s", kind, needs)
	}
	return text, root, nil
}

// syntaxErrorAt returns the line and column, counting from 1, of the TOML
// syntax error pe in text. The parser's own line is one too far when the
// error is at the end of a line (an unclosed [table, say), so the place
// is worked out again from the error's byte offset.
func syntaxErrorAt(text string, pe toml.ParseError) (line, col int) {
	start := pe.Position.Start
	if start < 0 || start > len(text) {
		return pe.Position.Line, pe.Position.Col
	}
	before := text[:start]
	line = strings.Count(before, "\n") + 1
	col = utf8.RuneCountInString(before[strings.LastIndexByte(before, '\n')+1:]) + 1
	return line, col
}

// ReadError says why a file could not be read, without repeating its name.
func ReadError(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// Describe says what v, a value parsed from TOML, is, for messages such
// as "expected a number, got the string "12"".
func Describe(v any) string {
	switch v := v.(type) {
	case int64:
		return "the number " + strconv.FormatInt(v, 10)
	case float64:
		return "the number " + FormatNum(v)
	case string:
		return fmt.Sprintf("the string %q", v)
	case bool:
		return fmt.Sprintf("%v", v)
	case time.Time:
		// As written: the TOML parser marks dates and times without a
		// zone with a location of its own.
		switch v.Location().String() {
		case "time-local":
			return "the time of day " + v.Format("15:04:05.999999999")
		case "date-local":
			return "the date " + v.Format("2006-01-02")
		case "datetime-local":
			return "the date and time " + v.Format("2006-01-02T15:04:05.999999999")
		}
		if v.Hour() == 0 && v.Minute() == 0 && v.Second() == 0 && v.Nanosecond() == 0 {
			return "the date " + v.Format("2006-01-02")
		}
		return "the date and time " + v.Format(time.RFC3339Nano)
	case []any:
		return "a list"
	case map[string]any:
		return "a table"
	case []map[string]any:
		return "a list of tables"
	case nil:
		return "nothing"
	}
	return fmt.Sprintf("a %T", v)
}

// Number returns v, a value parsed from TOML, as a float64 when it is a
// number, whole or not.
func Number(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

// FormatNum formats a number for messages and written files: the
// shortest form that reads back as the same float64, without an exponent
// for everyday magnitudes, and nan and inf as TOML writes them.
func FormatNum(v float64) string {
	switch {
	case math.IsNaN(v):
		return "nan"
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	a := math.Abs(v)
	if a == 0 || (a >= 1e-4 && a < 1e15) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
