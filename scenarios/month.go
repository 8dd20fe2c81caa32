package scenarios

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// The calendar months a scenario may use, as absolute month numbers.
const (
	firstMonth = 1900 * 12   // 1900-01
	lastMonth  = 2200*12 - 1 // 2199-12
	monthRange = "1900-01 to 2199-12"
)

// parseMonth parses "YYYY-MM" into an absolute month number
// year*12 + month-1.
func parseMonth(s string) (int, bool) {
	if len(s) != 7 || s[4] != '-' {
		return 0, false
	}
	y, err1 := strconv.Atoi(s[:4])
	m, err2 := strconv.Atoi(s[5:])
	if err1 != nil || err2 != nil || s[0] == '+' || s[5] == '+' || s[0] == '-' || s[5] == '-' || m < 1 || m > 12 {
		return 0, false
	}
	return y*12 + m - 1, true
}

// formatMonth formats an absolute month number as "YYYY-MM".
func formatMonth(m int) string {
	y, mo := m/12, m%12
	if mo < 0 {
		y, mo = y-1, mo+12
	}
	return fmt.Sprintf("%04d-%02d", y, mo+1)
}

// fmtMonthValue formats a month value that may not be a whole month, as
// distributions over months take values between whole months.
func fmtMonthValue(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 1e9 {
		return fmtNum(v)
	}
	return formatMonth(int(math.Floor(v)))
}

// fmtNum formats a number for messages and resolved files: the shortest
// form that reads back as the same float64, without an exponent for
// everyday magnitudes.
func fmtNum(v float64) string {
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

// validName reports whether name has the form of every name in a
// scenario (the scenario's own, which names an output folder, and those
// of entries, regions and inputs): ^[a-z0-9][a-z0-9._-]*$.
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

// maxNameLen is the longest name accepted.
const maxNameLen = 100

// checkName returns what is wrong with name as a name, or "".
func checkName(name string) string {
	const rule = "a name must start with a lower-case letter or digit and contain only lower-case letters, digits, '.', '_' and '-'"
	switch {
	case name == "":
		return "the name is empty; " + rule
	case len(name) > maxNameLen:
		return fmt.Sprintf("the name is %d characters long; a name must be at most %d", len(name), maxNameLen)
	case !validName(name):
		return fmt.Sprintf("%q is not a valid name: %s", name, rule)
	case strings.Contains(name, ".."):
		return fmt.Sprintf("%q is not a valid name: a name must not contain \"..\"", name)
	}
	return ""
}
