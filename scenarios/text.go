package scenarios

import (
	"fmt"
	"github.com/reesim/reesim/internal/tomlfile"
	"strings"
)

// ShippedText returns the text of the shipped scenario name, as reesim
// show prints it, and whether there is one.
func ShippedText(name string) ([]byte, bool) {
	loc, ok := shippedLocation(name)
	if !ok {
		return nil, false
	}
	b, err := loc.read()
	return b, err == nil
}

// FileText returns the text of one file of a scenario's extends chain,
// named as in Scenario.File and Scenario.Chain: a shipped file
// ("scenarios/shipped/baseline.toml") is read from the program, any other from
// disk.
func FileText(file string) ([]byte, error) {
	if name, ok := strings.CutPrefix(file, shippedPrefix); ok {
		if b, ok := ShippedText(strings.TrimSuffix(name, ".toml")); ok {
			return b, nil
		}
	}
	b, err := location{path: file}.read()
	if err != nil {
		return nil, fmt.Errorf("%s: %s", file, tomlfile.ReadError(err))
	}
	return b, nil
}

// ChainArg returns what Load takes to load the file of a scenario's
// extends chain named as in Scenario.Chain: a shipped scenario's name or
// the file's path.
func ChainArg(file string) string {
	if name, ok := strings.CutPrefix(file, shippedPrefix); ok {
		name = strings.TrimSuffix(name, ".toml")
		if _, ok := shippedLocation(name); ok {
			return name
		}
	}
	return file
}
