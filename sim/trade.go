package sim

import "math"

// cleared is what clearing a product's two markets gives.
type cleared struct {
	y        [2]float64 // log price ratio in each market (China, ExChina)
	capped   [2]bool    // the market is rationed at its cap
	exp, imp float64    // China's exports and imports
}

// trade clears product k's two markets, whose books are p.book, under the
// export controls in force (docs/MODEL.md §3.9).
func (p *Path) trade(k int) cleared {
	var yc, yx, f float64
	var capC, capX bool
	c, x := &p.book[China], &p.book[ExChina]
	ycap := p.par.yCap[k]
	// One market: China's price and ex-China's are the same.
	merged(&p.mrg, c, x, 0, nil)
	y, capped := p.mrg.solve(p.st.yOne[k], ycap)
	p.st.yOne[k] = y
	zc, _ := c.excessFrom(y, &p.mrg, China)
	zx, _ := x.excessFrom(y, &p.mrg, ExChina)
	if -zc >= 0 {
		// China exports what ex-China lacks at the common price; in a glut
		// (the merged book at its floor) no more than that, and the rest
		// stays in China's stock.
		eft := min(-zc, max(0, zx))
		if p.pol.open[k] < 1 || p.pol.quota[k] < 1 {
			return p.licensedTrade(k, eft, y)
		}
		p.noteExports(k, eft)
		p.st.backlog[k] = 0
		c.blind += eft
		x.supply += eft
		if !capped {
			return cleared{y: [2]float64{y, y}, exp: eft, imp: 0, capped: [2]bool{false, false}}
		}
		yc, capC = c.solve(y, ycap)
		yx, capX = x.solve(y, ycap)
		return cleared{y: [2]float64{yc, yx}, exp: eft, imp: 0, capped: [2]bool{capC, capX}}
	}
	p.st.backlog[k] = 0
	if !p.pol.control[k] {
		p.noteExports(k, 0)
	} else {
		p.growNormal(k)
	}
	// Ex-China exports to China at the common price (China's controls do
	// not act on this direction).
	if f = min(-zx, max(0, zc)); -zx >= 0 {
		c.supply += f
		x.blind += f
		if !capped {
			return cleared{y: [2]float64{y, y}, exp: 0, imp: f, capped: [2]bool{false, false}}
		}
		yc, capC = c.solve(y, ycap)
		yx, capX = x.solve(y, ycap)
		return cleared{y: [2]float64{yc, yx}, exp: 0, imp: f, capped: [2]bool{capC, capX}}
	}
	// Neither side would export: two separate markets.
	yc, capC = c.solve(p.st.y[k][China], ycap)
	yx, capX = x.solve(p.st.y[k][ExChina], ycap)
	return cleared{y: [2]float64{yc, yx}, exp: 0, imp: 0, capped: [2]bool{capC, capX}}
}

// licensedTrade clears product k's markets when some of China's exports
// need a licence (§3.9.1). eft is what China would export under free trade
// at the common price y. The open share of it ships; the rest is applied
// for: applications join a backlog, of which a share 1/delay is decided
// each month and the approval rate is granted. Licensed exports ship only
// while the ex-China price covers their friction cost; China never ships
// more than free trade would.
func (p *Path) licensedTrade(k int, eft, y float64) cleared {
	var yc, yx float64
	var capC, capX bool
	c, x := &p.book[China], &p.book[ExChina]
	pol, st := &p.pol, &p.st
	ycap := p.par.yCap[k]
	p.growNormal(k)
	free := pol.open[k] * eft
	// Buyers apply for licences for their normal imports; China does not
	// license hoarding beyond them.
	apps := (1 - pol.open[k]) * min(eft, st.normal[k])
	// Under an export quota, exports stay within the quota's share of the
	// normal flow.
	limit := math.Inf(1)
	if pol.quota[k] < 1 {
		limit = pol.quota[k] * st.normal[k]
		free = min(free, limit)
	}
	d := pol.delay[k]
	var approved float64
	if st.spinup {
		// The process in its steady state: what is applied for is decided.
		approved = pol.approval[k] * apps
		st.backlog[k] = max(0, d-1) * apps
	} else {
		b := st.backlog[k] + apps
		dec := b
		if d > 1 {
			dec = b / d
		}
		st.backlog[k] = b - dec
		approved = pol.approval[k] * dec
	}
	q := min(approved, eft-free, limit-free)
	c.blind += free + q
	x.supply += free + q
	yc, capC = c.solve(y, ycap)
	yx, capX = x.solve(y, ycap)
	if fr := pol.friction[k]; q > 0 && fr > 0 {
		if lf := p.fric[k].wedge(fr); !capC && !capX && yx < yc+lf {
			// Licensed exporters ship only while the ex-China price is at
			// least China's plus the friction: find the shipment that
			// leaves the two prices that far apart.
			c.blind -= q
			x.supply -= q
			merged(&p.mrg, c, x, lf, &p.fric[k])
			ym, cm := p.mrg.solve(st.yFric[k], ycap-lf)
			st.yFric[k] = ym
			zc, _ := c.excessFrom(ym, &p.mrg, China)
			zx, _ := x.excessShifted(ym, &p.mrg, lf, &p.fric[k])
			// In a glut (the merged book at its floor) no more ships than
			// ex-China lacks at its price.
			q = max(0, min(q, -zc, zx))
			if cm {
				q = min(approved, eft-free, limit-free)
			}
			c.blind += q
			x.supply += q
			yc, capC = c.solve(ym, ycap)
			yx, capX = x.solve(ym+lf, ycap)
		}
		p.mo.licCost += fr * q * p.par.refPrice[k] * exp(yc) / 1000
	}
	return cleared{y: [2]float64{yc, yx}, exp: free + q, imp: 0, capped: [2]bool{capC, capX}}
}

// settle returns the consumption and end stock of book bk cleared at y.
// At the cap the market rations what is available; at the floor stocks
// absorb the glut.
func settle(bk *book, y float64, capped bool) (cons, stock float64) {
	avail := bk.supply - bk.blind
	if capped {
		stock = min(bk.stock(y), max(0, avail))
		return max(0, avail-stock), stock
	}
	d, _ := bk.demand(y)
	cons = d - bk.stock(y)
	return cons, avail - cons
}

// setPrice records product k's cleared log price ratios.
func (p *Path) setPrice(k int, yc, yx float64) {
	st := &p.st
	st.y[k][China], st.y[k][ExChina] = yc, yx
	st.x[k][China], st.x[k][ExChina] = exp(yc), exp(yx)
}

// oxideMarket clears the market of oxide k (NdPr or Dy/Tb) in both
// markets (§3.10): magnet makers buy for their plans, inventory holders
// for their cover, China's State Reserve buys or sells, government
// stockpiles release or buy outside China, and China trades.
func (p *Path) oxideMarket(k int) {
	mo, par, st, pol := &p.mo, &p.par, &p.st, &p.pol
	r := par.recipe[k]
	eps := par.derivElast[k]
	for mk := 0; mk < 2; mk++ {
		b := &p.book[mk]
		b.reset()
		b.lo = par.yMin[k]
		b.supply = mo.oxide[k][mk] + mo.rec[mk]*r + st.inv[k][mk]
	}
	c, x := &p.book[China], &p.book[ExChina]
	rc, rx := p.recipe(k, China), p.recipe(k, ExChina)
	c.add(rc*mo.plan[China], eps)
	c.stockA, c.stockE = par.cover[k][China]*st.prec[k][China]*rc*mo.plan[China], par.stockElast[k]
	if !st.spinup {
		p.reserveOrders(k, c.supply)
	}
	c.blind += mo.resBuy[k]
	c.supply += mo.resSell[k]
	// Outside China, makers in regions with a tariff on Chinese oxide buy
	// at a multiple of the price (§3.1.2).
	a := rx * mo.plan[ExChina]
	aEff := a
	tariffed := false
	for reg, w := range pol.oxTariff[k] {
		if w > 0 && par.magShare[reg] > 0 {
			mult, _ := originChoice(w, st.cnShare[k], par.substitution[k])
			aEff -= a * par.magShare[reg] * (1 - exp(-eps*ln(mult)))
			tariffed = true
		}
	}
	x.add(aEff, eps)
	x.stockA, x.stockE = par.cover[k][ExChina]*st.prec[k][ExChina]*rx*mo.plan[ExChina], par.stockElast[k]
	if !st.spinup {
		mo.buy[k] = p.purchase(k, x)
	}
	prev := st.inv[k]
	cl := p.trade(k)
	p.setPrice(k, cl.y[China], cl.y[ExChina])
	mo.exp[k], mo.imp[k] = cl.exp, cl.imp
	mo.bought[k][China], st.inv[k][China] = settle(c, cl.y[China], cl.capped[China])
	mo.bought[k][ExChina], st.inv[k][ExChina] = settle(x, cl.y[ExChina], cl.capped[ExChina])
	if tariffed && aEff > 0 {
		px := par.refPrice[k] * st.x[k][ExChina] / 1000
		for reg, w := range pol.oxTariff[k] {
			if w > 0 && par.magShare[reg] > 0 {
				mult, cn := originChoice(w, st.cnShare[k], par.substitution[k])
				use := mo.bought[k][ExChina] * a * par.magShare[reg] * exp(-eps*ln(mult)) / aEff
				mo.paid += w * cn * use * px
			}
		}
	}
	// Mass balance per market.
	inC := mo.oxide[k][China] + mo.rec[China]*r + prev[China] + cl.imp + mo.resSell[k]
	outC := mo.bought[k][China] + st.inv[k][China] + cl.exp + mo.resBuy[k]
	inX := mo.oxide[k][ExChina] + mo.rec[ExChina]*r + prev[ExChina] + cl.exp
	outX := mo.bought[k][ExChina] + st.inv[k][ExChina] + cl.imp + mo.buy[k]
	mo.res = max(mo.res, math.Abs(inC-outC), math.Abs(inX-outX))
	// The Chinese-origin share of this month's ex-China supply.
	if sup := mo.oxide[k][ExChina] + mo.rec[ExChina]*r + cl.exp; sup > 0 {
		st.cnShare[k] = cl.exp / sup
	} else {
		st.cnShare[k] = 0
	}
}

// produce makes magnets by the recipe from the oxide bought (§3.11);
// oxide bought but not used returns to stock.
func (p *Path) produce() {
	mo, st := &p.mo, &p.st
	for mk := 0; mk < 2; mk++ {
		q := mo.plan[mk]
		for _, k := range [2]int{NdPr, DyTb} {
			if r := p.recipe(k, mk); r > 0 {
				q = min(q, mo.bought[k][mk]/r)
			}
		}
		mo.made[mk] = max(0, q)
		for _, k := range [2]int{NdPr, DyTb} {
			st.inv[k][mk] += mo.bought[k][mk] - mo.made[mk]*p.recipe(k, mk)
		}
	}
}

// magnetMarket clears the magnet market in both markets and shares the
// consumption among the segment classes (§3.12).
func (p *Path) magnetMarket() (e, f float64) {
	mo, par, st := &p.mo, &p.par, &p.st
	for mk := 0; mk < 2; mk++ {
		b := &p.book[mk]
		b.reset()
		// Makers do not sell below the cost of the oxide in a tonne of
		// magnet at this month's prices plus the reference processing
		// margin.
		cost := par.margin + par.recipe[NdPr]*par.refPrice[NdPr]*st.x[NdPr][mk] + p.recipe(DyTb, mk)*par.refPrice[DyTb]*st.x[DyTb][mk]
		b.lo = max(par.yMin[Magnet], ln(cost/par.refPrice[Magnet]))
		b.stockA, b.stockE = par.cover[Magnet][mk]*mo.refMag[mk], par.stockElast[Magnet]
		b.supply = mo.made[mk] + st.inv[Magnet][mk]
	}
	x := &p.book[ExChina]
	x.stockA *= st.prec[Magnet][ExChina]
	p.book[China].stockA *= st.prec[Magnet][China]
	positive := true
	for s := range p.cls {
		c := &p.cls[s]
		// Demand at the reference price is what the class buys at its price
		// at the start, tariffs included (§3.12).
		// The factor changes only when the class's tariff multiple does
		// (after the spin-up).
		if ln := c.lnStart - c.lnMult; ln != c.bookLn {
			c.bookLn, c.bookF = ln, 1
			if ln != 0 && c.eps != 0 {
				// Bounded so that absurd elasticities and start prices
				// stay finite (e^±600).
				c.bookF = exp(max(-600, min(600, c.eps*ln)))
			}
		}
		c.bookA = c.ref * c.bookF
		positive = positive && c.bookA > 0
	}
	if positive {
		// Every class has demand: the books' terms are those add would
		// make, one per elasticity in the order the classes bring them
		// (setClasses), and each class's demand joins its own.
		for mk := range p.book {
			bk := &p.book[mk]
			for _, e := range p.termEps[mk] {
				bk.terms = append(bk.terms, term{e: e})
			}
		}
		for s := range p.cls {
			c := &p.cls[s]
			c.term = c.slot
			p.book[c.market].terms[c.slot].a += c.bookA
		}
	} else {
		for s := range p.cls {
			c := &p.cls[s]
			c.term = p.book[c.market].add(c.bookA, c.eps)
		}
	}
	if !st.spinup {
		mo.buy[Magnet] = p.purchase(Magnet, x)
	}
	cl := p.trade(Magnet)
	p.setPrice(Magnet, cl.y[China], cl.y[ExChina])
	e, f = cl.exp, cl.imp
	mo.exp[Magnet], mo.imp[Magnet] = e, f
	ys, capd := cl.y, cl.capped
	for mk := 0; mk < 2; mk++ {
		total, stock := settle(&p.book[mk], ys[mk], capd[mk])
		st.inv[Magnet][mk] = stock
		mo.cons[mk] = total
		// Each class takes its demand at the price; when the market is
		// rationed at the cap, by priority.
		left := total
		for _, s := range p.byPriority[mk] {
			c := &p.cls[s]
			d := c.bookA * p.book[mk].factorAt(c.term, c.eps, ys[mk])
			if capd[mk] {
				got := min(d, left)
				mo.rationd += d - got
				d = got
				left -= d
			}
			c.cons = d
			c.nonCN = 0
		}
	}
	return e, f
}

// noteExports moves China's normal exports of k towards this month's,
// e, in a month with no control on k: a six-month average (§3.9.1). In
// spin-up months they take this month's at once.
func (p *Path) noteExports(k int, e float64) {
	st := &p.st
	if st.spinup {
		st.normal[k] = e
		return
	}
	st.normal[k] += (e - st.normal[k]) / 6
}

// growNormal grows China's normal exports of k, while a control on k is
// in force, with the ex-China use of k: magnet demand for magnets, makers'
// plans for oxides.
func (p *Path) growNormal(k int) {
	if p.st.spinup || p.mo.grewNormal[k] || p.pol.quota[k] < 1 {
		return // a quota's volume does not grow
	}
	p.mo.grewNormal[k] = true
	now, prev := p.mo.refMag[ExChina], p.st.refPrev[ExChina]
	if k != Magnet {
		now, prev = p.mo.plan[ExChina], p.st.planPrev
	}
	if prev > 0 {
		p.st.normal[k] *= now / prev
	}
}
