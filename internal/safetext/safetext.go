// Package safetext removes from text read from files what must not reach a
// terminal or a page: control characters, such as the escape sequences
// that recolour a terminal, move its cursor or retitle its window, and the
// bidirectional overrides that make text display in another order than it
// reads.
package safetext

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// unsafe reports whether r is a control character other than newline
// and tab (C0, DEL and C1) or a bidirectional control.
func unsafe(r rune) bool {
	switch {
	case r == '\n', r == '\t':
		return false
	case unicode.IsControl(r):
		return true
	case r == '\u200e', r == '\u200f', r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069':
		return true
	}
	return false
}

// Strip returns s without its control characters, keeping newlines and
// tabs. A terminal escape sequence goes whole: "\x1b[31mred" becomes "red".
func Strip(s string) string {
	if !strings.ContainsFunc(s, unsafe) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] == 0x1b {
			i += escapeLen(s[i:])
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unsafe(r) {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// escapeLen returns the length of the escape sequence at the start of s,
// which begins with ESC: a control sequence (ESC [ ... final byte), an
// operating system command or string (ESC ] ... BEL or ESC \), or ESC and
// one character.
func escapeLen(s string) int {
	if len(s) < 2 {
		return len(s)
	}
	switch s[1] {
	case '[':
		for i := 2; i < len(s); i++ {
			if c := s[i]; c >= 0x40 && c <= 0x7e {
				return i + 1
			} else if c < 0x20 || c > 0x7e {
				return i // not a sequence after all: keep what follows
			}
		}
		return len(s)
	case ']', 'P', '_', '^':
		for i := 2; i < len(s); i++ {
			switch {
			case s[i] == 0x07:
				return i + 1
			case s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\':
				return i + 2
			case s[i] == '\n':
				return i
			}
		}
		return len(s)
	}
	if s[1] < 0x20 {
		return 1
	}
	_, size := utf8.DecodeRuneInString(s[1:])
	return 1 + size
}

// Escape returns s with its control characters written as \xNN or \uNNNN,
// visible and harmless, keeping newlines and tabs: for messages that quote
// a name the user should be able to see whole.
func Escape(s string) string {
	if !strings.ContainsFunc(s, unsafe) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case !unsafe(r):
			b.WriteRune(r)
		case r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return b.String()
}

// Bytes is Strip for a page already written, such as HTML.
func Bytes(b []byte) []byte {
	s := string(b)
	if t := Strip(s); t != s {
		return []byte(t)
	}
	return b
}
