package sim

import "math"

// Run simulates one path with the sampled inputs in (len m.NInputs) and
// leaves the results in p.Series, p.Metrics and p.Residual. It allocates
// nothing.
func (p *Path) Run(in []float64) {
	p.in = in
	p.setup()
	for t := 0; t < p.m.Months; t++ {
		p.month(t)
		if p.Trace != nil {
			p.Trace(t, p)
		}
	}
	p.finish()
}

// trade clears one product's two markets, whose books are p.bk, with the
// wedge lw = ln(1+tariff) on China's exports and the share block of them
// blocked. It returns the log price ratios, China's exports e and
// ex-China's exports f, and whether each market is rationed at its cap.
func (p *Path) trade(k int, lw, block float64) (yc, yx, e, f float64, capC, capX bool) {
	c, x := &p.bk[China], &p.bk[ExChina]
	yC0 := p.y[k][China]
	ycap := p.yCap[k]
	// Integrated market with China exporting.
	merged(&p.merge, c, x, lw, &p.shift[k])
	y, capped := p.merge.solve(yC0, ycap-lw)
	zc, _ := c.excessFrom(y, &p.merge, China)
	// In a glut (the merged market at its floor) China exports no more
	// than ex-China lacks at its price; the rest stays in China's stock.
	zx, _ := x.excessFrom(y+lw, &p.merge, ExChina)
	if ef := min(-zc, max(0, zx)); -zc >= 0 {
		if block <= 0 && !capped {
			c.k += ef
			x.b += ef
			return y, y + lw, ef, 0, false, false
		}
		// Controls block a share of the exports China made before they
		// began (a smoothed reference flow), never letting more through
		// than free trade would carry.
		e = min(ef, (1-block)*p.expRef[k])
		c.k += e
		x.b += e
		yc, capC = c.solve(y, ycap)
		yx, capX = x.solve(y+lw, ycap)
		return yc, yx, e, 0, capC, capX
	}
	// Ex-China exporting to China at one price. Without a wedge the merged
	// market is the one just solved.
	if lw != 0 {
		merged(&p.merge, c, x, 0, nil)
		y, capped = p.merge.solve(yC0, ycap)
	}
	zx, _ = x.excessFrom(y, &p.merge, ExChina)
	zc, _ = c.excessFrom(y, &p.merge, China)
	if f = min(-zx, max(0, zc)); -zx >= 0 {
		if !capped {
			c.b += f
			x.k += f
			return y, y, 0, f, false, false
		}
		c.b += f
		x.k += f
		yc, capC = c.solve(y, ycap)
		yx, capX = x.solve(y, ycap)
		return yc, yx, 0, f, capC, capX
	}
	// Neither side would export: two separate markets.
	yc, capC = c.solve(yC0, ycap)
	yx, capX = x.solve(p.y[k][ExChina], ycap)
	return yc, yx, 0, 0, capC, capX
}

// noteExports updates the reference export flow of product k: towards this
// month's exports e in months with no control on k in force (a six-month
// average), and in step with ex-China demand (growth g) while one is.
func (p *Path) noteExports(k int, e, g float64) {
	if p.ctlAct[k] {
		p.expRef[k] *= g
	} else {
		p.expRef[k] += (e - p.expRef[k]) / 6
	}
}

// settle returns the consumption and end stock of book bk cleared at y.
// At the cap the market rations what is available; at the floor stocks
// absorb the glut.
func settle(bk *book, y float64, capped bool) (cons, stock float64) {
	avail := bk.b - bk.k
	if capped {
		stock = min(bk.stock(y), max(0, avail))
		return max(0, avail-stock), stock
	}
	d, _ := bk.demand(y)
	cons = d - bk.stock(y)
	return cons, avail - cons
}

func (p *Path) month(t int) {
	m := p.m
	ft := float64(t)
	// Growth factors for this month.
	if t == 0 {
		for i := range p.fac {
			p.fac[i].pow = 1
		}
		for i := range p.cl {
			p.cl[i].pow, p.cl[i].nonCN = 1, 0
		}
	} else {
		for _, i := range p.fDyn {
			f := &p.fac[i]
			f.pow *= f.grow
		}
		for i := range p.cl {
			c := &p.cl[i]
			c.pow *= c.grow
			c.nonCN = 0 // set by the origin pass (§3.13)
		}
	}
	var x [NumProd][2]float64 // last month's price ratios
	for k := range x {
		x[k][China] = p.ey[k][China]
		x[k][ExChina] = p.ey[k][ExChina]
	}

	// Export controls, tariff wedges and price floors in force.
	open := [NumProd]float64{1, 1, 1, 1}
	p.ctlAct = [NumProd]bool{}
	for i := range m.Controls {
		c := &m.Controls[i]
		if !p.ctlOn[i] || ft < p.ctlStart[i] || ft >= p.ctlEnd[i] {
			continue
		}
		share := p.v(c.Share)
		if lm := p.v(c.LicenceMonths); lm > 0 {
			share *= 1 - p.v(c.LicenceRecovery)*min(1, (ft-p.ctlStart[i])/lm)
		} else {
			share *= 1 - p.v(c.LicenceRecovery)
		}
		for k, on := range c.Products {
			if on {
				open[k] *= 1 - share
				p.ctlAct[k] = true
			}
		}
	}
	for k := range open {
		p.blocked[k] = 1 - open[k]
	}
	p.floorP = [NumProd]float64{}
	// The wedges and each class's tariff change only when a tariff starts
	// or ends.
	same := p.tarValid
	for i := range m.Tariffs {
		on := p.tarOn[i] && ft >= p.tarStart[i] && ft < p.tarEnd[i]
		same = same && on == p.tarAct[i]
		p.tarAct[i] = on
	}
	if !same {
		p.tarValid = true
		p.wedge = [NumProd]float64{}
		for i := range p.cl {
			p.cl[i].tariff = 0
		}
		for i := range m.Tariffs {
			tr := &m.Tariffs[i]
			if !p.tarAct[i] {
				continue
			}
			lvl := p.v(tr.Level)
			p.wedge[tr.Product] += lvl * p.regShare[tr.Product][tr.Region]
			if tr.Product == Magnet {
				for _, s := range p.tarSegs[i] {
					p.cl[s].tariff += lvl
				}
			}
		}
	}
	for i := range m.Floors {
		fl := &m.Floors[i]
		p.flOn[i] = ft >= p.rel(fl.Start, 0) && ft < p.rel(fl.End, math.Inf(1))
		if p.flOn[i] {
			p.floorP[fl.Product] = max(p.floorP[fl.Product], p.v(fl.Price))
		}
	}

	// Lagged responses: thrifting, induced capacity.
	var refMag [2]float64
	var destroyedX, refX float64
	// Thrifting state is kept per group of segments that share market,
	// lag, long-run elasticity, rate and decay: their state is identical.
	// Groups that differ only in long-run elasticity share their signal,
	// and so its logarithm.
	lastXi, lastLog := math.NaN(), 0.0
	gXi, gTheta := p.gXi, p.gTheta[:len(p.gXi)]
	for g, s := range p.gFirst[:len(gXi)] {
		c := &p.cl[s]
		xi := gXi[g] + (x[Magnet][c.market]-gXi[g])/c.lag
		gXi[g] = xi
		target := 0.0
		if xi > 1 {
			if xi != lastXi {
				lastXi, lastLog = xi, math.Log(xi)
			}
			target = 1 - exp(-c.lr*lastLog)
		}
		if th := gTheta[g]; target > th {
			gTheta[g] = th + min(target-th, c.rate/12)
		} else {
			gTheta[g] = th - (th-target)*c.decay/12
		}
	}
	for s := range p.cl {
		c := &p.cl[s]
		c.theta = gTheta[c.group]
		r := c.base * c.pow // the demand at the reference price before thrifting
		c.ref = r * (1 - c.theta)
		refMag[c.market] += c.ref
		if c.market == ExChina {
			destroyedX += r * c.theta
			refX += r
		}
	}
	// A floor raises the signal in proportion to the share of ex-China
	// separation capacity it covers (last month's share).
	eff := func(k int) float64 {
		if p.floorP[k] > 0 {
			return x[k][ExChina] + p.floorCov*max(0, p.floorP[k]/p.pref[k]-x[k][ExChina])
		}
		return x[k][ExChina]
	}
	// Mines and separators respond to the oxides' prices (the concentrate
	// price is their netback), magnet plants to the magnet price.
	oxSig := max(eff(NdPr), eff(DyTb))
	sig := [3]float64{oxSig, oxSig, eff(Magnet)}
	for st := 0; st < 3; st++ {
		p.xiInd[st] += (sig[st] - p.xiInd[st]) / p.respLag
		p.induced[st] += p.respK[st] * p.world0[st] / 12 * max(0, min(1, p.xiInd[st]-1))
	}

	// Capacities and mine output. The facilities whose capacity never
	// changes are summed once (set-up); a plant that has not started adds
	// nothing, and one that has ramped up and does not grow joins those
	// fixed sums from this month on.
	var dyn capSums
	n := 0
	for _, i := range p.fDyn {
		f := &p.fac[i]
		if ft < f.start {
			p.fDyn[n] = i
			n++
			continue
		}
		c := f.capacity(ft, f.pow)
		f.capT = c
		if f.grow == 1 && ft+1-f.start >= f.ramp {
			p.capStatic.add(m, i, c, f.nd, f.dy)
			continue
		}
		dyn.add(m, i, c, f.nd, f.dy)
		p.fDyn[n] = i
		n++
	}
	p.fDyn = p.fDyn[:n]
	cs := p.capStatic
	cs.plus(&dyn)
	// Separation capacity covered by a floor in force (each plant once).
	var covered float64
	for _, i := range p.fFloored {
		for _, j := range p.fFloors[i] {
			if p.flOn[j] {
				covered += p.fac[i].capT
				break
			}
		}
	}
	mineX, ndX, dyX := cs.mineX, cs.ndX, cs.dyX
	tied, ndT, dyT := cs.tied, cs.ndT, cs.dyT
	mineCCap, ndCCap, dyCCap := cs.mineC, cs.ndC, cs.dyC
	sepCap, magCap := cs.sep, cs.mag
	mineX += p.induced[Mine]
	ndX += p.induced[Mine] * p.gradeX[0]
	dyX += p.induced[Mine] * p.gradeX[1]
	sepCap[ExChina] += p.induced[Separation]
	magCap[ExChina] += p.induced[MagnetPlant]
	p.floorCov = safeDiv(covered, sepCap[ExChina])

	// Magnet makers' plans: last month's sales, scaled by demand growth,
	// corrected towards their stock target, within capacity.
	var plan [2]float64
	for mk := 0; mk < 2; mk++ {
		g := safeDiv(refMag[mk], p.refPrev[mk])
		if g == 0 {
			g = 1
		}
		want := p.sold[Magnet][mk]*g + (p.cover[Magnet][mk]*refMag[mk]-p.inv[Magnet][mk])/3
		plan[mk] = max(0, min(magCap[mk], want))
	}
	gX := safeDivOr(refMag[ExChina], p.refPrev[ExChina], 1)
	// Makers outside China are price takers: they make what they can,
	// unless last month their market would not take it even at their cost
	// (a glut), when they make what they sold, as China's makers do.
	if !p.glutX {
		plan[ExChina] = magCap[ExChina]
	}

	// Concentrate: ex-China mines feed ex-China separators first; the rest
	// goes to China. China's own mines swing to meet China's NdPr plan.
	res := 0.0
	poolX := mineX + p.concInv[ExChina]
	poolXNd, poolXDy := ndX+p.concNd[ExChina], dyX+p.concDy[ExChina]
	feedX := min(sepCap[ExChina], poolX)
	surplus := poolX - feedX
	gxNd, gxDy := safeDiv(poolXNd, poolX), safeDiv(poolXDy, poolX)
	nd0 := ndT + p.concNd[China] + surplus*gxNd
	dy0 := dyT + p.concDy[China] + surplus*gxDy
	a0 := tied + p.concInv[China] + surplus
	gcNd, gcDy := safeDiv(ndCCap, mineCCap), safeDiv(dyCCap, mineCCap)
	// China's mines swing to make the oxide China plans to sell: last
	// month's net sales scaled by demand growth, corrected towards the
	// stock target, for whichever oxide needs more ore.
	growth := safeDivOr(refMag[China]+refMag[ExChina], p.refPrev[China]+p.refPrev[ExChina], 1)
	var mineC float64
	for i, k := range [2]int{NdPr, DyTb} {
		want := p.sold[k][China]*growth + (p.cover[k][China]*p.recipe[k]*plan[China]-p.inv[k][China])/3
		have, g := nd0, gcNd
		if i == 1 {
			have, g = dy0, gcDy
		}
		if want > have && g > 0 {
			mineC = max(mineC, min(mineCCap, (want-have)/g))
		}
	}
	// China's separators: feed limited by capacity; China's own ore is cut
	// first, then the rest stays in stock.
	if a0+mineC > sepCap[China] {
		mineC = max(0, sepCap[China]-a0)
	}
	// Concentrate exports from China fill idle ex-China separators.
	concE := 0.0
	if idle := sepCap[ExChina] - feedX; idle > 0 {
		concE = min(idle, (1-p.blocked[Conc])*max(0, mineCCap-mineC))
	}
	feedX += concE
	poolXNd += concE * gcNd
	poolXDy += concE * gcDy
	poolX += concE
	gxNd, gxDy = safeDiv(poolXNd, poolX), safeDiv(poolXDy, poolX)
	poolC := a0 + mineC
	poolCNd, poolCDy := nd0+mineC*gcNd, dy0+mineC*gcDy
	feedC := min(sepCap[China], poolC)
	gcpNd, gcpDy := safeDiv(poolCNd, poolC), safeDiv(poolCDy, poolC)
	prevX, prevC := p.concInv[ExChina], p.concInv[China]
	p.concInv[ExChina] = poolX - feedX - surplus
	p.concNd[ExChina] = p.concInv[ExChina] * gxNd
	p.concDy[ExChina] = p.concInv[ExChina] * gxDy
	p.concInv[China] = poolC - feedC
	p.concNd[China] = p.concInv[China] * gcpNd
	p.concDy[China] = p.concInv[China] * gcpDy
	// Concentrate mass balance, t REO: production + imports + stock =
	// separation feed + exports + stock.
	res = max(res, math.Abs((mineX+concE+prevX)-(feedX+surplus+p.concInv[ExChina])))
	res = max(res, math.Abs((tied+mineC+concE+surplus+prevC)-(feedC+concE+p.concInv[China])))
	p.grade = [2][2]float64{{gcpNd, gcpDy}, {gxNd, gxDy}}

	var oxide [NumProd][2]float64
	oxide[NdPr][ExChina] = feedX * gxNd
	oxide[DyTb][ExChina] = feedX * gxDy
	oxide[NdPr][China] = feedC * gcpNd
	oxide[DyTb][China] = feedC * gcpDy
	var rec [2]float64
	lnSig := 0.0
	if p.xiInd[MagnetPlant] > 1 {
		lnSig = math.Log(p.xiInd[MagnetPlant])
	}
	for mk := 0; mk < 2; mk++ {
		rec[mk] = p.recycled(mk, t, refMag[mk], lnSig)
	}

	// Government stockpiles: triggers, releases into the market, purchases.
	var release, buy [NumProd]float64
	p.offers = [NumProd]bool{}
	for i := range m.Stockpiles {
		sp := &m.Stockpiles[i]
		p.kOffer[i], p.kBuy[i] = 0, 0
		k := sp.Product
		ratio := x[k][ExChina]
		cond := ratio >= p.v(sp.TriggerRatio) || (sp.OnControl && p.ctlAct[k])
		if !cond {
			p.kSince[i] = -1
		} else if p.kSince[i] < 0 {
			p.kSince[i] = t
		}
		size := p.kSize[i]
		switch {
		case cond && float64(t-p.kSince[i]) >= p.v(sp.Lag):
			// Offer this month's release; the market takes what it lacks
			// (below). Stockpiles serving segments release after the magnet
			// market clears.
			if len(sp.Serves) == 0 || k != Magnet {
				p.kOffer[i] = min(p.kLevel[i], p.v(sp.Rate)*size)
				p.offers[k] = p.offers[k] || p.kOffer[i] > 0
			}
		case p.v(sp.FillMonths) > 0 && ft < p.v(sp.FillMonths):
			b := min(size-p.kLevel[i], size/p.v(sp.FillMonths))
			buy[k] += b
			p.kBuy[i] = b
		case !cond && ratio < p.v(sp.RefillBelow) && p.kLevel[i] < size && p.v(sp.RefillMonths) > 0:
			b := min(size-p.kLevel[i], size/p.v(sp.RefillMonths))
			buy[k] += b
			p.kBuy[i] = b
		}
	}

	// Oxide markets: magnet makers buy for their plans.
	var ox [NumProd][2]float64 // bought by magnet makers
	for _, k := range [2]int{NdPr, DyTb} {
		r := p.recipe[k]
		for mk := 0; mk < 2; mk++ {
			b := &p.bk[mk]
			b.reset()
			b.add(r*plan[mk], p.epsD[k])
			b.sa, b.se = p.cover[k][mk]*r*plan[mk], p.beta[k]
			b.lo = p.yMin[k]
			b.b = oxide[k][mk] + rec[mk]*r + p.inv[k][mk]
		}
		release[k] = p.take(k, r*plan[ExChina]*(1+p.cover[k][ExChina])-p.bk[ExChina].b)
		p.bk[ExChina].b += release[k]
		buy[k] = p.purchase(k, buy[k], p.bk[ExChina].b, x[k][ExChina])
		p.bk[ExChina].k += buy[k]
		prevInv := p.inv[k]
		yc, yx, e, f, cc, cx := p.trade(k, p.shift[k].wedge(p.wedge[k]), p.blocked[k])
		p.noteExports(k, e, gX)
		p.y[k][China], p.y[k][ExChina] = yc, yx
		p.ey[k][China], p.ey[k][ExChina] = exp(yc), exp(yx)
		for mk, yy := range [2]float64{yc, yx} {
			cap := [2]bool{cc, cx}[mk]
			ox[k][mk], p.inv[k][mk] = settle(&p.bk[mk], yy, cap)
		}
		p.sold[k][China] = ox[k][China] + e - f
		switch k {
		case NdPr:
			p.Series[SExportNdPr][t] = e
		case DyTb:
			p.Series[SExportDyTb][t] = e
		}
		// Mass balance per market.
		for mk := 0; mk < 2; mk++ {
			in := oxide[k][mk] + rec[mk]*r + prevInv[mk]
			out := ox[k][mk] + p.inv[k][mk]
			if mk == China {
				in += f
				out += e
			} else {
				in += e + release[k]
				out += f + buy[k]
			}
			res = max(res, math.Abs(in-out))
		}
	}

	// Magnet production: capacity and oxide feed, by the recipe. Oxide
	// bought but not used returns to stock.
	var made [2]float64
	for mk := 0; mk < 2; mk++ {
		q := plan[mk]
		for _, k := range [2]int{NdPr, DyTb} {
			if r := p.recipe[k]; r > 0 {
				q = min(q, ox[k][mk]/r)
			}
		}
		made[mk] = max(0, q)
		for _, k := range [2]int{NdPr, DyTb} {
			used := made[mk] * p.recipe[k]
			p.inv[k][mk] += ox[k][mk] - used
		}
	}

	// Magnet market. Makers do not sell below cost: the cost of the
	// oxide in a tonne of magnet at this month's prices in their market
	// plus the reference processing margin.
	for mk := 0; mk < 2; mk++ {
		b := &p.bk[mk]
		b.reset()
		cost := p.margin + p.recipe[NdPr]*p.pref[NdPr]*p.ey[NdPr][mk] + p.recipe[DyTb]*p.pref[DyTb]*p.ey[DyTb][mk]
		b.lo = max(p.yMin[Magnet], math.Log(cost/p.pref[Magnet]))
		b.sa, b.se = p.cover[Magnet][mk]*refMag[mk], p.beta[Magnet]
		b.b = made[mk] + p.inv[Magnet][mk]
	}
	for s := range p.cl {
		c := &p.cl[s]
		c.term = p.bk[c.market].add(c.ref, c.eps)
	}
	release[Magnet] = p.take(Magnet, refMag[ExChina]*(1+p.cover[Magnet][ExChina])-p.bk[ExChina].b)
	p.bk[ExChina].b += release[Magnet]
	buy[Magnet] = p.purchase(Magnet, buy[Magnet], p.bk[ExChina].b, x[Magnet][ExChina])
	p.bk[ExChina].k += buy[Magnet]
	prevInv := p.inv[Magnet]
	prevOmega := p.omega
	yc, yx, e, f, cc, cx := p.trade(Magnet, p.shift[Magnet].wedge(p.wedge[Magnet]), p.blocked[Magnet])
	p.noteExports(Magnet, e, gX)
	p.glutX = yx <= p.bk[ExChina].lo+1e-9
	p.y[Magnet][China], p.y[Magnet][ExChina] = yc, yx
	p.ey[Magnet][China], p.ey[Magnet][ExChina] = exp(yc), exp(yx)
	ys := [2]float64{yc, yx}
	capd := [2]bool{cc, cx}
	var cons [2]float64
	for mk := 0; mk < 2; mk++ {
		total, stock := settle(&p.bk[mk], ys[mk], capd[mk])
		p.inv[Magnet][mk] = stock
		cons[mk] = total
		// Share the consumption among segments: each takes its demand at
		// the price; when rationed at the cap, by priority.
		left := total
		for _, s := range p.orderIn[mk] {
			c := &p.cl[s]
			d := c.ref * p.bk[mk].factorAt(c.term, c.eps, ys[mk])
			if capd[mk] {
				got := min(d, left)
				p.Metrics[MRationed] += d - got
				d = got
				left -= d
			}
			c.cons = d
		}
	}

	// Origin rules ex-China: segments with a cap on Chinese-origin magnets
	// draw on the non-Chinese pool first, by priority; what they cannot get
	// is shortfall, and the Chinese-origin magnets stay in stock.
	nonCN := made[ExChina] + (1-prevOmega)*prevInv[ExChina] + release[Magnet] - f
	cnPool := e + prevOmega*prevInv[ExChina] - buy[Magnet]
	if cnPool < 0 {
		nonCN += cnPool
		cnPool = 0
	}
	nonCN = max(0, nonCN)
	left := nonCN
	var unmet float64
	for _, s := range p.orderIn[ExChina] {
		c := &p.cl[s]
		if ft < c.origin {
			continue
		}
		need := (1 - c.maxCN) * c.cons
		if need <= 0 {
			continue
		}
		got := min(need, left)
		left -= got
		c.nonCN = got
		if got < need {
			// With got non-Chinese tonnes the segment may use at most
			// got/(1−max_china_share) in all.
			allowed := got / (1 - c.maxCN)
			unmet += c.cons - allowed
			c.cons = allowed
		}
	}
	// Then tariff payers take non-Chinese magnets first, by priority.
	// Everyone else is indifferent to origin for the rest of their use and
	// takes the two pools in proportion to what is left of them.
	cnLeft := cnPool
	for _, s := range p.orderIn[ExChina] {
		c := &p.cl[s]
		if c.tariff == 0 {
			continue
		}
		got := min(c.cons-c.nonCN, left)
		left -= got
		c.nonCN += got
		cnLeft -= c.cons - c.nonCN
	}
	var rest float64
	for s := range p.cl {
		if c := &p.cl[s]; c.market == ExChina && c.tariff == 0 {
			rest += c.cons - c.nonCN
		}
	}
	// In the same pass: the Chinese-origin magnets each class uses, and
	// the tariff paid on them.
	share := 0.0
	if rest > 0 && left > 0 {
		share = min(left/rest, left/(left+max(0, cnLeft)))
	}
	var cnUsed float64
	pcn := p.pref[Magnet] * p.ey[Magnet][China] / 1000
	paid := p.Metrics[MTariffPaid]
	for s := range p.cl {
		c := &p.cl[s]
		if c.market != ExChina {
			continue
		}
		if share != 0 && c.tariff == 0 {
			c.nonCN += share * (c.cons - c.nonCN)
		}
		cn := c.cons - c.nonCN
		cnUsed += cn
		paid += c.tariff * cn * pcn
	}
	p.Metrics[MTariffPaid] = paid
	cons[ExChina] -= unmet
	p.Metrics[MRationed] += unmet
	p.inv[Magnet][ExChina] += unmet
	if st := p.inv[Magnet][ExChina]; st > 0 {
		p.omega = max(0, min(1, (cnPool-cnUsed)/st))
	} else {
		p.omega = 0
	}

	// Stockpiles that serve named segments cover their unmet needs first.
	for i := range m.Stockpiles {
		sp := &m.Stockpiles[i]
		if len(sp.Serves) == 0 || sp.Product != Magnet || p.kSince[i] < 0 || float64(t-p.kSince[i]) < p.v(sp.Lag) {
			continue
		}
		avail := min(p.kLevel[i], p.v(sp.Rate)*p.kSize[i])
		for _, s := range sp.Serves {
			s := p.classOf[s]
			c := &p.cl[s]
			if c.market != ExChina {
				continue // government stockpiles are held outside China
			}
			need := max(0, c.ref-c.cons)
			g := min(need, avail)
			avail -= g
			c.cons += g
			p.kLevel[i] -= g
			p.Metrics[MStockReleased] += g
			p.sales += g * p.pref[Magnet] * p.ey[Magnet][ExChina] / 1000
			cons[c.market] += g
			release[Magnet] += g
		}
	}
	// Magnet mass balance (served releases enter and leave in the same month).
	for mk := 0; mk < 2; mk++ {
		in := made[mk] + prevInv[mk]
		out := cons[mk] + p.inv[Magnet][mk]
		if mk == China {
			in += f
			out += e
		} else {
			in += e + release[Magnet]
			out += f + buy[Magnet]
		}
		res = max(res, math.Abs(in-out))
	}
	p.sold[Magnet][China] = cons[China] + e - f
	p.sold[Magnet][ExChina] = made[ExChina] - max(0, (1-p.omega)*p.inv[Magnet][ExChina]-(1-prevOmega)*prevInv[ExChina])
	if p.sold[Magnet][ExChina] < 0 {
		p.sold[Magnet][ExChina] = 0
	}
	p.refPrev = refMag

	// Record.
	p.record(t, refMag, cons, made, oxide, rec, e, cnUsed, destroyedX, refX, res)
}

// take releases up to need tonnes of product k from the stockpiles that
// offer it this month, in their order, and returns the amount released:
// stockpiles fill the ex-China market's deficit at the reference price and
// are not dumped into a market that lacks nothing.
func (p *Path) take(k int, need float64) float64 {
	if !p.offers[k] {
		return 0
	}
	var got float64
	for i := range p.m.Stockpiles {
		sp := &p.m.Stockpiles[i]
		if sp.Product != k || p.kOffer[i] <= 0 || need <= got {
			continue
		}
		r := min(p.kOffer[i], need-got)
		got += r
		p.kLevel[i] -= r
		p.Metrics[MStockReleased] += r
		// Sold at last month's ex-China price.
		p.sales += r * p.pref[k] * p.ey[k][ExChina] / 1000
	}
	return got
}

// purchase books the stockpiles' purchases of product k this month: at
// most half of what the ex-China market has available before trade, so
// that buying never takes the market's last tonnes. It returns the tonnes
// bought and charges their cost at last month's price.
func (p *Path) purchase(k int, want, avail, ratio float64) float64 {
	if want <= 0 {
		return 0
	}
	scale := min(1, 0.5*max(0, avail)/want)
	for i := range p.m.Stockpiles {
		sp := &p.m.Stockpiles[i]
		if sp.Product != k || p.kBuy[i] <= 0 {
			continue
		}
		b := p.kBuy[i] * scale
		p.kLevel[i] += b
		p.Metrics[MStockCost] += b * p.pref[k] * ratio / 1000
	}
	return want * scale
}

func safeDivOr(a, b, def float64) float64 {
	if b == 0 {
		return def
	}
	return a / b
}
