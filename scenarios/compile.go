package scenarios

import (
	"fmt"
	"sort"
	"strings"

	"github.com/reesim/reesim/dist"
	"github.com/reesim/reesim/sim"
)

// Input is one entry of a path's inputs vector: a number of the scenario,
// fixed or sampled.
type Input struct {
	// Name identifies the input; its random stream is derived from it, so
	// an input keeps its draws when other inputs change.
	Name string
	Dist dist.Dist
	// Month marks inputs whose values are absolute month numbers.
	Month bool
	// Key is the key path of the first key that uses the input (its
	// name, when that is a key path), and Keys the number of keys that
	// use it.
	Key  string
	Keys int
}

// Sampled reports whether the input varies between paths.
func (in Input) Sampled() bool { return !in.Dist.IsFixed() }

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
func Compile(s *Scenario) (*Compiled, error) {
	start, err := s.StartMonth()
	if err != nil {
		return nil, fmt.Errorf("scenario %s: %w", s.Name, err)
	}
	c := &Compiled{Scenario: s}
	m := &sim.Model{Months: s.HorizonYears * 12, StartAbs: start}
	c.Model = m
	byName := map[string]int{}
	ref := func(n Num, name string) sim.Ref {
		if !n.Set {
			return sim.NoRef
		}
		key := name
		if n.Name != "" {
			name = n.Name
		}
		// One name, one input: keys that share a name share the draw
		// (the first definition's distribution is used).
		if i, ok := byName[name]; ok {
			c.Inputs[i].Keys++
			return sim.Ref(i)
		}
		byName[name] = len(c.Inputs)
		c.Inputs = append(c.Inputs, Input{Name: name, Dist: n.Dist, Month: n.Month, Key: key, Keys: 1})
		return sim.Ref(len(c.Inputs) - 1)
	}
	draw := func(name string) sim.Ref {
		return ref(Num{Dist: dist.Dist{Kind: dist.Uniform, Min: 0, Max: 1}, Set: true}, name)
	}
	// Every number the model needs has a value once Load has applied the
	// defaults (docs/SCENARIOS.md): the defaults live in one place,
	// defaults.go, and a scenario that skipped them is refused.
	var missing []string
	need := func(n Num, name string) sim.Ref {
		if !n.Set {
			missing = append(missing, name)
			return sim.NoRef
		}
		return ref(n, name)
	}

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

	m.RecipeNdPr = need(s.Recipe.NdPr, "recipe.ndpr_t_per_t")
	m.RecipeDyTb = need(s.Recipe.DyTb, "recipe.dytb_t_per_t")
	m.DyThriftMax = need(s.Recipe.DyTbThriftMax, "recipe.dytb_thrift_max")
	m.DyThriftRate = need(s.Recipe.DyTbThriftRate, "recipe.dytb_thrift_rate")
	m.DyThriftLag = need(s.Recipe.DyTbThriftLagMonths, "recipe.dytb_thrift_lag_months")
	m.DyThriftDecay = need(s.Recipe.DyTbThriftDecay, "recipe.dytb_thrift_decay")
	mks := [sim.NumProd]Market{s.Market.Concentrate, s.Market.NdPr, s.Market.DyTb, s.Market.Magnet}
	for k, mk := range mks {
		key := "market." + sim.ProductNames[k] + "."
		mp := &m.Market[k]
		mp.RefPrice = sim.NoRef // concentrate's price is a netback
		if k != sim.Conc {
			mp.RefPrice = need(mk.RefPrice, key+"ref_price")
		}
		mp.Cover[sim.China] = need(mk.CoverChina, key+"cover_china_months")
		mp.Cover[sim.ExChina] = need(mk.CoverExChina, key+"cover_exchina_months")
		mp.StockElasticity = need(mk.StockElasticity, key+"stock_elasticity")
		mp.DerivedElasticity = need(mk.DerivedElasticity, key+"derived_elasticity")
		mp.Payability = need(mk.Payability, key+"payability")
		mp.PriceCapMultiple = need(mk.PriceCapMultiple, key+"price_cap_multiple")
		mp.MinPriceMultiple = need(mk.MinPriceMultiple, key+"min_price_multiple")
		mp.PrecautionMultiple = need(mk.PrecautionMultiple, key+"precaution_multiple")
		mp.PrecautionBuildMonths = need(mk.PrecautionBuildMonths, key+"precaution_build_months")
		mp.PrecautionReleaseMonths = need(mk.PrecautionReleaseMonths, key+"precaution_release_months")
		mp.OriginSubstitution = need(mk.OriginSubstitution, key+"origin_substitution")
	}
	m.Response = sim.ResponseParams{
		Mine:         need(s.Response.Mine, "supply_response.mine"),
		Separation:   need(s.Response.Separation, "supply_response.separation"),
		Magnet:       need(s.Response.Magnet, "supply_response.magnet"),
		LagMonths:    need(s.Response.LagMonths, "supply_response.lag_months"),
		AdjustMonths: need(s.Response.AdjustMonths, "supply_response.adjust_months"),
	}

	facIdx := map[string]int{}
	for _, f := range s.Facilities {
		key := "facility." + f.Name + "."
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
		cf := sim.Facility{
			Name: f.Name, Stage: stage, Region: r, Market: mk, New: f.PlannedStart.Set,
			CapacityTPY:  need(f.CapacityTPY, key+"capacity_tpy"),
			Utilisation:  need(f.Utilisation, key+"utilisation"),
			NdPrShare:    sim.NoRef, // mines only
			DyTbShare:    sim.NoRef,
			Growth:       need(f.Growth, key+"growth"),
			PlannedStart: sim.NoRef, DelayMonths: sim.NoRef, CancelProbability: sim.NoRef, CancelDraw: sim.NoRef, RampMonths: sim.NoRef,
			SupplyElasticity: need(f.SupplyElasticity, key+"supply_elasticity"),
			Balance:          f.Balance,
			DyTbCapacityTPY:  ref(f.DyTbCapacityTPY, key+"dytb_capacity_tpy"),
			CapacityResponse: need(f.CapacityResponse, key+"capacity_response"),
		}
		if stage == sim.Mine {
			cf.NdPrShare = need(f.NdPrShare, key+"ndpr_share")
			cf.DyTbShare = need(f.DyTbShare, key+"dytb_share")
		}
		if cf.New {
			cf.PlannedStart = ref(f.PlannedStart, key+"planned_start")
			cf.DelayMonths = need(f.DelayMonths, key+"delay_months")
			cf.CancelProbability = need(f.CancelProbability, key+"cancel_probability")
			cf.CancelDraw = draw(key + "cancel_draw")
			cf.RampMonths = need(f.RampMonths, key+"ramp_months")
		}
		facIdx[f.Name] = len(m.Facilities)
		m.Facilities = append(m.Facilities, cf)
	}

	segIdx := map[string]int{}
	for _, sg := range s.Segments {
		key := "segment." + sg.Name + "."
		r, err := region("segment", sg.Name, sg.Region)
		if err != nil {
			return nil, err
		}
		cs := sim.Segment{
			Name: sg.Name, Defence: sg.Use == "defence", Region: r, Market: m.RegionMarket[r],
			BaseTPY:               need(sg.BaseTPY, key+"base_tpy"),
			Growth:                need(sg.Growth, key+"growth"),
			Elasticity:            need(sg.Elasticity, key+"elasticity"),
			LongRunElasticity:     need(sg.LongRunElasticity, key+"long_run_elasticity"),
			ThriftLagMonths:       need(sg.ThriftLagMonths, key+"thrift_lag_months"),
			ThriftMaxRate:         need(sg.ThriftMaxRate, key+"thrift_max_rate"),
			ThriftDecay:           need(sg.ThriftDecay, key+"thrift_decay"),
			Priority:              sg.Priority,
			MaxChinaShare:         need(sg.MaxChinaShare, key+"max_china_share"),
			OriginRuleStart:       need(sg.OriginRuleStart, key+"origin_rule_start"),
			OriginRuleCoversOxide: sg.OriginRuleCoversOxide,
		}
		segIdx[sg.Name] = len(m.Segments)
		m.Segments = append(m.Segments, cs)
	}

	for _, sp := range s.Stockpiles {
		key := "stockpile." + sp.Name + "."
		k := prod(sp.Product)
		if k <= sim.Conc {
			return nil, fmt.Errorf("scenario %s: stockpile %q: product %q is not ndpr, dytb or magnet", s.Name, sp.Name, sp.Product)
		}
		cs := sim.Stockpile{
			Name: sp.Name, Product: k,
			SizeT: sim.NoRef, SizeDays: sim.NoRef,
			FillMonths:        need(sp.FillMonths, key+"fill_months"),
			TriggerPriceRatio: need(sp.TriggerPriceRatio, key+"trigger_price_ratio"),
			TriggerOnControl:  sp.TriggerOnControl,
			LagMonths:         need(sp.LagMonths, key+"lag_months"),
			ReleaseRate:       need(sp.ReleaseRate, key+"release_rate"),
			ReleaseUntilRatio: need(sp.ReleaseUntilRatio, key+"release_until_ratio"),
			RefillBelowRatio:  need(sp.RefillBelowRatio, key+"refill_below_ratio"),
			RefillMonths:      need(sp.RefillMonths, key+"refill_months"),
			HoldingCost:       need(sp.HoldingCost, key+"holding_cost"),
		}
		if sp.SizeDays.Set {
			cs.SizeDays = ref(sp.SizeDays, key+"size_days")
		} else {
			cs.SizeT = need(sp.SizeT, key+"size_t")
		}
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
		key := "export_control." + ec.Name + "."
		cc := sim.Control{
			Name:               ec.Name,
			Probability:        need(ec.Probability, key+"probability"),
			Draw:               draw(key + "occurs_draw"),
			ShareBlocked:       need(ec.ShareBlocked, key+"share_blocked"),
			Start:              need(ec.Start, key+"start"),
			DurationMonths:     ref(ec.DurationMonths, key+"duration_months"),
			AnnounceMonths:     need(ec.AnnounceMonths, key+"announce_months"),
			LicenceInitial:     need(ec.LicenceInitial, key+"licence_initial"),
			LicenceRecovery:    need(ec.LicenceRecovery, key+"licence_recovery"),
			LicenceMonths:      need(ec.LicenceMonths, key+"licence_months"),
			LicenceDelayMonths: need(ec.LicenceDelayMonths, key+"licence_delay_months"),
			LicenceFriction:    need(ec.LicenceFriction, key+"licence_friction"),
			Quota:              ec.Quota,
		}
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
		key := "tariff." + tr.Name + "."
		r, err := region("tariff", tr.Name, tr.Importer)
		if err != nil {
			return nil, err
		}
		k := prod(tr.Product)
		if k < 0 {
			return nil, fmt.Errorf("scenario %s: tariff %q: product %q is not one of %s", s.Name, tr.Name, tr.Product, strings.Join(sim.ProductNames[:], ", "))
		}
		m.Tariffs = append(m.Tariffs, sim.Tariff{
			Name: tr.Name, Region: r, Product: k,
			Level:       need(tr.Level, key+"level"),
			Start:       need(tr.Start, key+"start"),
			End:         ref(tr.End, key+"end"),
			Probability: need(tr.Probability, key+"probability"),
			Draw:        draw(key + "occurs_draw"),
		})
	}

	for _, fl := range s.Floors {
		key := "price_floor." + fl.Name + "."
		k := prod(fl.Product)
		if k <= sim.Conc {
			return nil, fmt.Errorf("scenario %s: price floor %q: product %q is not ndpr, dytb or magnet", s.Name, fl.Name, fl.Product)
		}
		cf := sim.Floor{
			Name: fl.Name, Product: k,
			Price: need(fl.Price, key+"price"),
			Start: need(fl.Start, key+"start"),
			End:   ref(fl.End, key+"end"),
		}
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
		key := "production_quota." + q.Name + "."
		fs, err := facilities("production quota", q.Name, q.Facilities)
		if err != nil {
			return nil, err
		}
		m.Quotas = append(m.Quotas, sim.Quota{
			Name: q.Name, Facilities: fs,
			CapTPY:      need(q.CapTPY, key+"cap_tpy"),
			Start:       need(q.Start, key+"start"),
			End:         ref(q.End, key+"end"),
			Probability: need(q.Probability, key+"probability"),
			Draw:        draw(key + "occurs_draw"),
		})
	}
	for _, d := range s.Disruptions {
		key := "disruption." + d.Name + "."
		fs, err := facilities("disruption", d.Name, d.Facilities)
		if err != nil {
			return nil, err
		}
		m.Disruptions = append(m.Disruptions, sim.Disruption{
			Name: d.Name, Facilities: fs,
			ShareLost:      need(d.ShareLost, key+"share_lost"),
			Start:          need(d.Start, key+"start"),
			DurationMonths: ref(d.DurationMonths, key+"duration_months"),
			Probability:    need(d.Probability, key+"probability"),
			Draw:           draw(key + "occurs_draw"),
		})
	}
	for _, r := range s.Reserves {
		key := "state_reserve." + r.Name + "."
		k := prod(r.Product)
		if k != sim.NdPr && k != sim.DyTb {
			return nil, fmt.Errorf("scenario %s: state reserve %q: product %q is not ndpr or dytb", s.Name, r.Name, r.Product)
		}
		m.Reserves = append(m.Reserves, sim.Reserve{
			Name: r.Name, Product: k,
			Start:             need(r.Start, key+"start"),
			End:               ref(r.End, key+"end"),
			Probability:       need(r.Probability, key+"probability"),
			Draw:              draw(key + "occurs_draw"),
			BuyTPY:            need(r.BuyTPY, key+"buy_tpy"),
			BuyBelowRatio:     ref(r.BuyBelowRatio, key+"buy_below_ratio"),
			MaxT:              ref(r.MaxT, key+"max_t"),
			InitialT:          need(r.InitialT, key+"initial_t"),
			ReleaseAboveRatio: ref(r.ReleaseAboveRatio, key+"release_above_ratio"),
			ReleaseRate:       need(r.ReleaseRate, key+"release_rate"),
		})
	}

	for _, rc := range s.Recycling {
		key := "recycling." + rc.Name + "."
		mk := sim.ExChina
		if rc.Market == "china" {
			mk = sim.China
		}
		m.Recycling = append(m.Recycling, sim.Recycling{
			Name: rc.Name, Market: mk,
			ShareStart:      need(rc.ShareStart, key+"share_start"),
			ShareTarget:     need(rc.ShareTarget, key+"share_target"),
			TargetDate:      need(rc.TargetDate, key+"target_date"),
			PriceElasticity: need(rc.PriceElasticity, key+"price_elasticity"),
		})
	}

	if len(missing) > 0 {
		return nil, fmt.Errorf("scenario %s: %s has no value: scenarios must be read with Load or LoadBytes, which apply the defaults", s.Name, strings.Join(missing, ", "))
	}

	// Rank correlations: group the named inputs that are linked.
	if err := c.group(s.Correlations, byName); err != nil {
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
		if _, err := dist.NewCopula(n, rho); err != nil {
			return err
		}
		c.Groups = append(c.Groups, Group{Members: mem, Spearman: rho})
	}
	return nil
}
