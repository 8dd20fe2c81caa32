package explore

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/reesim/reesim/engine"
	"github.com/reesim/reesim/scenarios"
)

// Unit is a factor of a scenario's sensitivity analysis: one sampled
// input, the inputs of a rank-correlation group (which cannot vary apart),
// a scenario's [[input_group]], or every input left out of the others.
type Unit struct {
	Factor
	// Inputs are the names of its inputs, in input order.
	Inputs []string
	// Group is the [[input_group]] it is, if any; Kind that group's kind
	// ("" when it is not a group).
	Group, Kind, Label string
	// Rest marks the unit of every input not analysed on its own.
	Rest bool
}

// Units returns the factors of c's sampled inputs, whose dimensions are
// the inputs' places in engine.DefaultDims(c). With byGroup, each
// [[input_group]] of the scenario is one factor and the inputs in none
// form one factor "other inputs"; otherwise each input is a factor. In
// both, inputs linked by rank correlations are one factor, since they
// cannot vary independently: a correlation that links inputs of several
// groups merges those groups.
func Units(c *scenarios.Compiled, byGroup bool) ([]Unit, error) {
	dims := engine.DefaultDims(c)
	dimOf := make(map[string]int, len(dims))
	for d, n := range dims {
		dimOf[n] = d
	}
	// Union-find over dimensions.
	parent := make([]int, len(dims))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		if parent[i] != i {
			parent[i] = find(parent[i])
		}
		return parent[i]
	}
	union := func(a, b int) {
		if ra, rb := find(a), find(b); ra != rb {
			parent[max(ra, rb)] = min(ra, rb)
		}
	}
	for _, g := range c.Groups {
		first := dimOf[c.Inputs[g.Members[0]].Name]
		for _, m := range g.Members[1:] {
			union(first, dimOf[c.Inputs[m].Name])
		}
	}
	groupOf := make([]int, len(dims)) // index in InputGroups, or -1
	for d := range groupOf {
		groupOf[d] = -1
	}
	if byGroup {
		gs := c.Scenario.InputGroups
		if len(gs) == 0 {
			return nil, fmt.Errorf("scenario %s names no [[input_group]]: add some (docs/SCENARIOS.md) or analyse every input on its own", c.Scenario.Name)
		}
		rest := -1
		for gi, g := range gs {
			first := -1
			for _, pat := range g.Inputs {
				hit := false
				for d, n := range dims {
					if ok, _ := path.Match(pat, n); !ok {
						continue
					}
					hit = true
					groupOf[d] = gi
					if first < 0 {
						first = d
					} else {
						union(first, d)
					}
				}
				if !hit {
					return nil, scenarios.Problems{{File: c.Scenario.File, Key: "input_group." + g.Name + ".inputs",
						Msg: fmt.Sprintf("%q matches no sampled input of scenario %s", pat, c.Scenario.Name)}}
				}
			}
		}
		for d := range dims {
			if groupOf[d] < 0 {
				if rest < 0 {
					rest = d
				} else {
					union(rest, d)
				}
			}
		}
	}
	// One unit per root, in order of the first dimension.
	var units []Unit
	unitOf := map[int]int{}
	for d, n := range dims {
		r := find(d)
		k, ok := unitOf[r]
		if !ok {
			k = len(units)
			unitOf[r] = k
			units = append(units, Unit{})
		}
		u := &units[k]
		u.Dims = append(u.Dims, d)
		u.Inputs = append(u.Inputs, n)
	}
	for k := range units {
		u := &units[k]
		var groups []string
		var kinds []string
		for _, d := range u.Dims {
			if g := groupOf[d]; g >= 0 {
				ig := c.Scenario.InputGroups[g]
				if !slices.Contains(groups, ig.Name) {
					groups = append(groups, ig.Name)
					kinds = append(kinds, ig.Kind)
				}
			} else if byGroup {
				u.Rest = true
			}
		}
		switch {
		case byGroup && len(groups) == 0:
			u.Name, u.Label = "other-inputs", fmt.Sprintf("Every other input (%d)", len(u.Inputs))
		case byGroup:
			u.Name = strings.Join(groups, "+")
			u.Group = u.Name
			u.Kind = kinds[0]
			var labels []string
			for _, g := range groups {
				for _, ig := range c.Scenario.InputGroups {
					if ig.Name == g {
						l := ig.Label
						if l == "" {
							l = ig.Name
						}
						labels = append(labels, l)
					}
				}
			}
			u.Label = strings.Join(labels, " + ")
			if u.Rest {
				u.Label += " + correlated inputs"
			}
		default:
			u.Name = strings.Join(u.Inputs, "+")
		}
	}
	return units, nil
}

// RestUnit returns the unit made of every input of the units not in keep:
// the factor whose total index bounds the total index of each of them.
func RestUnit(units []Unit, keep []int) Unit {
	r := Unit{Rest: true, Factor: Factor{Name: "other-inputs"}}
	for k, u := range units {
		if slices.Contains(keep, k) {
			continue
		}
		r.Dims = append(r.Dims, u.Dims...)
		r.Inputs = append(r.Inputs, u.Inputs...)
	}
	slices.Sort(r.Dims)
	r.Label = fmt.Sprintf("Every other input (%d)", len(r.Inputs))
	return r
}
