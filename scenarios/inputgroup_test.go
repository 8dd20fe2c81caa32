package scenarios

import (
	"strings"
	"testing"
)

// TestInputGroups checks the [[input_group]] entries and the sampling
// key: patterns that match, patterns that match nothing, bad patterns,
// an input in two groups, and an unknown design.
func TestInputGroups(t *testing.T) {
	head := "name = \"t\"\nextends = \"heavy-ree-ban\"\n"
	base := "name = \"t\"\nextends = \"baseline\"\n"
	group := func(name, kind string, inputs ...string) string {
		return "[[input_group]]\nname = \"" + name + "\"\nkind = \"" + kind + "\"\ninputs = [\"" + strings.Join(inputs, "\", \"") + "\"]\n"
	}
	cases := []struct {
		name, text string
		want       []string // in the problems; none means valid
	}{
		{"valid", base + "sampling = \"qmc\"\n" + group("delays", "uncertainty", "facility.*.delay_months", "slip-*") +
			group("ban", "uncertainty", "export_control.no18-*"), nil},
		{"no match", head + group("g", "lever", "stockpile.*.size_tonnes"), []string{`"stockpile.*.size_tonnes" matches no sampled input`}},
		{"bad pattern", head + group("g", "lever", "[x"), []string{`"[x" is not a valid pattern`}},
		{"twice", base + group("a", "lever", "slip-*") + group("b", "uncertainty", "slip-iluka"), []string{`already in the group "a"`}},
		{"inherited", head + group("delays", "uncertainty", "facility.*.delay_months"), []string{`puts 11 inputs ("facility.evac-sumter.delay_months", ...) in this group, already in the group "plant-pipeline"`}},
		{"kind", head + group("a", "policy", "slip-*"), []string{`expected "lever", "uncertainty" or "setting"`}},
		{"sampling", head + "sampling = \"sobol\"\n", []string{`sampling: expected "mc", "lhs" or "qmc"`}},
	}
	for _, c := range cases {
		s, err := LoadBytes("t.toml", []byte(c.text))
		if c.want == nil {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			} else if len(s.InputGroups) != 2 || s.Sampling != "qmc" || s.InputGroups[1].Name != "ban" {
				t.Errorf("%s: groups %v, sampling %q", c.name, s.InputGroups, s.Sampling)
			}
			continue
		}
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not say %q", c.name, err, w)
			}
		}
	}
}
