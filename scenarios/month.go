package scenarios

import (
	"fmt"
	"github.com/reesim/reesim/internal/tomlfile"
	"math"
	"strconv"
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
		return tomlfile.FormatNum(v)
	}
	return formatMonth(int(math.Floor(v)))
}
