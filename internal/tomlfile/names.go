package tomlfile

import (
	"fmt"
	"strings"
)

// MaxNameLen is the longest name accepted: of a scenario, study or
// variant (which name folders), of an entry, a region or an input.
const MaxNameLen = 100

// CheckName returns what is wrong with name as a name, or "". A name
// starts with a lower-case letter or a digit, holds only lower-case
// letters, digits, '.', '_' and '-', has no "..", and is at most
// MaxNameLen bytes long: ^[a-z0-9][a-z0-9._-]*$.
func CheckName(name string) string {
	const rule = "a name must start with a lower-case letter or digit and contain only lower-case letters, digits, '.', '_' and '-'"
	switch {
	case name == "":
		return "the name is empty; " + rule
	case len(name) > MaxNameLen:
		return fmt.Sprintf("the name is %d characters long; a name must be at most %d", len(name), MaxNameLen)
	case !validName(name):
		return fmt.Sprintf("%q is not a valid name: %s", name, rule)
	case strings.Contains(name, ".."):
		return fmt.Sprintf("%q is not a valid name: a name must not contain \"..\"", name)
	}
	return ""
}

// validName reports whether name has the form ^[a-z0-9][a-z0-9._-]*$.
func validName(name string) bool {
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case i > 0 && (c == '.' || c == '_' || c == '-'):
		default:
			return false
		}
	}
	return name != ""
}
