package scenarios

import (
	"io/fs"
	"strings"

	"github.com/reesim/reesim/internal/inputfile"
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
		if b, err := fs.ReadFile(shippedFiles, rest); err == nil {
			return b, true
		}
	}
	// Only a regular file of at most the size of a scenario file: a named
	// pipe or a device there is not taken for observations.
	b, err := inputfile.ReadFile(name, maxFileSize)
	if err != nil {
		return nil, false
	}
	return b, true
}
