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
		ctl := sp.OnControl && p.pol.control[sp.Product]
		switch {
		case k.since < 0 && (x >= p.v(sp.TriggerRatio) || ctl):
			k.since = t
		case k.since >= 0 && !(x >= p.v(sp.ReleaseUntil) || ctl):
			k.since = -1
		}
		switch {
		case k.since >= 0:
			// Stockpiles that serve named segments release after the
			// magnet market clears (serve).
			if float64(t-k.since) >= p.v(sp.Lag) && len(sp.Serves) == 0 {
				k.offer = min(k.level, p.v(sp.Rate)*k.size)
			}
		case p.v(sp.FillMonths) > 0 && p.mo.ft < p.v(sp.FillMonths):
			k.fill = min(k.size-k.level, k.size/p.v(sp.FillMonths))
		case x < p.v(sp.RefillBelow) && k.level < k.size && p.v(sp.RefillMonths) > 0:
			k.refill = min(k.size-k.level, k.size/p.v(sp.RefillMonths))
		}
	}
}

// take releases up to need tonnes of product k from the stockpiles that
// offer it this month, in their order, and returns the amount released:
// stockpiles fill the ex-China market's deficit at the reference price and
// are not dumped into a market that lacks nothing.
func (p *Path) take(k int, need float64) float64 {
	var got float64
	for i := range p.m.Stockpiles {
		sp := &p.stk[i]
		if p.m.Stockpiles[i].Product != k || sp.offer <= 0 || need <= got {
			continue
		}
		r := min(sp.offer, need-got)
		got += r
		sp.level -= r
		p.mo.released += r
		// Sold at last month's ex-China price.
		p.sales += r * p.par.refPrice[k] * p.st.x[k][ExChina] / 1000
	}
	return got
}

// purchase books the stockpiles' purchases of product k on the ex-China
// book bk and returns the tonnes bought. Fill purchases are price-blind
// but take at most half of what the market has before trade; refills are
// limit orders: a stockpile buys only what the market can spare while its
// price stays at or below the stockpile's refill ratio. Purchases cost
// last month's ex-China price.
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
		scale := min(1, 0.5*max(0, bk.b-bk.k)/fill)
		for i := range m.Stockpiles {
			if sp := &p.stk[i]; m.Stockpiles[i].Product == k && sp.fill > 0 {
				b := sp.fill * scale
				sp.level += b
				p.mo.stockCost += b * price
			}
		}
		total = fill * scale
		bk.k += total
	}
	for i := range m.Stockpiles {
		sp := &p.stk[i]
		if m.Stockpiles[i].Product != k || sp.refill <= 0 {
			continue
		}
		z, _ := bk.excess(math.Log(max(1e-300, p.v(m.Stockpiles[i].RefillBelow)*p.st.start[k][ExChina])))
		b := min(sp.refill, max(0, -z))
		if b <= 0 {
			continue
		}
		sp.level += b
		p.mo.stockCost += b * price
		bk.k += b
		total += b
	}
	return total
}

// serve releases magnets from the stockpiles that serve named segments to
// those segments' unmet demand at the reference price (§3.14); it returns
// the tonnes released.
func (p *Path) serve() float64 {
	m, t := p.m, p.mo.t
	var total float64
	for i := range m.Stockpiles {
		sp := &m.Stockpiles[i]
		k := &p.stk[i]
		if len(sp.Serves) == 0 || sp.Product != Magnet || k.since < 0 || float64(t-k.since) < p.v(sp.Lag) {
			continue
		}
		avail := min(k.level, p.v(sp.Rate)*k.size)
		for _, s := range sp.Serves {
			c := &p.cls[p.classOf[s]]
			if c.market != ExChina {
				continue // government stockpiles are held outside China
			}
			g := min(max(0, c.ref-c.cons), avail)
			avail -= g
			c.cons += g
			k.level -= g
			total += g
			p.sales += g * p.par.refPrice[Magnet] * p.st.x[Magnet][ExChina] / 1000
		}
	}
	p.mo.released += total
	return total
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
		if x < p.vOr(r.BuyBelow, math.Inf(1)) {
			rs.buyQ = p.v(r.BuyRate) / 12
			if r.MaxHolding != NoRef {
				rs.buyQ = min(rs.buyQ, max(0, p.v(r.MaxHolding)-rs.bought))
			}
		}
		if r.ReleaseAbove != NoRef && x > p.v(r.ReleaseAbove) {
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
