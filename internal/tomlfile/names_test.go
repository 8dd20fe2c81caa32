package tomlfile

import (
	"strings"
	"testing"
)

func TestCheckName(t *testing.T) {
	for _, n := range []string{"baseline", "ev-eu", "a.b_c-1", "2027-ban"} {
		if msg := CheckName(n); msg != "" {
			t.Errorf("CheckName(%q) = %q, want ok", n, msg)
		}
	}
	for _, n := range []string{"", "../../etc", "a..b", "Baseline", "-x", ".x", "a b", "a/b", strings.Repeat("a", 101)} {
		if CheckName(n) == "" {
			t.Errorf("CheckName(%q) accepted it", n)
		}
	}
}
