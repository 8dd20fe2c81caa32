package sim

import "math"

// stockpileOrders decides, for each government stockpile, whether it is in
// a release run, what it offers the ex-China market this month and what
// it wants to buy (docs/MODEL.md §3.8). A run starts when last month's
// ex-China price ratio reaches the trigger (or, for a stockpile that
// triggers on controls, while a control on its product is in force) and
// lasts while the ratio stays at or above release_until_ratio (or the
// control lasts); releases begin lag_months into the run.
func (p *Path) stockpileOrders() {
	m, t := p.m, p.mo.t
	for i := range m.Stockpiles {
		sp := &m.Stockpiles[i]
		k := &p.stk[i]
		k.offer, k.fill, k.refill = 0, 0, 0
		// Price ratios are to the ex-China price at the start.
		x := p.st.x[sp.Product][ExChina] / p.st.start[sp.Product][ExChina]
		ctl := sp.TriggerOnControl && p.pol.control[sp.Product]
		switch {
		case k.since < 0 && (x >= p.v(sp.TriggerPriceRatio) || ctl):
			k.since = t
		case k.since >= 0 && !(x >= p.v(sp.ReleaseUntilRatio) || ctl):
			k.since = -1
		}
		switch {
		case k.since >= 0:
			if float64(t-k.since) >= p.v(sp.LagMonths) {
				k.offer = min(k.level, p.v(sp.ReleaseRate)*k.size)
			}
		case p.v(sp.FillMonths) > 0 && p.mo.ft < p.v(sp.FillMonths):
			k.fill = min(k.size-k.level, k.size/p.v(sp.FillMonths))
		case x < p.v(sp.RefillBelowRatio) && k.level < k.size && p.v(sp.RefillMonths) > 0:
			k.refill = min(k.size-k.level, k.size/p.v(sp.RefillMonths))
		}
	}
}

// purchase books the stockpiles' purchases of product k on the ex-China
// book bk and returns the tonnes bought. Fill purchases are price-blind
// but take at most half of what the market has before trade; refills
// (ordered while the price ratio is below the stockpile's refill ratio,
// stockpileOrders) buy only from a glut: what the ex-China book, before
// trade with China, would leave unsold at its sellers' lowest price.
// Purchases cost last month's ex-China price.
func (p *Path) purchase(k int, bk *book) float64 {
	m := p.m
	var fill float64
	for i := range m.Stockpiles {
		if m.Stockpiles[i].Product == k {
			fill += p.stk[i].fill
		}
	}
	price := p.par.refPrice[k] * p.st.x[k][ExChina] / 1000
	var total float64
	if fill > 0 {
		scale := min(1, 0.5*max(0, bk.supply-bk.blind)/fill)
		for i := range m.Stockpiles {
			if sp := &p.stk[i]; m.Stockpiles[i].Product == k && sp.fill > 0 {
				b := sp.fill * scale
				sp.level += b
				p.mo.stockCost += b * price
			}
		}
		total = fill * scale
		bk.blind += total
	}
	for i := range m.Stockpiles {
		sp := &p.stk[i]
		if m.Stockpiles[i].Product != k || sp.refill <= 0 {
			continue
		}
		// Only from a glut: what the market would leave unsold even at
		// the sellers' lowest price (§3.8).
		z, _ := bk.excess(bk.lo)
		b := min(sp.refill, max(0, -z))
		if b <= 0 {
			continue
		}
		sp.level += b
		p.mo.stockCost += b * price
		bk.blind += b
		total += b
	}
	return total
}

// release hands what the stockpiles in a release run offer to buyers
// outside China who are short of magnets this month (§3.14): the segments
// a stockpile serves, in its order, or, if it lists none, every ex-China
// segment class by priority, each up to its demand at the start price less
// what it got.
// A magnet stockpile gives magnets; an oxide stockpile gives its oxide to
// makers outside China with spare capacity, who make magnets for the same
// buyers with the other oxide they hold beyond their cover. Releases are allocated at
// the start price and do not pass through the market, so they lower no
// market price.
func (p *Path) release() {
	m, mo, par, st := p.m, &p.mo, &p.par, &p.st
	px := par.refPrice[Magnet] * st.start[Magnet][ExChina] / 1000
	for i := range m.Stockpiles {
		sp := &m.Stockpiles[i]
		k := &p.stk[i]
		if k.offer <= 0 {
			continue
		}
		avail := k.offer
		give := func(c *class) {
			short := max(0, c.ref-c.cons)
			if short <= 0 || avail <= 0 {
				return
			}
			var g float64
			if sp.Product == Magnet {
				g = min(short, avail)
				avail -= g
				mo.release[Magnet] += g
			} else {
				kk, other := sp.Product, NdPr+DyTb-sp.Product
				r, ro := p.recipe(kk, ExChina), p.recipe(other, ExChina)
				spare := max(0, mo.magCap[ExChina]-mo.made[ExChina]-mo.fromOxide)
				// Only the other oxide that makers hold beyond their cover:
				// an oxide release helps only while the other oxide is
				// not what is short.
				want := par.cover[other][ExChina] * st.prec[other][ExChina] * ro * mo.plan[ExChina]
				g = min(short, spare, safeDivInf(avail, r), safeDivInf(max(0, st.inv[other][ExChina]-want), ro))
				avail -= g * r
				st.inv[other][ExChina] -= g * ro
				mo.release[kk] += g * r
				mo.fromOxide += g
			}
			c.cons += g
			mo.cons[ExChina] += g
			p.sales += g * px
		}
		for _, s := range sp.ServedSegments {
			give(&p.cls[p.classOf[s]])
		}
		if len(sp.ServedSegments) == 0 {
			for _, s := range p.byPriority[ExChina] {
				give(&p.cls[s])
			}
		}
		k.level -= k.offer - avail
		mo.released += k.offer - avail
	}
}

func safeDivInf(a, b float64) float64 {
	if b <= 0 {
		return math.Inf(1)
	}
	return a / b
}

// reserveOrders sets the State Reserve's purchases from and sales to
// China's market of oxide k this month (§3.8.1): a programme in its window
// buys at its yearly rate while China's price ratio last month was below
// its buy ratio and it has not reached its limit, and sells a share of its
// holding while the ratio was above its release ratio. Purchases take at
// most half of what China's market has before trade.
func (p *Path) reserveOrders(k int, avail float64) {
	m, ft := p.m, p.mo.ft
	x := p.st.x[k][China]
	var buy, sell float64
	for i := range m.Reserves {
		r := &m.Reserves[i]
		rs := &p.res[i]
		rs.buyQ, rs.sellQ = 0, 0
		if r.Product != k || rs.on == 0 || ft < rs.start || ft >= rs.end {
			continue
		}
		if x < p.vOr(r.BuyBelowRatio, math.Inf(1)) {
			rs.buyQ = p.v(r.BuyTPY) / 12
			if r.MaxT != NoRef {
				rs.buyQ = min(rs.buyQ, max(0, p.v(r.MaxT)-rs.bought))
			}
		}
		if r.ReleaseAboveRatio != NoRef && x > p.v(r.ReleaseAboveRatio) {
			rs.sellQ = p.v(r.ReleaseRate) * rs.holding
		}
		buy += rs.buyQ
		sell += rs.sellQ
	}
	scale := 1.0
	if buy > 0 {
		scale = min(1, 0.5*max(0, avail)/buy)
	}
	for i := range m.Reserves {
		rs := &p.res[i]
		b := rs.buyQ * scale
		rs.holding += b - rs.sellQ
		rs.bought += b
	}
	p.mo.resBuy[k] = buy * scale
	p.mo.resSell[k] = sell
}
