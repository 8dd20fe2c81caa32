package sim

import "math"

// setup resolves the path's parameters from its inputs, draws its events
// and sets the state of the month before the start (docs/MODEL.md §3.0).
func (p *Path) setup() {
	p.setParams()
	p.setFacilities()
	p.setClasses()
	p.setEvents()
	p.setStockpiles()
	p.setInitialState()
}

func (p *Path) setParams() {
	m, par := p.m, &p.par
	par.recipe[NdPr] = p.v(m.Recipe.NdPr)
	par.recipe[DyTb] = p.v(m.Recipe.DyTb)
	for k := 0; k < NumProd; k++ {
		mp := m.Market[k]
		par.refPrice[k] = 0
		if k != Conc {
			par.refPrice[k] = p.v(mp.RefPrice)
		}
		par.cover[k] = [2]float64{China: p.v(mp.CoverChina), ExChina: p.v(mp.CoverExChina)}
		par.stockElast[k] = p.v(mp.StockElasticity)
		par.derivElast[k] = p.v(mp.DerivedElasticity)
		par.yCap[k] = math.Log(max(1, p.v(mp.PriceCapMultiple)))
		par.yMin[k] = max(yFloor, math.Log(max(1e-300, p.v(mp.MinPriceMultiple))))
		par.precaution[k] = max(1, p.v(mp.PrecautionMultiple))
		par.precBuild[k] = max(1, p.v(mp.PrecautionBuildMonths))
		par.precRelease[k] = max(1, p.v(mp.PrecautionReleaseMonths))
		par.substitution[k] = p.v(mp.OriginSubstitution)
	}
	rc := m.Recipe
	par.dyThrift = [4]float64{p.vOr(rc.DyTbThriftMax, 0), p.vOr(rc.DyTbThriftRate, 0), max(1, p.vOr(rc.DyTbThriftLagMonths, 12)), p.vOr(rc.DyTbThriftDecay, 0)}
	par.payability = p.v(m.Market[Conc].Payability)
	par.margin = max(0, par.refPrice[Magnet]-par.recipe[NdPr]*par.refPrice[NdPr]-par.recipe[DyTb]*par.refPrice[DyTb])
	r := m.Response
	par.induceRate = [4]float64{p.v(r.Mine), p.v(r.Separation), p.v(r.Magnet), p.v(r.Separation)}
	par.induceLag = max(1, p.v(r.LagMonths))
	par.adjust = max(1, p.v(r.AdjustMonths))
}

// setFacilities draws each facility's parameters: capacity, growth, start,
// ramp, cancellation, contents, elasticity and Dy/Tb capacity.
func (p *Path) setFacilities() {
	m, par := p.m, &p.par
	par.world0 = [4]float64{}
	p.respond, p.growing = p.respond[:0], p.growing[:0]
	var xm, xnd, xdy, om, ond, ody float64
	for i, fc := range m.Facilities {
		f := &p.fac[i]
		// Separation plants run at their utilisation; mines and magnet
		// plants use their utilisation at the reference prices and answer
		// prices from there (§3.5).
		f.cap, f.u0 = p.v(fc.CapacityTPY)/12, p.v(fc.Utilisation)
		if fc.Stage == Separation {
			f.cap, f.u0 = f.cap*f.u0, 1
		}
		f.grow = math.Pow(1+p.v(fc.Growth), 1.0/12)
		f.start, f.ramp = math.Inf(-1), 0
		if fc.New {
			f.start = p.rel(fc.PlannedStart, 0) + p.v(fc.DelayMonths)
			f.ramp = p.v(fc.RampMonths)
			if p.happens(fc.CancelProbability, fc.CancelDraw) {
				f.start = math.Inf(1)
			}
		}
		f.nd, f.dy = 0, 0
		if fc.Stage == Mine {
			f.nd, f.dy = p.v(fc.NdPrShare), p.v(fc.DyTbShare)
		}
		f.ndV, f.dyV = f.nd*par.refPrice[NdPr], f.dy*par.refPrice[DyTb]
		f.elast = p.vOr(fc.SupplyElasticity, 0)
		f.resp, f.valSig, f.extra = p.vOr(fc.CapacityResponse, 0), 1, 0
		if f.resp != 0 {
			p.respond = append(p.respond, i)
		}
		f.dyCap = math.Inf(1)
		if fc.DyTbCapacityTPY != NoRef {
			f.dyCap = p.v(fc.DyTbCapacityTPY) / 12 * p.v(fc.Utilisation)
		}
		f.pow = 1
		f.steady = f.grow == 1 && f.resp == 0
		if f.grow != 1 {
			p.growing = append(p.growing, i)
		}
		c0 := f.capacity(0, 1) * f.u0
		par.world0[fc.Stage] += c0
		if fc.Stage == Mine {
			if fc.Market == ExChina {
				xm, xnd, xdy = xm+c0, xnd+c0*f.nd, xdy+c0*f.dy
			} else {
				om, ond, ody = om+c0, ond+c0*f.nd, ody+c0*f.dy
			}
		}
	}
	switch {
	case xm > 0:
		par.gradeX0 = [2]float64{xnd / xm, xdy / xm}
	case om > 0:
		par.gradeX0 = [2]float64{ond / om, ody / om}
	default:
		par.gradeX0 = [2]float64{}
	}
	// Each region's share of ex-China magnet capacity (nameplate ×
	// reference utilisation of every listed plant), for tariffs on oxides.
	clear(par.magShare)
	var tot float64
	for i, fc := range m.Facilities {
		if fc.Stage == MagnetPlant && fc.Market == ExChina {
			par.magShare[fc.Region] += p.fac[i].cap * p.fac[i].u0
			tot += p.fac[i].cap * p.fac[i].u0
		}
	}
	for r := range par.magShare {
		par.magShare[r] = safeDiv(par.magShare[r], tot)
	}
}

// setClasses draws the segment classes' parameters; a class's base demand
// is its members' sum.
func (p *Path) setClasses() {
	m := p.m
	p.par.allied = 0
	for _, sg := range m.Segments {
		if m.RegionAllied[sg.Region] {
			p.par.allied += p.v(sg.BaseTPY) / 12
		}
	}
	for s, sg := range p.segs {
		c := &p.cls[s]
		c.base = 0
		for _, j := range p.members[s] {
			c.base += p.v(m.Segments[j].BaseTPY) / 12
		}
		c.grow = math.Pow(1+p.v(sg.Growth), 1.0/12)
		c.pow = 1
		c.eps = p.v(sg.Elasticity)
		c.lr = p.v(sg.LongRunElasticity)
		c.lag = max(1, p.v(sg.ThriftLagMonths))
		c.rate = p.v(sg.ThriftMaxRate)
		c.decay = p.v(sg.ThriftDecay)
		c.maxCN = p.v(sg.MaxChinaShare)
		c.origin = p.rel(sg.OriginRuleStart, 0)
		c.oxideOrigin = sg.OriginRuleCoversOxide
		c.tariff, c.tarMult, c.tarCN, c.lnMult = 0, 1, 0, 0
		c.ref, c.cons, c.nonCN, c.bookA, c.lnStart, c.term = c.base, 0, 0, 0, 0, -1
		c.bookLn, c.bookF = math.NaN(), 0
	}
	for g := range p.thriftFirst {
		p.thriftSig[g], p.thriftShare[g] = 1, 0
	}
	for mk := range p.termEps {
		p.termEps[mk] = p.termEps[mk][:0]
	}
	for s := range p.cls {
		c := &p.cls[s]
		eps := p.termEps[c.market]
		c.slot = len(eps)
		for j, e := range eps {
			if e == c.eps {
				c.slot = j
				break
			}
		}
		if c.slot == len(eps) {
			p.termEps[c.market] = append(eps, c.eps)
		}
	}
	p.ruled = p.ruled[:0]
	for _, s := range p.byPriority[ExChina] {
		if !(1-p.cls[s].maxCN <= 0) {
			p.ruled = append(p.ruled, s)
		}
	}
}

// setEvents draws which events happen on the path and when.
func (p *Path) setEvents() {
	m, pol := p.m, &p.pol
	b2f := func(b bool) float64 {
		if b {
			return 1
		}
		return 0
	}
	for i, c := range m.Controls {
		pol.ctlOn[i] = b2f(p.happens(c.Probability, c.Draw))
		pol.ctlStart[i] = p.rel(c.Start, 0)
		pol.ctlEnd[i] = pol.ctlStart[i] + p.vOr(c.DurationMonths, math.Inf(1))
		pol.ctlAnnounce[i] = pol.ctlStart[i] - p.vOr(c.AnnounceMonths, 0)
	}
	for i, tr := range m.Tariffs {
		pol.tarOn[i] = b2f(p.happens(tr.Probability, tr.Draw))
		pol.tarStart[i] = p.rel(tr.Start, 0)
		pol.tarEnd[i] = p.rel(tr.End, math.Inf(1))
		pol.tarActive[i] = false
	}
	pol.tarChanged = true
	for i, fl := range m.Floors {
		pol.flStart[i] = p.rel(fl.Start, 0)
		pol.flEnd[i] = p.rel(fl.End, math.Inf(1))
	}
	for i, q := range m.Quotas {
		pol.quOn[i] = b2f(p.happens(q.Probability, q.Draw))
		pol.quStart[i] = p.rel(q.Start, 0)
		pol.quEnd[i] = p.rel(q.End, math.Inf(1))
	}
	for i, d := range m.Disruptions {
		pol.diOn[i] = b2f(p.happens(d.Probability, d.Draw))
		pol.diStart[i] = p.rel(d.Start, 0)
		pol.diEnd[i] = pol.diStart[i] + p.vOr(d.DurationMonths, math.Inf(1))
		pol.diActive[i] = false
	}
	pol.diChanged = true
	for i, r := range m.Reserves {
		rs := &p.res[i]
		rs.on = b2f(p.happens(r.Probability, r.Draw))
		rs.start = p.rel(r.Start, 0)
		rs.end = p.rel(r.End, math.Inf(1))
		rs.holding = p.vOr(r.InitialT, 0)
		rs.bought = 0
	}
}

// setStockpiles sizes the government stockpiles; a stockpile with no fill
// period starts full, bought at the reference price.
func (p *Path) setStockpiles() {
	clear(p.Metrics[:])
	p.sales = 0
	for i, sp := range p.m.Stockpiles {
		k := &p.stk[i]
		size := p.vOr(sp.SizeT, 0)
		if sp.SizeDays != NoRef {
			use := p.par.allied
			if sp.Product != Magnet {
				use *= p.par.recipe[sp.Product]
			}
			size = p.v(sp.SizeDays) / daysPerMonth * use
		}
		k.size = size
		k.since = -1
		k.offer, k.fill, k.refill = 0, 0, 0
		k.holdCost = p.v(sp.HoldingCost) / 12 * p.par.refPrice[sp.Product] / 1000
		if p.v(sp.FillMonths) > 0 {
			k.level = 0
		} else {
			k.level = size
			p.Metrics[MStockCost] += size * p.par.refPrice[sp.Product] / 1000
		}
	}
}

// startFlows are the flows of month 0 at the reference prices.
type startFlows struct {
	demand [2]float64 // reference magnet demand per market
	made   [2]float64 // magnets made per market
	oxide  [NumProd][2]float64
	rec    [2]float64
}

// balance sets the reference utilisation of the balancing facilities so
// that every market clears at the reference prices in month 0: balancing
// magnet plants make what the world's segments want less what the other
// plants make; balancing mines (two groups, split by their Dy/Tb:NdPr
// ratio) mine the NdPr and Dy/Tb oxide the world needs less what every
// other source supplies (docs/MODEL.md §3.0).
func (p *Path) balance() startFlows {
	m, par := p.m, &p.par
	var sf startFlows
	for s := range p.cls {
		sf.demand[p.cls[s].market] += p.cls[s].base
	}
	world := sf.demand[China] + sf.demand[ExChina]
	// Magnets.
	var balCap float64
	for i, fc := range m.Facilities {
		if fc.Stage != MagnetPlant {
			continue
		}
		c := p.fac[i].capacity(0, 1)
		if fc.Balance {
			balCap += c
		} else {
			sf.made[fc.Market] += c * p.fac[i].u0
		}
	}
	if balCap > 0 {
		u := max(0, min(1, (world-sf.made[China]-sf.made[ExChina])/balCap))
		for i, fc := range m.Facilities {
			if fc.Stage == MagnetPlant && fc.Balance {
				p.fac[i].u0 = u
				sf.made[fc.Market] += u * p.fac[i].capacity(0, 1)
			}
		}
	}
	// Oxide from every source but the balancing mines, through the flows
	// of month 0 (supplyFlows with the balancing mines idle).
	for mk := 0; mk < 2; mk++ {
		sf.rec[mk] = p.recycled(mk, 0, sf.demand[mk], 0)
	}
	for i, fc := range m.Facilities {
		if fc.Stage == Mine && fc.Balance {
			p.fac[i].u0 = 0
		}
	}
	p.st.sig = [NumProd][2]float64{{1, 1}, {1, 1}, {1, 1}, {1, 1}}
	p.st.concInv, p.st.concNd, p.st.concDy = [2]float64{}, [2]float64{}, [2]float64{}
	p.st.induced = [4]float64{}
	p.mo = month{calm: true, pt: -1}
	p.policiesInForce()
	p.capacities()
	p.mining()
	p.separation()
	var need [2]float64 // NdPr, Dy/Tb still needed
	for i, k := range [2]int{NdPr, DyTb} {
		r := par.recipe[k]
		need[i] = r*world - p.mo.oxide[k][China] - p.mo.oxide[k][ExChina] - r*(sf.rec[China]+sf.rec[ExChina])
	}
	// Balancing mines: a light and a heavy group.
	ratio := math.Inf(1)
	if need[0] > 0 {
		ratio = need[1] / need[0]
	}
	var lightN, lightD, heavyN, heavyD float64
	for i, fc := range m.Facilities {
		if fc.Stage != Mine || !fc.Balance {
			continue
		}
		f := &p.fac[i]
		c := f.capacity(0, 1)
		if f.dy <= ratio*f.nd {
			lightN, lightD = lightN+c*f.nd, lightD+c*f.dy
		} else {
			heavyN, heavyD = heavyN+c*f.nd, heavyD+c*f.dy
		}
	}
	var uL, uH float64
	switch det := lightN*heavyD - heavyN*lightD; {
	case lightN+lightD > 0 && heavyN+heavyD > 0 && det > 0:
		uL = (max(0, need[0])*heavyD - heavyN*max(0, need[1])) / det
		uH = (lightN*max(0, need[1]) - lightD*max(0, need[0])) / det
	case lightN+lightD > 0:
		uL = max(safeDiv(max(0, need[0]), lightN), safeDiv(max(0, need[1]), lightD))
	case heavyN+heavyD > 0:
		uH = max(safeDiv(max(0, need[0]), heavyN), safeDiv(max(0, need[1]), heavyD))
	}
	uL, uH = max(0, min(1, uL)), max(0, min(1, uH))
	for i, fc := range m.Facilities {
		if fc.Stage != Mine || !fc.Balance {
			continue
		}
		f := &p.fac[i]
		if f.dy <= ratio*f.nd {
			f.u0 = uL
		} else {
			f.u0 = uH
		}
	}
	// The flows of month 0 with every source.
	p.mining()
	p.separation()
	sf.oxide = p.mo.oxide
	p.mo.calm = false
	return sf
}

// setInitialState sets the state of the month before the start: prices at
// their references, commercial stocks at their targets, trade at its free
// level.
func (p *Path) setInitialState() {
	sf := p.balance()
	par, st := &p.par, &p.st
	for k := 0; k < NumProd; k++ {
		for mk := 0; mk < 2; mk++ {
			st.y[k][mk], st.x[k][mk], st.sig[k][mk] = 0, 1, 1
			st.inv[k][mk] = 0
		}
		st.start[k] = [2]float64{1, 1}
		st.yOne[k], st.yFric[k] = 0, 0
		st.backlog[k] = 0
		st.cnShare[k] = 0
	}
	// Ex-China holders start with the cover that the controls in force
	// before the start make them want (balance read those policies).
	for k := NdPr; k < NumProd; k++ {
		st.prec[k] = [2]float64{1 + (par.precaution[k]-1)*p.pol.held[k], 1 + (par.precaution[k]-1)*p.pol.covered[k]}
	}
	for mk := 0; mk < 2; mk++ {
		st.inv[Magnet][mk] = par.cover[Magnet][mk] * st.prec[Magnet][mk] * sf.demand[mk]
		for _, k := range [2]int{NdPr, DyTb} {
			st.inv[k][mk] = par.cover[k][mk] * st.prec[k][mk] * par.recipe[k] * sf.made[mk]
		}
		st.concInv[mk], st.concNd[mk], st.concDy[mk] = 0, 0, 0
	}
	// Chinese-origin shares of ex-China supply at the start.
	if d := sf.demand[ExChina]; d > 0 {
		st.cnShare[Magnet] = max(0, min(1, (d-sf.made[ExChina])/d))
	}
	for _, k := range [2]int{NdPr, DyTb} {
		use := par.recipe[k] * sf.made[ExChina]
		if use > 0 {
			st.cnShare[k] = max(0, min(1, (use-sf.oxide[k][ExChina]-par.recipe[k]*sf.rec[ExChina])/use))
		}
	}
	st.omega = st.cnShare[Magnet]
	st.normal = [NumProd]float64{}
	st.normal[Magnet] = max(0, sf.demand[ExChina]-sf.made[ExChina])
	for _, k := range [2]int{NdPr, DyTb} {
		st.normal[k] = max(0, par.recipe[k]*sf.made[ExChina]-sf.oxide[k][ExChina]-par.recipe[k]*sf.rec[ExChina])
	}
	st.dyCut, st.dySig = [2]float64{}, [2]float64{1, 1}
	par.world0[3] = par.recipe[DyTb] * (sf.demand[China] + sf.demand[ExChina])
	st.induced = [4]float64{}
	st.indSig = [4]float64{1, 1, 1, 1}
	st.refPrev = sf.demand
	st.planPrev = sf.made[ExChina]
	for i := range p.fac {
		p.fac[i].pow = 1
	}
}
