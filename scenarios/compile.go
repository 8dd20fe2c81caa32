package scenarios

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/reesim/reesim/sim"
	"github.com/reesim/reesim/uncertain"
)

// Input is one entry of a path's inputs vector: a number of the scenario,
// fixed or sampled.
type Input struct {
	// Name identifies the input; its random stream is derived from it, so
	// an input keeps its draws when other inputs change.
	Name string
	Dist uncertain.Dist
	// Month marks inputs whose values are absolute month numbers.
	Month bool
	// Key is the key path of the first key that uses the input (its
	// name, when that is a key path), and Keys the number of keys that
	// use it.
	Key  string
	Keys int
}

// Sampled reports whether the input varies between paths.
func (in Input) Sampled() bool { return !uncertain.IsFixed(in.Dist) }

// Group is a set of inputs whose ranks are correlated.
type Group struct {
	Members  []int     // indices into Compiled.Inputs
	Spearman []float64 // len(Members)² row-major
}

// Compiled is a scenario ready to simulate: the model and the inputs that
// feed it.
type Compiled struct {
	Scenario *Scenario
	Model    *sim.Model
	Inputs   []Input
	Groups   []Group
}

// StartMonth returns the scenario's first month as year*12 + month-1.
func (s *Scenario) StartMonth() (int, error) {
	var y, m int
	if _, err := fmt.Sscanf(s.Start, "%4d-%2d", &y, &m); err != nil || m < 1 || m > 12 {
		return 0, fmt.Errorf("start %q is not a month: expected YYYY-MM", s.Start)
	}
	return y*12 + m - 1, nil
}

// MonthString formats an absolute month number as YYYY-MM.
func MonthString(abs int) string { return fmt.Sprintf("%04d-%02d", abs/12, abs%12+1) }

// Compile turns a loaded scenario into a model and its inputs.
//
// Every key the model reads becomes an input, in the order of the keys'
// declarations (sim/keys.go), and the order of the inputs is part of a
// run's results: it orders the columns of paths.csv and the dimensions of
// a sampling design.
func Compile(s *Scenario) (*Compiled, error) {
	start, err := s.StartMonth()
	if err != nil {
		return nil, fmt.Errorf("scenario %s: %w", s.Name, err)
	}
	c := &Compiled{Scenario: s}
	m := &sim.Model{Months: s.HorizonYears * 12, StartAbs: start}
	c.Model = m
	cp := &compiler{c: c, byName: map[string]int{}}

	// Regions, in sorted order.
	regions := make([]string, 0, len(s.Regions))
	for r := range s.Regions {
		regions = append(regions, r)
	}
	sort.Strings(regions)
	regIdx := map[string]int{}
	for i, r := range regions {
		regIdx[r] = i
		mk := sim.ExChina
		if s.Regions[r] == "china" {
			mk = sim.China
		}
		m.RegionNames = append(m.RegionNames, r)
		m.RegionMarket = append(m.RegionMarket, mk)
		m.RegionAllied = append(m.RegionAllied, s.Regions[r] == "allied")
	}
	region := func(what, name, r string) (int, error) {
		i, ok := regIdx[r]
		if !ok {
			return 0, fmt.Errorf("scenario %s: %s %q: region %q is not in [regions]", s.Name, what, name, r)
		}
		return i, nil
	}
	prod := func(p string) int {
		for k, n := range sim.ProductNames {
			if n == p {
				return k
			}
		}
		return -1
	}

	cp.keys(&m.Recipe, s.Recipe, "recipe.", nil, nil)
	mks := [sim.NumProd]Market{s.Market.Concentrate, s.Market.NdPr, s.Market.DyTb, s.Market.Magnet}
	for k, mk := range mks {
		cp.keys(&m.Market[k], mk, "market."+sim.ProductNames[k]+".", nil, nil)
	}
	cp.keys(&m.Response, s.Response, "supply_response.", nil, nil)

	facIdx := map[string]int{}
	for _, f := range s.Facilities {
		r, err := region("facility", f.Name, f.Region)
		if err != nil {
			return nil, err
		}
		st := map[string]sim.Stage{"mine": sim.Mine, "separation": sim.Separation, "magnet": sim.MagnetPlant}
		stage, ok := st[f.Stage]
		if !ok {
			return nil, fmt.Errorf("scenario %s: facility %q: stage %q is not mine, separation or magnet", s.Name, f.Name, f.Stage)
		}
		mk := m.RegionMarket[r]
		if f.SellsTo == "china" {
			mk = sim.China
		}
		cf := sim.Facility{Name: f.Name, Stage: stage, Region: r, Market: mk, New: f.PlannedStart.Set, CancelDraw: sim.NoRef}
		cp.keys(&cf.FacilityKeys, f.FacilityKeys, "facility."+f.Name+".", &cf.CancelDraw, map[string]bool{"mine": stage == sim.Mine, "new": cf.New})
		facIdx[f.Name] = len(m.Facilities)
		m.Facilities = append(m.Facilities, cf)
	}

	segIdx := map[string]int{}
	for _, sg := range s.Segments {
		r, err := region("segment", sg.Name, sg.Region)
		if err != nil {
			return nil, err
		}
		cs := sim.Segment{Name: sg.Name, Defence: sg.Use == "defence", Region: r, Market: m.RegionMarket[r]}
		cp.keys(&cs.SegmentKeys, sg.SegmentKeys, "segment."+sg.Name+".", nil, nil)
		segIdx[sg.Name] = len(m.Segments)
		m.Segments = append(m.Segments, cs)
	}

	for _, sp := range s.Stockpiles {
		k := prod(sp.Product)
		if k <= sim.Conc {
			return nil, fmt.Errorf("scenario %s: stockpile %q: product %q is not ndpr, dytb or magnet", s.Name, sp.Name, sp.Product)
		}
		cs := sim.Stockpile{Name: sp.Name, Product: k}
		cp.keys(&cs.StockpileKeys, sp.StockpileKeys, "stockpile."+sp.Name+".", nil, map[string]bool{"days": sp.SizeDays.Set, "tonnes": !sp.SizeDays.Set})
		for _, n := range sp.Serves {
			i, ok := segIdx[n]
			if !ok {
				return nil, fmt.Errorf("scenario %s: stockpile %q serves %q, which is not a segment", s.Name, sp.Name, n)
			}
			cs.ServedSegments = append(cs.ServedSegments, i)
		}
		m.Stockpiles = append(m.Stockpiles, cs)
	}

	for _, ec := range s.ExportControls {
		cc := sim.Control{Name: ec.Name}
		cp.keys(&cc.ControlKeys, ec.ControlKeys, "export_control."+ec.Name+".", &cc.Draw, nil)
		for _, p := range ec.Products {
			k := prod(p)
			if k < 0 {
				return nil, fmt.Errorf("scenario %s: export control %q: product %q is not one of %s", s.Name, ec.Name, p, strings.Join(sim.ProductNames[:], ", "))
			}
			cc.Products[k] = true
		}
		m.Controls = append(m.Controls, cc)
	}

	for _, tr := range s.Tariffs {
		r, err := region("tariff", tr.Name, tr.Importer)
		if err != nil {
			return nil, err
		}
		k := prod(tr.Product)
		if k < 0 {
			return nil, fmt.Errorf("scenario %s: tariff %q: product %q is not one of %s", s.Name, tr.Name, tr.Product, strings.Join(sim.ProductNames[:], ", "))
		}
		ct := sim.Tariff{Name: tr.Name, Region: r, Product: k}
		cp.keys(&ct.TariffKeys, tr.TariffKeys, "tariff."+tr.Name+".", &ct.Draw, nil)
		m.Tariffs = append(m.Tariffs, ct)
	}

	for _, fl := range s.Floors {
		k := prod(fl.Product)
		if k <= sim.Conc {
			return nil, fmt.Errorf("scenario %s: price floor %q: product %q is not ndpr, dytb or magnet", s.Name, fl.Name, fl.Product)
		}
		cf := sim.Floor{Name: fl.Name, Product: k}
		cp.keys(&cf.FloorKeys, fl.FloorKeys, "price_floor."+fl.Name+".", nil, nil)
		for _, n := range fl.Facilities {
			i, ok := facIdx[n]
			if !ok {
				return nil, fmt.Errorf("scenario %s: price floor %q covers %q, which is not a facility", s.Name, fl.Name, n)
			}
			cf.Facilities = append(cf.Facilities, i)
		}
		m.Floors = append(m.Floors, cf)
	}

	facilities := func(what, name string, names []string) ([]int, error) {
		var out []int
		for _, n := range names {
			i, ok := facIdx[n]
			if !ok {
				return nil, fmt.Errorf("scenario %s: %s %q covers %q, which is not a facility", s.Name, what, name, n)
			}
			out = append(out, i)
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("scenario %s: %s %q lists no facilities", s.Name, what, name)
		}
		return out, nil
	}
	for _, q := range s.Quotas {
		fs, err := facilities("production quota", q.Name, q.Facilities)
		if err != nil {
			return nil, err
		}
		cq := sim.Quota{Name: q.Name, Facilities: fs}
		cp.keys(&cq.QuotaKeys, q.QuotaKeys, "production_quota."+q.Name+".", &cq.Draw, nil)
		m.Quotas = append(m.Quotas, cq)
	}
	for _, d := range s.Disruptions {
		fs, err := facilities("disruption", d.Name, d.Facilities)
		if err != nil {
			return nil, err
		}
		cd := sim.Disruption{Name: d.Name, Facilities: fs}
		cp.keys(&cd.DisruptionKeys, d.DisruptionKeys, "disruption."+d.Name+".", &cd.Draw, nil)
		m.Disruptions = append(m.Disruptions, cd)
	}
	for _, r := range s.Reserves {
		k := prod(r.Product)
		if k != sim.NdPr && k != sim.DyTb {
			return nil, fmt.Errorf("scenario %s: state reserve %q: product %q is not ndpr or dytb", s.Name, r.Name, r.Product)
		}
		cr := sim.Reserve{Name: r.Name, Product: k}
		cp.keys(&cr.ReserveKeys, r.ReserveKeys, "state_reserve."+r.Name+".", &cr.Draw, nil)
		m.Reserves = append(m.Reserves, cr)
	}

	for _, rc := range s.Recycling {
		mk := sim.ExChina
		if rc.Market == "china" {
			mk = sim.China
		}
		cr := sim.Recycling{Name: rc.Name, Market: mk}
		cp.keys(&cr.RecyclingKeys, rc.RecyclingKeys, "recycling."+rc.Name+".", nil, nil)
		m.Recycling = append(m.Recycling, cr)
	}

	if len(cp.missing) > 0 {
		return nil, fmt.Errorf("scenario %s: %s has no value: scenarios must be read with Load or LoadBytes, which apply the defaults", s.Name, strings.Join(cp.missing, ", "))
	}

	// Rank correlations: group the named inputs that are linked.
	if err := c.group(s.Correlations, cp.byName); err != nil {
		return nil, fmt.Errorf("scenario %s: %w", s.Name, err)
	}
	m.NInputs = len(c.Inputs)
	m.FixedInputs = map[sim.Ref]float64{}
	for i, in := range c.Inputs {
		if lo, hi := in.Dist.Bounds(); lo == hi {
			m.FixedInputs[sim.Ref(i)] = lo
		}
	}
	return c, nil
}

// compiler makes the inputs of a model from a scenario's keys.
type compiler struct {
	c *Compiled
	// byName finds the input of each name.
	byName map[string]int
	// missing lists the keys the model needs that have no value.
	missing []string
}

// ref returns the input of n, the value of the key at key path key, or
// NoRef when n is unset.
func (cp *compiler) ref(n Num, key string) sim.Ref {
	if !n.Set {
		return sim.NoRef
	}
	name := key
	if n.Name != "" {
		name = n.Name
	}
	// One name, one input: keys that share a name share the draw (the
	// first definition's distribution is used).
	if i, ok := cp.byName[name]; ok {
		cp.c.Inputs[i].Keys++
		return sim.Ref(i)
	}
	cp.byName[name] = len(cp.c.Inputs)
	cp.c.Inputs = append(cp.c.Inputs, Input{Name: name, Dist: n.Dist, Month: n.Month, Key: key, Keys: 1})
	return sim.Ref(len(cp.c.Inputs) - 1)
}

// need is ref for a key that must have a value: every key that is
// required or has a default has one once Load has applied the defaults
// (docs/SCENARIOS.md), and a scenario that skipped them is refused.
func (cp *compiler) need(n Num, key string) sim.Ref {
	if !n.Set {
		cp.missing = append(cp.missing, key)
		return sim.NoRef
	}
	return cp.ref(n, key)
}

// draw returns a new uniform(0, 1) input named name: the draw that
// decides whether an event happens on a path.
func (cp *compiler) draw(name string) sim.Ref {
	return cp.ref(Num{Dist: uncertain.Uniform{Min: 0, Max: 1}, Set: true}, name)
}

// keys sets each field of dst, a pointer to a model's struct of keys such
// as *sim.SegmentKeys[sim.Ref], from the same field of src, the
// scenario's sim.SegmentKeys[Num], whose keys are at key path prefix+KEY.
// A Num becomes the Ref of its input, made in the order of the fields;
// other fields are copied. The draw that follows an event's probability
// (a key tagged draw) is made right after it, named prefix+"occurs_draw"
// or as the tag says, and stored in *draw.
//
// A key tagged only=C is read only when when[C]; it is NoRef otherwise.
// Such keys are made after all the others, grouped by their conditions in
// the order they first appear (a mine's oxide shares, then a new plant's
// start, delay, cancellation and ramp).
func (cp *compiler) keys(dst, src any, prefix string, draw *sim.Ref, when map[string]bool) {
	sv, dv := reflect.ValueOf(src), reflect.ValueOf(dst).Elem()
	fields := keyFields(sv.Type())
	set := func(f reflect.StructField) {
		o, key := optsOf(f), prefix+tomlKey(f)
		n := sv.FieldByIndex(f.Index).Interface().(Num)
		var r sim.Ref
		if o.req || o.def != "" {
			r = cp.need(n, key)
		} else {
			r = cp.ref(n, key)
		}
		dv.FieldByIndex(f.Index).Set(reflect.ValueOf(r))
		if o.draw != "" {
			*draw = cp.draw(prefix + o.draw)
		}
	}
	var conds []string
	for _, f := range fields {
		o := optsOf(f)
		switch {
		case f.Type != numType:
			dv.FieldByIndex(f.Index).Set(sv.FieldByIndex(f.Index))
		case o.only != "":
			dv.FieldByIndex(f.Index).Set(reflect.ValueOf(sim.NoRef))
			if !slices.Contains(conds, o.only) {
				conds = append(conds, o.only)
			}
		default:
			set(f)
		}
	}
	for _, c := range conds {
		if !when[c] {
			continue
		}
		for _, f := range fields {
			if f.Type == numType && optsOf(f).only == c {
				set(f)
			}
		}
	}
}

// group builds the copula groups from the asked-for correlations.
func (c *Compiled) group(corr []Correlation, byName map[string]int) error {
	if len(corr) == 0 {
		return nil
	}
	parent := map[int]int{}
	var find func(int) int
	find = func(i int) int {
		if p, ok := parent[i]; ok && p != i {
			r := find(p)
			parent[i] = r
			return r
		}
		parent[i] = i
		return i
	}
	type pair struct {
		a, b int
		r    float64
	}
	var pairs []pair
	for _, cr := range corr {
		if len(cr.Between) != 2 {
			return fmt.Errorf("correlation between %v: expected two input names", cr.Between)
		}
		a, ok := byName[cr.Between[0]]
		b, ok2 := byName[cr.Between[1]]
		if !ok || !ok2 {
			return fmt.Errorf("correlation between %q and %q: both must name sampled inputs", cr.Between[0], cr.Between[1])
		}
		parent[find(a)] = find(b)
		pairs = append(pairs, pair{a, b, cr.Rank})
	}
	members := map[int][]int{}
	var roots []int
	for i := range parent {
		r := find(i)
		if _, ok := members[r]; !ok {
			roots = append(roots, r)
		}
		members[r] = append(members[r], i)
	}
	sort.Ints(roots)
	for _, r := range roots {
		mem := members[r]
		sort.Ints(mem)
		n := len(mem)
		pos := map[int]int{}
		for i, v := range mem {
			pos[v] = i
		}
		rho := make([]float64, n*n)
		for i := 0; i < n; i++ {
			rho[i*n+i] = 1
		}
		for _, p := range pairs {
			i, ok := pos[p.a]
			if !ok {
				continue
			}
			j := pos[p.b]
			rho[i*n+j], rho[j*n+i] = p.r, p.r
		}
		if _, err := uncertain.NewCopula(n, rho); err != nil {
			return err
		}
		c.Groups = append(c.Groups, Group{Members: mem, Spearman: rho})
	}
	return nil
}
