package sim

import "math"

// policiesInForce sets the policies of the current month (docs/MODEL.md
// §3.1): per product, the export controls' open share, pass share,
// licence approval rate, delay and friction, and the share under a
// control or an announced one; the tariffs on each segment class and on
// each region's oxide; the price floors; the capacity left to each
// facility by disruptions.
func (p *Path) policiesInForce() {
	m, pol, ft := p.m, &p.pol, p.mo.pt
	// Export controls. Several controls combine as independent filters
	// on each shipment: a shipment that needs several licences waits for
	// the slowest and pays each one's friction.
	announced := [NumProd]float64{1, 1, 1, 1}
	for k := 0; k < NumProd; k++ {
		pol.open[k], pol.pass[k], pol.quota[k] = 1, 1, 1
		pol.delay[k], pol.friction[k] = 0, 0
		pol.control[k] = false
	}
	for j := range m.Controls {
		c := &m.Controls[j]
		if pol.ctlOn[j] == 0 || ft < pol.ctlAnnounce[j] || ft >= pol.ctlEnd[j] {
			continue
		}
		share := p.v(c.ShareBlocked)
		inForce := ft >= pol.ctlStart[j]
		a := 0.0
		if inForce {
			a = p.approval(j)
		}
		fr := p.v(c.LicenceFriction)
		for k, on := range c.Products {
			if !on {
				continue
			}
			announced[k] *= 1 - share
			if !inForce {
				continue
			}
			pol.control[k] = true
			if c.Quota {
				// An export quota: exports may not exceed the open share of
				// the normal flow; licences relax it.
				pol.quota[k] *= 1 - share*(1-a)
				continue
			}
			pol.open[k] *= 1 - share
			pol.pass[k] *= 1 - share*(1-a)
			pol.friction[k] += share * fr
		}
	}
	for k := 0; k < NumProd; k++ {
		pol.approval[k] = 1
		if pol.open[k] < 1 {
			pol.approval[k] = (pol.pass[k] - pol.open[k]) / (1 - pol.open[k])
		}
		pol.covered[k] = 1 - announced[k]
		if pol.open[k] < 1 {
			// Per licensed shipment.
			pol.delay[k] = p.licenceDelay(k) / (1 - pol.open[k])
			pol.friction[k] /= 1 - pol.open[k]
		}
	}

	// Tariffs: the levels on each class's magnets and each region's oxide
	// change only when a tariff starts or ends.
	changed := false
	for i := range m.Tariffs {
		on := pol.tarOn[i] != 0 && ft >= pol.tarStart[i] && ft < pol.tarEnd[i]
		if on != pol.tarActive[i] {
			pol.tarActive[i], changed = on, true
		}
	}
	if changed || pol.tarChanged {
		pol.tarChanged = false
		for s := range p.cls {
			p.cls[s].tariff = 0
		}
		for k := range pol.oxTariff {
			clear(pol.oxTariff[k])
		}
		for i := range m.Tariffs {
			tr := &m.Tariffs[i]
			if !pol.tarActive[i] || m.RegionMarket[tr.Region] != ExChina {
				continue
			}
			lvl := p.v(tr.Level)
			switch tr.Product {
			case Magnet:
				for s := range p.cls {
					if p.segs[s].Region == tr.Region {
						p.cls[s].tariff += lvl
					}
				}
			case NdPr, DyTb:
				pol.oxTariff[tr.Product][tr.Region] += lvl
			}
		}
		p.tariffed = p.tariffed[:0]
		for _, s := range p.byPriority[ExChina] {
			if p.cls[s].tariff > 0 {
				p.tariffed = append(p.tariffed, s)
			}
		}
	}

	// Price floors.
	pol.floor = [NumProd]float64{}
	for i := range m.Floors {
		fl := &m.Floors[i]
		if ft >= pol.flStart[i] && ft < pol.flEnd[i] {
			pol.floor[fl.Product] = max(pol.floor[fl.Product], p.v(fl.Price))
		}
	}

	// Disruptions: the share of each facility's capacity left, which
	// changes only when a disruption starts or ends.
	changed = false
	for j := range m.Disruptions {
		on := !p.mo.calm && pol.diOn[j] != 0 && ft >= pol.diStart[j] && ft < pol.diEnd[j]
		if on != pol.diActive[j] {
			pol.diActive[j], changed = on, true
		}
	}
	pol.leftChanged = changed || pol.diChanged
	if pol.leftChanged {
		pol.diChanged = false
		for i := range p.fac {
			p.fac[i].left = 1
		}
		for j := range m.Disruptions {
			if !pol.diActive[j] {
				continue
			}
			d := &m.Disruptions[j]
			keep := 1 - p.v(d.ShareLost)
			for _, i := range d.Facilities {
				p.fac[i].left *= keep
			}
		}
	}
}

// approval returns the licence approval rate of control j this month: it
// moves linearly from LicenceInitial to LicenceRecovery over LicenceMonths
// from the control's start.
func (p *Path) approval(j int) float64 {
	c := &p.m.Controls[j]
	a0, a1 := p.v(c.LicenceInitial), p.v(c.LicenceRecovery)
	lm := p.v(c.LicenceMonths)
	if lm <= 0 {
		return a1
	}
	return a0 + (a1-a0)*max(0, min(1, (p.mo.pt-p.pol.ctlStart[j])/lm))
}

// originChoice returns the price multiple and the Chinese-origin share of
// a buyer who pays tariff w on Chinese-origin supply when that supply is
// a share theta of the market's and substitution sigma governs the
// switch to other origins (docs/MODEL.md §3.1.2): the Chinese share is
// the logit share theta(1+w)^−σ / (theta(1+w)^−σ + 1 − theta), the price
// multiple the matching index [(1−theta) + theta(1+w)^−σ]^(−1/σ), which
// rises with w from 1 towards 1 + w.
func originChoice(w, theta, sigma float64) (mult, cn float64) {
	if w <= 0 || theta <= 0 {
		return 1, theta
	}
	if sigma <= 0 {
		return exp(theta * math.Log1p(w)), theta // the limit σ → 0: a geometric mean
	}
	lnMult, cn := originShares(theta, sigma, exp(-sigma*math.Log1p(w)))
	return exp(lnMult), cn
}

// originShares returns the logarithm of originChoice's price multiple
// and its Chinese-origin share, for σ > 0, given the tariff's factor
// pw = (1+w)^−σ.
func originShares(theta, sigma, pw float64) (lnMult, cn float64) {
	a := theta * pw
	den := a + 1 - theta
	return -ln(den) / sigma, a / den
}

// choiceCache holds the last origin choice made under a tariff: the
// tariffed classes share few tariff levels, a level's factor (1+w)^−σ
// changes only when a tariff starts or ends, and the choice changes only
// with the Chinese-origin share.
type choiceCache struct {
	w, sigma, theta  float64 // the inputs of the last choice (NaN: none)
	lw, pw           float64 // ln(1+w) and, for σ > 0, (1+w)^−σ
	mult, cn, lnMult float64 // the choice and ln(mult)
}

func newChoiceCache() choiceCache {
	return choiceCache{w: math.NaN(), sigma: math.NaN(), theta: math.NaN()}
}

// choose returns originChoice(w, theta, sigma), exactly, and the
// logarithm of the multiple (the exponent that gives it).
func (cc *choiceCache) choose(w, theta, sigma float64) (mult, cn, lnMult float64) {
	if w != cc.w || sigma != cc.sigma {
		cc.w, cc.sigma, cc.theta = w, sigma, math.NaN()
		cc.lw = math.Log1p(w)
		if sigma > 0 {
			cc.pw = exp(-sigma * cc.lw)
		}
	}
	if theta != cc.theta {
		cc.theta = theta
		switch {
		case w <= 0 || theta <= 0:
			cc.lnMult, cc.cn = 0, theta
		case sigma <= 0:
			cc.lnMult, cc.cn = theta*cc.lw, theta
		default:
			cc.lnMult, cc.cn = originShares(theta, sigma, cc.pw)
		}
		cc.mult = exp(cc.lnMult)
	}
	return cc.mult, cc.cn, cc.lnMult
}

// licensing reports whether control j is a licensing control (not an
// export quota) on product k in force this month.
func (p *Path) licensing(j, k int) bool {
	c, pol, ft := &p.m.Controls[j], &p.pol, p.mo.pt
	return c.Products[k] && !c.Quota && pol.ctlOn[j] != 0 && ft >= pol.ctlStart[j] && ft < pol.ctlEnd[j]
}

// licenceDelay returns the expected wait of a shipment of product k for
// the slowest of the licences it needs (0 when it needs none), under the
// licensing controls in force, each needed independently with
// probability its blocked share s: E[max] = Σ over the distinct delays
// d of (d − the next lower delay, or 0) × (1 − Π(1 − s) over the controls
// whose delay is at least d) (docs/MODEL.md §3.1.1). It does not depend
// on the order of the controls.
func (p *Path) licenceDelay(k int) float64 {
	ctl := p.m.Controls
	var e float64
	for j := range ctl {
		if !p.licensing(j, k) {
			continue
		}
		dj := max(0, p.v(ctl[j].LicenceDelayMonths))
		lower, surv, dup := 0.0, 1.0, false
		for i := range ctl {
			if !p.licensing(i, k) {
				continue
			}
			di := max(0, p.v(ctl[i].LicenceDelayMonths))
			switch {
			case di < dj:
				lower = max(lower, di)
			default:
				surv *= 1 - p.v(ctl[i].ShareBlocked)
				dup = dup || (di == dj && i < j)
			}
		}
		if !dup {
			e += (dj - lower) * (1 - surv)
		}
	}
	return e
}
