package sim

// record writes month t's series and accumulates the headline metrics.
func (p *Path) record(t int, refMag, cons, made [2]float64, oxide [NumProd][2]float64, rec [2]float64, e, cnUsed, destroyedX, refX, res float64) {
	m := p.m
	S := &p.Series
	for _, k := range [3]int{NdPr, DyTb, Magnet} {
		for mk := 0; mk < 2; mk++ {
			S[priceSeries[k][mk]][t] = p.pref[k] * p.ey[k][mk]
		}
	}
	for mk := 0; mk < 2; mk++ {
		g := p.grade[mk]
		S[priceSeries[Conc][mk]][t] = p.pay * (g[0]*S[priceSeries[NdPr][mk]][t] + g[1]*S[priceSeries[DyTb][mk]][t])
	}
	S[SMagSupplyX][t] = made[ExChina] + e
	S[SMagConsX][t] = cons[ExChina]
	S[SMagDemandX][t] = refMag[ExChina]
	S[SMagConsCN][t] = cons[China]
	S[SMagProdCN][t] = made[China]
	S[SMagProdX][t] = made[ExChina]
	S[SNdPrProdX][t] = oxide[NdPr][ExChina] + rec[ExChina]*p.recipe[NdPr]
	S[SDyTbProdX][t] = oxide[DyTb][ExChina] + rec[ExChina]*p.recipe[DyTb]
	S[SExportMag][t] = e
	// The share is of a real flow: below a millionth of a tonne the
	// consumption is rounding, and so is any share computed from it.
	if cons[ExChina] > 1e-6 {
		S[SChinaShareX][t] = max(0, min(1, cnUsed/cons[ExChina]))
	} else {
		S[SChinaShareX][t] = 0
	}
	S[SDestroyedX][t] = safeDiv(destroyedX, refX)

	// One pass over the segments: shortfall and its defence part, and
	// what buyers outside China paid above the reference price.
	var short, shortDef, want, wantDef float64
	px := p.pref[Magnet] * p.ey[Magnet][ExChina]
	over := (px - p.pref[Magnet]) / 1000
	cost := p.Metrics[MBuyerCost]
	for i := range p.cl {
		c := &p.cl[i]
		ref, got := c.ref, c.cons
		d := max(0, ref-got)
		short += d
		want += ref
		if c.defence {
			shortDef += d
			wantDef += ref
		}
		if c.market == ExChina {
			cost += got * over
		}
	}
	p.Metrics[MBuyerCost] = cost
	S[SShortfall][t] = short
	S[SShortfallDef][t] = shortDef

	var level [NumProd]float64
	var total float64
	for i := range m.Stockpiles {
		sp := &m.Stockpiles[i]
		level[sp.Product] += p.kLevel[i]
		total += p.kLevel[i]
		p.Metrics[MStockCost] += p.kLevel[i] * p.v(sp.HoldingCost) / 12 * p.pref[sp.Product] / 1000
	}
	S[SStockNdPr][t] = level[NdPr]
	S[SStockDyTb][t] = level[DyTb]
	S[SStockMag][t] = level[Magnet]
	p.Residual[t] = res

	M := &p.Metrics
	if t == 0 || total < M[MStockLow] {
		M[MStockLow] = total
	}
	for _, pk := range [...]struct {
		metric int
		v      float64
	}{
		{MPeakNdPrX, S[SPriceNdPrX][t]},
		{MPeakDyTbX, S[SPriceDyTbX][t]},
		{MPeakMagX, S[SPriceMagX][t]},
		{MPeakNdPrCN, S[SPriceNdPrCN][t]},
		{MPeakDyTbCN, S[SPriceDyTbCN][t]},
		{MPeakMagCN, S[SPriceMagCN][t]},
		{MPeakShort, short},
		{MPeakShortDef, shortDef},
	} {
		if t == 0 || pk.v > M[pk.metric] {
			M[pk.metric] = pk.v
		}
	}
	M[MMeanNdPrX] += S[SPriceNdPrX][t]
	M[MMeanDyTbX] += S[SPriceDyTbX][t]
	M[MMeanMagX] += S[SPriceMagX][t]
	M[MChinaShare] += S[SChinaShareX][t]
	M[MCumShort] += short
	M[MCumShortDef] += shortDef
	if short > 0.01*want {
		M[MMonthsShort]++
	}
	// Defence demand counts as unmet when more than 0.1 % of it (and more
	// than a kilogram) was not supplied in a month: less is rounding.
	if shortDef > max(1e-3, 1e-3*wantDef) {
		M[MDefUnmet] = 1
	}
	for _, k := range [3]int{NdPr, DyTb, Magnet} {
		if fp := p.floorP[k]; fp > 0 {
			gap := fp - S[priceSeries[k][ExChina]][t]
			if gap > 0 && k != Magnet {
				M[MFloorCost] += gap * oxide[k][ExChina] * p.floorCov / 1000
			}
		}
	}
}

// finish turns sums into means.
func (p *Path) finish() {
	n := float64(p.m.Months)
	M := &p.Metrics
	M[MMeanNdPrX] /= n
	M[MMeanDyTbX] /= n
	M[MMeanMagX] /= n
	M[MChinaShare] /= n
	// Net cost of the stockpiles: purchases and holding, less what their
	// releases fetched and the stock left at the end at the reference price.
	var end float64
	for i := range p.m.Stockpiles {
		sp := &p.m.Stockpiles[i]
		end += p.kLevel[i] * p.pref[sp.Product] / 1000
	}
	M[MStockNetCost] = M[MStockCost] - p.sales - end
}

var priceSeries = [NumProd][2]int{
	{SPriceConcCN, SPriceConcX},
	{SPriceNdPrCN, SPriceNdPrX},
	{SPriceDyTbCN, SPriceDyTbX},
	{SPriceMagCN, SPriceMagX},
}
