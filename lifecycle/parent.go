package lifecycle

import (
	"bytes"
	"fmt"
	"github.com/reesim/reesim/internal/tomlfile"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/reesim/reesim/internal/safetext"
	"github.com/reesim/reesim/results"
	"github.com/reesim/reesim/scenarios"
)

// parentOf returns the name of the scenario s extends and the keys its
// own file sets, each with the parent's resolved value, for the
// briefing's differences from the parent. It returns "" when s extends
// nothing, and no changes when a file cannot be read again.
func parentOf(s *scenarios.Scenario) (string, []results.Change) {
	if len(s.Chain) < 2 {
		return "", nil
	}
	parent, err := scenarios.Load(scenarios.ChainArg(s.Chain[1]))
	if err != nil {
		return "", nil
	}
	own, err := scenarios.FileText(s.Chain[0])
	if err != nil {
		return parent.Name, nil
	}
	// The file was checked when it was loaded, but may have changed since.
	if _, msg := tomlfile.CheckStructure(string(own)); msg != "" {
		return parent.Name, nil
	}
	var resolved bytes.Buffer
	if err := parent.WriteResolved(&resolved); err != nil {
		return parent.Name, nil
	}
	var ownMap, parMap map[string]any
	if _, err := toml.Decode(string(own), &ownMap); err != nil {
		return parent.Name, nil
	}
	if _, err := toml.Decode(resolved.String(), &parMap); err != nil {
		return parent.Name, nil
	}
	// The groups of explore sensitivity say how to analyse the scenario,
	// not what it is: they change no path.
	for _, k := range []string{"name", "extends", "description", "input_group"} {
		delete(ownMap, k)
	}
	var out []results.Change
	changedKeys(&out, "", ownMap, parMap)
	return parent.Name, out
}

// changedKeys appends to out every leaf key of own under path whose value
// differs from par's: a key with a plain value or a distribution.
func changedKeys(out *[]results.Change, path string, own, par any) {
	switch o := own.(type) {
	case map[string]any:
		if _, isDist := o["dist"]; !isDist {
			pm, _ := par.(map[string]any)
			for _, k := range sortedKeys(o) {
				changedKeys(out, tomlfile.JoinKey(path, k), o[k], pm[k])
			}
			return
		}
	case []map[string]any:
		pl, _ := par.([]map[string]any)
		for i, e := range o {
			name, _ := e["name"].(string)
			var pe map[string]any
			for j, c := range pl {
				if n, _ := c["name"].(string); (name != "" && n == name) || (name == "" && j == i) {
					pe = c
				}
			}
			for _, k := range sortedKeys(e) {
				if k == "name" {
					continue
				}
				changedKeys(out, tomlfile.JoinKey(tomlfile.EntryPath(path, e["name"], i), k), e[k], pe[k])
			}
		}
		return
	}
	v, p := valueString(own), ""
	if par != nil {
		p = valueString(par)
	}
	if v != p {
		// Text from the file reaches the page and manifest.json without
		// its control characters, as descriptions do.
		*out = append(*out, results.Change{Key: safetext.Strip(path), Parent: safetext.Strip(p), Value: safetext.Strip(v)})
	}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// valueString writes a value read from TOML for people: numbers as they
// are, a distribution as "triangular: min 0.8, mode 0.95, max 1".
func valueString(v any) string {
	switch x := v.(type) {
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case int64:
		return strconv.FormatInt(x, 10)
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = valueString(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		var parts []string
		for _, k := range sortedKeys(x) {
			if k == "dist" || k == "name" {
				continue
			}
			parts = append(parts, k+" "+valueString(x[k]))
		}
		if d, ok := x["dist"].(string); ok {
			return d + ": " + strings.Join(parts, ", ")
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return fmt.Sprint(v)
}
