package scenarios

import "github.com/reesim/reesim/dist"

// Num is a number in a scenario file. It is either fixed (written as a plain
// number) or a distribution sampled once per path (written as an inline table
// such as {dist = "triangular", min = 1, mode = 2, max = 5}).
//
// Name, when set in the file, names the sampled input for rank correlations
// and the columns of paths.csv; otherwise the loader sets it to the key path
// (for example "facility.mountain-pass.capacity_tpy"). Keys that share a
// name are one input, drawn once per path: the loader requires them to have
// the same distribution.
type Num struct {
	Dist dist.Dist
	Name string
	// Set reports whether the key was present in the file (or a parent).
	Set bool
	// Month marks a Num whose values are calendar months, written as
	// "YYYY-MM" and held as absolute month numbers (year*12 + month-1).
	Month bool
}

// Fixed returns a Num with the fixed value v.
func Fixed(v float64) Num { return Num{Dist: dist.Dist{Kind: dist.Fixed, Value: v}, Set: true} }

// Scenario is one scenario file after inheritance and defaults.
//
// The toml tags give the keys of the file. The reesim tags say how the
// loader checks each value; they are a comma-separated list of:
//
//	req        the key must be given
//	name       a name: ^[a-z0-9][a-z0-9._-]*$ without ".."
//	month      a calendar month, "YYYY-MM" or a TOML date
//	oneof=a|b  one of the listed words (for a list or map: each element)
//	RANGE      a named range such as share, prob, tpy or price
//
// The named ranges are listed in docs/SCENARIOS.md and in the loader's
// rangeOf function.
type Scenario struct {
	// Name is the scenario's short name; it names the output folder.
	Name string `toml:"name" reesim:"req,name"`
	// Description is one line saying what the scenario asks.
	Description string `toml:"description"`
	// Extends names the parent scenario (a shipped name or a path relative
	// to this file) whose keys this one inherits and overrides. Load
	// resolves the inheritance and leaves Extends empty in the scenario it
	// returns (Chain records the files), so that a resolved scenario and
	// the one read back from its WriteResolved output are equal.
	Extends string `toml:"extends"`
	// Start is the first simulated month, "YYYY-MM".
	Start string `toml:"start" reesim:"req,month"`
	// HorizonYears is the simulated length in years (default 10).
	HorizonYears int `toml:"horizon_years" reesim:"horizon"`
	// Seed and Paths are the defaults for reesim run.
	Seed  uint64 `toml:"seed"`
	Paths int    `toml:"paths" reesim:"paths"`
	// Sampling is the default sampling design of reesim run: "mc" (plain
	// Monte Carlo, also when empty), "lhs" or "qmc" (package design).
	Sampling string `toml:"sampling" reesim:"oneof=mc|lhs|qmc"`

	// Regions maps each region to its bloc: "china", "allied" or "other".
	Regions map[string]string `toml:"regions" reesim:"oneof=china|allied|other"`

	Recipe         Recipe          `toml:"recipe"`
	Market         Markets         `toml:"market"`
	Facilities     []Facility      `toml:"facility"`
	Segments       []Segment       `toml:"segment"`
	Stockpiles     []Stockpile     `toml:"stockpile"`
	ExportControls []ExportControl `toml:"export_control"`
	Tariffs        []Tariff        `toml:"tariff"`
	Floors         []PriceFloor    `toml:"price_floor"`
	Recycling      []Recycling     `toml:"recycling"`
	Quotas         []Quota         `toml:"production_quota"`
	Disruptions    []Disruption    `toml:"disruption"`
	Reserves       []Reserve       `toml:"state_reserve"`
	Correlations   []Correlation   `toml:"correlation"`
	// InputGroups name sets of sampled inputs that reesim explore
	// sensitivity --by group treats as one factor.
	InputGroups []InputGroup `toml:"input_group"`
	Response    Response     `toml:"supply_response"`

	// Thresholds lists, per headline metric name, the values whose
	// exceedance probability the summary reports.
	Thresholds map[string][]float64 `toml:"thresholds"`

	// File is the file the scenario was read from: the path given to Load
	// or the name given to LoadBytes, or "scenarios/shipped/NAME.toml" for a
	// shipped scenario embedded in the program. Chain lists the files of
	// the extends chain in the same form, child first.
	File  string   `toml:"-"`
	Chain []string `toml:"-"`
}

// Recipe says how much oxide goes into a tonne of sintered NdFeB magnet.
type Recipe struct {
	NdPr Num `toml:"ndpr_t_per_t" reesim:"recipe"` // t NdPr oxide per t magnet
	DyTb Num `toml:"dytb_t_per_t" reesim:"recipe"` // t Dy/Tb oxide per t magnet
	// DyTbThriftMax is the largest share of the Dy/Tb content that makers
	// can design out when Dy/Tb is dear (grain-boundary diffusion,
	// Dy-free grades); DyTbThriftRate the share of that saving they can
	// make in a year; DyTbThriftLagMonths the smoothing of the price
	// signal.
	DyTbThriftMax       Num `toml:"dytb_thrift_max" reesim:"share"`
	DyTbThriftRate      Num `toml:"dytb_thrift_rate" reesim:"share"`
	DyTbThriftLagMonths Num `toml:"dytb_thrift_lag_months" reesim:"months"`
	// DyTbThriftDecay is the share of the gap to a lower target that the
	// saving gives back in a year when Dy/Tb prices fall back.
	DyTbThriftDecay Num `toml:"dytb_thrift_decay" reesim:"share"`
}

// Markets holds the behaviour of each product's market.
type Markets struct {
	Concentrate Market `toml:"concentrate"`
	NdPr        Market `toml:"ndpr"`
	DyTb        Market `toml:"dytb"`
	Magnet      Market `toml:"magnet"`
}

// Market describes one product's market in both China and ex-China.
type Market struct {
	// RefPrice is the reference (pre-shock) price in $/kg, the China
	// domestic price at the start month.
	RefPrice Num `toml:"ref_price" reesim:"price"`
	// CoverChina and CoverExChina are commercial inventories at the start,
	// in months of reference use.
	CoverChina   Num `toml:"cover_china_months" reesim:"months"`
	CoverExChina Num `toml:"cover_exchina_months" reesim:"months"`
	// StockElasticity is the price elasticity of the inventory holders'
	// desired stock (how readily they destock when prices rise).
	StockElasticity Num `toml:"stock_elasticity" reesim:"elasticity"`
	// DerivedElasticity is the short-run price elasticity of the
	// processors' demand for this product (oxides and concentrate).
	DerivedElasticity Num `toml:"derived_elasticity" reesim:"elasticity"`
	// Payability is the share of the contained oxide value paid for
	// concentrate (concentrate market only).
	Payability Num `toml:"payability" reesim:"share"`
	// PriceCapMultiple is the highest price, as a multiple of RefPrice,
	// that buyers pay; above it the market rations by priority.
	PriceCapMultiple Num `toml:"price_cap_multiple" reesim:"multiple"`
	// MinPriceMultiple is the lowest price, as a multiple of RefPrice, at
	// which sellers part with the product (their cash cost); below it
	// unsold output stays in stock.
	MinPriceMultiple Num `toml:"min_price_multiple" reesim:"share"`
	// PrecautionMultiple is the multiple of their usual cover that
	// holders outside China want while every shipment of the product from
	// China needs a licence (in proportion to the share that does);
	// PrecautionBuildMonths and PrecautionReleaseMonths are how fast they
	// build that cover and let it go.
	PrecautionMultiple      Num `toml:"precaution_multiple" reesim:"multiple"`
	PrecautionBuildMonths   Num `toml:"precaution_build_months" reesim:"months"`
	PrecautionReleaseMonths Num `toml:"precaution_release_months" reesim:"months"`
	// OriginSubstitution is how readily buyers who pay a tariff on
	// Chinese-origin product switch to other origins (0: not at all).
	OriginSubstitution Num `toml:"origin_substitution" reesim:"elasticity"`
}

// Response is new capacity outside China induced by high prices.
type Response struct {
	// Mine, Separation and Magnet are the yearly additions of capacity
	// outside China, as a share of the stage's world capacity at the
	// start, when the smoothed ex-China price is double its reference
	// (proportionally less below, none at or under the reference).
	Mine       Num `toml:"mine" reesim:"share"`
	Separation Num `toml:"separation" reesim:"share"`
	Magnet     Num `toml:"magnet" reesim:"share"`
	// LagMonths is the smoothing time of the price signal.
	LagMonths Num `toml:"lag_months" reesim:"months"`
	// AdjustMonths is the smoothing time of the price signals that set
	// the utilisation of mines and magnet plants.
	AdjustMonths Num `toml:"adjust_months" reesim:"months"`
}

// Facility is a mine, separation plant or magnet plant, existing or new.
type Facility struct {
	Name   string `toml:"name" reesim:"req,name"`
	Stage  string `toml:"stage" reesim:"req,oneof=mine|separation|magnet"` // mine, separation or magnet
	Region string `toml:"region" reesim:"req"`                             // a key of [regions]
	// CapacityTPY is nameplate capacity in t/yr: REO in concentrate for
	// mines, REO feed for separation plants, magnet for magnet plants.
	CapacityTPY Num `toml:"capacity_tpy" reesim:"req,tpy"`
	Utilisation Num `toml:"utilisation" reesim:"share"`
	// NdPrShare and DyTbShare are the oxide contents of a mine's REO.
	NdPrShare Num `toml:"ndpr_share" reesim:"share"`
	DyTbShare Num `toml:"dytb_share" reesim:"share"`
	// Growth is the yearly growth of capacity (quota growth for China).
	Growth Num `toml:"growth" reesim:"growth"`
	// SellsTo, when "china", ties a mine's output to China's separators.
	SellsTo string `toml:"sells_to" reesim:"oneof=china"`
	// PlannedStart (a month) marks a new plant; DelayMonths is added to it;
	// CancelProbability is the chance it never starts; RampMonths is the
	// time from first output to nameplate.
	PlannedStart      Num `toml:"planned_start" reesim:"month"`
	DelayMonths       Num `toml:"delay_months" reesim:"months"`
	CancelProbability Num `toml:"cancel_probability" reesim:"prob"`
	RampMonths        Num `toml:"ramp_months" reesim:"months"`
	// SupplyElasticity is the price elasticity of a mine's or magnet
	// plant's utilisation: of the netback of its ore, or of its margin.
	SupplyElasticity Num `toml:"supply_elasticity" reesim:"elasticity"`
	// Balance marks mines and magnet plants whose utilisation at the
	// reference prices is set so that the market starts in balance.
	Balance bool `toml:"balance"`
	// DyTbCapacityTPY is a separation plant's Dy/Tb oxide capacity, t/yr;
	// unset, it separates all the Dy/Tb in its feed.
	DyTbCapacityTPY Num `toml:"dytb_capacity_tpy" reesim:"tpy"`
	// CapacityResponse is the share of a mine's capacity added a year
	// while the smoothed value of its ore is above its start value (in
	// proportion to the excess, in full from a doubling): a quota or
	// capacity that follows the market.
	CapacityResponse Num `toml:"capacity_response" reesim:"share"`
}

// Segment is one demand segment for magnets.
type Segment struct {
	Name   string `toml:"name" reesim:"req,name"`
	Use    string `toml:"use" reesim:"req,oneof=ev|wind|industrial|electronics|defence|other"` // ev, wind, industrial, electronics, defence, other
	Region string `toml:"region" reesim:"req"`                                                 // a key of [regions]
	// BaseTPY is magnet demand at the start at the reference price, t/yr.
	BaseTPY Num `toml:"base_tpy" reesim:"req,tpy"`
	Growth  Num `toml:"growth" reesim:"growth"` // yearly growth of demand
	// Elasticity is the short-run price elasticity (a positive number).
	Elasticity Num `toml:"elasticity" reesim:"elasticity"`
	// LongRunElasticity, ThriftLagMonths, ThriftMaxRate and ThriftDecay
	// govern lagged demand destruction and thrifting.
	LongRunElasticity Num `toml:"long_run_elasticity" reesim:"elasticity"`
	ThriftLagMonths   Num `toml:"thrift_lag_months" reesim:"months"`
	ThriftMaxRate     Num `toml:"thrift_max_rate" reesim:"share"`
	ThriftDecay       Num `toml:"thrift_decay" reesim:"share"`
	// Priority orders segments in rationing: 1 is served first.
	Priority int `toml:"priority" reesim:"priority"`
	// MaxChinaShare caps the Chinese-origin share of the segment's magnets
	// from OriginRuleStart on (0 for US defence from 2027; 0.65 for the EU
	// single-supplier cap).
	MaxChinaShare   Num `toml:"max_china_share" reesim:"share"`
	OriginRuleStart Num `toml:"origin_rule_start" reesim:"month"`
	// OriginRuleCoversOxide extends the origin rule to the oxides in the
	// magnet: a magnet made outside China counts as non-Chinese only if
	// its NdPr and Dy/Tb are (the DFARS rule from 2027 covers mining,
	// separation and magnet making).
	OriginRuleCoversOxide bool `toml:"origin_rule_covers_oxide"`
}

// Stockpile is a government stockpile.
type Stockpile struct {
	Name    string `toml:"name" reesim:"req,name"`
	Holder  string `toml:"holder" reesim:"req"`                         // a key of [regions]
	Product string `toml:"product" reesim:"req,oneof=ndpr|dytb|magnet"` // ndpr, dytb or magnet
	// Size is given either in tonnes or in days of the allied bloc's
	// consumption of the product at the start.
	SizeT    Num `toml:"size_t" reesim:"tonnes"`
	SizeDays Num `toml:"size_days" reesim:"days"`
	// FillMonths > 0 means the stockpile starts empty and buys its size
	// evenly over that many months on the ex-China market.
	FillMonths Num `toml:"fill_months" reesim:"months"`
	// Release rule.
	TriggerPriceRatio Num      `toml:"trigger_price_ratio" reesim:"ratio"`
	TriggerOnControl  bool     `toml:"trigger_on_control"`
	LagMonths         Num      `toml:"lag_months" reesim:"months"`
	ReleaseRate       Num      `toml:"release_rate" reesim:"share"` // share of size per month
	Serves            []string `toml:"serves"`                      // segment names, first served first
	// ReleaseUntilRatio ends a release run once the price ratio falls
	// below it.
	ReleaseUntilRatio Num `toml:"release_until_ratio" reesim:"ratio"`
	// Refill rule.
	RefillBelowRatio Num `toml:"refill_below_ratio" reesim:"ratio"`
	RefillMonths     Num `toml:"refill_months" reesim:"months"`
	// HoldingCost is the yearly cost of holding, as a share of the stock's
	// value at the reference price.
	HoldingCost Num `toml:"holding_cost" reesim:"cost"`
}

// ExportControl is a Chinese export control on one or more products.
type ExportControl struct {
	Name        string   `toml:"name" reesim:"req,name"`
	Products    []string `toml:"products" reesim:"req,oneof=concentrate|ndpr|dytb|magnet"`
	Probability Num      `toml:"probability" reesim:"prob"`
	// ShareBlocked is the share of China's exports that need a licence
	// and are blocked unless one is granted.
	ShareBlocked   Num `toml:"share_blocked" reesim:"req,share"`
	Start          Num `toml:"start" reesim:"req,month"`
	DurationMonths Num `toml:"duration_months" reesim:"months"`
	// AnnounceMonths is how long before its start buyers learn of it.
	AnnounceMonths Num `toml:"announce_months" reesim:"months"`
	// Licences: the approval rate of applications moves from
	// LicenceInitial to LicenceRecovery over LicenceMonths; an
	// application waits LicenceDelayMonths on average; licensed trade
	// costs LicenceFriction, a share of its value.
	LicenceInitial     Num `toml:"licence_initial" reesim:"share"`
	LicenceRecovery    Num `toml:"licence_recovery" reesim:"share"`
	LicenceMonths      Num `toml:"licence_months" reesim:"months"`
	LicenceDelayMonths Num `toml:"licence_delay_months" reesim:"months"`
	LicenceFriction    Num `toml:"licence_friction" reesim:"share"`
	// Quota makes the control an export quota: China's exports may not
	// exceed the unblocked share of its normal exports before the control,
	// and licences (the approval rate) relax the quota, without delay or
	// friction.
	Quota bool `toml:"quota"`
}

// Tariff is an importing region's tariff on Chinese-origin product.
type Tariff struct {
	Name        string `toml:"name" reesim:"req,name"`
	Importer    string `toml:"importer" reesim:"req"`
	Product     string `toml:"product" reesim:"req,oneof=concentrate|ndpr|dytb|magnet"`
	Level       Num    `toml:"level" reesim:"req,level"` // 0.25 for 25 %
	Start       Num    `toml:"start" reesim:"month"`
	End         Num    `toml:"end" reesim:"month"`
	Probability Num    `toml:"probability" reesim:"prob"`
}

// PriceFloor guarantees named facilities a minimum price for their output.
type PriceFloor struct {
	Name       string   `toml:"name" reesim:"req,name"`
	Product    string   `toml:"product" reesim:"req,oneof=ndpr|dytb|magnet"`
	Price      Num      `toml:"price" reesim:"req,price"` // $/kg
	Start      Num      `toml:"start" reesim:"month"`
	End        Num      `toml:"end" reesim:"month"`
	Facilities []string `toml:"facilities" reesim:"req"`
}

// Recycling is secondary supply of magnet oxides in one bloc's market.
type Recycling struct {
	Name            string `toml:"name" reesim:"req,name"`
	Market          string `toml:"market" reesim:"req,oneof=china|exchina"` // china or exchina
	ShareStart      Num    `toml:"share_start" reesim:"req,share"`
	ShareTarget     Num    `toml:"share_target" reesim:"share"`
	TargetDate      Num    `toml:"target_date" reesim:"month"`
	PriceElasticity Num    `toml:"price_elasticity" reesim:"elasticity"`
}

// Quota is one of China's production quotas: a cap on the combined ore
// output of some mines, or on the combined feed of some separation
// plants.
type Quota struct {
	Name        string   `toml:"name" reesim:"req,name"`
	Facilities  []string `toml:"facilities" reesim:"req"`
	CapTPY      Num      `toml:"cap_tpy" reesim:"req,tpy"`
	Start       Num      `toml:"start" reesim:"month"`
	End         Num      `toml:"end" reesim:"month"`
	Probability Num      `toml:"probability" reesim:"prob"`
}

// Disruption takes a share of some facilities' capacity out for a time
// (a border closure, a conflict, an accident).
type Disruption struct {
	Name           string   `toml:"name" reesim:"req,name"`
	Facilities     []string `toml:"facilities" reesim:"req"`
	ShareLost      Num      `toml:"share_lost" reesim:"req,share"`
	Start          Num      `toml:"start" reesim:"req,month"`
	DurationMonths Num      `toml:"duration_months" reesim:"months"`
	Probability    Num      `toml:"probability" reesim:"prob"`
}

// Reserve is a programme of China's State Reserve: it buys oxide from
// China's market in a window, and may sell it back when prices are high.
type Reserve struct {
	Name        string `toml:"name" reesim:"req,name"`
	Product     string `toml:"product" reesim:"req,oneof=ndpr|dytb"`
	Start       Num    `toml:"start" reesim:"month"`
	End         Num    `toml:"end" reesim:"month"`
	Probability Num    `toml:"probability" reesim:"prob"`
	// BuyTPY is the rate of purchase, t/yr, while China's price ratio is
	// below BuyBelowRatio, up to MaxT bought in all.
	BuyTPY        Num `toml:"buy_tpy" reesim:"tpy"`
	BuyBelowRatio Num `toml:"buy_below_ratio" reesim:"ratio"`
	MaxT          Num `toml:"max_t" reesim:"tonnes"`
	InitialT      Num `toml:"initial_t" reesim:"tonnes"`
	// ReleaseAboveRatio: the programme sells ReleaseRate of its holding a
	// month while China's price ratio is above it.
	ReleaseAboveRatio Num `toml:"release_above_ratio" reesim:"ratio"`
	ReleaseRate       Num `toml:"release_rate" reesim:"share"`
}

// Correlation asks for a Spearman rank correlation between two named inputs.
type Correlation struct {
	Between []string `toml:"between" reesim:"req"`
	Rank    float64  `toml:"rank" reesim:"req,rank"`
}

// InputGroup names a set of sampled inputs that variance-based
// sensitivity analysis treats as one factor: a policy lever, or an
// uncertainty such as "plant delays".
type InputGroup struct {
	Name string `toml:"name" reesim:"req,name"`
	// Label says what the group is, for tables and charts.
	Label string `toml:"label"`
	// Kind is "lever" (a policy choice), "uncertainty" (a fact about the
	// world nobody controls) or "setting" (a behavioural parameter of the
	// model).
	Kind string `toml:"kind" reesim:"req,oneof=lever|uncertainty|setting"`
	// Inputs are the names of its inputs, or patterns that match names
	// (path.Match: "facility.*.delay_months", "slip-*").
	Inputs []string `toml:"inputs" reesim:"req"`
}
