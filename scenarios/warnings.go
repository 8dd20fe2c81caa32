package scenarios

import (
	"fmt"
	"slices"
)

// Warnings returns what in a valid scenario is likely not what its author
// meant: a stockpile that triggers on an export control already in force
// when the stockpile starts releases from its first months, whatever the
// market does.
func Warnings(s *Scenario) []string {
	start, ok := parseMonth(s.Start)
	if !ok {
		return nil
	}
	var out []string
	for _, sp := range s.Stockpiles {
		if !sp.TriggerOnControl {
			continue
		}
		from := float64(start)
		if sp.FillMonths.Set {
			_, hi := sp.FillMonths.Bounds()
			from += hi
		}
		for _, ec := range s.ExportControls {
			if !slices.Contains(ec.Products, sp.Product) {
				continue
			}
			lo, _ := ec.Start.Bounds()
			if _, pHi := ec.Probability.Bounds(); pHi <= 0 || lo > from {
				continue
			}
			// In force at the stockpile's start unless it has ended by then.
			if ec.DurationMonths.Set {
				if _, dHi := ec.DurationMonths.Bounds(); lo+dHi <= from {
					continue
				}
			}
			out = append(out, fmt.Sprintf("%s: stockpile %q has trigger_on_control = true, and export control %q on %s can be in force from %s, when the stockpile starts; the stockpile will release from its first months whatever prices do (give it a trigger_price_ratio and trigger_on_control = false, or start the control later)",
				s.File, sp.Name, ec.Name, sp.Product, formatMonth(int(lo))))
		}
	}
	return out
}
