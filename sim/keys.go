package sim

// This file declares the scenario keys that the model reads. Each field is
// the one declaration of its key: the toml tag names the key in a scenario
// file, the reesim tag says how the loader checks it and its default, the
// unit tag gives its unit, and the comment says what it means. Package
// scenarios reads, checks, defaults and compiles the keys from these
// declarations, and docs/SCENARIOS.md's tables of keys are made from them
// (go test ./scenarios -run TestKeyTables -update rewrites them).
//
// The reesim tag is a comma-separated list of:
//
//	req        the key must be given
//	month      a calendar month, "YYYY-MM" or a TOML date
//	oneof=a|b  one of the listed words
//	default=V  the value when the key is left out: a number such as 0.2
//	           or 1/6, "start" (the scenario's start month) or
//	           "same:KEY" (the value of the entry's key KEY, the same
//	           input)
//	draw       an event's probability: the model draws the event's
//	           uniform "occurs_draw" input right after it (draw=NAME: the
//	           input NAME)
//	only=C     the model reads the key only for entries with the
//	           condition C, which the scenario compiler names: "mine",
//	           "new" (a plant with planned_start), "tonnes" or "days" (a
//	           stockpile sized so); such keys' inputs come after the
//	           others'
//	RANGE      a named range such as share, prob, tpy or price
//	           (scenarios' rangeOf lists them)
//
// A comment line "Default: TEXT" says what the documentation's default
// column shows when the tag's default does not say it all.
//
// A struct of keys has a type parameter N, the type of a number: a
// scenario holds a scenarios.Num (a fixed value or a distribution), a
// compiled model the Ref of the input that holds it. A field of another
// type (a whole number, a flag, a list of names) is the same in both.

// RecipeKeys are the keys of a scenario's [recipe]: how much oxide goes
// into a tonne of sintered NdFeB magnet, and how much of the Dy/Tb makers
// can design out when Dy/Tb is dear.
type RecipeKeys[N any] struct {
	// NdPr oxide per tonne of magnet.
	NdPr N `toml:"ndpr_t_per_t" reesim:"recipe,default=0.31" unit:"t NdPr oxide per t magnet"`
	// Dy/Tb oxide per tonne of magnet, before Dy/Tb thrifting.
	DyTb N `toml:"dytb_t_per_t" reesim:"recipe,default=0.03" unit:"t Dy/Tb oxide per t magnet"`
	// The largest share of the Dy/Tb content that makers can design out
	// when Dy/Tb is dear (grain-boundary diffusion, Dy-free grades).
	// Default: 0 (no Dy/Tb thrifting)
	DyTbThriftMax N `toml:"dytb_thrift_max" reesim:"share,default=0"`
	// The share of `dytb_thrift_max` that makers can save in a year.
	DyTbThriftRate N `toml:"dytb_thrift_rate" reesim:"share,default=0.2" unit:"share per year"`
	// Smoothing time of the Dy/Tb price signal (at least 1 month).
	DyTbThriftLagMonths N `toml:"dytb_thrift_lag_months" reesim:"months,default=12"`
	// The share of the gap to a lower target that the saving gives back
	// in a year when Dy/Tb prices fall back.
	DyTbThriftDecay N `toml:"dytb_thrift_decay" reesim:"share,default=0.05" unit:"share per year"`
}

// MarketKeys are the keys of a scenario's [market.PRODUCT] tables: the
// behaviour of one product's market in China and outside it.
type MarketKeys[N any] struct {
	// The reference (pre-shock) price: China's domestic price at the start
	// month (see [Reference and start prices](#reference-and-start-prices)).
	// Concentrate has no reference price: its price is a netback from the
	// oxide prices (see `payability`).
	// Default: **required** for ndpr, dytb and magnet; **not allowed** for concentrate
	RefPrice N `toml:"ref_price" reesim:"price"`
	// Commercial inventory in China at the start.
	CoverChina N `toml:"cover_china_months" reesim:"months,default=2" unit:"months of reference use"`
	// Commercial inventory outside China at the start: the usual cover,
	// which holders raise under export controls (`precaution_multiple`).
	CoverExChina N `toml:"cover_exchina_months" reesim:"months,default=2" unit:"months of reference use"`
	// Price elasticity of inventory holders' desired stock: how readily
	// they destock when prices rise.
	StockElasticity N `toml:"stock_elasticity" reesim:"elasticity,default=1.5"`
	// Short-run price elasticity of processors' demand for this product.
	DerivedElasticity N `toml:"derived_elasticity" reesim:"elasticity,default=0.1"`
	// Share of the contained oxide value paid for concentrate (used by the
	// concentrate market).
	Payability N `toml:"payability" reesim:"share,default=0.35"`
	// The highest price buyers pay; above it the market rations by
	// priority.
	PriceCapMultiple N `toml:"price_cap_multiple" reesim:"multiple,default=40" unit:"multiple of ref_price"`
	// The lowest price sellers accept (their cash cost; ASSUMPTION: all-in
	// costs of new Western producers are about 0.4 of today's NdPr price,
	// market.md §4e, Chinese producers' lower); below it unsold output
	// stays in stock. Not used for concentrate. For magnets the floor is
	// the higher of this and the cost of a tonne's oxide at this month's
	// prices plus the processing margin at the reference prices.
	MinPriceMultiple N `toml:"min_price_multiple" reesim:"share,default=0.2" unit:"multiple of ref_price"`
	// The multiple of their usual cover (`cover_exchina_months`) that
	// holders outside China want while every export of the product from
	// China needs a licence. It applies in proportion to the share of the
	// product's exports that needs one, counting controls announced but
	// not yet in force: the cover multiple tends to 1 +
	// (`precaution_multiple` − 1) × that share ([MODEL.md §3.2.1](MODEL.md)).
	// Not used for concentrate.
	PrecautionMultiple N `toml:"precaution_multiple" reesim:"multiple,default=1.5" unit:"multiple of the usual cover"`
	// How fast holders build that cover: each month the multiple moves
	// 1/`precaution_build_months` of the way to a higher target (at least
	// 1 month).
	PrecautionBuildMonths N `toml:"precaution_build_months" reesim:"months,default=3"`
	// How fast they let it go: the same towards a lower target.
	PrecautionReleaseMonths N `toml:"precaution_release_months" reesim:"months,default=12"`
	// How readily buyers who pay a tariff on the Chinese-origin product
	// switch to other origins: the σ of their logit choice (0: not at
	// all); see [`[[tariff]]`](#tariff). Not used for concentrate.
	OriginSubstitution N `toml:"origin_substitution" reesim:"elasticity,default=2"`
}

// ResponseKeys are the keys of a scenario's [supply_response]: new
// capacity outside China induced by high prices, and how fast mines and
// magnet plants adjust their utilisation to prices.
type ResponseKeys[N any] struct {
	// Yearly mine capacity added outside China, as a share of the world's
	// mine capacity at the start (nameplate × `utilisation`), when the
	// smoothed ex-China price (the higher of the NdPr and Dy/Tb price
	// ratios) is double its [start price](#reference-and-start-prices):
	// proportionally less below double, none at or under the start price,
	// no more above double.
	Mine N `toml:"mine" reesim:"share,default=0.02" unit:"share of the stage's world capacity per year"`
	// The same for separation, on the same signal. It also adds Dy/Tb
	// separation capacity outside China, at the same rate as a share of
	// the world's Dy/Tb use at the start, on the Dy/Tb price.
	Separation N `toml:"separation" reesim:"share,default=0.02" unit:"share per year"`
	// The same for magnet making, on the magnet price.
	Magnet N `toml:"magnet" reesim:"share,default=0.02" unit:"share per year"`
	// Smoothing time of the price signals of induced capacity (at least 1
	// month).
	LagMonths N `toml:"lag_months" reesim:"months,default=12"`
	// Smoothing time of the price signals that set the utilisation of
	// mines and magnet plants (see `supply_elasticity` in
	// [`[[facility]]`](#facility)); at least 1 month.
	AdjustMonths N `toml:"adjust_months" reesim:"months,default=3"`
}

// FacilityKeys are the keys of a [[facility]] entry that the model reads:
// a mine, separation plant or magnet plant, existing or new.
type FacilityKeys[N any] struct {
	// Nameplate capacity: t REO in concentrate for mines, t REO feed for
	// separation plants, t magnet for magnet plants. An HRE circuit that
	// adds no ore capacity is a separation plant with `capacity_tpy = 0`
	// and a `dytb_capacity_tpy`.
	CapacityTPY N `toml:"capacity_tpy" reesim:"req,tpy"`
	// Separation plants: the share of nameplate used (it scales
	// `capacity_tpy` and `dytb_capacity_tpy`). Mines and magnet plants:
	// the utilisation at the [reference prices](#reference-and-start-prices),
	// from which output answers prices with `supply_elasticity`; ignored
	// when `balance = true`.
	Utilisation N `toml:"utilisation" reesim:"share,default=1"`
	// Share of NdPr oxide in the mine's REO.
	// Default: **required for mines**; not allowed for other stages
	NdPrShare N `toml:"ndpr_share" reesim:"share,only=mine"`
	// Share of Dy/Tb oxide in the mine's REO; `ndpr_share` + `dytb_share`
	// must be at most 1 (over the whole range of both).
	// Default: **required for mines**; not allowed for other stages
	DyTbShare N `toml:"dytb_share" reesim:"share,only=mine"`
	// Yearly growth of capacity (0.05 is 5 % a year; quota growth for
	// China).
	Growth N `toml:"growth" reesim:"growth,default=0"`
	// Mines only: `"china"` ties the mine's output to China's separators.
	// Default: none (the open market)
	SellsTo string `toml:"sells_to" reesim:"oneof=china"`
	// Marks a new plant: its planned first month of output.
	// Default: none (an existing facility)
	PlannedStart N `toml:"planned_start" reesim:"month,only=new"`
	// Added to `planned_start`.
	DelayMonths N `toml:"delay_months" reesim:"months,default=0,only=new"`
	// Chance the plant never starts.
	CancelProbability N `toml:"cancel_probability" reesim:"prob,default=0,only=new,draw=cancel_draw"`
	// Time from first output to nameplate.
	// Default: 12 for new plants (with `planned_start`), else 0
	RampMonths N `toml:"ramp_months" reesim:"months,default=12,only=new"`
	// Mines and magnet plants only: the price elasticity of utilisation.
	// Utilisation is `utilisation` × R^`supply_elasticity`, at most 1,
	// where R is, for a mine, the netback of its ore: the value of its
	// NdPr and Dy/Tb content at the smoothed prices of its market (China's
	// for mines in China and mines with `sells_to = "china"`) over that
	// value at the reference prices; for a magnet plant, its margin: the
	// smoothed magnet price over the cost of a tonne's oxide plus the
	// processing margin, relative to the same ratio at the reference
	// prices ([MODEL.md §3.5](MODEL.md)). The prices are smoothed over
	// `supply_response.adjust_months`.
	// Default: 0 (output does not answer prices)
	SupplyElasticity N `toml:"supply_elasticity" reesim:"elasticity,default=0"`
	// Mines and magnet plants only: set the facility's utilisation at the
	// reference prices so that the markets clear at the reference prices
	// in the first month (leaving out disruptions and quotas);
	// `utilisation` is then ignored ([MODEL.md §3.0](MODEL.md)). Balancing
	// magnet plants share one utilisation, so that the world's magnet
	// output equals the segments' `base_tpy`. Balancing mines form two
	// groups by their Dy/Tb to NdPr ratio, a light and a heavy one, whose
	// utilisations supply the NdPr and the Dy/Tb the world needs beyond
	// every other source. Utilisations stay between 0 and 1. The baseline
	// marks China's light-ore mines, its ion-adsorption clay mines and its
	// magnet plants.
	Balance bool `toml:"balance"`
	// Separation plants only: the Dy/Tb oxide the plant can separate a
	// year, scaled like its capacity by `utilisation`, growth, ramp and
	// disruptions. See below.
	// Default: none (no limit)
	DyTbCapacityTPY N `toml:"dytb_capacity_tpy" reesim:"tpy" unit:"t Dy/Tb oxide/yr"`
	// Mines only: capacity added in a year while the value of the mine's
	// ore is above its value at the start, as a share of its
	// `capacity_tpy`, in proportion to the excess and in full once the
	// value has doubled. The value is that of the ore's NdPr and Dy/Tb
	// content at its market's prices, smoothed over
	// `supply_response.lag_months`; the capacity stays when prices fall.
	// For a quota or capacity that follows the market: the baseline gives
	// it to China's light-ore mines, whose mining quota grew 20-25 % a year
	// while prices were high in 2021-2023 and 6 % in 2024
	// ([MODEL.md §3.3](MODEL.md)).
	CapacityResponse N `toml:"capacity_response" reesim:"share,default=0" unit:"share per year"`
}

// SegmentKeys are the keys of a [[segment]] entry that the model reads:
// a demand segment for magnets.
type SegmentKeys[N any] struct {
	// Demand at the start, at the segment's
	// [start price](#reference-and-start-prices) (tariffs included);
	// balancing facilities supply it at the reference prices.
	BaseTPY N `toml:"base_tpy" reesim:"req,tpy" unit:"t magnet/yr"`
	// Yearly growth of demand.
	Growth N `toml:"growth" reesim:"growth,default=0"`
	// Short-run price elasticity, written as a positive number: demand
	// answers the segment's price, tariffs included, over its start price.
	Elasticity N `toml:"elasticity" reesim:"elasticity,default=0.2"`
	// Long-run demand destruction at persistently high prices: thrifting
	// moves towards 1 − ζ^−`long_run_elasticity` of demand, with ζ the
	// smoothed magnet price of its market over its start price
	// ([MODEL.md §3.2](MODEL.md)).
	LongRunElasticity N `toml:"long_run_elasticity" reesim:"elasticity,default=0.3"`
	// Lag before thrifting responds to high prices.
	ThriftLagMonths N `toml:"thrift_lag_months" reesim:"months,default=12"`
	// Fastest yearly rate of thrifting.
	ThriftMaxRate N `toml:"thrift_max_rate" reesim:"share,default=0.10" unit:"share per year"`
	// Yearly decay of thrifting when prices fall back.
	ThriftDecay N `toml:"thrift_decay" reesim:"share,default=0.05" unit:"share per year"`
	// Order of service in rationing: 1 is served first.
	Priority int `toml:"priority" reesim:"priority,default=5"`
	// Cap on the Chinese-origin share of the segment's magnets from
	// `origin_rule_start` on: 0 for US defence from 2027, 0.65 for the EU
	// single-supplier cap.
	MaxChinaShare N `toml:"max_china_share" reesim:"share,default=1"`
	// When `max_china_share` takes effect.
	OriginRuleStart N `toml:"origin_rule_start" reesim:"month,default=start"`
	// The rule covers the oxides too: a magnet made outside China counts
	// as non-Chinese only if its NdPr and Dy/Tb are not of Chinese origin
	// (the DFARS rule from 2027 covers mining, separation and magnet
	// making). Such magnets are at most the makers' output outside China
	// this month and at most what this month's NdPr and Dy/Tb separated
	// outside China make by the full recipe (`dytb_t_per_t` before Dy/Tb
	// thrifting: the high-coercivity grades of defence keep their Dy/Tb);
	// oxide from stocks and from recycling counts as Chinese
	// ([MODEL.md §3.13](MODEL.md)).
	OriginRuleCoversOxide bool `toml:"origin_rule_covers_oxide"`
}

// StockpileKeys are the keys of a [[stockpile]] entry that the model
// reads: a government stockpile outside China.
type StockpileKeys[N any] struct {
	// Size in tonnes.
	// Default: one of `size_t` and `size_days` is required
	SizeT N `toml:"size_t" reesim:"tonnes,only=tonnes"`
	// Size in days of the allied bloc's consumption of the product at the
	// start (the `base_tpy` of the segments in allied regions, times the
	// recipe for an oxide).
	// Default:
	SizeDays N `toml:"size_days" reesim:"days,only=days"`
	// When above 0, the stockpile starts empty and buys its size evenly
	// over this many months on the ex-China market, whatever the price,
	// taking at most half of what that market has before trade.
	// Default: 0 (starts full)
	FillMonths N `toml:"fill_months" reesim:"months,default=0"`
	// A release run starts when the price ratio reaches this.
	TriggerPriceRatio N `toml:"trigger_price_ratio" reesim:"ratio,default=2"`
	// A run also starts, and lasts, while an export control on the product
	// is in force.
	TriggerOnControl bool `toml:"trigger_on_control"`
	// Months from the start of a run to its first release.
	LagMonths N `toml:"lag_months" reesim:"months,default=1"`
	// What it offers each month of a run, as a share of its size (at most
	// what it holds).
	ReleaseRate N `toml:"release_rate" reesim:"share,default=1/6" unit:"share of size per month"`
	// Segments served, in order. When given, releases go to these segments
	// only; without it, to every ex-China segment by priority.
	// Default: `[]`
	Serves []string `toml:"serves" unit:"list of segment names"`
	// A run lasts while the price ratio stays at or above this (or, with
	// `trigger_on_control`, while a control on the product is in force).
	ReleaseUntilRatio N `toml:"release_until_ratio" reesim:"ratio,default=1"`
	// Outside a run and after the fill period, refill while the price
	// ratio is below this.
	RefillBelowRatio N `toml:"refill_below_ratio" reesim:"ratio,default=1"`
	// Time to refill the whole size: it buys at most its size /
	// `refill_months` a month, only from a glut.
	RefillMonths N `toml:"refill_months" reesim:"months,default=24"`
	// Yearly cost of holding, as a share of the stock's value at the
	// reference price.
	HoldingCost N `toml:"holding_cost" reesim:"cost,default=0.05"`
}

// ControlKeys are the keys of an [[export_control]] entry that the model
// reads: a Chinese export control on one or more products.
type ControlKeys[N any] struct {
	// Chance the control happens at all on a path.
	Probability N `toml:"probability" reesim:"prob,default=1,draw"`
	// Share of China's exports of the products that need a licence: they
	// are blocked unless licensed. The rest ships freely.
	ShareBlocked N `toml:"share_blocked" reesim:"req,share"`
	// First month in force. It may be before the scenario's `start`: the
	// control is then the status quo, and the path starts from its steady
	// state (see [Events before the start](#events-before-the-start-status-quo-and-shocks)).
	// It must be before the horizon ends.
	Start N `toml:"start" reesim:"req,month"`
	// How long it lasts, from its own `start`.
	// Default: none: to the end of the horizon
	DurationMonths N `toml:"duration_months" reesim:"months"`
	// How long before `start` buyers outside China learn of it. From then
	// it counts for their precautionary cover (`precaution_multiple`);
	// trade is not affected before `start`.
	AnnounceMonths N `toml:"announce_months" reesim:"months,default=0"`
	// Approval rate of licence applications at the control's start.
	LicenceInitial N `toml:"licence_initial" reesim:"share,default=0"`
	// Approval rate reached after `licence_months`.
	LicenceRecovery N `toml:"licence_recovery" reesim:"share,default=0"`
	// Time for the approval rate to move from `licence_initial` to
	// `licence_recovery`, linearly from the control's start (0:
	// `licence_recovery` from the start).
	LicenceMonths N `toml:"licence_months" reesim:"months,default=12"`
	// Average wait for a decision: each month a share
	// 1/`licence_delay_months` of the waiting applications is decided (all
	// of them when the wait is 1 month or less).
	LicenceDelayMonths N `toml:"licence_delay_months" reesim:"months,default=0"`
	// Cost of licensed trade as a share of its value. Licensed exports
	// ship only while the ex-China price is at least China's times 1 +
	// `licence_friction`; the cost is `licence_cost_musd`.
	LicenceFriction N `toml:"licence_friction" reesim:"share,default=0" unit:"share of value"`
	// Make the control an export quota (as in 2010-2014) instead of
	// licensing: see below.
	Quota bool `toml:"quota"`
}

// TariffKeys are the keys of a [[tariff]] entry that the model reads: an
// importing region's tariff on Chinese-origin product.
type TariffKeys[N any] struct {
	// Tariff rate: 0.25 for 25 %, 5 for 500 %. Tariffs on the same
	// importer and product add up.
	Level N `toml:"level" reesim:"req,level"`
	// First month in force. It may be before the scenario's `start` (the
	// status quo); it must be before the horizon ends.
	Start N `toml:"start" reesim:"month,default=start"`
	// First month no longer in force; must be after `start`.
	// Default: none: never ends
	End N `toml:"end" reesim:"month"`
	// Chance the tariff happens at all on a path.
	Probability N `toml:"probability" reesim:"prob,default=1,draw"`
}

// FloorKeys are the keys of a [[price_floor]] entry that the model reads:
// a guaranteed minimum price for named facilities' output.
type FloorKeys[N any] struct {
	// The floor price.
	Price N `toml:"price" reesim:"req,price"`
	// First month in force. It may be before the scenario's `start`; it
	// must be before the horizon ends.
	Start N `toml:"start" reesim:"month,default=start"`
	// First month no longer in force; must be after `start`.
	// Default: none: never ends
	End N `toml:"end" reesim:"month"`
}

// RecyclingKeys are the keys of a [[recycling]] entry that the model
// reads: secondary supply of magnet oxides in one market.
type RecyclingKeys[N any] struct {
	// Recycled supply at the start, as a share of the market's reference
	// magnet demand (magnet-equivalent; its NdPr and Dy/Tb enter the oxide
	// markets by the recipe).
	ShareStart N `toml:"share_start" reesim:"req,share"`
	// Share reached at `target_date`.
	ShareTarget N `toml:"share_target" reesim:"share,default=same:share_start"`
	// When `share_target` is reached.
	TargetDate N `toml:"target_date" reesim:"month,default=start"`
	// Response of recycling to the price.
	PriceElasticity N `toml:"price_elasticity" reesim:"elasticity,default=0"`
}

// QuotaKeys are the keys of a [[production_quota]] entry that the model
// reads: one of China's production quotas.
type QuotaKeys[N any] struct {
	// The cap: t REO in concentrate mined a year by the mines listed, or t
	// REO fed a year to the separation plants listed.
	CapTPY N `toml:"cap_tpy" reesim:"req,tpy"`
	// First month in force. It may be before the scenario's `start`; it
	// must be before the horizon ends.
	Start N `toml:"start" reesim:"month,default=start"`
	// First month no longer in force; must be after `start`.
	// Default: none: never ends
	End N `toml:"end" reesim:"month"`
	// Chance the quota happens at all on a path.
	Probability N `toml:"probability" reesim:"prob,default=1,draw"`
}

// DisruptionKeys are the keys of a [[disruption]] entry that the model
// reads: a loss of part of some facilities' capacity for a time.
type DisruptionKeys[N any] struct {
	// Share of each facility's capacity lost (of a separation plant's
	// Dy/Tb capacity too). Disruptions of the same facility at once
	// multiply what is left: two of 0.5 leave 0.25.
	ShareLost N `toml:"share_lost" reesim:"req,share"`
	// First month of the loss. It may be before the scenario's `start`; it
	// must be before the horizon ends.
	Start N `toml:"start" reesim:"req,month"`
	// How long it lasts, from its own `start`.
	// Default: none: to the end of the horizon
	DurationMonths N `toml:"duration_months" reesim:"months"`
	// Chance the disruption happens at all on a path.
	Probability N `toml:"probability" reesim:"prob,default=1,draw"`
}

// ReserveKeys are the keys of a [[state_reserve]] entry that the model
// reads: a programme of China's State Reserve.
type ReserveKeys[N any] struct {
	// First month it acts. It may be before the scenario's `start`; it
	// must be before the horizon ends.
	Start N `toml:"start" reesim:"month,default=start"`
	// First month it no longer acts (it keeps what it holds); must be
	// after `start`.
	// Default: none: never ends
	End N `toml:"end" reesim:"month"`
	// Chance the programme happens at all on a path.
	Probability N `toml:"probability" reesim:"prob,default=1,draw"`
	// Rate of purchase while China's price ratio is below
	// `buy_below_ratio` and it has bought less than `max_t`. Purchases
	// take at most half of what China's market has before trade.
	BuyTPY N `toml:"buy_tpy" reesim:"tpy,default=0"`
	// It buys only while China's price ratio is below this.
	// Default: none: buys at any price
	BuyBelowRatio N `toml:"buy_below_ratio" reesim:"ratio"`
	// The most it buys in all (its purchases, not its holding).
	// Default: none: no limit
	MaxT N `toml:"max_t" reesim:"tonnes"`
	// What it holds at the start.
	InitialT N `toml:"initial_t" reesim:"tonnes,default=0"`
	// It sells while China's price ratio is above this. Must be at least
	// `buy_below_ratio`, over the whole range of both.
	// Default: none: never sells
	ReleaseAboveRatio N `toml:"release_above_ratio" reesim:"ratio"`
	// The share of its holding it sells each month above
	// `release_above_ratio`; required when `release_above_ratio` is given.
	ReleaseRate N `toml:"release_rate" reesim:"share,default=0" unit:"share of its holding per month"`
}
