package sim

// Ref is the index of one sampled input in a path's inputs vector. Fixed
// values are inputs too. NoRef marks an input left unset ("never" for end
// months).
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

	Market   [NumProd]MarketParams
	Response ResponseParams

	// RegionMarket gives each region's market (China or ExChina);
	// RegionAllied whether the region is in the allied bloc.
	RegionNames  []string
	RegionMarket []int
	RegionAllied []bool

	Facilities []Facility
	Segments   []Segment
	Stockpiles []Stockpile
	Controls   []Control
	Tariffs    []Tariff
	Floors     []Floor
	Recycling  []Recycling
}

// MarketParams are one product's market parameters.
type MarketParams struct {
	RefPrice          Ref // $/kg (unused for concentrate)
	Cover             [2]Ref
	StockElasticity   Ref
	DerivedElasticity Ref
	Payability        Ref
	PriceCap          Ref // multiple of RefPrice
	MinPrice          Ref // multiple of RefPrice
}

// ResponseParams are the induced-capacity parameters.
type ResponseParams struct {
	Mine, Separation, Magnet Ref
	Lag                      Ref
}

// Facility is a compiled facility.
type Facility struct {
	Name        string
	Stage       Stage
	Region      int
	Market      int // where the output goes (China for tied mines)
	New         bool
	Capacity    Ref // t/yr
	Utilisation Ref
	NdPrShare   Ref
	DyTbShare   Ref
	Growth      Ref
	Start       Ref // absolute month (new plants)
	Delay       Ref // months
	Cancel      Ref // probability
	CancelDraw  Ref // uniform(0,1) draw
	Ramp        Ref // months
}

// Segment is a compiled demand segment.
type Segment struct {
	Name          string
	Defence       bool
	Region        int
	Market        int
	Base          Ref // t/yr
	Growth        Ref
	Elasticity    Ref
	LongRun       Ref
	ThriftLag     Ref
	ThriftMaxRate Ref
	ThriftDecay   Ref
	Priority      int
	MaxChina      Ref
	OriginStart   Ref // absolute month
	Tariffed      bool
}

// Stockpile is a compiled government stockpile (held outside China).
type Stockpile struct {
	Name         string
	Product      int
	SizeT        Ref // tonnes, or NoRef
	SizeDays     Ref // days of allied consumption, or NoRef
	FillMonths   Ref
	TriggerRatio Ref
	OnControl    bool
	Lag          Ref
	Rate         Ref // share of size per month
	Serves       []int
	RefillBelow  Ref
	RefillMonths Ref
	HoldingCost  Ref // share of value per year
}

// Control is a compiled export control.
type Control struct {
	Name            string
	Products        [NumProd]bool
	Probability     Ref
	Draw            Ref // uniform(0,1) draw
	Share           Ref
	Start           Ref // absolute month
	Duration        Ref // months
	LicenceRecovery Ref
	LicenceMonths   Ref
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
