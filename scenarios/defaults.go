package scenarios

import (
	"reflect"

	"github.com/reesim/reesim/uncertain"
)

// defaultRegions returns the regions used when a scenario has no
// [regions] table.
func defaultRegions() map[string]string {
	return map[string]string{
		"china":     "china",
		"us":        "allied",
		"japan":     "allied",
		"eu":        "allied",
		"korea":     "allied",
		"australia": "allied",
		"canada":    "allied",
		"other":     "other",
	}
}

// def sets n to the fixed value v when it was not given.
func def(n *Num, v float64) {
	if !n.Set {
		n.Dist = uncertain.Fixed{Value: v}
		n.Set = true
	}
}

// defMonth sets the month n to m when it was not given and m is known.
func defMonth(n *Num, m int, known bool) {
	if known {
		def(n, float64(m))
	}
}

// defaults fills in every key the files left out that has a default: the
// defaults the keys' declarations give (types.go, sim/keys.go), and the
// two that depend on other keys.
func (d *decoder) defaults(s *Scenario) {
	if !d.has("regions") {
		s.Regions = defaultRegions()
	}
	// An existing facility has no ramp: ramp_months defaults to 12 for
	// new plants only.
	for i := range s.Facilities {
		if f := &s.Facilities[i]; !f.PlannedStart.Set {
			def(&f.RampMonths, 0)
		}
	}
	start, startOK := parseMonth(s.Start)
	d.defaultKeys(reflect.ValueOf(s).Elem(), "", start, startOK)
}
