package scenarios

import (
	"math"

	"github.com/reesim/reesim/sim"
	"github.com/reesim/reesim/uncertain"
)

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
	// Dist is the value's distribution: an uncertain.Fixed for a plain
	// number. It is nil for a key whose value could not be read.
	Dist uncertain.Dist
	Name string
	// Set reports whether the key was present in the file (or a parent).
	Set bool
	// Month marks a Num whose values are calendar months, written as
	// "YYYY-MM" and held as absolute month numbers (year*12 + month-1).
	Month bool
}

// Bounds returns the least and greatest value n can take (see
// uncertain.Dist's Bounds), or NaN, NaN when it has no valid distribution.
func (n Num) Bounds() (lo, hi float64) {
	if n.Dist == nil {
		return math.NaN(), math.NaN()
	}
	return n.Dist.Bounds()
}

// IsFixed reports whether n always takes the same value.
func (n Num) IsFixed() bool {
	lo, hi := n.Bounds()
	return lo == hi
}

// Scenario is one scenario file after inheritance and defaults.
//
// Each field with a toml tag declares a key of the file: the toml tag
// names it, the reesim tag says how the loader checks it (and its
// default), the unit tag gives its unit or kind, and the first paragraph
// of its comment says what it means. The keys that the model reads are
// declared the same way in package sim (sim/keys.go), whose structs of
// keys the entries here embed. The reesim tag is a comma-separated list
// of:
//
//	req        the key must be given
//	name       a name: ^[a-z0-9][a-z0-9._-]*$ without ".."
//	month      a calendar month, "YYYY-MM" or a TOML date
//	oneof=a|b  one of the listed words (for a list or map: each element)
//	default=V  the value when the key is left out (see sim/keys.go)
//	draw       an event's probability, followed by its draw (sim/keys.go)
//	RANGE      a named range such as share, prob, tpy or price
//
// The named ranges are listed in the loader's rangeOf function.
// docs/SCENARIOS.md's tables of keys are made from these declarations.
type Scenario struct {
	// The scenario's short name; it names the output folder, so it must be
	// a [name](#names).
	Name string `toml:"name" reesim:"req,name"`
	// One line saying what the scenario asks; shown by `reesim list` and
	// on charts.
	// Default: `""`
	Description string `toml:"description"`
	// The parent scenario: a shipped name (`"baseline"`) or a path ending
	// in `.toml`, relative to this file. See
	// [Inheritance](#inheritance-extends).
	// Default: none
	//
	// Load resolves the inheritance and leaves Extends empty in the
	// scenario it returns (Chain records the files), so that a resolved
	// scenario and the one read back from its WriteResolved output are
	// equal.
	Extends string `toml:"extends"`
	// The first simulated month. Events may start before it: they are
	// then the status quo (see
	// [Events before the start](#events-before-the-start-status-quo-and-shocks)).
	Start string `toml:"start" reesim:"req,month"`
	// The simulated length. The horizon runs from `start` to the month
	// before `start` + `horizon_years`.
	HorizonYears int `toml:"horizon_years" reesim:"horizon,default=10"`
	// Random seed used by `reesim run` unless `--seed` is given. The same
	// seed gives the same results.
	Seed uint64 `toml:"seed" reesim:"default=1"`
	// Number of sampled paths used by `reesim run` unless `--paths` is
	// given.
	Paths int `toml:"paths" reesim:"paths,default=10000"`
	// Sampling design used by `reesim run` unless `--sampling` is given:
	// plain Monte Carlo, Latin hypercube or randomised quasi-Monte Carlo
	// (scrambled Halton). See [docs/EXPLORE.md](EXPLORE.md#sampling-designs).
	// The resolved scenario of a run records it when it is not `mc`.
	// Default: `"mc"`
	//
	// Empty is "mc"; package design implements the designs.
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

// Recipe says how much oxide goes into a tonne of sintered NdFeB magnet
// ([recipe]).
type Recipe = sim.RecipeKeys[Num]

// Markets holds the behaviour of each product's market.
type Markets struct {
	Concentrate Market `toml:"concentrate"`
	NdPr        Market `toml:"ndpr"`
	DyTb        Market `toml:"dytb"`
	Magnet      Market `toml:"magnet"`
}

// Market describes one product's market in both China and ex-China
// ([market.PRODUCT]).
type Market = sim.MarketKeys[Num]

// Response is new capacity outside China induced by high prices
// ([supply_response]).
type Response = sim.ResponseKeys[Num]

// Facility is a mine, separation plant or magnet plant, existing or new.
type Facility struct {
	// The facility's name, unique among facilities.
	Name string `toml:"name" reesim:"req,name"`
	// What it makes: concentrate, oxides or magnets.
	Stage string `toml:"stage" reesim:"req,oneof=mine|separation|magnet"`
	// A key of [`[regions]`](#regions).
	Region string `toml:"region" reesim:"req" unit:"region name"`
	sim.FacilityKeys[Num]
}

// Segment is one demand segment for magnets.
type Segment struct {
	// Unique among segments.
	Name string `toml:"name" reesim:"req,name"`
	// What the magnets are for.
	Use string `toml:"use" reesim:"req,oneof=ev|wind|industrial|electronics|defence|other"`
	// A key of [`[regions]`](#regions).
	Region string `toml:"region" reesim:"req" unit:"region name"`
	sim.SegmentKeys[Num]
}

// Stockpile is a government stockpile.
type Stockpile struct {
	// Unique among stockpiles.
	Name string `toml:"name" reesim:"req,name"`
	// The holding region, a key of [`[regions]`](#regions). Every
	// stockpile is held and released outside China, whatever its holder.
	Holder string `toml:"holder" reesim:"req" unit:"region name"`
	// What it holds.
	Product string `toml:"product" reesim:"req,oneof=ndpr|dytb|magnet"`
	sim.StockpileKeys[Num]
}

// ExportControl is a Chinese export control on one or more products.
type ExportControl struct {
	// Unique among export controls.
	Name string `toml:"name" reesim:"req,name"`
	// The products controlled. China exports no concentrate in the model,
	// so a control on `"concentrate"` has no effect.
	// Default: required (at least one)
	Products []string `toml:"products" reesim:"req,oneof=concentrate|ndpr|dytb|magnet"`
	sim.ControlKeys[Num]
}

// Tariff is an importing region's tariff on Chinese-origin product.
type Tariff struct {
	// Unique among tariffs.
	Name string `toml:"name" reesim:"req,name"`
	// The importing region, a key of [`[regions]`](#regions).
	Importer string `toml:"importer" reesim:"req" unit:"region name"`
	// The product taxed. A tariff on concentrate has no effect.
	Product string `toml:"product" reesim:"req,oneof=concentrate|ndpr|dytb|magnet"`
	sim.TariffKeys[Num]
}

// PriceFloor guarantees named facilities a minimum price for their output.
type PriceFloor struct {
	// Unique among price floors.
	Name string `toml:"name" reesim:"req,name"`
	// The product whose price is guaranteed.
	Product string `toml:"product" reesim:"req,oneof=ndpr|dytb|magnet"`
	sim.FloorKeys[Num]
	// The facilities covered.
	// Default: required (at least one)
	Facilities []string `toml:"facilities" reesim:"req" unit:"list of facility names"`
}

// Recycling is secondary supply of magnet oxides in one bloc's market.
type Recycling struct {
	// Unique among recycling entries.
	Name string `toml:"name" reesim:"req,name"`
	// Where the recycled oxide is sold.
	Market string `toml:"market" reesim:"req,oneof=china|exchina"`
	sim.RecyclingKeys[Num]
}

// Quota is one of China's production quotas: a cap on the combined ore
// output of some mines, or on the combined feed of some separation
// plants.
type Quota struct {
	// Unique among production quotas.
	Name string `toml:"name" reesim:"req,name"`
	// The facilities capped: all mines or all separation plants (not
	// magnet plants, and not both stages in one quota).
	// Default: required (at least one)
	Facilities []string `toml:"facilities" reesim:"req" unit:"list of facility names"`
	sim.QuotaKeys[Num]
}

// Disruption takes a share of some facilities' capacity out for a time
// (a border closure, a conflict, an accident).
type Disruption struct {
	// Unique among disruptions.
	Name string `toml:"name" reesim:"req,name"`
	// The facilities hit, of any stage.
	// Default: required (at least one)
	Facilities []string `toml:"facilities" reesim:"req" unit:"list of facility names"`
	sim.DisruptionKeys[Num]
}

// Reserve is a programme of China's State Reserve: it buys oxide from
// China's market in a window, and may sell it back when prices are high.
type Reserve struct {
	// Unique among State Reserve programmes.
	Name string `toml:"name" reesim:"req,name"`
	// The oxide it buys and sells.
	Product string `toml:"product" reesim:"req,oneof=ndpr|dytb"`
	sim.ReserveKeys[Num]
}

// Correlation asks for a Spearman rank correlation between two named inputs.
type Correlation struct {
	// Two different sampled inputs: each name is a distribution's `name`
	// key or the key path of a key holding a distribution, such as
	// `"export_control.heavy-ree-ban.share_blocked"`. A fixed value cannot
	// be correlated.
	Between []string `toml:"between" reesim:"req" unit:"list of two input names"`
	// The rank correlation.
	Rank float64 `toml:"rank" reesim:"req,rank"`
}

// InputGroup names a set of sampled inputs that variance-based
// sensitivity analysis treats as one factor: a policy lever, or an
// uncertainty such as "plant delays".
type InputGroup struct {
	// The group's name, in the tables of `reesim explore`.
	Name string `toml:"name" reesim:"req,name"`
	// What the group is, in words, for charts.
	// Default: the name
	Label string `toml:"label"`
	// A policy choice, a fact about the world nobody controls, or a
	// behavioural parameter of the model; charts tell them apart.
	Kind string `toml:"kind" reesim:"req,oneof=lever|uncertainty|setting"`
	// Sampled inputs by name (a distribution's `name` key or its key
	// path), or patterns matching names, as Go's `path.Match` reads them
	// (`*` matches any run of characters, dots included, `?` one
	// character, `[a-z]` a class); event draws
	// (`export_control.NAME.occurs_draw`, `facility.NAME.cancel_draw`) may
	// be named too. Each pattern must match a sampled input, and no input
	// may be in two groups.
	Inputs []string `toml:"inputs" reesim:"req" unit:"list of names or patterns"`
}
