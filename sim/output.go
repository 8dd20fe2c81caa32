package sim

// Series are the monthly series a path records, in the order of SeriesInfo.
const (
	SPriceNdPrCN = iota
	SPriceNdPrX
	SPriceDyTbCN
	SPriceDyTbX
	SPriceMagCN
	SPriceMagX
	SPriceConcCN
	SPriceConcX
	SMagSupplyX
	SMagConsX
	SMagDemandX
	SMagConsCN
	SShortfall
	SShortfallDef
	SStockNdPr
	SStockDyTb
	SStockMag
	SChinaShareX
	SMagProdCN
	SMagProdX
	SNdPrProdX
	SDyTbProdX
	SExportMag
	SExportNdPr
	SExportDyTb
	SDestroyedX
	SChinaMining
	SReserveNdPr
	SReserveDyTb
	SCoverMag
	NumSeries
)

// Info names a series or metric and gives its unit.
type Info struct {
	Name, Unit, Title string
}

// SeriesInfo describes each series.
var SeriesInfo = [NumSeries]Info{
	{"price_ndpr_china", "$/kg", "NdPr oxide price, China domestic"},
	{"price_ndpr_exchina", "$/kg", "NdPr oxide price, ex-China"},
	{"price_dytb_china", "$/kg", "Dy/Tb oxide price, China domestic"},
	{"price_dytb_exchina", "$/kg", "Dy/Tb oxide price, ex-China"},
	{"price_magnet_china", "$/kg", "NdFeB magnet price, China domestic"},
	{"price_magnet_exchina", "$/kg", "NdFeB magnet price, ex-China"},
	{"price_concentrate_china", "$/kg REO", "Concentrate price, China"},
	{"price_concentrate_exchina", "$/kg REO", "Concentrate price, ex-China"},
	{"exchina_magnet_supply_t", "t/month", "Ex-China magnet supply (production + imports)"},
	{"exchina_magnet_consumption_t", "t/month", "Ex-China magnet consumption"},
	{"exchina_magnet_demand_t", "t/month", "Ex-China magnet demand at the reference price"},
	{"china_magnet_consumption_t", "t/month", "China magnet consumption"},
	{"shortfall_t", "t/month", "Magnet shortfall, all segments"},
	{"shortfall_defence_t", "t/month", "Magnet shortfall, defence"},
	{"stockpile_ndpr_t", "t", "Government stockpiles of NdPr oxide"},
	{"stockpile_dytb_t", "t", "Government stockpiles of Dy/Tb oxide"},
	{"stockpile_magnet_t", "t", "Government stockpiles of magnets"},
	{"china_share_exchina_supply", "share", "Chinese-origin share of ex-China magnet supply"},
	{"magnet_production_china_t", "t/month", "Magnet production in China"},
	{"magnet_production_exchina_t", "t/month", "Magnet production outside China"},
	{"ndpr_production_exchina_t", "t/month", "NdPr oxide production outside China (incl. recycling)"},
	{"dytb_production_exchina_t", "t/month", "Dy/Tb oxide production outside China (incl. recycling)"},
	{"china_exports_magnet_t", "t/month", "China's magnet exports"},
	{"china_exports_ndpr_t", "t/month", "China's NdPr oxide exports"},
	{"china_exports_dytb_t", "t/month", "China's Dy/Tb oxide exports"},
	{"demand_destroyed_exchina", "share", "Ex-China magnet demand lost to thrifting and substitution"},
	{"china_mine_output_t", "t REO/month", "Ore mined by China's own mines"},
	{"china_reserve_ndpr_t", "t", "China's State Reserve holdings of NdPr oxide"},
	{"china_reserve_dytb_t", "t", "China's State Reserve holdings of Dy/Tb oxide"},
	{"exchina_cover_multiple_magnet", "x usual", "Ex-China buyers' magnet cover as a multiple of the usual (precaution)"},
}

// Headline metrics of a path, in the order of MetricInfo.
const (
	MPeakNdPrX = iota
	MMeanNdPrX
	MPeakDyTbX
	MMeanDyTbX
	MPeakMagX
	MMeanMagX
	MPeakMultNdPrX
	MPeakMultDyTbX
	MPeakMultMagX
	MPeakMultNdPrCN
	MPeakMultDyTbCN
	MPeakMultMagCN
	MPeakPremNdPr
	MPeakPremDyTb
	MPeakPremMag
	MMeanPremMag
	MCumShort
	MPeakShort
	MCumShortDef
	MPeakShortDef
	MMonthsShort
	MRationed
	MDefUnmet
	MStockLow
	MStockCost
	MStockReleased
	MStockNetCost
	MBuyerCost
	MTariffPaid
	MTariffImports
	MLicenceCost
	MFloorCost
	MChinaShare
	NumMetrics
)

// MetricInfo describes each headline metric.
var MetricInfo = [NumMetrics]Info{
	{"peak_price_ndpr_exchina", "$/kg", "Peak ex-China NdPr oxide price"},
	{"mean_price_ndpr_exchina", "$/kg", "Mean ex-China NdPr oxide price"},
	{"peak_price_dytb_exchina", "$/kg", "Peak ex-China Dy/Tb oxide price"},
	{"mean_price_dytb_exchina", "$/kg", "Mean ex-China Dy/Tb oxide price"},
	{"peak_price_magnet_exchina", "$/kg", "Peak ex-China magnet price"},
	{"mean_price_magnet_exchina", "$/kg", "Mean ex-China magnet price"},
	{"peak_multiple_ndpr_exchina", "x start", "Peak ex-China NdPr oxide price as a multiple of the start price"},
	{"peak_multiple_dytb_exchina", "x start", "Peak ex-China Dy/Tb oxide price as a multiple of the start price"},
	{"peak_multiple_magnet_exchina", "x start", "Peak ex-China magnet price as a multiple of the start price"},
	{"peak_multiple_ndpr_china", "x start", "Peak China NdPr oxide price as a multiple of the start price"},
	{"peak_multiple_dytb_china", "x start", "Peak China Dy/Tb oxide price as a multiple of the start price"},
	{"peak_multiple_magnet_china", "x start", "Peak China magnet price as a multiple of the start price"},
	{"peak_premium_ndpr", "x China", "Peak ex-China NdPr oxide price as a multiple of China's in the same month"},
	{"peak_premium_dytb", "x China", "Peak ex-China Dy/Tb oxide price as a multiple of China's in the same month"},
	{"peak_premium_magnet", "x China", "Peak ex-China magnet price as a multiple of China's in the same month"},
	{"mean_premium_magnet", "x China", "Mean ex-China magnet price as a multiple of China's"},
	{"cum_shortfall_t", "t", "Cumulative magnet shortfall"},
	{"peak_shortfall_t", "t/month", "Peak monthly magnet shortfall"},
	{"cum_shortfall_defence_t", "t", "Cumulative defence magnet shortfall"},
	{"peak_shortfall_defence_t", "t/month", "Peak monthly defence magnet shortfall"},
	{"months_in_shortage", "months", "Months with shortfall above 1 % of demand"},
	{"cum_rationed_t", "t", "Magnets buyers could not get at any price (rationing at the price cap, origin rules)"},
	{"defence_unmet", "0/1", "Defence demand unmet in some month"},
	{"stockpile_low_t", "t", "Lowest total stockpile level"},
	{"stockpile_cost_musd", "$M", "Stockpile purchase and holding cost"},
	{"stockpile_released_t", "t", "Stockpile released"},
	{"stockpile_net_cost_musd", "$M", "Stockpile cost net of release sales and of the stock left at the end"},
	{"buyer_extra_cost_musd", "$M", "Ex-China buyers' spending above the reference price"},
	{"tariff_paid_musd", "$M", "Tariffs paid on Chinese-origin magnets and oxides"},
	{"tariffed_imports_t", "t", "Chinese-origin magnets bought by tariff-paying regions"},
	{"licence_cost_musd", "$M", "Friction cost of China's licensed exports"},
	{"floor_cost_musd", "$M", "Cost of price-floor payments"},
	{"mean_china_share_exchina", "share", "Mean Chinese-origin share of ex-China magnet supply"},
}
