package sim

import "math"

// thrift updates the segments' thrifting from last month's magnet prices
// and sets this month's reference demand of each class and market
// (docs/MODEL.md §3.2). In spin-up months thrifting is held.
func (p *Path) thrift() {
	mo, st := &p.mo, &p.st
	if !st.spinup {
		// Thrifting state is kept per group of classes that share market,
		// lag, long-run elasticity, rate and decay. Groups that differ only
		// in long-run elasticity share their signal, and so its logarithm.
		lastSig, lastLog := math.NaN(), 0.0
		ratio := [2]float64{st.x[Magnet][China] / st.start[Magnet][China], st.x[Magnet][ExChina] / st.start[Magnet][ExChina]}
		for g, s := range p.thriftFirst {
			c := &p.cls[s]
			sig := p.thriftSig[g] + (ratio[c.market]-p.thriftSig[g])/c.lag
			p.thriftSig[g] = sig
			target := 0.0
			if sig > 1 {
				if sig != lastSig {
					lastSig, lastLog = sig, ln(sig)
				}
				target = 1 - exp(-c.lr*lastLog)
			}
			if th := p.thriftShare[g]; target > th {
				p.thriftShare[g] = th + min(target-th, c.rate/12)
			} else {
				p.thriftShare[g] = th - (th-target)*c.decay/12
			}
		}
	}
	if !st.spinup && p.par.dyThrift[0] > 0 {
		p.dyThrift()
	}
	mo.refMag, mo.refRaw, mo.thrift = [2]float64{}, [2]float64{}, 0
	for s := range p.cls {
		c := &p.cls[s]
		theta := p.thriftShare[c.group]
		r := c.base * c.pow // demand at the reference price before thrifting
		c.ref = r * (1 - theta)
		mo.refMag[c.market] += c.ref
		mo.refRaw[c.market] += r
		if c.market == ExChina {
			mo.thrift += r * theta
		}
	}
}

// precaution moves holders' cover multiple towards its target, in each
// market (§3.2.1): 1 + (μ − 1) times the share of their supply that policy
// restricts. Outside China that is the share of the product's exports
// from China that need a licence, counting controls announced but not yet
// in force; in China, the share of China's own mine capacity (weighted by
// the product's content) that production quotas hold back. In spin-up
// months it takes its target at once.
func (p *Path) precaution() {
	st, par, pol := &p.st, &p.par, &p.pol
	for k := NdPr; k < NumProd; k++ {
		for mk, restricted := range [2]float64{pol.held[k], pol.covered[k]} {
			target := 1 + (par.precaution[k]-1)*restricted
			switch prev := st.prec[k][mk]; {
			case st.spinup:
				st.prec[k][mk] = target
			case target > prev:
				st.prec[k][mk] = prev + (target-prev)/par.precBuild[k]
			default:
				st.prec[k][mk] = prev + (target-prev)/par.precRelease[k]
			}
		}
	}
}

// tariffChoice sets each tariffed class's price multiple and
// Chinese-origin share for this month, from last month's Chinese-origin
// share of ex-China magnet supply (§3.1.2).
func (p *Path) tariffChoice() {
	theta, sigma := p.st.cnShare[Magnet], p.par.substitution[Magnet]
	for s := range p.cls {
		c := &p.cls[s]
		if c.tariff > 0 && c.market == ExChina {
			c.tarMult, c.tarCN, c.lnMult = p.choice.choose(c.tariff, theta, sigma)
		} else {
			c.tarMult, c.tarCN, c.lnMult = 1, theta, 0
		}
	}
}

// dyThrift updates the share of the Dy/Tb recipe that makers in each
// market have saved (§3.2), as segments thrift magnets: towards the target
// max·(1 − 1/ξ) (0 when the smoothed Dy/Tb price ratio ξ over its start is
// at most 1), rising by at most rate·max a year and falling back by decay
// of the gap a year.
func (p *Path) dyThrift() {
	st, th := &p.st, &p.par.dyThrift
	for mk := 0; mk < 2; mk++ {
		st.dySig[mk] += (st.x[DyTb][mk]/st.start[DyTb][mk] - st.dySig[mk]) / th[2]
		target := 0.0
		if st.dySig[mk] > 1 {
			target = th[0] * (1 - 1/st.dySig[mk])
		}
		if cut := st.dyCut[mk]; target > cut {
			st.dyCut[mk] = min(target, cut+th[0]*th[1]/12)
		} else {
			st.dyCut[mk] = cut - (cut-target)*th[3]/12
		}
	}
}

// recipe returns the tonnes of oxide k in a tonne of magnet made in
// market mk this month, after Dy/Tb thrifting.
func (p *Path) recipe(k, mk int) float64 {
	if k == DyTb {
		return p.par.recipe[DyTb] * (1 - p.st.dyCut[mk])
	}
	return p.par.recipe[k]
}
