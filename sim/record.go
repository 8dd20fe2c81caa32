package sim

// record writes month t's series and accumulates the headline metrics
// (docs/MODEL.md §3.16-3.17).
func (p *Path) record(t int) {
	m, mo, par, st := p.m, &p.mo, &p.par, &p.st
	S := &p.Series
	for _, k := range [3]int{NdPr, DyTb, Magnet} {
		for mk := 0; mk < 2; mk++ {
			S[priceSeries[k][mk]][t] = par.refPrice[k] * st.x[k][mk]
		}
	}
	for mk := 0; mk < 2; mk++ {
		g := mo.grade[mk]
		S[priceSeries[Conc][mk]][t] = par.payability * (g[0]*S[priceSeries[NdPr][mk]][t] + g[1]*S[priceSeries[DyTb][mk]][t])
	}
	S[SMagSupplyX][t] = mo.made[ExChina] + mo.fromOxide + mo.exp[Magnet]
	S[SMagConsX][t] = mo.cons[ExChina]
	S[SMagDemandX][t] = mo.refMag[ExChina]
	S[SMagConsCN][t] = mo.cons[China]
	S[SMagProdCN][t] = mo.made[China]
	S[SMagProdX][t] = mo.made[ExChina] + mo.fromOxide
	S[SNdPrProdX][t] = mo.oxide[NdPr][ExChina] + mo.rec[ExChina]*par.recipe[NdPr]
	S[SDyTbProdX][t] = mo.oxide[DyTb][ExChina] + mo.rec[ExChina]*par.recipe[DyTb]
	S[SExportMag][t] = mo.exp[Magnet]
	S[SExportNdPr][t] = mo.exp[NdPr]
	S[SExportDyTb][t] = mo.exp[DyTb]
	// The share is of a real flow: below a millionth of a tonne the
	// consumption is rounding, and so is any share computed from it.
	S[SChinaShareX][t] = 0
	if mo.cons[ExChina] > 1e-6 {
		S[SChinaShareX][t] = max(0, min(1, mo.cnUsed/mo.cons[ExChina]))
	}
	S[SDestroyedX][t] = safeDiv(mo.thrift, mo.refRaw[ExChina])
	S[SChinaMining][t] = mo.mineOut[2]
	var reserve [NumProd]float64
	for i := range m.Reserves {
		reserve[m.Reserves[i].Product] += p.res[i].holding
	}
	S[SReserveNdPr][t] = reserve[NdPr]
	S[SReserveDyTb][t] = reserve[DyTb]
	S[SCoverMag][t] = st.prec[Magnet][ExChina]

	// One pass over the classes: shortfall and its defence part, and what
	// buyers outside China paid above the reference price.
	var short, shortDef, want, wantDef float64
	over := par.refPrice[Magnet] * (st.x[Magnet][ExChina] - 1) / 1000
	M := &p.Metrics
	for i := range p.cls {
		c := &p.cls[i]
		d := max(0, c.ref-c.cons)
		short += d
		want += c.ref
		if c.defence {
			shortDef += d
			wantDef += c.ref
		}
		if c.market == ExChina {
			M[MBuyerCost] += c.cons * over
		}
	}
	S[SShortfall][t] = short
	S[SShortfallDef][t] = shortDef

	var level [NumProd]float64
	var total float64
	for i := range m.Stockpiles {
		k := &p.stk[i]
		level[m.Stockpiles[i].Product] += k.level
		total += k.level
		M[MStockCost] += k.level * k.holdCost
	}
	S[SStockNdPr][t] = level[NdPr]
	S[SStockDyTb][t] = level[DyTb]
	S[SStockMag][t] = level[Magnet]
	p.Residual[t] = mo.res

	M[MStockCost] += mo.stockCost
	M[MStockReleased] += mo.released
	M[MTariffPaid] += mo.paid
	M[MTariffImports] += mo.tarImp
	M[MLicenceCost] += mo.licCost
	M[MRationed] += mo.rationd
	if t == 0 || total < M[MStockLow] {
		M[MStockLow] = total
	}
	prem := func(k int) float64 { return st.x[k][ExChina] / st.x[k][China] }
	for _, pk := range [...]struct {
		metric int
		v      float64
	}{
		{MPeakNdPrX, S[SPriceNdPrX][t]},
		{MPeakDyTbX, S[SPriceDyTbX][t]},
		{MPeakMagX, S[SPriceMagX][t]},
		{MPeakMultNdPrX, st.x[NdPr][ExChina] / st.start[NdPr][ExChina]},
		{MPeakMultDyTbX, st.x[DyTb][ExChina] / st.start[DyTb][ExChina]},
		{MPeakMultMagX, st.x[Magnet][ExChina] / st.start[Magnet][ExChina]},
		{MPeakMultNdPrCN, st.x[NdPr][China] / st.start[NdPr][China]},
		{MPeakMultDyTbCN, st.x[DyTb][China] / st.start[DyTb][China]},
		{MPeakMultMagCN, st.x[Magnet][China] / st.start[Magnet][China]},
		{MPeakPremNdPr, prem(NdPr)},
		{MPeakPremDyTb, prem(DyTb)},
		{MPeakPremMag, prem(Magnet)},
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
	M[MMeanPremMag] += prem(Magnet)
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
	for _, k := range [2]int{NdPr, DyTb} {
		if fp := p.pol.floor[k]; fp > 0 {
			if gap := fp - S[priceSeries[k][ExChina]][t]; gap > 0 {
				M[MFloorCost] += gap * mo.oxide[k][ExChina] * p.pol.floorCov / 1000
			}
		}
	}
}

// finish turns sums into means and sets the stockpiles' net cost.
func (p *Path) finish() {
	n := float64(p.m.Months)
	M := &p.Metrics
	M[MMeanNdPrX] /= n
	M[MMeanDyTbX] /= n
	M[MMeanMagX] /= n
	M[MMeanPremMag] /= n
	M[MChinaShare] /= n
	// Net cost of the stockpiles: purchases and holding, less what their
	// releases fetched and the stock left at the end at the reference price.
	var end float64
	for i := range p.m.Stockpiles {
		end += p.stk[i].level * p.par.refPrice[p.m.Stockpiles[i].Product] / 1000
	}
	M[MStockNetCost] = M[MStockCost] - p.sales - end
}

var priceSeries = [NumProd][2]int{
	{SPriceConcCN, SPriceConcX},
	{SPriceNdPrCN, SPriceNdPrX},
	{SPriceDyTbCN, SPriceDyTbX},
	{SPriceMagCN, SPriceMagX},
}
