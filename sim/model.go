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
// every number is a Ref into the inputs vector of a path. The numbers are
// the keys of the scenario file, declared in keys.go.
type Model struct {
	Months   int // horizon in months
	StartAbs int // first month as year*12 + month-1
	NInputs  int // length of an inputs vector
	// FixedInputs holds the value of each input that is the same on
	// every path. NewPath uses it to find segments that behave alike
	// (segClasses); a nil map only means fewer segments are merged.
	FixedInputs map[Ref]float64

	Recipe   RecipeKeys[Ref]
	Market   [NumProd]MarketKeys[Ref] // RefPrice is NoRef for concentrate
	Response ResponseKeys[Ref]

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

// Facility is a compiled facility. Of its keys, the oxide shares are
// NoRef but for mines, and PlannedStart, DelayMonths, CancelProbability
// and RampMonths NoRef but for new plants; DyTbCapacityTPY is NoRef when
// a separation plant separates all the Dy/Tb in its feed.
type Facility struct {
	Name   string
	Stage  Stage
	Region int
	Market int  // where the output goes (China for tied mines)
	New    bool // a new plant, with a planned start
	FacilityKeys[Ref]
	CancelDraw Ref // uniform(0,1) draw that decides a cancellation
}

// Segment is a compiled demand segment.
type Segment struct {
	Name    string
	Defence bool
	Region  int
	Market  int
	SegmentKeys[Ref]
}

// Stockpile is a compiled government stockpile (held outside China). Of
// SizeT and SizeDays, one is NoRef.
type Stockpile struct {
	Name    string
	Product int
	StockpileKeys[Ref]
	// ServedSegments are the indices of the segments in Serves.
	ServedSegments []int
}

// Control is a compiled export control.
type Control struct {
	Name     string
	Products [NumProd]bool
	ControlKeys[Ref]
	Draw Ref // uniform(0,1) draw that decides whether it happens
}

// Tariff is a compiled tariff on Chinese-origin product.
type Tariff struct {
	Name    string
	Region  int
	Product int
	TariffKeys[Ref]
	Draw Ref // uniform(0,1) draw that decides whether it happens
}

// Floor is a compiled price floor.
type Floor struct {
	Name    string
	Product int
	FloorKeys[Ref]
	Facilities []int // indices of the facilities covered
}

// Recycling is compiled secondary supply.
type Recycling struct {
	Name   string
	Market int
	RecyclingKeys[Ref]
}

// Quota is a compiled production quota: a cap on the combined output of
// some mines, or on the combined feed of some separation plants.
type Quota struct {
	Name       string
	Facilities []int // indices of the facilities capped
	QuotaKeys[Ref]
	Draw Ref // uniform(0,1) draw that decides whether it happens
}

// Disruption is a compiled loss of part of some facilities' capacity.
type Disruption struct {
	Name       string
	Facilities []int // indices of the facilities hit
	DisruptionKeys[Ref]
	Draw Ref // uniform(0,1) draw that decides whether it happens
}

// Reserve is a compiled State Reserve programme in China: it buys oxide
// from China's market and may sell it back.
type Reserve struct {
	Name    string
	Product int
	ReserveKeys[Ref]
	Draw Ref // uniform(0,1) draw that decides whether it happens
}
