package scenarios

import "github.com/reesim/reesim/dist"

// Default values, applied after inheritance. docs/SCENARIOS.md lists them.
const (
	defaultHorizonYears = 10
	defaultSeed         = 1
	defaultPaths        = 10000
	defaultPriority     = 5
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
		n.Dist = dist.Dist{Kind: dist.Fixed, Value: v}
		n.Set = true
	}
}

// defMonth sets the month n to m when it was not given and m is known.
func defMonth(n *Num, m int, known bool) {
	if known {
		def(n, float64(m))
	}
}

// defaults fills in every key the files left out that has a default.
func (d *decoder) defaults(s *Scenario) {
	if !d.has("horizon_years") {
		s.HorizonYears = defaultHorizonYears
	}
	if !d.has("seed") {
		s.Seed = defaultSeed
	}
	if !d.has("paths") {
		s.Paths = defaultPaths
	}
	if !d.has("regions") {
		s.Regions = defaultRegions()
	}
	start, startOK := parseMonth(s.Start)

	def(&s.Recipe.NdPr, 0.31)
	def(&s.Recipe.DyTb, 0.03)
	def(&s.Recipe.DyTbThriftMax, 0)
	def(&s.Recipe.DyTbThriftRate, 0.2)
	def(&s.Recipe.DyTbThriftLagMonths, 12)
	def(&s.Recipe.DyTbThriftDecay, 0.05)
	for _, m := range []*Market{&s.Market.Concentrate, &s.Market.NdPr, &s.Market.DyTb, &s.Market.Magnet} {
		def(&m.CoverChina, 2)
		def(&m.CoverExChina, 2)
		def(&m.StockElasticity, 1.5)
		def(&m.DerivedElasticity, 0.1)
		def(&m.Payability, 0.35)
		def(&m.PriceCapMultiple, 40)
		def(&m.MinPriceMultiple, 0.2)
		def(&m.PrecautionMultiple, 1.5)
		def(&m.PrecautionBuildMonths, 3)
		def(&m.PrecautionReleaseMonths, 12)
		def(&m.OriginSubstitution, 2)
	}
	def(&s.Response.Mine, 0.02)
	def(&s.Response.Separation, 0.02)
	def(&s.Response.Magnet, 0.02)
	def(&s.Response.LagMonths, 12)
	def(&s.Response.AdjustMonths, 3)

	for i := range s.Facilities {
		f := &s.Facilities[i]
		def(&f.Utilisation, 1)
		def(&f.Growth, 0)
		def(&f.DelayMonths, 0)
		def(&f.CancelProbability, 0)
		if f.PlannedStart.Set {
			def(&f.RampMonths, 12)
		} else {
			def(&f.RampMonths, 0)
		}
		def(&f.SupplyElasticity, 0)
		def(&f.CapacityResponse, 0)
	}
	for i := range s.Segments {
		g := &s.Segments[i]
		def(&g.Growth, 0)
		def(&g.Elasticity, 0.2)
		def(&g.LongRunElasticity, 0.3)
		def(&g.ThriftLagMonths, 12)
		def(&g.ThriftMaxRate, 0.10)
		def(&g.ThriftDecay, 0.05)
		if !d.has(entryPath("segment", g.Name, i) + ".priority") {
			g.Priority = defaultPriority
		}
		def(&g.MaxChinaShare, 1)
		defMonth(&g.OriginRuleStart, start, startOK)
	}
	for i := range s.Stockpiles {
		p := &s.Stockpiles[i]
		def(&p.FillMonths, 0)
		def(&p.TriggerPriceRatio, 2)
		def(&p.LagMonths, 1)
		def(&p.ReleaseRate, 1.0/6)
		def(&p.ReleaseUntilRatio, 1)
		def(&p.RefillBelowRatio, 1)
		def(&p.RefillMonths, 24)
		def(&p.HoldingCost, 0.05)
	}
	for i := range s.ExportControls {
		e := &s.ExportControls[i]
		def(&e.Probability, 1)
		def(&e.AnnounceMonths, 0)
		def(&e.LicenceInitial, 0)
		def(&e.LicenceRecovery, 0)
		def(&e.LicenceMonths, 12)
		def(&e.LicenceDelayMonths, 0)
		def(&e.LicenceFriction, 0)
	}
	for i := range s.Tariffs {
		t := &s.Tariffs[i]
		def(&t.Probability, 1)
		defMonth(&t.Start, start, startOK)
	}
	for i := range s.Floors {
		defMonth(&s.Floors[i].Start, start, startOK)
	}
	for i := range s.Quotas {
		q := &s.Quotas[i]
		def(&q.Probability, 1)
		defMonth(&q.Start, start, startOK)
	}
	for i := range s.Disruptions {
		def(&s.Disruptions[i].Probability, 1)
	}
	for i := range s.Reserves {
		r := &s.Reserves[i]
		def(&r.Probability, 1)
		defMonth(&r.Start, start, startOK)
		def(&r.BuyTPY, 0)
		def(&r.InitialT, 0)
		def(&r.ReleaseRate, 0)
	}
	for i := range s.Recycling {
		r := &s.Recycling[i]
		if !r.ShareTarget.Set && r.ShareStart.Set {
			// The same distribution under the same name: one input,
			// drawn once, so that the share stays where it starts.
			r.ShareTarget.Dist = r.ShareStart.Dist
			r.ShareTarget.Set = true
			if !r.ShareStart.Dist.IsFixed() {
				r.ShareTarget.Name = r.ShareStart.Name
			}
		}
		defMonth(&r.TargetDate, start, startOK)
		def(&r.PriceElasticity, 0)
	}
}
