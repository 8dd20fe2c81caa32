package sim

import "math"

// capacityFactor returns the share of its nameplate that the facility has
// in month ft given its growth factor g = grow^ft: 0 before its start, then
// g times its ramp.
func (f *facility) capacityFactor(ft, g float64) float64 {
	if ft < f.start {
		return 0
	}
	if f.ramp > 0 {
		return g * min(1, (ft-f.start+1)/f.ramp)
	}
	return g
}

// induce updates the induced capacity outside China from the smoothed
// ex-China price signals, over their start (the plants listed in the
// scenario answer the prices of the start), raised by the price floors in
// force (docs/MODEL.md §3.3).
func (p *Path) induce() {
	st, par, pol := &p.st, &p.par, &p.pol
	sig := func(k int) float64 {
		x0 := st.start[k][ExChina]
		x := st.x[k][ExChina] / x0
		if fp := pol.floor[k]; fp > 0 {
			x += pol.floorCov * max(0, fp/(par.refPrice[k]*x0)-x)
		}
		return x
	}
	// Mines whose capacity follows the value of their ore.
	for _, i := range p.respond {
		f := &p.fac[i]
		if f.capacityFactor(p.mo.ft, 1) == 0 {
			continue
		}
		mk := p.m.Facilities[i].Market
		v0 := f.nd*par.refPrice[NdPr]*st.start[NdPr][mk] + f.dy*par.refPrice[DyTb]*st.start[DyTb][mk]
		v := f.nd*par.refPrice[NdPr]*st.x[NdPr][mk] + f.dy*par.refPrice[DyTb]*st.x[DyTb][mk]
		f.valSig += (safeDiv(v, v0) - f.valSig) / par.induceLag
		f.extra += f.resp * f.cap / 12 * max(0, min(1, f.valSig-1))
	}
	nd, dy := sig(NdPr), sig(DyTb)
	s := [4]float64{max(nd, dy), max(nd, dy), sig(Magnet), dy}
	for j := range s {
		st.indSig[j] += (s[j] - st.indSig[j]) / par.induceLag
		st.induced[j] += par.induceRate[j] * par.world0[j] / 12 * max(0, min(1, st.indSig[j]-1))
	}
}

// capacities sets every facility's capacity this month, after
// disruptions, the separation and magnet capacity of each market, the
// ex-China Dy/Tb separation capacity, the separation quotas and the share
// of ex-China separation covered by price floors (§3.4).
func (p *Path) capacities() {
	m, mo, ft := p.m, &p.mo, p.mo.ft
	// A steady facility keeps its capacity once ramped up until the
	// disruptions change: only the rising ones are set again. Separation
	// quotas scale capacities in place: with quotas every capacity is
	// set again.
	if p.pol.leftChanged || len(m.Quotas) > 0 {
		p.rising = p.rising[:0]
		for i := range p.fac {
			if !p.setCapacity(i, ft) {
				p.rising = append(p.rising, i)
			}
		}
	} else {
		n := 0
		for _, i := range p.rising {
			// A steady facility has no capacity before its start.
			if ft < p.fac[i].idle || !p.setCapacity(i, ft) {
				p.rising[n] = i
				n++
			}
		}
		p.rising = p.rising[:n]
	}
	mo.sepCap, mo.magCap = [2]float64{}, [2]float64{}
	mo.dyCapX = 0
	for _, i := range p.seps {
		f := &p.fac[i]
		mo.sepCap[f.market] += f.capT
		if f.market == ExChina && f.g > 0 {
			mo.dyCapX += f.dyCap * f.g // +Inf: no limit
		}
	}
	for _, i := range p.magnets {
		f := &p.fac[i]
		mo.magCap[f.market] += f.capT
	}
	// Separation quotas cap the feed of the plants they list.
	if !mo.calm {
		for j := range m.Quotas {
			q := &m.Quotas[j]
			if !p.quotaInForce(j) || m.Facilities[q.Facilities[0]].Stage != Separation {
				continue
			}
			var tot float64
			for _, i := range q.Facilities {
				tot += p.fac[i].capT
			}
			lim := p.v(q.CapTPY) / 12
			if tot <= lim {
				continue
			}
			scale := lim / tot
			for _, i := range q.Facilities {
				f := &p.fac[i]
				mo.sepCap[m.Facilities[i].Market] -= f.capT * (1 - scale)
				f.capT *= scale
			}
		}
	}
	mo.sepCap[ExChina] += p.st.induced[Separation]
	mo.magCap[ExChina] += p.st.induced[MagnetPlant]
	mo.dyCapX += p.st.induced[3]
	// Share of ex-China separation capacity covered by a floor in force
	// (each plant once).
	p.pol.floorCov = 0
	if len(m.Floors) > 0 && mo.sepCap[ExChina] > 0 {
		var covered float64
		for n, i := range p.sepX {
			for _, j := range p.sepXFlrs[n] {
				if p.floorInForce(j) {
					covered += p.fac[i].capT
					break
				}
			}
		}
		p.pol.floorCov = covered / mo.sepCap[ExChina]
	}
}

// setCapacity sets facility i's capacity in month ft and reports whether
// it will keep it until the disruptions change: whether the facility is
// steady and ramped up. A steady facility that has not started keeps
// its capacity (none) until its start, f.idle.
func (p *Path) setCapacity(i int, ft float64) bool {
	f := &p.fac[i]
	f.g = f.capacityFactor(ft, f.pow) * f.left
	f.capT = f.cap*f.g + f.extra*f.left
	f.idle = math.Inf(-1)
	if f.steady && ft < f.start {
		f.idle = f.start
	}
	return f.steady && ft >= f.start && (f.ramp <= 0 || (ft-f.start+1)/f.ramp >= 1)
}

func contains(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func (p *Path) quotaInForce(j int) bool {
	pol, ft := &p.pol, p.mo.pt
	return pol.quOn[j] != 0 && ft >= pol.quStart[j] && ft < pol.quEnd[j]
}

func (p *Path) floorInForce(j int) bool {
	pol, ft := &p.pol, p.mo.pt
	return ft >= pol.flStart[j] && ft < pol.flEnd[j]
}

// netback returns the logarithm of a mine's netback ratio: the value of
// its NdPr and Dy/Tb content at the smoothed prices of market mk over
// their value at the reference prices.
func (p *Path) netback(f *facility, mk int) float64 {
	sig := &p.st.sig
	ref := f.ndV + f.dyV
	if ref <= 0 {
		return 0
	}
	return ln((f.ndV*sig[NdPr][mk] + f.dyV*sig[DyTb][mk]) / ref)
}

// mining sets each mine's output this month: its capacity times its
// utilisation, which answers the netback of its ore with its elasticity,
// within mining quotas (§3.5).
func (p *Path) mining() {
	m, mo := p.m, &p.mo
	for _, i := range p.mines {
		f := &p.fac[i]
		u := f.u0
		if f.elast != 0 && u > 0 {
			u = min(1, u*exp(f.elast*p.netback(f, f.market)))
		}
		f.out = f.capT * u
	}
	p.pol.held = [NumProd]float64{}
	if mo.calm || len(m.Quotas) == 0 {
		return
	}
	var held, all [NumProd]float64
	for j := range m.Quotas {
		q := &m.Quotas[j]
		if !p.quotaInForce(j) || m.Facilities[q.Facilities[0]].Stage != Mine {
			continue
		}
		var tot, cap, nd, dy float64
		for _, i := range q.Facilities {
			f := &p.fac[i]
			tot += f.out
			cap += f.capT
			nd, dy = nd+f.capT*f.nd, dy+f.capT*f.dy
		}
		lim := p.v(q.CapTPY) / 12
		if tot > lim {
			for _, i := range q.Facilities {
				p.fac[i].out *= lim / tot
			}
		}
		// The share of the quota's capacity that it holds back, for
		// precaution in China (§3.2.1), weighted by content.
		if cap > 0 {
			h := max(0, 1-lim/cap)
			held[NdPr], held[DyTb] = held[NdPr]+h*nd, held[DyTb]+h*dy
		}
	}
	for i := range m.Facilities {
		fc := &m.Facilities[i]
		if fc.Stage == Mine && m.RegionMarket[fc.Region] == China {
			f := &p.fac[i]
			all[NdPr], all[DyTb] = all[NdPr]+f.capT*f.nd, all[DyTb]+f.capT*f.dy
		}
	}
	for _, k := range [2]int{NdPr, DyTb} {
		p.pol.held[k] = min(1, safeDiv(held[k], all[k]))
	}
}

// separation moves ore to the separators and sets this month's oxide
// output in each market (§3.6): ex-China ore feeds ex-China separators
// first and the rest goes to China; China separates its own ore, the ore
// tied to it and what comes from outside, within its capacity; ex-China
// separators recover Dy/Tb only up to their Dy/Tb capacity, and ship the
// rest of its content to China.
func (p *Path) separation() {
	mo, st := &p.mo, &p.st
	var xm, xnd, xdy, tm, tnd, tdy, cm, cnd, cdy float64
	for n, i := range p.mines {
		f := &p.fac[i]
		q := f.out
		switch p.oreFlow[n] {
		case oreExChina:
			xm, xnd, xdy = xm+q, xnd+q*f.nd, xdy+q*f.dy
		case oreTied:
			tm, tnd, tdy = tm+q, tnd+q*f.nd, tdy+q*f.dy
		default:
			cm, cnd, cdy = cm+q, cnd+q*f.nd, cdy+q*f.dy
		}
	}
	ind := st.induced[Mine]
	xm, xnd, xdy = xm+ind, xnd+ind*p.par.gradeX0[0], xdy+ind*p.par.gradeX0[1]
	mo.mineOut = [3]float64{xm, tm, cm}

	// Outside China: separators take what they can; the rest goes to China.
	poolX := xm + st.concInv[ExChina]
	poolXNd, poolXDy := xnd+st.concNd[ExChina], xdy+st.concDy[ExChina]
	feedX := min(mo.sepCap[ExChina], poolX)
	surplus := poolX - feedX
	gxNd, gxDy := safeDiv(poolXNd, poolX), safeDiv(poolXDy, poolX)
	// China: its own ore, ore tied to it, the surplus from outside, stock.
	prevC := st.concInv[China]
	poolC := cm + tm + surplus + prevC
	poolCNd := cnd + tnd + surplus*gxNd + st.concNd[China]
	poolCDy := cdy + tdy + surplus*gxDy + st.concDy[China]
	feedC := min(mo.sepCap[China], poolC)
	gcNd, gcDy := safeDiv(poolCNd, poolC), safeDiv(poolCDy, poolC)
	prevX := st.concInv[ExChina]
	st.concInv[ExChina] = poolX - feedX - surplus
	st.concNd[ExChina], st.concDy[ExChina] = 0, 0
	st.concInv[China] = poolC - feedC
	st.concNd[China] = st.concInv[China] * gcNd
	st.concDy[China] = st.concInv[China] * gcDy
	mo.res = max(mo.res, math.Abs(xm+prevX-(feedX+surplus+st.concInv[ExChina])))
	mo.res = max(mo.res, math.Abs(cm+tm+surplus+prevC-(feedC+st.concInv[China])))
	mo.grade = [2][2]float64{{gcNd, gcDy}, {gxNd, gxDy}}

	mo.oxide[NdPr][ExChina] = feedX * gxNd
	dyX := feedX * gxDy
	mo.oxide[DyTb][ExChina] = min(dyX, mo.dyCapX)
	mo.heavy = dyX - mo.oxide[DyTb][ExChina]
	mo.oxide[NdPr][China] = feedC * gcNd
	mo.oxide[DyTb][China] = feedC*gcDy + mo.heavy
}

// recycled returns the magnet-equivalent recycled supply of market mk in
// month t, t/month, given the market's reference magnet demand and the
// logarithm of the smoothed ex-China magnet signal, ln max(1, ζ) (§3.7).
func (p *Path) recycled(mk, t int, ref, lnSig float64) float64 {
	var r float64
	for _, rc := range p.m.Recycling {
		if rc.Market != mk {
			continue
		}
		s0, s1 := p.v(rc.ShareStart), p.v(rc.ShareTarget)
		span := p.rel(rc.TargetDate, 0)
		share := s1
		if span > 0 && float64(t) < span {
			share = s0 + (s1-s0)*float64(t)/span
		}
		if e := p.v(rc.PriceElasticity); e != 0 && lnSig != 0 {
			share *= exp(e * lnSig)
		}
		r += share * ref
	}
	return r
}

// magnetPlans sets what magnet makers plan to make this month (§3.5):
// each plant's capacity times a utilisation that answers the smoothed
// margin (magnet price over the cost of its oxide and processing) with
// the plant's elasticity; induced capacity runs at its capacity.
func (p *Path) magnetPlans() {
	mo, par, sig := &p.mo, &p.par, &p.st.sig
	var lnM [2]float64
	for mk := 0; mk < 2; mk++ {
		cost := par.margin + par.recipe[NdPr]*par.refPrice[NdPr]*sig[NdPr][mk] + p.recipe(DyTb, mk)*par.refPrice[DyTb]*sig[DyTb][mk]
		ref := par.margin + par.recipe[NdPr]*par.refPrice[NdPr] + par.recipe[DyTb]*par.refPrice[DyTb]
		if cost > 0 && ref > 0 {
			lnM[mk] = ln(sig[Magnet][mk] * (ref / cost))
		}
	}
	mo.plan = [2]float64{}
	for g := range p.magGr {
		gr := &p.magGr[g]
		var c float64
		for _, i := range gr.members {
			c += p.fac[i].capT
		}
		if c == 0 {
			continue
		}
		f := &p.fac[gr.members[0]]
		u := f.u0
		if f.elast != 0 && u > 0 {
			u = min(1, u*exp(f.elast*lnM[gr.market]))
		}
		mo.plan[gr.market] += c * u
	}
	mo.plan[ExChina] += p.st.induced[MagnetPlant]
	// Makers sitting on more stock than their market wants (a glut that
	// their cost floor kept from clearing) make a third of the excess less.
	for mk := 0; mk < 2; mk++ {
		want := par.cover[Magnet][mk] * mo.refMag[mk] * p.st.prec[Magnet][mk]
		if ex := p.st.inv[Magnet][mk] - want; ex > 0 {
			mo.plan[mk] = max(0, mo.plan[mk]-ex/3)
		}
	}
}
