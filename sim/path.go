package sim

import (
	"fmt"
	"math"
	"reflect"
	"sort"
)

// Path holds one simulated path: its outputs and the working memory that
// Run reuses, so that running a path allocates nothing once the Path exists.
// A Path is not safe for concurrent use; make one per goroutine.
type Path struct {
	m  *Model
	in []float64

	// Series holds the monthly series, Series[i][t] for month t.
	Series [NumSeries][]float64
	// Metrics holds the path's headline metrics.
	Metrics [NumMetrics]float64
	// Residual holds, per month, the largest mass-balance residual (t)
	// over products and markets; it is zero up to rounding.
	Residual []float64
	// Trace, when not nil, is called at the end of every month.
	Trace func(t int, p *Path)

	par   params
	fac   []facility
	magGr []magnetGroup // magnet plants grouped by market, elasticity and reference utilisation
	// The mines, in model order, and the flow each one's ore joins
	// (oreExChina, oreTied or oreChina); the facilities whose capacity
	// follows the value of their ore on this path; the separation and
	// magnet plants; the separation plants outside China, with the price
	// floors that list each one.
	mines    []int
	oreFlow  []int
	respond  []int
	seps     []int
	magnets  []int
	sepX     []int
	sepXFlrs [][]int
	rising   []int // the facilities whose capacity may still change without a disruption
	growing  []int // the facilities that grow on this path

	// Segment classes (see segClasses): each class's representative and
	// members, and the class of each segment of the model; cls holds each
	// class's parameters and state on this path; byPriority lists each
	// market's classes in rationing order.
	segs       []Segment
	members    [][]int
	classOf    []int
	cls        []class
	byPriority [2][]int
	// The ex-China classes in model order; those of them that may be
	// under an origin rule on this path (max_china_share below 1), and
	// those with a tariff this month, both in rationing order.
	exCls    []int
	ruled    []int
	tariffed []int
	// Thrifting groups: the classes that share market and thrift
	// parameters evolve alike; each group's first class and its state.
	thriftFirst []int
	thriftSig   []float64
	thriftShare []float64
	// The elasticities of each market's magnet-book terms when every
	// class has demand, in the order add makes them (class.slot).
	termEps [2][]float64

	pol    policies
	stk    []stockpile
	res    []reserve
	book   [2]book        // this month's book of each market
	mrg    book           // the two books merged
	fric   [NumProd]shift // cached factors of each product's licence-friction wedge
	choice choiceCache    // the last origin choice of a tariffed class

	st    state
	sales float64 // stockpile releases valued as magnets at the start ex-China magnet price, $M

	// Working values of the current month.
	mo month
}

// params are the path's values of the scenario's numbers that do not
// change from month to month.
type params struct {
	recipe       [NumProd]float64 // t oxide per t magnet (NdPr, DyTb)
	refPrice     [NumProd]float64 // $/kg
	cover        [NumProd][2]float64
	stockElast   [NumProd]float64
	derivElast   [NumProd]float64
	yCap         [NumProd]float64 // price cap, log ratio
	yMin         [NumProd]float64 // sellers' lowest price, log ratio
	precaution   [NumProd]float64 // ex-China cover multiple under a full control
	precBuild    [NumProd]float64 // months
	precRelease  [NumProd]float64 // months
	substitution [NumProd]float64 // origin substitution elasticity
	dyThrift     [4]float64       // Dy/Tb thrifting: largest saving, yearly speed, lag, decay
	payability   float64
	margin       float64    // magnet makers' processing margin at the reference prices, $/kg
	induceRate   [4]float64 // induced capacity per year at a doubled price: mine, separation, magnet, Dy/Tb separation
	induceLag    float64
	adjust       float64    // smoothing months of the utilisation signals
	world0       [4]float64 // start capacity of mines, separation, magnets (world) and Dy/Tb separation (world Dy/Tb use), t/month
	gradeX0      [2]float64 // ex-China mine grade at the start (NdPr, DyTb)
	magShare     []float64  // each region's share of ex-China magnet capacity (oxide tariffs)
	allied       float64    // allied base demand, t magnet/month (stockpile days)
}

// facility holds one facility's parameters, as drawn for the path, and its
// capacity in the current month.
type facility struct {
	market      int     // the market its output goes to
	cap, grow   float64 // t/month at the start; monthly growth factor
	start, ramp float64 // months from the start (−Inf: in place; +Inf: cancelled); ramp-up months
	nd, dy      float64 // a mine's NdPr and Dy/Tb content
	ndV, dyV    float64 // their values at the reference prices, $/kg of ore
	elast       float64 // price elasticity of utilisation
	u0          float64 // utilisation at the reference prices
	dyCap       float64 // separation: Dy/Tb oxide capacity at nameplate, t/month (+Inf: no limit)
	pow         float64 // grow^t this month
	left        float64 // share of capacity left by disruptions this month
	capT        float64 // capacity this month, after disruptions
	g           float64 // capT's share of cap, less the response (capacityFactor times left)
	steady      bool    // neither grows nor responds: once ramped up, its capacity changes only with disruptions
	idle        float64 // when steady and not started: its start, until which capT stays as set (else −Inf)
	out         float64 // mines: ore mined this month
	resp        float64 // mines: capacity added a year as a share of cap, at a doubled ore value
	valSig      float64 // mines: smoothed value of the ore over its start value
	extra       float64 // mines: capacity added in response to the ore's value, t/month
}

// magnetGroup sums the magnet plants of one market that share elasticity
// and reference utilisation: their utilisation is the same.
type magnetGroup struct {
	market  int
	members []int
}

// class holds one segment class's parameters, as drawn for the path, and
// its values in the current month.
type class struct {
	market  int
	defence bool
	group   int // thrifting group
	// Parameters: base demand (t/month), monthly growth factor and its
	// power for the current month, elasticity, China cap and origin-rule
	// start (months from the start).
	base, grow, pow float64
	eps             float64
	lr, lag         float64
	rate, decay     float64
	maxCN, origin   float64
	oxideOrigin     bool // the origin rule covers the oxides too
	// This month: demand at the reference price after thrifting,
	// consumption, its non-Chinese part, the tariff on Chinese-origin
	// magnets, the tariff's price multiple and Chinese-origin share, the
	// class's term in the magnet book.
	ref, cons, nonCN float64
	tariff           float64
	tarMult, tarCN   float64
	lnMult           float64 // ln(tarMult)
	bookA            float64 // the class's demand at the reference price in the magnet book
	bookLn, bookF    float64 // the last log price ratio that set bookA and its factor (NaN: none)
	lnStart          float64 // log of the class's price at the start over the reference price, tariff included
	term             int     // the class's term in the magnet book (−1: none)
	slot             int     // its term when every class has demand
}

// policies holds the path's events and the policies in force this month.
type policies struct {
	ctlOn, ctlStart, ctlEnd, ctlAnnounce []float64 // ctlOn: 1 if the control happens
	tarOn, tarStart, tarEnd              []float64
	flStart, flEnd                       []float64
	quOn, quStart, quEnd                 []float64
	diOn, diStart, diEnd                 []float64
	// per product, this month
	open     [NumProd]float64 // share of exports that need no licence
	pass     [NumProd]float64 // share of exports that pass (free or licensed eventually)
	quota    [NumProd]float64 // export quotas: the share of China's normal exports allowed
	approval [NumProd]float64 // approval rate of licence applications
	delay    [NumProd]float64 // months an application waits on average
	friction [NumProd]float64 // cost of licensed trade, share of value
	covered  [NumProd]float64 // share of exports needing a licence, for precaution (incl. announced controls)
	held     [NumProd]float64 // share of China's mine capacity of the product's content held back by quotas
	control  [NumProd]bool    // a control on the product is in force
	floor    [NumProd]float64 // floor price, $/kg (0: none)
	// Tariffs on oxides by importing region (the magnet tariffs are on
	// the classes), and whether anything changed since last month.
	oxTariff   [NumProd][]float64
	tarActive  []bool
	tarChanged bool
	floorCov   float64 // share of ex-China separation capacity covered by floors
	// The disruptions in force, and whether facilities' capacity left
	// must be set again whatever changed.
	diActive  []bool
	diChanged bool
	// Whether facilities' capacity left changed when the policies were
	// last set.
	leftChanged bool
}

// stockpile holds one government stockpile's state.
type stockpile struct {
	size, level float64
	since       int     // first month of the current release run (−1: none)
	offer       float64 // offered to the market this month
	fill        float64 // price-blind purchase wanted this month
	refill      float64 // limit purchase wanted this month
	holdCost    float64 // per month, $M per t
}

// reserve holds one State Reserve programme's state.
type reserve struct {
	on, start, end float64
	holding        float64
	bought         float64 // total bought
	buyQ, sellQ    float64 // this month's purchase and sale, t
}

// state is what one month hands to the next.
type state struct {
	y        [NumProd][2]float64 // log price ratio
	yOne     [NumProd]float64    // the log price ratio at which the two markets last cleared as one
	yFric    [NumProd]float64    // China's log price ratio at which they last cleared with licence friction
	x        [NumProd][2]float64 // exp(y): the price ratio
	inv      [NumProd][2]float64 // commercial stock
	concInv  [2]float64          // concentrate stock, t REO
	concNd   [2]float64          // its NdPr content
	concDy   [2]float64          // its Dy/Tb content
	omega    float64             // Chinese-origin share of ex-China magnet stock
	cnShare  [NumProd]float64    // Chinese-origin share of ex-China supply last month
	sig      [NumProd][2]float64 // smoothed price ratios that set utilisation
	induced  [4]float64          // induced capacity: mine, separation, magnet, Dy/Tb separation
	indSig   [4]float64          // its smoothed signals
	prec     [NumProd][2]float64 // holders' cover multiple (precaution) per market
	backlog  [NumProd]float64    // licence applications waiting, t
	normal   [NumProd]float64    // China's normal exports: their recent average while no control is in force, t/month
	refPrev  [2]float64          // last month's reference magnet demand per market
	planPrev float64             // last month's plan of the makers outside China
	start    [NumProd][2]float64 // price ratios at the start (after spin-up)
	dyCut    [2]float64          // share of the Dy/Tb recipe saved by thrifting, per market
	dySig    [2]float64          // its smoothed Dy/Tb price signal
	spinup   bool                // the month is a spin-up month (§3.0)
	repeat   bool                // the month is a spin-up month after the first
	fixed0   monthFixed          // the fixed values of the first spin-up month
}

// month holds the working values of the current month.
type month struct {
	t    int
	ft   float64
	pt   float64 // the month at which policies are read: ft, or −1 in spin-up
	calm bool    // balancing the start: no disruptions or quotas (§3.0)
	monthFixed
	// Flows.
	plan       [2]float64 // magnet makers' plans
	mineOut    [3]float64 // ore mined: ex-China, tied to China, China's own
	oxide      [NumProd][2]float64
	heavy      float64             // ex-China Dy/Tb content shipped to China unseparated
	bought     [NumProd][2]float64 // oxide bought by magnet makers
	made       [2]float64
	cons       [2]float64
	exp        [NumProd]float64 // China's exports
	imp        [NumProd]float64 // China's imports (ex-China's exports)
	release    [NumProd]float64 // stockpile releases to buyers outside China
	fromOxide  float64          // magnets made outside China from released oxide
	buy        [NumProd]float64 // stockpile purchases
	resBuy     [NumProd]float64 // State Reserve purchases in China
	resSell    [NumProd]float64 // State Reserve sales in China
	cnUsed     float64          // Chinese-origin magnets used outside China
	tarImp     float64          // of which by tariff payers
	licCost    float64          // friction cost of licensed exports, $M
	paid       float64          // tariffs paid, $M
	rationd    float64          // magnets no price up to the cap could buy, t
	released   float64          // stockpile releases, t
	stockCost  float64          // stockpile purchases, $M
	grade      [2][2]float64    // separation feed grade by market: NdPr, Dy/Tb
	res        float64          // mass-balance residual
	grewNormal [NumProd]bool    // the normal exports of the product have grown this month
}

// monthFixed holds the values of a month that the spin-up's repeats of
// month 0 do not change (§3.0): they depend on the policies in force, the
// capacities, the reference demand and the induced-capacity signal, which
// the spin-up holds.
type monthFixed struct {
	refMag [2]float64 // reference magnet demand per market, after thrifting
	refRaw [2]float64 // the same before thrifting (ex-China: for the destroyed share)
	thrift float64    // ex-China demand destroyed by thrifting, t/month
	sepCap [2]float64 // separation capacity
	dyCapX float64    // ex-China Dy/Tb separation capacity
	magCap [2]float64 // magnet capacity
	rec    [2]float64 // recycled supply, t magnet/month
}

// NewPath returns a Path for m.
func (m *Model) NewPath() *Path {
	p := &Path{m: m, choice: newChoiceCache()}
	T := m.Months
	for i := range p.Series {
		p.Series[i] = make([]float64, T)
	}
	p.Residual = make([]float64, T)
	p.segs, p.members, p.classOf = segClasses(m)
	ns := len(p.segs)
	p.fac = make([]facility, len(m.Facilities))
	p.respond = make([]int, 0, len(m.Facilities))
	p.rising = make([]int, 0, len(m.Facilities))
	p.growing = make([]int, 0, len(m.Facilities))
	for i, fc := range m.Facilities {
		p.fac[i].market = fc.Market
	}
	p.cls = make([]class, ns)
	for s, sg := range p.segs {
		p.cls[s].market, p.cls[s].defence = sg.Market, sg.Defence
	}
	// Thrifting groups: classes whose thrift parameters are the same
	// inputs and whose market is the same evolve identically.
	type key struct {
		mk                   int
		lag, lr, rate, decay Ref
	}
	groups := map[key]int{}
	for s, sg := range p.segs {
		k := key{sg.Market, sg.ThriftLagMonths, sg.LongRunElasticity, sg.ThriftMaxRate, sg.ThriftDecay}
		g, ok := groups[k]
		if !ok {
			g = len(p.thriftFirst)
			groups[k] = g
			p.thriftFirst = append(p.thriftFirst, s)
		}
		p.cls[s].group = g
	}
	p.thriftSig = make([]float64, len(p.thriftFirst))
	p.thriftShare = make([]float64, len(p.thriftFirst))
	order := make([]int, ns)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return p.segs[order[a]].Priority < p.segs[order[b]].Priority })
	for _, s := range order {
		mk := p.segs[s].Market
		p.byPriority[mk] = append(p.byPriority[mk], s)
	}
	for s, sg := range p.segs {
		if sg.Market == ExChina {
			p.exCls = append(p.exCls, s)
		}
	}
	p.ruled = make([]int, 0, len(p.exCls))
	for mk := range p.termEps {
		p.termEps[mk] = make([]float64, 0, ns)
	}
	p.tariffed = make([]int, 0, len(p.exCls))
	f := func(n int) []float64 { return make([]float64, n) }
	nc, nt := len(m.Controls), len(m.Tariffs)
	p.pol.ctlOn, p.pol.ctlStart, p.pol.ctlEnd, p.pol.ctlAnnounce = f(nc), f(nc), f(nc), f(nc)
	p.pol.tarOn, p.pol.tarStart, p.pol.tarEnd = f(nt), f(nt), f(nt)
	p.pol.tarActive = make([]bool, nt)
	p.pol.flStart, p.pol.flEnd = f(len(m.Floors)), f(len(m.Floors))
	p.pol.quOn, p.pol.quStart, p.pol.quEnd = f(len(m.Quotas)), f(len(m.Quotas)), f(len(m.Quotas))
	p.pol.diOn, p.pol.diStart, p.pol.diEnd = f(len(m.Disruptions)), f(len(m.Disruptions)), f(len(m.Disruptions))
	p.pol.diActive = make([]bool, len(m.Disruptions))
	for k := range p.pol.oxTariff {
		p.pol.oxTariff[k] = f(len(m.RegionNames))
	}
	p.par.magShare = f(len(m.RegionNames))
	p.stk = make([]stockpile, len(m.Stockpiles))
	p.res = make([]reserve, len(m.Reserves))
	for i, fc := range m.Facilities {
		switch {
		case fc.Stage == Mine:
			p.mines = append(p.mines, i)
			flow := oreChina
			switch {
			case fc.Market == ExChina:
				flow = oreExChina
			case m.RegionMarket[fc.Region] == ExChina:
				flow = oreTied
			}
			p.oreFlow = append(p.oreFlow, flow)
		case fc.Stage == Separation:
			p.seps = append(p.seps, i)
			if fc.Market != ExChina {
				break
			}
			var floors []int
			for j := range m.Floors {
				if contains(m.Floors[j].Facilities, i) {
					floors = append(floors, j)
				}
			}
			p.sepX = append(p.sepX, i)
			p.sepXFlrs = append(p.sepXFlrs, floors)
		case fc.Stage == MagnetPlant:
			p.magnets = append(p.magnets, i)
		}
	}
	// Magnet groups: plants of one market with the same elasticity and
	// reference-utilisation inputs.
	// (Balancing plants share the utilisation the set-up solves for.)
	type gkey struct {
		mk      int
		el, u   Ref
		balance bool
	}
	mg := map[gkey]int{}
	for i, fc := range m.Facilities {
		if fc.Stage != MagnetPlant {
			continue
		}
		k := gkey{fc.Market, fc.SupplyElasticity, fc.Utilisation, fc.Balance}
		if fc.Balance {
			k.u = NoRef
		}
		g, ok := mg[k]
		if !ok {
			g = len(p.magGr)
			mg[k] = g
			p.magGr = append(p.magGr, magnetGroup{market: fc.Market})
		}
		p.magGr[g].members = append(p.magGr[g].members, i)
	}
	for i := range p.book {
		p.book[i].terms = make([]term, 0, ns+len(m.RegionNames)+2)
	}
	p.mrg.terms = make([]term, 0, 2*ns+2*len(m.RegionNames)+4)
	p.mrg.xIdx = make([]int, 0, ns+len(m.RegionNames)+2)
	return p
}

// The flows that mined ore joins (§3.6): ore mined outside China for
// separators there, ore mined outside China that goes to China (tied
// mines) and China's own.
const (
	oreExChina = iota
	oreTied
	oreChina
)

// Model returns the model p simulates.
func (p *Path) Model() *Model { return p.m }

func (p *Path) v(r Ref) float64 { return p.in[r] }

// vOr returns the input r, or def when r is unset.
func (p *Path) vOr(r Ref, def float64) float64 {
	if r == NoRef {
		return def
	}
	return p.in[r]
}

// rel converts an absolute month input to months from the start.
func (p *Path) rel(r Ref, def float64) float64 {
	if r == NoRef {
		return def
	}
	return p.in[r] - float64(p.m.StartAbs)
}

// happens reports whether an event with probability input prob and draw
// input draw occurs: it does iff the draw exceeds 1 − prob (high draws
// fire, as for Bernoulli inputs).
func (p *Path) happens(prob, draw Ref) bool {
	return p.v(draw) > 1-p.v(prob)
}

const daysPerMonth = 365.25 / 12

func safeDiv(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// capacity returns the facility's nameplate capacity in month ft given its
// growth factor g = grow^ft, t/month.
func (f *facility) capacity(ft, g float64) float64 {
	if ft < f.start {
		return 0
	}
	c := f.cap * g
	if f.ramp > 0 {
		c *= min(1, (ft-f.start+1)/f.ramp)
	}
	return c
}

// segClasses groups the segments of m that behave identically in every
// month: the same market, priority and defence flag, the same inputs for
// every parameter but base demand (growth, elasticities, thrifting, origin
// rule), in regions covered by the same tariffs, and served by no
// stockpile. Every segment equation is linear in base demand given those,
// so a class is simulated as one segment whose base demand is its members'
// sum; this changes no output beyond rounding (docs/MODEL.md §3.0). It
// returns each class's representative (its first member, in model order),
// the members of each class and the class of each segment.
func segClasses(m *Model) (reps []Segment, members [][]int, classOf []int) {
	served := make([]bool, len(m.Segments))
	for _, sp := range m.Stockpiles {
		for _, s := range sp.ServedSegments {
			served[s] = true
		}
	}
	// An input is identified by its value when it is fixed, else by its
	// index: two segments with separate but fixed inputs of equal value
	// behave alike.
	id := func(r Ref) string {
		if r == NoRef {
			return "none"
		}
		if v, ok := m.FixedInputs[r]; ok {
			return fmt.Sprintf("=%x", math.Float64bits(v))
		}
		return fmt.Sprintf("#%d", r)
	}
	type key struct {
		market        int
		defence       bool
		keys, tariffs string
		single        int
	}
	classes := map[key]int{}
	classOf = make([]int, len(m.Segments))
	for s, sg := range m.Segments {
		var tariffs []byte
		for i, tr := range m.Tariffs {
			if tr.Region == sg.Region && tr.Product == Magnet {
				tariffs = fmt.Appendf(tariffs, "%d,", i)
			}
		}
		// Every key of the segment but its base demand, which a class
		// sums: a key added to SegmentKeys splits classes by itself.
		var keys []byte
		v := reflect.ValueOf(sg.SegmentKeys)
		for i := range v.NumField() {
			switch f := v.Field(i); {
			case v.Type().Field(i).Name == "BaseTPY":
			case f.Type() == reflect.TypeFor[Ref]():
				keys = fmt.Appendf(keys, "%s,", id(f.Interface().(Ref)))
			default:
				keys = fmt.Appendf(keys, "%v,", f.Interface())
			}
		}
		k := key{sg.Market, sg.Defence, string(keys), string(tariffs), -1}
		if served[s] {
			k.single = s
		}
		c, ok := classes[k]
		if !ok {
			c = len(reps)
			classes[k] = c
			reps = append(reps, sg)
			members = append(members, nil)
		}
		members[c] = append(members[c], s)
		classOf[s] = c
	}
	return reps, members, classOf
}

// Inputs returns the inputs of the path last run.
func (p *Path) Inputs() []float64 { return p.in }
