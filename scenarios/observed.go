package scenarios

import (
	"os"
	"strings"
)

// Observed returns the observed series that live beside the scenario's
// file, as "<name>.observed.csv" next to "<name>.toml" (columns
// date,series,value,unit,source), and whether there are any. Charts
// overlay them on the model's fan charts.
func Observed(s *Scenario) ([]byte, bool) {
	if s.File == "" || !strings.HasSuffix(s.File, ".toml") {
		return nil, false
	}
	name := strings.TrimSuffix(s.File, ".toml") + ".observed.csv"
	if rest, ok := strings.CutPrefix(name, shippedPrefix); ok {
		if b, err := shippedFiles.ReadFile(rest); err == nil {
			return b, true
		}
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, false
	}
	return b, true
}
