package sim

import "math"

// maxSpinUp bounds the spin-up months (docs/MODEL.md §3.0).
const maxSpinUp = 36

// Run simulates one path with the sampled inputs in (len m.NInputs) and
// leaves the results in p.Series, p.Metrics and p.Residual. It allocates
// nothing.
func (p *Path) Run(in []float64) {
	p.in = in
	p.setup()
	p.spinUp()
	for t := 0; t < p.m.Months; t++ {
		p.month(t)
		if p.Trace != nil {
			p.Trace(t, p)
		}
	}
	p.finish()
}

// spinUp repeats month 0 under the policies in force before the start
// (those that start before the scenario's first month), with the slow
// responses held (thrifting, induced capacity, stockpiles, the State
// Reserve), until its prices repeat: the path starts from the steady state
// of the status quo, with licence backlogs, precautionary cover, stocks
// and the utilisation signals settled (§3.0). Policies that start in the
// first month or later are shocks.
func (p *Path) spinUp() {
	st := &p.st
	st.spinup = true
	for it := 0; it < maxSpinUp; it++ {
		st.repeat = it > 0
		prev := st.y
		p.month(0)
		// Demand, thrifting and peaks are measured against the prices at
		// the start, with the policies in force there.
		st.start = st.x
		for c := range p.cls {
			cl := &p.cls[c]
			cl.lnStart = st.y[Magnet][cl.market] + cl.lnMult
		}
		var d float64
		for k := range prev {
			for mk := 0; mk < 2; mk++ {
				d = max(d, math.Abs(st.y[k][mk]-prev[k][mk]))
			}
		}
		if d < 1e-7 {
			break
		}
	}
	st.spinup, st.repeat = false, false
}

// month simulates month t in the order of docs/MODEL.md §1.1.
func (p *Path) month(t int) {
	mo, st := &p.mo, &p.st
	*mo = month{t: t, ft: float64(t), pt: float64(t)}
	if st.spinup {
		mo.pt = -1 // the policies in force before the start (§3.0)
	}
	// The spin-up's repeats of month 0 change neither the policies, nor
	// the capacities, nor the reference demand, nor precaution, nor
	// recycling: they reuse those of the first.
	if st.repeat {
		mo.monthFixed = st.fixed0
	} else {
		p.grow(t)
		p.policiesInForce()
		p.thrift()
	}
	p.tariffChoice()
	if !st.spinup {
		p.induce()
	}
	if !st.repeat {
		p.capacities()
	}
	p.smoothSignals()
	p.mining()
	p.separation()
	if !st.repeat {
		p.precaution()
		lnSig := 0.0
		if st.indSig[MagnetPlant] > 1 {
			lnSig = ln(st.indSig[MagnetPlant])
		}
		for mk := 0; mk < 2; mk++ {
			mo.rec[mk] = p.recycled(mk, t, mo.refMag[mk], lnSig)
		}
		if st.spinup {
			st.fixed0 = mo.monthFixed
		}
	}
	p.magnetPlans()
	if !st.spinup {
		p.stockpileOrders()
	}
	p.oxideMarket(NdPr)
	p.oxideMarket(DyTb)
	p.produce()
	prevInv, prevOmega := st.inv[Magnet], st.omega
	e, f := p.magnetMarket()
	p.originRules(prevInv[ExChina], prevOmega, e, f)
	if !st.spinup {
		p.release()
	}
	// Magnet mass balance (released magnets, and magnets made from
	// released oxide, go to their users in the same month).
	inC := mo.made[China] + prevInv[China] + f
	outC := mo.cons[China] + st.inv[Magnet][China] + e
	inX := mo.made[ExChina] + prevInv[ExChina] + e + mo.release[Magnet] + mo.fromOxide
	outX := mo.cons[ExChina] + st.inv[Magnet][ExChina] + f + mo.buy[Magnet]
	mo.res = max(mo.res, math.Abs(inC-outC), math.Abs(inX-outX))
	st.refPrev = mo.refMag
	st.planPrev = mo.plan[ExChina]
	if !st.spinup {
		p.record(t)
	}
}

// grow sets the growth factors of month t: facilities' capacity and
// classes' demand compound from month 0 (the factors of facilities that
// do not grow stay 1).
func (p *Path) grow(t int) {
	if t == 0 {
		for i := range p.fac {
			p.fac[i].pow = 1
		}
		for i := range p.cls {
			p.cls[i].pow = 1
		}
		return
	}
	for _, i := range p.growing {
		f := &p.fac[i]
		f.pow *= f.grow
	}
	for i := range p.cls {
		c := &p.cls[i]
		c.pow *= c.grow
	}
}

// smoothSignals moves the price signals that set utilisation towards last
// month's price ratios (§3.5).
func (p *Path) smoothSignals() {
	st, a := &p.st, p.par.adjust
	if st.spinup {
		a = min(a, 2) // settle faster (§3.0)
	}
	for k := NdPr; k < NumProd; k++ {
		for mk := 0; mk < 2; mk++ {
			st.sig[k][mk] += (st.x[k][mk] - st.sig[k][mk]) / a
		}
	}
}
