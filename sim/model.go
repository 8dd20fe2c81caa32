package sim

// Ref is the index of one sampled input in a path's inputs vector. Fixed
// values are inputs too. NoRef marks an input left unset ("never" for end
// months, "no limit" for capacities).
type Ref int32

// NoRef is the Ref of an unset input.
const NoRef Ref = -1

// Markets.
const (
	China   = 0 // China's domestic market
	ExChina = 1 // every market outside China, taken as one
)

// Products, in the order of the chain.
const (
	Conc    = 0 // rare-earth concentrate, t REO
	NdPr    = 1 // NdPr oxide, t
	DyTb    = 2 // Dy/Tb oxide, t
	Magnet  = 3 // sintered NdFeB magnet, t
	NumProd = 4
)

// ProductNames are the products' names as written in scenario files.
var ProductNames = [NumProd]string{"concentrate", "ndpr", "dytb", "magnet"}

// Stage is a facility's place in the chain.
type Stage uint8

// Stages.
const (
	Mine Stage = iota
	Separation
	MagnetPlant
)

// Model is a scenario compiled for simulation: its structure is fixed and
// every number is a Ref into the inputs vector of a path.
type Model struct {
	Months   int // horizon in months
	StartAbs int // first month as year*12 + month-1
	NInputs  int // length of an inputs vector
	// FixedInputs holds the value of each input that is the same on
	// every path. NewPath uses it to find segments that behave alike
	// (segClasses); a nil map only means fewer segments are merged.
	FixedInputs map[Ref]float64

	RecipeNdPr, RecipeDyTb Ref
	// Dy/Tb thrifting of the recipe: the largest share of the Dy/Tb
	// content that designs can save, the yearly speed of saving, the
	// smoothing months of the price signal and the yearly decay of the
	// saving when prices fall back.
	DyThriftMax, DyThriftRate, DyThriftLag, DyThriftDecay Ref

	Market   [NumProd]MarketParams
	Response ResponseParams

	// RegionMarket gives each region's market (China or ExChina);
	// RegionAllied whether the region is in the allied bloc.
	RegionNames  []string
	RegionMarket []int
	RegionAllied []bool

	Facilities  []Facility
	Segments    []Segment
	Stockpiles  []Stockpile
	Controls    []Control
	Tariffs     []Tariff
	Floors      []Floor
	Recycling   []Recycling
	Quotas      []Quota
	Disruptions []Disruption
	Reserves    []Reserve
}

// MarketParams are one product's market parameters.
type MarketParams struct {
	RefPrice          Ref // $/kg (unused for concentrate)
	Cover             [2]Ref
	StockElasticity   Ref
	DerivedElasticity Ref
	Payability        Ref
	PriceCapMultiple  Ref // multiple of RefPrice
	MinPriceMultiple  Ref // multiple of RefPrice
	// PrecautionMultiple is the multiple of their usual cover that ex-China
	// holders want while every shipment from China needs a licence;
	// PrecautionBuild and PrecautionRelease are the months over which
	// the multiple moves towards its target and back.
	PrecautionMultiple      Ref
	PrecautionBuildMonths   Ref
	PrecautionReleaseMonths Ref
	// OriginSubstitution is the elasticity of substitution between
	// Chinese-origin and other supply for buyers who pay a tariff.
	OriginSubstitution Ref
}

// ResponseParams are the supply-response parameters.
type ResponseParams struct {
	Mine, Separation, Magnet Ref
	LagMonths                Ref
	// AdjustMonths is the smoothing time, in months, of the price signals
	// that set utilisation.
	AdjustMonths Ref
}

// Facility is a compiled facility.
type Facility struct {
	Name              string
	Stage             Stage
	Region            int
	Market            int // where the output goes (China for tied mines)
	New               bool
	CapacityTPY       Ref // t/yr
	Utilisation       Ref
	NdPrShare         Ref
	DyTbShare         Ref
	Growth            Ref
	PlannedStart      Ref // absolute month (new plants)
	DelayMonths       Ref // months
	CancelProbability Ref // probability
	CancelDraw        Ref // uniform(0,1) draw
	RampMonths        Ref // months
	// SupplyElasticity is the price elasticity of utilisation (mines: of the
	// ore's netback; magnet plants: of the margin).
	SupplyElasticity Ref
	// Balance marks a mine or magnet plant whose utilisation at the
	// reference prices is set at the start so that the market clears.
	Balance bool
	// DyTbCapacityTPY is a separation plant's Dy/Tb oxide capacity, t/yr
	// (NoRef: it separates all the Dy/Tb in its feed).
	DyTbCapacityTPY Ref
	// CapacityResponse is the share of a mine's capacity added a year while the
	// smoothed value of its ore is above its start value (§3.3).
	CapacityResponse Ref
}

// Segment is a compiled demand segment.
type Segment struct {
	Name              string
	Defence           bool
	Region            int
	Market            int
	BaseTPY           Ref // t/yr
	Growth            Ref
	Elasticity        Ref
	LongRunElasticity Ref
	ThriftLagMonths   Ref
	ThriftMaxRate     Ref
	ThriftDecay       Ref
	Priority          int
	MaxChinaShare     Ref
	OriginRuleStart   Ref // absolute month
	// OriginRuleCoversOxide extends the origin rule to the oxides in the magnet
	// (§3.13).
	OriginRuleCoversOxide bool
}

// Stockpile is a compiled government stockpile (held outside China).
type Stockpile struct {
	Name              string
	Product           int
	SizeT             Ref // tonnes, or NoRef
	SizeDays          Ref // days of allied consumption, or NoRef
	FillMonths        Ref
	TriggerPriceRatio Ref
	TriggerOnControl  bool
	LagMonths         Ref
	ReleaseRate       Ref // share of size per month
	ServedSegments    []int
	ReleaseUntilRatio Ref // releases go on until the price ratio falls below this
	RefillBelowRatio  Ref
	RefillMonths      Ref
	HoldingCost       Ref // share of value per year
}

// Control is a compiled export control.
type Control struct {
	Name           string
	Products       [NumProd]bool
	Probability    Ref
	Draw           Ref // uniform(0,1) draw
	ShareBlocked   Ref // share of exports that need a licence
	Start          Ref // absolute month
	DurationMonths Ref // months
	AnnounceMonths Ref // months before the start at which buyers learn of it
	// Licences: the approval rate rises from LicenceInitial to
	// LicenceRecovery over LicenceMonths; applications wait LicenceDelay
	// months on average; licensed trade costs Friction (a share of its
	// value).
	LicenceInitial     Ref
	LicenceRecovery    Ref
	LicenceMonths      Ref
	LicenceDelayMonths Ref
	LicenceFriction    Ref
	// Quota marks an export quota: China's exports may not exceed the
	// unblocked share of its normal exports (licences relax it), rather
	// than a licensing regime on a share of them.
	Quota bool
}

// Tariff is a compiled tariff on Chinese-origin product.
type Tariff struct {
	Name        string
	Region      int
	Product     int
	Level       Ref
	Start, End  Ref // absolute months; End may be NoRef
	Probability Ref
	Draw        Ref
}

// Floor is a compiled price floor.
type Floor struct {
	Name       string
	Product    int
	Price      Ref
	Start, End Ref
	Facilities []int
}

// Recycling is compiled secondary supply.
type Recycling struct {
	Name            string
	Market          int
	ShareStart      Ref
	ShareTarget     Ref
	TargetDate      Ref
	PriceElasticity Ref
}

// Quota is a compiled production quota: a cap on the combined output of
// some mines, or on the combined feed of some separation plants.
type Quota struct {
	Name        string
	Facilities  []int
	CapTPY      Ref // t/yr
	Start, End  Ref
	Probability Ref
	Draw        Ref
}

// Disruption is a compiled loss of part of some facilities' capacity.
type Disruption struct {
	Name           string
	Facilities     []int
	ShareLost      Ref // share of capacity lost
	Start          Ref // absolute month
	DurationMonths Ref // months
	Probability    Ref
	Draw           Ref
}

// Reserve is a compiled State Reserve programme in China: it buys oxide
// from China's market and may sell it back.
type Reserve struct {
	Name              string
	Product           int
	Start, End        Ref // the months it acts in
	Probability       Ref
	Draw              Ref
	BuyTPY            Ref // t/yr
	BuyBelowRatio     Ref // buys only while China's price ratio is below this
	MaxT              Ref // t (NoRef: no limit)
	InitialT          Ref // t held at the start
	ReleaseAboveRatio Ref // sells while China's price ratio is above this
	ReleaseRate       Ref // share of holdings a month
}
