package scenarios

import (
	"fmt"
	"github.com/reesim/reesim/internal/tomlfile"
	"maps"
	"math"
	"path"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/reesim/reesim/sim"
	"github.com/reesim/reesim/uncertain"
)

// validate makes the checks that involve more than one key, after
// defaults: references between entries, the horizon, mines' shares,
// stockpile sizes and correlations.
func (d *decoder) validate(s *Scenario) {
	regions := slices.Sorted(maps.Keys(s.Regions))
	start, startOK := parseMonth(s.Start)
	end := start + 12*s.HorizonYears // first month after the horizon
	horizonOK := startOK && d.checkedHorizon(s)

	checkRegion := func(path, region string) {
		if _, ok := s.Regions[region]; region == "" || ok {
			return
		}
		d.addf(d.at(path), path, "expected a region listed in [regions] (%s), got %q%s", JoinSome(regions, 20), region, d.hint.DidYouMean(region, regions))
	}
	// Events may start before the scenario does: they are then in force
	// at the start, and the path starts from their steady state
	// (docs/MODEL.md §3.0). They must start before the horizon ends.
	inHorizon := func(n Num, path string) {
		if n.Set && horizonOK {
			d.inHorizon(n, path, start, end, true)
		}
	}

	var facilities, segments nameSet
	for i, f := range s.Facilities {
		p := tomlfile.EntryPath("facility", f.Name, i)
		facilities.add(f.Name)
		checkRegion(p+".region", f.Region)
		if f.Stage != "" && f.Stage != "separation" && d.has(p+".dytb_capacity_tpy") {
			d.addf(d.at(p+".dytb_capacity_tpy"), p+".dytb_capacity_tpy", "dytb_capacity_tpy only applies to separation plants, and this facility's stage is %q; remove it", f.Stage)
		}
		if f.Stage == "separation" {
			// A resolved scenario writes the defaults (false, 0): only
			// values that would do something are wrong.
			_, elHi := f.SupplyElasticity.Bounds()
			for _, k := range []struct {
				key string
				set bool
			}{{"balance", f.Balance}, {"supply_elasticity", elHi > 0}} {
				if k.set {
					d.addf(d.at(p+"."+k.key), p+"."+k.key, "%s only applies to mines and magnet plants, and this facility's stage is %q; remove it", k.key, f.Stage)
				}
			}
		}
		if f.Stage == "mine" {
			d.mineShares(f, p)
			continue
		}
		if _, hi := f.CapacityResponse.Bounds(); hi > 0 && f.Stage != "" {
			d.addf(d.at(p+".capacity_response"), p+".capacity_response", "capacity_response only applies to mines, and this facility's stage is %q; remove it", f.Stage)
		}
		for _, k := range []struct {
			key string
			set bool
		}{{"ndpr_share", f.NdPrShare.Set}, {"dytb_share", f.DyTbShare.Set}, {"sells_to", f.SellsTo != ""}} {
			if k.set && f.Stage != "" {
				d.addf(d.at(p+"."+k.key), p+"."+k.key, "%s only applies to mines, and this facility's stage is %q; remove it", k.key, f.Stage)
			}
		}
	}
	stageOf := map[string]string{}
	for _, f := range s.Facilities {
		stageOf[f.Name] = f.Stage
	}
	for i, q := range s.Quotas {
		p := tomlfile.EntryPath("production_quota", q.Name, i)
		d.references(p+".facilities", q.Facilities, facilities, "facility", true)
		var stages []string
		for _, n := range q.Facilities {
			if st, ok := stageOf[n]; ok && !slices.Contains(stages, st) {
				stages = append(stages, st)
			}
		}
		switch {
		case len(stages) > 1:
			d.addf(d.at(p+".facilities"), p+".facilities", "a quota caps either mines (their ore) or separation plants (their feed), and this one lists both; give each its own [[production_quota]]")
		case len(stages) == 1 && stages[0] == "magnet":
			d.addf(d.at(p+".facilities"), p+".facilities", "a quota caps mines or separation plants, and this one lists magnet plants; expected mines or separation plants")
		}
		inHorizon(q.Start, p+".start")
		d.endAfterStart(q.Start, q.End, p)
	}
	for i, e := range s.Disruptions {
		p := tomlfile.EntryPath("disruption", e.Name, i)
		d.references(p+".facilities", e.Facilities, facilities, "facility", true)
		inHorizon(e.Start, p+".start")
	}
	for i, r := range s.Reserves {
		p := tomlfile.EntryPath("state_reserve", r.Name, i)
		inHorizon(r.Start, p+".start")
		d.endAfterStart(r.Start, r.End, p)
		if r.BuyBelowRatio.Set && r.ReleaseAboveRatio.Set {
			_, buyHi := r.BuyBelowRatio.Bounds()
			relLo, _ := r.ReleaseAboveRatio.Bounds()
			if relLo < buyHi {
				d.addf(d.at(p+".release_above_ratio"), p+".release_above_ratio", "the reserve would buy and sell at once: release_above_ratio (as low as %s) must be at least buy_below_ratio (as high as %s)", tomlfile.FormatNum(relLo), tomlfile.FormatNum(buyHi))
			}
		}
		if r.ReleaseAboveRatio.Set && !d.has(p+".release_rate") {
			d.addf(d.at(p+".release_above_ratio"), p+".release_rate", "a reserve that sells above a price ratio needs release_rate, the share of its holding sold a month")
		}
	}
	for i, g := range s.Segments {
		p := tomlfile.EntryPath("segment", g.Name, i)
		segments.add(g.Name)
		checkRegion(p+".region", g.Region)
	}
	chinaSeg := map[string]bool{}
	for _, g := range s.Segments {
		if s.Regions[g.Region] == "china" {
			chinaSeg[g.Name] = true
		}
	}
	for i, sp := range s.Stockpiles {
		p := tomlfile.EntryPath("stockpile", sp.Name, i)
		checkRegion(p+".holder", sp.Holder)
		switch {
		case sp.SizeT.Set && sp.SizeDays.Set:
			d.addf(d.at(p+".size_days"), p, "give the stockpile's size once, as size_t (tonnes) or size_days (days of allied consumption), not both")
		case !sp.SizeT.Set && !sp.SizeDays.Set:
			d.addf(d.at(p), p, "a stockpile needs its size: size_t (tonnes) or size_days (days of the allied bloc's consumption)")
		}
		d.references(p+".serves", sp.Serves, segments, "segment", false)
		for _, n := range sp.Serves {
			if chinaSeg[n] {
				d.addf(d.at(p+".serves"), p+".serves", "segment %q is in China; stockpiles serve buyers outside China, so list segments of other regions", n)
			}
		}
	}
	for i, e := range s.ExportControls {
		p := tomlfile.EntryPath("export_control", e.Name, i)
		if d.has(p+".products") && len(e.Products) == 0 {
			d.addf(d.at(p+".products"), p+".products", `expected at least one product from "concentrate", "ndpr", "dytb" and "magnet", got an empty list`)
		}
		inHorizon(e.Start, p+".start")
	}
	for i, t := range s.Tariffs {
		p := tomlfile.EntryPath("tariff", t.Name, i)
		checkRegion(p+".importer", t.Importer)
		inHorizon(t.Start, p+".start")
		d.endAfterStart(t.Start, t.End, p)
	}
	for i, f := range s.Floors {
		p := tomlfile.EntryPath("price_floor", f.Name, i)
		d.references(p+".facilities", f.Facilities, facilities, "facility", true)
		inHorizon(f.Start, p+".start")
		d.endAfterStart(f.Start, f.End, p)
	}

	for _, m := range []struct {
		name, what string
		m          Market
	}{{"ndpr", "NdPr oxide", s.Market.NdPr}, {"dytb", "Dy/Tb oxide", s.Market.DyTb}, {"magnet", "magnet", s.Market.Magnet}} {
		if !m.m.RefPrice.Set {
			p := "market." + m.name + ".ref_price"
			at, ok := d.present["market."+m.name]
			if !ok {
				at = d.top
			}
			d.addf(at, p, "this key is required: the reference %s price in China at the start, in $/kg", m.what)
		}
	}
	if s.Market.Concentrate.RefPrice.Set {
		p := "market.concentrate.ref_price"
		d.addf(d.at(p), p, "the concentrate price is a netback from the oxide prices and the payability, so it has no ref_price; remove it")
	}

	var metrics []string
	for _, info := range sim.MetricInfo {
		metrics = append(metrics, info.Name)
	}
	for _, k := range slices.Sorted(maps.Keys(s.Thresholds)) {
		if !slices.Contains(metrics, k) {
			p := "thresholds." + k
			if hint := d.hint.DidYouMean(k, metrics); hint != "" {
				d.addf(d.at(p), p, "there is no headline metric named %q%s", k, hint)
			} else {
				d.addf(d.at(p), p, "there is no headline metric named %q; expected one of %s", k, strings.Join(metrics, ", "))
			}
		}
	}

	d.inputsAndCorrelations(s)
}

// checkedHorizon reports whether the horizon was read without problems.
func (d *decoder) checkedHorizon(s *Scenario) bool {
	return s.HorizonYears >= 1 && s.HorizonYears <= 50
}

// mineShares checks a mine's NdPr and Dy/Tb shares.
func (d *decoder) mineShares(f Facility, p string) {
	ok := true
	for _, k := range []struct {
		key, what string
		n         Num
	}{{"ndpr_share", "NdPr oxide", f.NdPrShare}, {"dytb_share", "Dy/Tb oxide", f.DyTbShare}} {
		if !k.n.Set {
			d.addf(d.at(p), p+"."+k.key, "this key is required for a mine: the share of %s in its rare-earth oxide (REO)", k.what)
			ok = false
		}
	}
	// A share with a problem of its own (out of range, say) says nothing
	// useful about the total: one problem is reported, not two.
	if !ok || d.bad[p+".ndpr_share"] || d.bad[p+".dytb_share"] {
		return
	}
	_, hi1 := f.NdPrShare.Bounds()
	_, hi2 := f.DyTbShare.Bounds()
	if hi1+hi2 > 1 {
		how := fmt.Sprintf("add up to %s", tomlfile.FormatNum(hi1+hi2))
		if !f.NdPrShare.IsFixed() || !f.DyTbShare.IsFixed() {
			how = fmt.Sprintf("can add up to %s", tomlfile.FormatNum(hi1+hi2))
		}
		d.addf(d.at(p+".dytb_share"), p, "ndpr_share and dytb_share %s; they are shares of the same oxide, so expected a total of at most 1", how)
	}
}

// nameSet is a list of names, and a set of them to look names up in.
type nameSet struct {
	list []string
	has  map[string]bool
}

func (s *nameSet) add(name string) {
	if s.has == nil {
		s.has = map[string]bool{}
	}
	s.list = append(s.list, name)
	s.has[name] = true
}

// references checks that names are among known, the names of entries of
// kind.
func (d *decoder) references(path string, names []string, known nameSet, kind string, required bool) {
	if required && d.has(path) && len(names) == 0 {
		d.addf(d.at(path), path, "expected the names of one or more [[%s]] entries, got an empty list", kind)
	}
	seen := make(map[string]bool, len(names))
	for _, n := range names {
		if !known.has[n] {
			d.addf(d.at(path), path, "there is no %s named %q%s; expected the name of a [[%s]] entry", kind, n, d.hint.DidYouMean(n, known.list), kind)
		}
		if seen[n] {
			d.addf(d.at(path), path, "%q is listed twice; list each %s once", n, kind)
		}
		seen[n] = true
	}
}

// inHorizon checks that the event month n falls inside the horizon
// [start, end).
// With early set, a start before the scenario's is allowed: the event is
// then in force from the first month.
func (d *decoder) inHorizon(n Num, path string, start, end int, early bool) {
	lo, hi := n.Bounds()
	if math.IsNaN(lo) {
		return
	}
	window := fmt.Sprintf("the horizon runs from %s to %s", formatMonth(start), formatMonth(end-1))
	fixed := n.IsFixed()
	switch {
	case early:
	case lo < float64(start) && fixed:
		d.addf(d.at(path), path, "starts in %s, before the scenario starts; %s", fmtMonthValue(lo), window)
	case lo < float64(start):
		d.addf(d.at(path), path, "can start as early as %s, before the scenario starts; %s", fmtMonthValue(lo), window)
	}
	switch {
	case hi >= float64(end) && fixed:
		d.addf(d.at(path), path, "starts in %s, after the horizon ends; %s", fmtMonthValue(hi), window)
	case hi >= float64(end):
		d.addf(d.at(path), path, "can start as late as %s, after the horizon ends; %s", fmtMonthValue(hi), window)
	}
}

// endAfterStart checks that an event that ends, ends after it starts.
func (d *decoder) endAfterStart(start, end Num, p string) {
	if !start.Set || !end.Set {
		return
	}
	_, startHi := start.Bounds()
	endLo, _ := end.Bounds()
	if math.IsNaN(startHi) || math.IsNaN(endLo) || endLo > startHi {
		return
	}
	if start.IsFixed() && end.IsFixed() {
		d.addf(d.at(p+".end"), p+".end", "ends in %s, not after it starts in %s; expected an end after the start", fmtMonthValue(endLo), fmtMonthValue(startHi))
		return
	}
	d.addf(d.at(p+".end"), p+".end", "can end as early as %s, not after it may start (as late as %s); expected an end after the start on every path", fmtMonthValue(endLo), fmtMonthValue(startHi))
}

// input is one Num of a scenario.
type input struct {
	path string
	num  Num
}

// walkNums calls fn for every Num in v, a Scenario or a part of one, at
// key path path, in the order of the fields.
func walkNums(v reflect.Value, path string, fn func(path string, n Num)) {
	switch {
	case v.Type() == numType:
		fn(path, v.Interface().(Num))
	case v.Kind() == reflect.Struct:
		for _, f := range keyFields(v.Type()) {
			walkNums(v.FieldByIndex(f.Index), tomlfile.JoinKey(path, tomlKey(f)), fn)
		}
	case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Struct:
		for i := 0; i < v.Len(); i++ {
			e := v.Index(i)
			walkNums(e, tomlfile.EntryPath(path, entryName(e), i), fn)
		}
	}
}

// inputsAndCorrelations checks that inputs' names are unique and that
// correlations name two distinct sampled inputs.
func (d *decoder) inputsAndCorrelations(s *Scenario) {
	byName := map[string]input{}
	byPath := map[string]Num{} // inputs by key path, whatever their names
	var sampled []string
	walkNums(reflect.ValueOf(*s), "", func(path string, n Num) {
		if !n.Set {
			return
		}
		byPath[path] = n
		if prev, ok := byName[n.Name]; ok {
			if !reflect.DeepEqual(prev.num.Dist, n.Dist) {
				d.addf(d.at(path), path, "the input name %q is already used by %s with a different distribution; give each input its own name (the same name means the same draw)", n.Name, prev.path)
			}
			return
		}
		byName[n.Name] = input{path, n}
		if !n.IsFixed() {
			sampled = append(sampled, n.Name)
		}
	})
	sort.Strings(sampled)
	pairs := map[[2]string]string{}
	var good []corrPair
	for i, c := range s.Correlations {
		p := fmt.Sprintf("correlation[%d]", i+1)
		bp := p + ".between"
		if !d.has(bp) || d.bad[bp] {
			continue
		}
		if len(c.Between) != 2 {
			d.addf(d.at(bp), bp, `expected the names of two sampled inputs, as in between = ["a", "b"], got %d names`, len(c.Between))
			continue
		}
		ok := true
		for _, name := range c.Between {
			in, known := byName[name]
			byKey, isPath := byPath[name]
			switch {
			case known && !in.num.IsFixed():
			case known:
				d.addf(d.at(bp), bp, "%q is a fixed value, not a distribution, so it cannot be correlated; expected the name of a sampled input", name)
				ok = false
			case isPath && byKey.IsFixed():
				d.addf(d.at(bp), bp, "%q is a fixed value, not a distribution, so it cannot be correlated; expected the name of a sampled input", name)
				ok = false
			case isPath:
				// The key path of an input that has a name of its own.
				d.addf(d.at(bp), bp, "the input at %s is named %q (its name key), and correlations name an input by its name when it has one: write %q", name, byKey.Name, byKey.Name)
				ok = false
			default:
				d.addf(d.at(bp), bp, "there is no sampled input named %q%s; expected the name of a distribution (its name key, or its key path such as \"facility.NAME.delay_months\")", name, d.hint.DidYouMean(name, sampled))
				ok = false
			}
		}
		if !ok {
			continue
		}
		a, b := c.Between[0], c.Between[1]
		if a == b {
			d.addf(d.at(bp), bp, "names the input %q twice; expected two different inputs", a)
			continue
		}
		key := [2]string{min(a, b), max(a, b)}
		if prev, dup := pairs[key]; dup {
			d.addf(d.at(p), p, "%q and %q are already correlated by %s; give each pair once", a, b, prev)
			continue
		}
		pairs[key] = p
		if !d.bad[p+".rank"] {
			good = append(good, corrPair{a, b, c.Rank, p})
		}
	}
	d.correlationsPossible(good)
	d.inputGroups(s, sampled)
}

// inputGroups checks the [[input_group]] entries: each pattern is a valid
// pattern that matches a sampled input or an event draw, and no input is
// in two groups.
func (d *decoder) inputGroups(s *Scenario, sampled []string) {
	names := append(slices.Clone(sampled), eventDraws(s)...)
	owner := map[string]string{}
	for i, g := range s.InputGroups {
		p := tomlfile.EntryPath("input_group", g.Name, i) + ".inputs"
		if !d.has(p) || d.bad[p] {
			continue
		}
		for _, pat := range g.Inputs {
			if _, err := path.Match(pat, ""); err != nil {
				d.addf(d.at(p), p, "%q is not a valid pattern (%v); expected an input's name, or a pattern such as \"facility.*.delay_months\"", pat, err)
				continue
			}
			hit := false
			clash := map[string][]string{} // other group: inputs
			var others []string
			for _, n := range names {
				if ok, _ := path.Match(pat, n); !ok {
					continue
				}
				hit = true
				if prev, ok := owner[n]; ok && prev != g.Name {
					if clash[prev] == nil {
						others = append(others, prev)
					}
					clash[prev] = append(clash[prev], n)
					continue
				}
				owner[n] = g.Name
			}
			for _, prev := range others {
				in := clash[prev]
				what := fmt.Sprintf("the input %q", in[0])
				if len(in) > 1 {
					what = fmt.Sprintf("%d inputs (%q, ...)", len(in), in[0])
				}
				d.addf(d.at(p), p, "%q puts %s in this group, already in the group %q; an input may be in one group only", pat, what, prev)
			}
			if !hit {
				d.addf(d.at(p), p, "%q matches no sampled input%s; expected the name of a distribution (its name key, or its key path such as \"facility.NAME.delay_months\") or a pattern that matches some", pat, d.hint.DidYouMean(pat, sampled))
			}
		}
	}
}

// eventDraws returns the names of the scenario's event draws, the inputs
// the model draws after each event's probability (a key tagged draw):
// KIND.NAME.occurs_draw, or facility.NAME.cancel_draw.
func eventDraws(s *Scenario) []string {
	var out []string
	v := reflect.ValueOf(*s)
	for _, f := range keyFields(v.Type()) {
		if f.Type.Kind() != reflect.Slice || f.Type.Elem().Kind() != reflect.Struct {
			continue
		}
		for _, ef := range keyFields(f.Type.Elem()) {
			draw := optsOf(ef).draw
			if draw == "" {
				continue
			}
			entries := v.FieldByIndex(f.Index)
			for i := range entries.Len() {
				out = append(out, tomlKey(f)+"."+entries.Index(i).FieldByName("Name").String()+"."+draw)
			}
		}
	}
	return out
}

// MaxCorrelated is the most inputs that correlations may link, directly
// or through others, into one group.
const MaxCorrelated = 100

// corrPair is a correlation between two sampled inputs, from the entry
// at key path p.
type corrPair struct {
	a, b string
	rank float64
	p    string
}

// correlationsPossible checks that the rank correlations asked for can
// hold at once: among the inputs they link, directly or through others,
// the matrix of correlations must be positive definite, or no sample can
// have them (a correlation of exactly 1 or -1 between two different
// inputs, or 0.9 between a and b and between b and c but -0.9 between a
// and c, say). The sampler makes the same check when a run starts; this
// one places the problem in the file.
func (d *decoder) correlationsPossible(pairs []corrPair) {
	group := map[string]string{} // input → a representative
	var find func(string) string
	find = func(x string) string {
		if r, ok := group[x]; ok && r != x {
			r = find(r)
			group[x] = r
			return r
		}
		group[x] = x
		return x
	}
	for _, c := range pairs {
		group[find(c.a)] = find(c.b)
	}
	var roots []string
	members := map[string][]string{}
	for x := range group {
		r := find(x)
		if members[r] == nil {
			roots = append(roots, r)
		}
		members[r] = append(members[r], x)
	}
	sort.Strings(roots)
	byRoot := map[string][]corrPair{}
	for _, c := range pairs {
		r := find(c.a)
		byRoot[r] = append(byRoot[r], c)
	}
	for _, r := range roots {
		names := members[r]
		sort.Strings(names)
		n := len(names)
		entries := byRoot[r]
		if n > MaxCorrelated {
			// The check below, and the sampler, take time that grows with
			// the cube of the group's size.
			first := entries[0]
			d.addf(d.at(first.p), first.p, "this and %d more correlations link %d inputs into one group, and a group may hold at most %d; expected correlations among a few inputs at a time", len(entries)-1, n, MaxCorrelated)
			continue
		}
		at := make(map[string]int, n)
		for i, name := range names {
			at[name] = i
		}
		rho := make([]float64, n*n)
		for i := range n {
			rho[i*n+i] = 1
		}
		for _, c := range entries {
			i, j := at[c.a], at[c.b]
			rho[i*n+j], rho[j*n+i] = c.rank, c.rank
		}
		if _, err := uncertain.NewCopula(n, rho); err == nil {
			continue
		}
		first := entries[0]
		if len(entries) == 1 {
			d.addf(d.at(first.p+".rank"), first.p+".rank", "a rank correlation of exactly %s between two different inputs (%q and %q) cannot be sampled; expected a value strictly between -1 and 1 (such as %s), or give both keys the same name to make them one input",
				tomlfile.FormatNum(first.rank), first.a, first.b, tomlfile.FormatNum(math.Copysign(0.99, first.rank)))
			continue
		}
		var others []string
		for _, c := range entries[1:] {
			others = append(others, c.p)
		}
		d.addf(d.at(first.p), first.p, "with %s, this asks for rank correlations among %s that cannot all hold at once (their correlation matrix is not positive definite); expected weaker correlations, or ones that agree (if a goes with b and b with c, a must go with c)",
			strings.Join(others, " and "), list(names, "and"))
	}
}
