package sim

// originRules shares ex-China magnet use between Chinese-origin and other
// magnets (docs/MODEL.md §3.13): segments under an origin rule take
// non-Chinese magnets first, by priority, and lose what they cannot get
// (under a rule that covers the oxides, only magnets made from non-Chinese
// NdPr and Dy/Tb count);
// tariff payers then take the non-Chinese share their choice asks for;
// everyone else takes the two pools in proportion to what is left of
// them. It sets the tariffs paid, the Chinese-origin magnets used and the
// Chinese-origin share of the ex-China stock. prevInv and prevOmega are
// the ex-China stock and its Chinese-origin share at the start of the
// month; e and f are China's magnet exports and imports.
func (p *Path) originRules(prevInv, prevOmega, e, f float64) {
	mo, st := &p.mo, &p.st
	nonCN := mo.made[ExChina] + (1-prevOmega)*prevInv - f
	cnPool := e + prevOmega*prevInv - mo.buy[Magnet]
	if cnPool < 0 {
		nonCN += cnPool
		cnPool = 0
	}
	nonCN = max(0, nonCN)
	left := nonCN
	// Magnets made outside China this month from non-Chinese NdPr and
	// Dy/Tb, for rules that cover the oxides (defence): the oxide
	// separated outside China this month, kept for them, in the full
	// recipe, as the high-coercivity grades such rules serve keep their
	// Dy/Tb. Oxide from stocks and from recycling counts as Chinese (most
	// magnets in use and in stock outside China were made from Chinese
	// oxide).
	clean := min(nonCN, mo.made[ExChina])
	for _, k := range [2]int{NdPr, DyTb} {
		if r := p.par.recipe[k]; r > 0 {
			clean = min(clean, mo.oxide[k][ExChina]/r)
		}
	}
	var unmet float64
	for _, s := range p.ruled {
		c := &p.cls[s]
		if mo.pt < c.origin {
			continue
		}
		need := (1 - c.maxCN) * c.cons
		if need <= 0 {
			continue
		}
		got := min(need, left)
		if c.oxideOrigin {
			got = min(got, clean)
			clean -= got
		}
		left -= got
		clean = min(clean, left)
		c.nonCN = got
		if got < need {
			// With got non-Chinese tonnes the segment may use at most
			// got/(1−max_china_share) in all.
			allowed := got / (1 - c.maxCN)
			unmet += c.cons - allowed
			c.cons = allowed
		}
	}
	// Tariff payers take the non-Chinese share of their use that their
	// choice asks for, by priority.
	cnLeft := cnPool
	for _, s := range p.tariffed {
		c := &p.cls[s]
		got := min(max(0, (1-c.tarCN)*c.cons-c.nonCN), left)
		left -= got
		c.nonCN += got
		cnLeft -= c.cons - c.nonCN
	}
	var rest float64
	for _, s := range p.exCls {
		if c := &p.cls[s]; c.tariff <= 0 {
			rest += c.cons - c.nonCN
		}
	}
	share := 0.0
	if rest > 0 && left > 0 {
		share = min(left/rest, left/(left+max(0, cnLeft)))
	}
	px := p.par.refPrice[Magnet] * st.x[Magnet][ExChina] / 1000
	for _, s := range p.exCls {
		c := &p.cls[s]
		if share != 0 && c.tariff <= 0 {
			c.nonCN += share * (c.cons - c.nonCN)
		}
		cn := c.cons - c.nonCN
		mo.cnUsed += cn
		if c.tariff > 0 {
			mo.paid += c.tariff * cn * px
			mo.tarImp += cn
		}
	}
	mo.cons[ExChina] -= unmet
	mo.rationd += unmet
	st.inv[Magnet][ExChina] += unmet
	if inv := st.inv[Magnet][ExChina]; inv > 0 {
		st.omega = max(0, min(1, (cnPool-mo.cnUsed)/inv))
	} else {
		st.omega = 0
	}
	if mo.cons[ExChina] > 1e-6 {
		st.cnShare[Magnet] = max(0, min(1, mo.cnUsed/mo.cons[ExChina]))
	} else {
		st.cnShare[Magnet] = 0
	}
}
