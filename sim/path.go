package sim

import (
	"fmt"
	"math"
	"slices"
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

	// resolved per-path parameters
	recipe     [NumProd]float64 // t oxide per t magnet (NdPr, DyTb)
	pref       [NumProd]float64
	cover      [NumProd][2]float64
	beta, epsD [NumProd]float64
	yCap       [NumProd]float64
	yMin       [NumProd]float64 // sellers' lowest price, log ratio
	pay        float64
	margin     float64 // magnet makers' processing margin, $/kg
	sales      float64 // stockpile releases valued at market prices, $M
	glutX      bool    // last month the ex-China magnet market cleared at makers' cost
	fac        []facility
	orderIn    [2][]int // the segments of each market by priority
	ctlOn      []bool
	ctlStart   []float64
	ctlEnd     []float64
	tarOn      []bool
	tarStart   []float64
	tarEnd     []float64
	tarAct     []bool // tariffs in force last month
	tarValid   bool   // tarAct, wedge and the classes\' tariffs are set
	regShare   [NumProd][]float64
	kSize      []float64
	kLevel     []float64
	kSince     []int
	kOffer     []float64
	offers     [NumProd]bool // whether any stockpile offers each product this month
	kBuy       []float64
	flOn       []bool
	world0     [3]float64 // world capacity per stage at the start, t/month
	respK      [3]float64
	respLag    float64
	gradeX     [2]float64 // ex-China mine pool grade at the start

	// state
	y        [NumProd][2]float64 // log price ratio
	ey       [NumProd][2]float64 // exp(y): the price ratio
	inv      [NumProd][2]float64 // commercial stock
	sold     [NumProd][2]float64 // last month's sales by market
	concInv  [2]float64
	concNd   [2]float64 // content of concInv
	concDy   [2]float64
	omega    float64 // Chinese-origin share of ex-China magnet stock
	induced  [3]float64
	xiInd    [3]float64
	refPrev  [2]float64
	bk       [2]book
	merge    book
	shift    [NumProd]shift // tariff wedge factors per product
	blocked  [NumProd]float64
	ctlAct   [NumProd]bool
	wedge    [NumProd]float64
	floorP   [NumProd]float64
	floorCov float64
	expRef   [NumProd]float64 // China's exports before controls, t/month
	grade    [2][2]float64    // separation feed grade by market: NdPr, DyTb
	// The segments in each tariff's region.
	tarSegs [][]int
	// Facilities whose capacity changes over time (new or growing), and
	// the capacity sums of the others, which do not.
	fDyn      []int
	capStatic capSums
	// Ex-China separation plants covered by price floors, in index
	// order, and the floors covering each.
	fFloored []int
	fFloors  [][]int
	// Segment classes (see segClasses): each class's representative and
	// members, and the class of each segment of the model; cl holds each
	// class's parameters and state on this path.
	segs    []Segment
	cl      []class
	members [][]int
	classOf []int
	// Thrifting groups: the group of each segment, each group's first
	// segment, and the group's smoothed price signal and thrifted share.
	gFirst      []int
	gXi, gTheta []float64
}

// facility holds one facility's parameters, as drawn for the path, and its
// capacity in the current month.
type facility struct {
	cap, grow   float64 // t/month at the start; monthly growth factor
	start, ramp float64 // months from the start (−Inf: in place; +Inf: cancelled); ramp-up months
	nd, dy      float64 // a mine's NdPr and Dy/Tb content
	pow         float64 // grow^t this month, kept by multiplying month by month
	capT        float64 // capacity this month
}

// class holds one segment class's parameters, as drawn for the path, and
// its values in the current month. The per-month loops over segments read
// one of these rather than a slice per quantity.
type class struct {
	market  int
	defence bool
	group   int // thrifting group
	// Parameters: base demand (t/month), monthly growth factor and its
	// power for the current month, elasticity, thrifting (long-run
	// elasticity, lag, yearly rate and decay), China cap and origin-rule
	// start (months from the start).
	base, grow, pow  float64
	eps, lr, lag     float64
	rate, decay      float64
	maxCN, origin    float64
	theta            float64 // thrifted share
	ref, cons, nonCN float64 // this month: demand at the reference price after thrifting, consumption, non-Chinese part
	tariff           float64 // tariff level on Chinese-origin magnets this month
	term             int     // its term in the magnet book this month (book.add)
}

// NewPath returns a Path for m.
func (m *Model) NewPath() *Path {
	p := &Path{m: m}
	T := m.Months
	for i := range p.Series {
		p.Series[i] = make([]float64, T)
	}
	p.Residual = make([]float64, T)
	p.segs, p.members, p.classOf = segClasses(m)
	nf, ns, nk := len(m.Facilities), len(p.segs), len(m.Stockpiles)
	f := func(n int) []float64 { return make([]float64, n) }
	p.fac = make([]facility, nf)
	p.cl = make([]class, ns)
	for s, sg := range p.segs {
		p.cl[s].market, p.cl[s].defence = sg.Market, sg.Defence
	}
	// Thrifting groups: segments whose thrift parameters are the same
	// inputs and whose market is the same evolve identically.
	type key struct {
		mk                   int
		lag, lr, rate, decay Ref
	}
	groups := map[key]int{}
	for s, sg := range p.segs {
		k := key{sg.Market, sg.ThriftLag, sg.LongRun, sg.ThriftMaxRate, sg.ThriftDecay}
		g, ok := groups[k]
		if !ok {
			g = len(p.gFirst)
			groups[k] = g
			p.gFirst = append(p.gFirst, s)
		}
		p.cl[s].group = g
	}
	p.gXi, p.gTheta = f(len(p.gFirst)), f(len(p.gFirst))
	order := make([]int, ns)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		return p.segs[order[a]].Priority < p.segs[order[b]].Priority
	})
	for _, s := range order {
		mk := p.segs[s].Market
		p.orderIn[mk] = append(p.orderIn[mk], s)
	}
	p.ctlOn, p.ctlStart, p.ctlEnd = make([]bool, len(m.Controls)), f(len(m.Controls)), f(len(m.Controls))
	p.tarOn, p.tarStart, p.tarEnd = make([]bool, len(m.Tariffs)), f(len(m.Tariffs)), f(len(m.Tariffs))
	p.tarAct = make([]bool, len(m.Tariffs))
	p.tarSegs = make([][]int, len(m.Tariffs))
	for i, tr := range m.Tariffs {
		for s, sg := range p.segs {
			if sg.Region == tr.Region {
				p.tarSegs[i] = append(p.tarSegs[i], s)
			}
		}
	}
	for k := range p.regShare {
		p.regShare[k] = f(len(m.RegionNames))
	}
	p.kSize, p.kLevel, p.kSince, p.kOffer, p.kBuy = f(nk), f(nk), make([]int, nk), f(nk), f(nk)
	p.flOn = make([]bool, len(m.Floors))
	p.fDyn = make([]int, 0, nf)
	p.fFloors = make([][]int, nf)
	for i, fc := range m.Facilities {
		if fc.Stage != Separation || fc.Market != ExChina {
			continue
		}
		for j, fl := range m.Floors {
			if slices.Contains(fl.Facilities, i) {
				p.fFloors[i] = append(p.fFloors[i], j)
			}
		}
		if len(p.fFloors[i]) > 0 {
			p.fFloored = append(p.fFloored, i)
		}
	}
	for i := range p.bk {
		p.bk[i].terms = make([]term, 0, ns+2)
	}
	p.merge.terms = make([]term, 0, 2*ns+4)
	p.merge.xIdx = make([]int, 0, ns+2)
	return p
}

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

const daysPerMonth = 365.25 / 12

// setup resolves the path's parameters from its inputs and sets the state
// of the month before the start.
func (p *Path) setup() {
	m := p.m
	p.recipe[NdPr] = p.v(m.RecipeNdPr)
	p.recipe[DyTb] = p.v(m.RecipeDyTb)
	for k := 0; k < NumProd; k++ {
		mp := m.Market[k]
		if k != Conc {
			p.pref[k] = p.v(mp.RefPrice)
		}
		for mk := 0; mk < 2; mk++ {
			p.cover[k][mk] = p.v(mp.Cover[mk])
		}
		p.beta[k] = p.v(mp.StockElasticity)
		p.epsD[k] = p.v(mp.DerivedElasticity)
		p.yCap[k] = math.Log(max(1, p.v(mp.PriceCap)))
		p.yMin[k] = max(yFloor, math.Log(max(1e-300, p.v(mp.MinPrice))))
	}
	p.pay = p.v(m.Market[Conc].Payability)
	// The processing margin of magnet makers: the reference magnet price
	// less the reference cost of its oxide content.
	p.margin = max(0, p.pref[Magnet]-p.recipe[NdPr]*p.pref[NdPr]-p.recipe[DyTb]*p.pref[DyTb])
	p.respK = [3]float64{p.v(m.Response.Mine), p.v(m.Response.Separation), p.v(m.Response.Magnet)}
	p.respLag = max(1, p.v(m.Response.Lag))

	// Facilities.
	p.world0 = [3]float64{}
	var xm, xnd, xdy, cm, cnd, cdy float64
	for i, fc := range m.Facilities {
		p.fac[i].cap = p.v(fc.Capacity) / 12 * p.v(fc.Utilisation)
		p.fac[i].grow = math.Pow(1+p.v(fc.Growth), 1.0/12)
		p.fac[i].start = math.Inf(-1)
		p.fac[i].ramp = 0
		if fc.New {
			p.fac[i].start = p.rel(fc.Start, 0) + p.v(fc.Delay)
			p.fac[i].ramp = p.v(fc.Ramp)
			if p.v(fc.CancelDraw) > 1-p.v(fc.Cancel) { // fires on high draws, like Bernoulli inputs
				p.fac[i].start = math.Inf(1)
			}
		}
		if fc.Stage == Mine {
			p.fac[i].nd, p.fac[i].dy = p.v(fc.NdPrShare), p.v(fc.DyTbShare)
		}
		c0 := p.fac[i].capacity(0, 1)
		p.world0[fc.Stage] += c0
		if fc.Stage == Mine {
			if fc.Market == ExChina {
				xm, xnd, xdy = xm+c0, xnd+c0*p.fac[i].nd, xdy+c0*p.fac[i].dy
			} else {
				cm, cnd, cdy = cm+c0, cnd+c0*p.fac[i].nd, cdy+c0*p.fac[i].dy
			}
		}
	}
	// Facilities in place from the start that do not grow keep their
	// capacity: sum them once.
	p.fDyn = p.fDyn[:0]
	p.capStatic = capSums{}
	for i, fc := range m.Facilities {
		if fc.New || p.fac[i].grow != 1 {
			p.fac[i].capT = 0
			if !math.IsInf(p.fac[i].start, 1) { // a cancelled plant never adds anything
				p.fDyn = append(p.fDyn, i)
			}
			continue
		}
		p.fac[i].capT = p.fac[i].cap
		p.capStatic.add(m, i, p.fac[i].cap, p.fac[i].nd, p.fac[i].dy)
	}
	switch {
	case xm > 0:
		p.gradeX = [2]float64{xnd / xm, xdy / xm}
	case cm > 0:
		p.gradeX = [2]float64{cnd / cm, cdy / cm}
	}

	// Segments, by class: a class's base demand is its members' sum.
	for s, sg := range p.segs {
		p.cl[s].base = 0
		for _, j := range p.members[s] {
			p.cl[s].base += p.v(m.Segments[j].Base) / 12
		}
		p.cl[s].grow = math.Pow(1+p.v(sg.Growth), 1.0/12)
		p.cl[s].eps = p.v(sg.Elasticity)
		p.cl[s].lr = p.v(sg.LongRun)
		p.cl[s].lag = max(1, p.v(sg.ThriftLag))
		p.cl[s].rate = p.v(sg.ThriftMaxRate)
		p.cl[s].decay = p.v(sg.ThriftDecay)
		p.cl[s].maxCN = p.v(sg.MaxChina)
		p.cl[s].origin = p.rel(sg.OriginStart, 0)
		p.cl[s].theta = 0
	}

	for g := range p.gFirst {
		p.gXi[g], p.gTheta[g] = 1, 0
	}

	// Events.
	for i, c := range m.Controls {
		p.ctlOn[i] = p.v(c.Draw) > 1-p.v(c.Probability)
		p.ctlStart[i] = p.rel(c.Start, 0)
		p.ctlEnd[i] = p.ctlStart[i] + p.vOr(c.Duration, math.Inf(1))
	}
	p.tarValid = false
	for i, tr := range m.Tariffs {
		p.tarOn[i] = p.v(tr.Draw) > 1-p.v(tr.Probability)
		p.tarStart[i] = p.rel(tr.Start, 0)
		p.tarEnd[i] = p.rel(tr.End, math.Inf(1))
	}

	// Region shares of ex-China use, for tariff wedges: magnets by demand,
	// oxides by magnet capacity, concentrate by separation capacity.
	for k := range p.regShare {
		clear(p.regShare[k])
	}
	var totMag, totMagCap, totSep float64
	for _, sg := range m.Segments {
		if sg.Market == ExChina {
			b := p.v(sg.Base) / 12
			p.regShare[Magnet][sg.Region] += b
			totMag += b
		}
	}
	for i, fc := range m.Facilities {
		if fc.Market != ExChina {
			continue
		}
		switch fc.Stage {
		case MagnetPlant:
			p.regShare[NdPr][fc.Region] += p.fac[i].cap
			totMagCap += p.fac[i].cap
		case Separation:
			p.regShare[Conc][fc.Region] += p.fac[i].cap
			totSep += p.fac[i].cap
		}
	}
	for r := range m.RegionNames {
		p.regShare[Magnet][r] = safeDiv(p.regShare[Magnet][r], totMag)
		p.regShare[NdPr][r] = safeDiv(p.regShare[NdPr][r], totMagCap)
		p.regShare[DyTb][r] = p.regShare[NdPr][r]
		p.regShare[Conc][r] = safeDiv(p.regShare[Conc][r], totSep)
	}

	// Reference use and the state of the month before the start.
	p.xiInd = [3]float64{1, 1, 1}
	var refMag [2]float64
	var allied float64
	for s, sg := range p.segs {
		refMag[sg.Market] += p.cl[s].base
	}
	for _, sg := range m.Segments {
		if m.RegionAllied[sg.Region] {
			allied += p.v(sg.Base) / 12
		}
	}
	p.refPrev = refMag
	var magCap [2]float64
	var sepCap [2]float64
	for i, fc := range m.Facilities {
		switch fc.Stage {
		case MagnetPlant:
			magCap[fc.Market] += p.fac[i].capacity(0, 1)
		case Separation:
			sepCap[fc.Market] += p.fac[i].capacity(0, 1)
		}
	}
	soldX := min(magCap[ExChina], refMag[ExChina])
	p.sold[Magnet][ExChina] = soldX
	p.sold[Magnet][China] = refMag[China] + refMag[ExChina] - soldX
	xFeed := min(sepCap[ExChina], xm)
	for _, k := range [2]int{NdPr, DyTb} {
		g := p.gradeX[k-NdPr]
		xOx := xFeed*g + p.recycled(ExChina, 0, refMag[ExChina], 0)*p.recipe[k] // ξ = 1 at the start: ln ξ = 0
		useX := p.recipe[k] * soldX
		p.sold[k][ExChina] = xOx
		p.sold[k][China] = max(0, p.recipe[k]*p.sold[Magnet][China]+useX-xOx)
		p.inv[k][China] = p.cover[k][China] * p.recipe[k] * p.sold[Magnet][China]
		p.inv[k][ExChina] = p.cover[k][ExChina] * useX
	}
	for mk := 0; mk < 2; mk++ {
		p.inv[Magnet][mk] = p.cover[Magnet][mk] * refMag[mk]
		p.concInv[mk], p.concNd[mk], p.concDy[mk] = 0, 0, 0
		for k := range p.y {
			p.y[k][mk] = 0
			p.ey[k][mk] = 1
		}
	}
	p.expRef[Magnet] = p.sold[Magnet][China] - refMag[China]
	for _, k := range [2]int{NdPr, DyTb} {
		p.expRef[k] = max(0, p.recipe[k]*soldX-(xFeed*p.gradeX[k-NdPr]+p.recycled(ExChina, 0, refMag[ExChina], 0)*p.recipe[k]))
	}
	p.expRef[Conc] = 0
	p.floorCov = 0
	p.omega = 0
	if refMag[ExChina] > 0 {
		p.omega = (refMag[ExChina] - soldX) / refMag[ExChina]
	}
	p.induced = [3]float64{}

	// Stockpiles: sized at the start; filled before it unless FillMonths > 0.
	clear(p.Metrics[:])
	p.sales = 0
	p.glutX = false
	for i, sp := range m.Stockpiles {
		size := p.vOr(sp.SizeT, 0)
		if sp.SizeDays != NoRef {
			use := allied
			if sp.Product != Magnet {
				use *= p.recipe[sp.Product]
			}
			size = p.v(sp.SizeDays) / daysPerMonth * use
		}
		p.kSize[i] = size
		p.kSince[i] = -1
		if p.v(sp.FillMonths) > 0 {
			p.kLevel[i] = 0
		} else {
			p.kLevel[i] = size
			p.Metrics[MStockCost] += size * p.pref[sp.Product] / 1000
		}
	}
}

func safeDiv(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// capSums holds the capacity sums of a set of facilities in one month,
// t/month: mines by where they sell and their NdPr and Dy/Tb content,
// separation and magnet plants by market.
type capSums struct {
	mineX, ndX, dyX float64 // ex-China mines selling outside China
	tied, ndT, dyT  float64 // mines outside China tied to China
	mineC, ndC, dyC float64 // China's own mines (the swing)
	sep, mag        [2]float64
}

// add adds facility i of m with capacity c and, for mines, content shares
// nd and dy.
func (cs *capSums) add(m *Model, i int, c, nd, dy float64) {
	fc := &m.Facilities[i]
	switch fc.Stage {
	case Mine:
		switch {
		case fc.Market == ExChina:
			cs.mineX, cs.ndX, cs.dyX = cs.mineX+c, cs.ndX+c*nd, cs.dyX+c*dy
		case m.RegionMarket[fc.Region] == ExChina:
			cs.tied, cs.ndT, cs.dyT = cs.tied+c, cs.ndT+c*nd, cs.dyT+c*dy
		default:
			cs.mineC, cs.ndC, cs.dyC = cs.mineC+c, cs.ndC+c*nd, cs.dyC+c*dy
		}
	case Separation:
		cs.sep[fc.Market] += c
	case MagnetPlant:
		cs.mag[fc.Market] += c
	}
}

// plus adds o to cs.
func (cs *capSums) plus(o *capSums) {
	cs.mineX, cs.ndX, cs.dyX = cs.mineX+o.mineX, cs.ndX+o.ndX, cs.dyX+o.dyX
	cs.tied, cs.ndT, cs.dyT = cs.tied+o.tied, cs.ndT+o.ndT, cs.dyT+o.dyT
	cs.mineC, cs.ndC, cs.dyC = cs.mineC+o.mineC, cs.ndC+o.ndC, cs.dyC+o.dyC
	for mk := range cs.sep {
		cs.sep[mk] += o.sep[mk]
		cs.mag[mk] += o.mag[mk]
	}
}

// capacity returns the facility's capacity in month ft given its growth
// factor g = grow^ft, t/month.
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

// recycled returns the magnet-equivalent recycled supply of market mk in
// month t, t/month, given the market's reference magnet demand and the
// logarithm of the magnet makers' price signal, ln max(1, ξ).
func (p *Path) recycled(mk, t int, ref, lnSig float64) float64 {
	var r float64
	for _, rc := range p.m.Recycling {
		if rc.Market != mk {
			continue
		}
		s0, s1 := p.v(rc.ShareStart), p.v(rc.ShareTarget)
		span := p.rel(rc.TargetDate, 0)
		share := s1
		if span > 0 && float64(t) < span {
			share = s0 + (s1-s0)*float64(t)/span
		}
		if e := p.v(rc.PriceElasticity); e != 0 && lnSig != 0 {
			share *= exp(e * lnSig)
		}
		r += share * ref
	}
	return r
}

// segClasses groups the segments of m that behave identically in every
// month: the same market, priority and defence flag, the same inputs for
// every parameter but base demand (growth, elasticities, thrifting, origin
// rule), covered by the same tariffs and served by no stockpile. Every
// segment equation is linear in base demand given those, so a class is
// simulated as one segment whose base demand is its members' sum; this
// changes no output beyond rounding (docs/MODEL.md §3.0). It returns each class's
// representative (its first member, in model order), the members of each
// class and the class of each segment.
func segClasses(m *Model) (reps []Segment, members [][]int, classOf []int) {
	served := make([]bool, len(m.Segments))
	for _, sp := range m.Stockpiles {
		for _, s := range sp.Serves {
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
		market, priority int
		defence          bool
		inputs, tariffs  string
		single           int
	}
	classes := map[key]int{}
	classOf = make([]int, len(m.Segments))
	for s, sg := range m.Segments {
		var tariffs []byte
		for i, tr := range m.Tariffs {
			if tr.Region == sg.Region {
				tariffs = fmt.Appendf(tariffs, "%d,", i)
			}
		}
		var inputs string
		for _, r := range []Ref{sg.Growth, sg.Elasticity, sg.LongRun, sg.ThriftLag,
			sg.ThriftMaxRate, sg.ThriftDecay, sg.MaxChina, sg.OriginStart} {
			inputs += id(r) + ","
		}
		k := key{sg.Market, sg.Priority, sg.Defence, inputs, string(tariffs), -1}
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
