package sim

import (
	"math"
	"math/rand/v2"
	"testing"
)

// builder makes models by hand: every number is appended to the inputs.
type builder struct{ in []float64 }

func (b *builder) f(v float64) Ref { b.in = append(b.in, v); return Ref(len(b.in) - 1) }

// world is a small two-market world. China mines light ore and clay
// (both balancing), separates and makes magnets for everyone; Myanmar's
// clay is tied to China; ex-China has a mine, a separator and a magnet
// plant of its own that cover part of its demand; two ex-China segments
// (one of them defence) and one Chinese segment. At the reference prices
// the world needs 60,000 t/yr of NdPr and 6,000 t/yr of Dy/Tb. Demand and
// capacity do not grow unless the test changes them.
type world struct {
	b      builder
	m      *Model
	demand [3]Ref // China, ex-China civil, ex-China defence base_tpy
	cover  [NumProd][2]Ref
	fac    map[string]int
}

func newWorld() *world {
	w := &world{fac: map[string]int{}}
	b := &w.b
	m := &Model{Months: 60, StartAbs: 2026 * 12}
	m.Recipe.NdPr, m.Recipe.DyTb = b.f(0.3), b.f(0.03)
	m.Recipe.DyTbThriftMax, m.Recipe.DyTbThriftRate, m.Recipe.DyTbThriftLagMonths, m.Recipe.DyTbThriftDecay = b.f(0), b.f(0.2), b.f(12), b.f(0.05)
	prices := [NumProd]float64{0, 80, 400, 150}
	for k := 0; k < NumProd; k++ {
		w.cover[k] = [2]Ref{b.f(2), b.f(2)}
		m.Market[k] = MarketKeys[Ref]{
			RefPrice: b.f(max(prices[k], 1)), CoverChina: w.cover[k][China], CoverExChina: w.cover[k][ExChina],
			StockElasticity: b.f(1.5), DerivedElasticity: b.f(0.1),
			Payability: b.f(0.35), PriceCapMultiple: b.f(40), MinPriceMultiple: b.f(0.001),
			PrecautionMultiple: b.f(2), PrecautionBuildMonths: b.f(3), PrecautionReleaseMonths: b.f(12),
			OriginSubstitution: b.f(2),
		}
	}
	m.Response = ResponseKeys[Ref]{Mine: b.f(0), Separation: b.f(0), Magnet: b.f(0), LagMonths: b.f(12), AdjustMonths: b.f(3)}
	m.RegionNames = []string{"china", "us", "myanmar"}
	m.RegionMarket = []int{China, ExChina, ExChina}
	m.RegionAllied = []bool{false, true, false}
	one, zero := b.f(1), b.f(0)
	fac := func(name string, st Stage, region, market int, capTPY, nd, dy, elast float64, balance bool) {
		w.fac[name] = len(m.Facilities)
		m.Facilities = append(m.Facilities, Facility{Name: name, Stage: st, Region: region, Market: market,
			FacilityKeys: FacilityKeys[Ref]{CapacityTPY: b.f(capTPY), Utilisation: one, NdPrShare: b.f(nd), DyTbShare: b.f(dy), Growth: zero,
				PlannedStart: NoRef, DelayMonths: NoRef, CancelProbability: NoRef, RampMonths: NoRef,
				SupplyElasticity: b.f(elast), Balance: balance, DyTbCapacityTPY: NoRef},
			CancelDraw: NoRef})
	}
	fac("cn-light", Mine, 0, China, 300000, 0.2, 0.001, 2, true)
	fac("cn-clay", Mine, 0, China, 60000, 0.15, 0.08, 2, true)
	fac("mm-clay", Mine, 2, China, 20000, 0.15, 0.06, 0.5, false)
	fac("cn-sep", Separation, 0, China, 400000, 0, 0, 0, false)
	fac("cn-mag", MagnetPlant, 0, China, 300000, 0, 0, 2, true)
	fac("us-mine", Mine, 1, ExChina, 20000, 0.15, 0.015, 0.2, false)
	fac("us-sep", Separation, 1, ExChina, 20000, 0, 0, 0, false)
	fac("us-mag", MagnetPlant, 1, ExChina, 5000, 0, 0, 1, false)
	w.demand = [3]Ref{b.f(150000), b.f(48000), b.f(2000)}
	seg := func(name string, region int, base Ref, def bool, prio int) Segment {
		return Segment{Name: name, Defence: def, Region: region, Market: m.RegionMarket[region], SegmentKeys: SegmentKeys[Ref]{BaseTPY: base,
			Growth: zero, Elasticity: b.f(0.3), LongRunElasticity: b.f(0.3), ThriftLagMonths: b.f(12), ThriftMaxRate: b.f(0.1),
			ThriftDecay: b.f(0.05), Priority: prio, MaxChinaShare: one, OriginRuleStart: b.f(float64(m.StartAbs))}}
	}
	m.Segments = []Segment{
		seg("cn-all", 0, w.demand[0], false, 5),
		seg("us-civil", 1, w.demand[1], false, 5),
		seg("us-defence", 1, w.demand[2], true, 1),
	}
	w.m = m
	return w
}

func (w *world) run() *Path {
	w.m.NInputs = len(w.b.in)
	p := w.m.NewPath()
	p.Run(w.b.in)
	return p
}

// control adds a Chinese export control on products from month start
// (months from the scenario start) for dur months: share needs a licence,
// approval of applications is approval, decided after delay months, and
// licensed trade costs friction.
func (w *world) control(share, start, dur, approval, delay, friction float64, products ...int) {
	b := &w.b
	c := Control{Name: "ctl", ControlKeys: ControlKeys[Ref]{Probability: b.f(1)}}
	c.Draw = b.f(0.5)
	c.ShareBlocked = b.f(share)
	c.Start, c.DurationMonths, c.AnnounceMonths = b.f(float64(w.m.StartAbs)+start), b.f(dur), b.f(0)
	c.LicenceInitial, c.LicenceRecovery, c.LicenceMonths = b.f(approval), b.f(approval), b.f(0)
	c.LicenceDelayMonths, c.LicenceFriction = b.f(delay), b.f(friction)
	for _, k := range products {
		c.Products[k] = true
	}
	w.m.Controls = append(w.m.Controls, c)
}

// ban blocks share of China's exports of products, with no licences.
func (w *world) ban(share, start, dur float64, products ...int) {
	w.control(share, start, dur, 0, 0, 0, products...)
}

func (w *world) stockpile(product int, size float64, serves ...int) {
	w.stockpileRefill(product, size, 24, serves...)
}

func (w *world) stockpileRefill(product int, size, refill float64, serves ...int) {
	b := &w.b
	w.m.Stockpiles = append(w.m.Stockpiles, Stockpile{Name: "sp", Product: product, StockpileKeys: StockpileKeys[Ref]{SizeT: b.f(size), SizeDays: NoRef,
		FillMonths: b.f(0), TriggerPriceRatio: b.f(1.5), TriggerOnControl: true, LagMonths: b.f(0), ReleaseRate: b.f(1.0 / 6),
		ReleaseUntilRatio: b.f(1), RefillBelowRatio: b.f(1), RefillMonths: b.f(refill), HoldingCost: b.f(0.05)},
		ServedSegments: serves})
}

func (w *world) tariff(region, product int, level float64) {
	b := &w.b
	w.m.Tariffs = append(w.m.Tariffs, Tariff{Name: "tariff", Region: region, Product: product,
		TariffKeys: TariffKeys[Ref]{Level: b.f(level), Start: b.f(float64(w.m.StartAbs) + 3), End: NoRef, Probability: b.f(1)}, Draw: b.f(0.5)})
}

func total(s []float64) float64 {
	var t float64
	for _, v := range s {
		t += v
	}
	return t
}

func checkFinite(t *testing.T, p *Path) {
	t.Helper()
	for i, s := range p.Series {
		for mo, v := range s {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("series %s month %d = %v", SeriesInfo[i].Name, mo, v)
			}
		}
	}
	for i, v := range p.Metrics {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("metric %s = %v", MetricInfo[i].Name, v)
		}
	}
}

func checkBalance(t *testing.T, p *Path) {
	t.Helper()
	for mo, r := range p.Residual {
		if r > 1e-6 {
			t.Fatalf("month %d: mass balance off by %g t", mo, r)
		}
	}
}

func TestSteadyState(t *testing.T) {
	w := newWorld()
	p := w.run()
	checkFinite(t, p)
	checkBalance(t, p)
	ref := map[int]float64{SPriceNdPrX: 80, SPriceNdPrCN: 80, SPriceDyTbX: 400, SPriceDyTbCN: 400, SPriceMagX: 150, SPriceMagCN: 150}
	for s, want := range ref {
		for mo, got := range p.Series[s] {
			if math.Abs(got-want) > 1e-6*want {
				t.Fatalf("%s month %d = %v, want the reference %v", SeriesInfo[s].Name, mo, got, want)
			}
		}
	}
	if got := p.Metrics[MCumShort]; got > 1e-6 {
		t.Errorf("cumulative shortfall with no shock = %v, want 0", got)
	}
	// Ex-China consumption is its demand: 50,000 t/yr.
	if got := p.Series[SMagConsX][10]; math.Abs(got-50000.0/12) > 1e-6 {
		t.Errorf("ex-China consumption = %v t/month, want %v", got, 50000.0/12)
	}
	// China supplies what ex-China plants cannot make: 45,000 of 50,000 t.
	if got := p.Series[SChinaShareX][10]; math.Abs(got-0.9) > 1e-9 {
		t.Errorf("China share of ex-China supply = %v, want 0.9", got)
	}
	// China's two ore types run at the utilisation that supplies the
	// oxide it must supply: uL·60,000 + uH·9,000 = 54,000 t NdPr and
	// uL·300 + uH·4,800 = 4,500 t Dy/Tb a year.
	uL, uH := 45562.5/59437.5, (4500-300*45562.5/59437.5)/4800
	want := (300000*uL + 60000*uH) / 12
	if got := p.Series[SChinaMining][20]; math.Abs(got-want) > 1e-6*want {
		t.Errorf("China's mining = %v t/month, want %v", got, want)
	}
}

// With no inventories, a ban on half of China's magnet exports leaves
// ex-China supply at 5,000 + 45,000/2 = 27,500 t/yr against 50,000 t/yr of
// demand with elasticity 0.3, so in the first month
// P = Pref · (27,500/50,000)^(−1/0.3).
func TestKnownCutPrice(t *testing.T) {
	w := newWorld()
	for k := range w.cover {
		w.b.in[w.cover[k][ExChina]] = 0
		w.b.in[w.cover[k][China]] = 0
	}
	w.ban(0.5, 0, 12, Magnet)
	p := w.run()
	checkBalance(t, p)
	want := 150 * math.Pow(27500.0/50000, -1/0.3)
	if got := p.Series[SPriceMagX][0]; math.Abs(got-want) > 1e-6*want {
		t.Errorf("ex-China magnet price in the first month = %v $/kg, want %v", got, want)
	}
	// China's makers do not sell below cost (here the reference price):
	// the magnets that cannot be exported stay in China's stock.
	if got := p.Series[SPriceMagCN][0]; math.Abs(got-150) > 1e-9 {
		t.Errorf("China's magnet price = %v, want its cost floor 150 when exports are blocked", got)
	}
}

// Licences as a process: with every export needing a licence, half the
// applications approved and a two-month delay (half the backlog decided
// each month), exports in the control's first month are a quarter of the
// free flow; thereafter each month half of the backlog is decided, so
// exports are the approval rate times what stays in the backlog.
func TestLicencePipeline(t *testing.T) {
	w := newWorld()
	for k := range w.cover {
		w.b.in[w.cover[k][ExChina]] = 0
		w.b.in[w.cover[k][China]] = 0
	}
	w.control(1, 3, 60, 0.5, 2, 0, Magnet)
	var ex, backlog []float64
	w.m.NInputs = len(w.b.in)
	p := w.m.NewPath()
	p.Trace = func(t int, p *Path) {
		ex = append(ex, p.mo.exp[Magnet])
		backlog = append(backlog, p.st.backlog[Magnet])
	}
	p.Run(w.b.in)
	checkBalance(t, p)
	free := 45000.0 / 12
	if math.Abs(ex[2]-free) > 1e-6*free {
		t.Errorf("exports before the control = %v, want %v", ex[2], free)
	}
	if want := 0.5 * free / 2; math.Abs(ex[3]-want) > 1e-6*free {
		t.Errorf("exports in the control's first month = %v, want %v", ex[3], want)
	}
	for mo := 3; mo < len(ex); mo++ {
		if want := 0.5 * backlog[mo]; math.Abs(ex[mo]-want) > 1e-6*free {
			t.Fatalf("month %d: exports %v, want half the backlog left, %v", mo, ex[mo], want)
		}
	}
	if backlog[2] != 0 || backlog[10] <= backlog[3] {
		t.Errorf("backlog %v before the control and %v, %v in its first and eighth months: want 0, then growing", backlog[2], backlog[3], backlog[10])
	}
}

// Licensed trade flows only while the ex-China price covers its friction:
// with every licence granted at once and a 20 % friction, the ex-China
// price settles 20 % above China's.
func TestFrictionSetsThePremium(t *testing.T) {
	w := newWorld()
	w.control(1, 3, 60, 1, 0, 0.2, Magnet)
	p := w.run()
	checkBalance(t, p)
	for _, mo := range []int{30, 50} {
		prem := p.Series[SPriceMagX][mo] / p.Series[SPriceMagCN][mo]
		if math.Abs(prem-1.2) > 1e-6 {
			t.Errorf("month %d: ex-China magnet price %v times China's, want 1.2", mo, prem)
		}
	}
	if p.Metrics[MLicenceCost] <= 0 {
		t.Errorf("licence cost = %v, want > 0", p.Metrics[MLicenceCost])
	}
}

// A control that needs a licence for 0.1 % of exports barely moves prices.
func TestTinyControlTinyEffect(t *testing.T) {
	base := newWorld().run()
	w := newWorld()
	w.control(0.001, 3, 60, 0, 2, 0.1, Magnet, DyTb, NdPr)
	p := w.run()
	for _, s := range []int{SPriceMagX, SPriceDyTbX, SPriceNdPrX, SPriceMagCN, SPriceDyTbCN} {
		for mo := range p.Series[s] {
			if r := p.Series[s][mo] / base.Series[s][mo]; math.Abs(r-1) > 0.01 {
				t.Fatalf("%s month %d moved by %.3g %% under a 0.1 %% control", SeriesInfo[s].Name, mo, 100*(r-1))
			}
		}
	}
}

// Precautionary cover: while a control is in force ex-China holders want
// more stock, and let it go after the control ends.
func TestPrecautionBuildsAndReleases(t *testing.T) {
	w := newWorld()
	w.control(0.5, 6, 12, 0.8, 1, 0, Magnet)
	var prec []float64
	w.m.NInputs = len(w.b.in)
	p := w.m.NewPath()
	p.Trace = func(t int, p *Path) { prec = append(prec, p.st.prec[Magnet][ExChina]) }
	p.Run(w.b.in)
	if prec[5] != 1 {
		t.Errorf("cover multiple before the control = %v, want 1", prec[5])
	}
	// Target 1 + (2−1)·0.5 = 1.5, approached at a third a month.
	if want := 1 + 0.5*(1-math.Pow(2.0/3, 12)); math.Abs(prec[17]-want) > 1e-9 {
		t.Errorf("cover multiple at the control's end = %v, want %v", prec[17], want)
	}
	if !(prec[40] < prec[17] && prec[40] > 1) {
		t.Errorf("cover multiple two years after = %v, want between 1 and %v", prec[40], prec[17])
	}
}

// A tariff is paid by its importing region on the Chinese-origin magnets
// it buys; a higher tariff never lowers that region's price of Chinese
// magnets nor raises what it imports from China.
func TestTariffByImporter(t *testing.T) {
	var prevPrice, prevImports float64 = 0, math.Inf(1)
	for _, level := range []float64{0.1, 0.25, 0.5, 1, 2, 5} {
		w := newWorld()
		w.tariff(1, Magnet, level)
		p := w.run()
		checkBalance(t, p)
		if p.Metrics[MTariffPaid] <= 0 {
			t.Fatalf("level %v: tariff paid = %v, want > 0", level, p.Metrics[MTariffPaid])
		}
		price := p.Series[SPriceMagX][30] * (1 + level)
		imports := p.Metrics[MTariffImports]
		if price < prevPrice || imports > prevImports {
			t.Errorf("level %v: tariff-inclusive price %v (before %v), imports %v (before %v)", level, price, prevPrice, imports, prevImports)
		}
		prevPrice, prevImports = price, imports
	}
	// A tariff on a region with no buyers costs no one anything.
	w := newWorld()
	w.tariff(2, Magnet, 0.5)
	if got := w.run().Metrics[MTariffPaid]; got != 0 {
		t.Errorf("tariff on a region without buyers: paid %v, want 0", got)
	}
}

func TestOriginChoice(t *testing.T) {
	for _, c := range []struct{ w, theta, sigma, mult, cn float64 }{
		{0, 0.7, 2, 1, 0.7},
		{0.5, 0, 2, 1, 0},
		{0.5, 1, 2, 1.5, 1},
		{0.5, 0.7, 0, math.Pow(1.5, 0.7), 0.7},
	} {
		mult, cn := originChoice(c.w, c.theta, c.sigma)
		if math.Abs(mult-c.mult) > 1e-9 || math.Abs(cn-c.cn) > 1e-9 {
			t.Errorf("originChoice(%v, %v, %v) = %v, %v; want %v, %v", c.w, c.theta, c.sigma, mult, cn, c.mult, c.cn)
		}
	}
	prevM, prevC := 1.0, 1.0
	for w := 0.05; w <= 5; w += 0.05 {
		mult, cn := originChoice(w, 0.6, 3)
		if mult < prevM || mult > 1+w || cn > prevC {
			t.Fatalf("w = %v: multiple %v (before %v), Chinese share %v (before %v)", w, mult, prevM, cn, prevC)
		}
		prevM, prevC = mult, cn
	}
}

// China's own levers: a mining quota below what China mines, or State
// Reserve purchases, raise China's domestic prices.
func TestChinaLeversRaiseChinaPrices(t *testing.T) {
	base := newWorld().run()
	quota := newWorld()
	b := &quota.b
	quota.m.Quotas = append(quota.m.Quotas, Quota{Name: "cut", Facilities: []int{quota.fac["cn-light"], quota.fac["cn-clay"]}, QuotaKeys: QuotaKeys[Ref]{CapTPY: b.f(200000), Start: b.f(float64(quota.m.StartAbs) + 6), End: NoRef, Probability: b.f(1)}, Draw: b.f(0.5)})
	reserve := newWorld()
	b = &reserve.b
	reserve.m.Reserves = append(reserve.m.Reserves, Reserve{Name: "srb", Product: DyTb, ReserveKeys: ReserveKeys[Ref]{Start: b.f(float64(reserve.m.StartAbs) + 6), End: b.f(float64(reserve.m.StartAbs) + 18), Probability: b.f(1), BuyTPY: b.f(1500), BuyBelowRatio: NoRef, MaxT: NoRef, InitialT: b.f(0), ReleaseAboveRatio: NoRef, ReleaseRate: b.f(0)}, Draw: b.f(0.5)})
	for _, c := range []struct {
		name string
		w    *world
		s    int
	}{{"quota", quota, SPriceNdPrCN}, {"quota", quota, SPriceDyTbCN}, {"reserve", reserve, SPriceDyTbCN}} {
		p := c.w.run()
		checkBalance(t, p)
		if got, was := p.Series[c.s][12], base.Series[c.s][12]; !(got > 1.1*was) {
			t.Errorf("%s: %s in month 12 = %v, want well above %v", c.name, SeriesInfo[c.s].Name, got, was)
		}
	}
}

// By-product balance: when Myanmar's clay is disrupted, China's clay mines
// more, and its light ore is not forced up with it.
func TestByProductBalance(t *testing.T) {
	out := func(disrupt bool) (light, clay float64) {
		w := newWorld()
		if disrupt {
			b := &w.b
			w.m.Disruptions = append(w.m.Disruptions, Disruption{Name: "kia", Facilities: []int{w.fac["mm-clay"]}, DisruptionKeys: DisruptionKeys[Ref]{ShareLost: b.f(0.8), Start: b.f(float64(w.m.StartAbs) + 3), DurationMonths: b.f(24), Probability: b.f(1)}, Draw: b.f(0.5)})
		}
		w.m.NInputs = len(w.b.in)
		p := w.m.NewPath()
		p.Trace = func(t int, p *Path) {
			if t == 20 {
				light, clay = p.fac[w.fac["cn-light"]].out, p.fac[w.fac["cn-clay"]].out
			}
		}
		p.Run(w.b.in)
		return light, clay
	}
	l0, c0 := out(false)
	l1, c1 := out(true)
	if !(c1 > c0*1.05) {
		t.Errorf("China's clay output %v with Myanmar disrupted, %v without: want it to rise", c1, c0)
	}
	if l1 > l0*1.01 {
		t.Errorf("China's light-ore output %v with Myanmar disrupted, %v without: want it not forced up", l1, l0)
	}
}

// Faster demand growth gives higher prices. (Dy/Tb thrifting is on: with
// a fixed recipe, scarce Dy/Tb would cap magnet output and so lower the
// demand for its complement, NdPr.)
func TestDemandGrowthRaisesPrices(t *testing.T) {
	prev := [3]float64{}
	for _, g := range []float64{0, 0.05, 0.1} {
		w := newWorld()
		w.b.in[w.m.Recipe.DyTbThriftMax] = 0.5
		for i := range w.m.Segments {
			w.m.Segments[i].Growth = w.b.f(g)
		}
		p := w.run()
		cur := [3]float64{total(p.Series[SPriceNdPrCN]), total(p.Series[SPriceDyTbCN]), total(p.Series[SPriceMagX])}
		for i := range cur {
			if cur[i] < prev[i] {
				t.Errorf("growth %v: mean price %d fell to %v from %v", g, i, cur[i], prev[i])
			}
		}
		prev = cur
	}
}

func TestMassBalanceRandomPaths(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for i := 0; i < 200; i++ {
		w := newWorld()
		w.m.Months = 48
		// Perturb every input by up to ±40 % (keeping shares in range).
		for j := range w.b.in {
			w.b.in[j] *= 0.6 + 0.8*rng.Float64()
		}
		w.control(rng.Float64(), float64(rng.IntN(24)), float64(1+rng.IntN(36)), rng.Float64(), 3*rng.Float64(), 0.2*rng.Float64(), rng.IntN(NumProd), rng.IntN(NumProd))
		w.stockpile(1+rng.IntN(3), 5000*rng.Float64())
		if rng.IntN(2) == 0 {
			w.stockpile(Magnet, 3000*rng.Float64(), 2)
		}
		if rng.IntN(2) == 0 {
			w.tariff(1, 1+rng.IntN(3), 2*rng.Float64())
		}
		b := &w.b
		if rng.IntN(2) == 0 {
			w.m.Disruptions = append(w.m.Disruptions, Disruption{Name: "d", Facilities: []int{rng.IntN(len(w.m.Facilities))}, DisruptionKeys: DisruptionKeys[Ref]{ShareLost: b.f(rng.Float64()), Start: b.f(float64(w.m.StartAbs + rng.IntN(24))), DurationMonths: b.f(float64(1 + rng.IntN(24))), Probability: b.f(1)}, Draw: b.f(0.5)})
		}
		if rng.IntN(2) == 0 {
			w.m.Quotas = append(w.m.Quotas, Quota{Name: "q", Facilities: []int{w.fac["cn-light"]}, QuotaKeys: QuotaKeys[Ref]{CapTPY: b.f(150000 + 150000*rng.Float64()), Start: b.f(float64(w.m.StartAbs + rng.IntN(24))), End: NoRef, Probability: b.f(1)}, Draw: b.f(0.5)})
		}
		if rng.IntN(2) == 0 {
			w.m.Reserves = append(w.m.Reserves, Reserve{Name: "r", Product: 1 + rng.IntN(2), ReserveKeys: ReserveKeys[Ref]{Start: b.f(float64(w.m.StartAbs + rng.IntN(12))), End: NoRef, Probability: b.f(1), BuyTPY: b.f(3000 * rng.Float64()), BuyBelowRatio: b.f(1.2), MaxT: b.f(5000), InitialT: b.f(1000), ReleaseAboveRatio: b.f(2), ReleaseRate: b.f(0.1)}, Draw: b.f(0.5)})
		}
		p := w.run()
		checkFinite(t, p)
		checkBalance(t, p)
		for mo := range p.Residual {
			for _, s := range []int{SStockNdPr, SStockDyTb, SStockMag, SMagConsX, SShortfall, SReserveNdPr, SReserveDyTb} {
				if p.Series[s][mo] < -1e-9 {
					t.Fatalf("path %d month %d: %s = %v < 0", i, mo, SeriesInfo[s].Name, p.Series[s][mo])
				}
			}
		}
	}
}

// A larger stockpile never increases a path's cumulative shortfall, for
// every kind of stockpile: magnets that serve segments, magnets and
// oxides released into the market, refilled or not.
func TestLargerStockpileNeverMoreShortfall(t *testing.T) {
	for _, product := range []int{Magnet, NdPr, DyTb} {
		for _, serves := range [][]int{nil, {2, 1}} {
			if serves != nil && product != Magnet {
				continue
			}
			for _, refill := range []float64{0, 24} {
				prev := math.Inf(1)
				for _, size := range []float64{0, 1000, 3000, 6000, 12000, 24000} {
					w := newWorld()
					w.ban(1, 6, 18, Magnet, NdPr, DyTb)
					sz := size
					if product != Magnet {
						sz *= 0.3
					}
					w.stockpileRefill(product, sz, refill, serves...)
					p := w.run()
					got := p.Metrics[MCumShort]
					if got > prev+1e-6 {
						t.Errorf("%s stockpile of %v t (serves %v, refill %v): cumulative shortfall %v > %v with a smaller one", ProductNames[product], sz, serves, refill, got, prev)
					}
					prev = got
				}
			}
		}
	}
}

func TestLaterPlantNeverAddsSupplyEarlier(t *testing.T) {
	outX := func(start float64) []float64 {
		w := newWorld()
		b := &w.b
		w.m.Facilities = append(w.m.Facilities, Facility{Name: "new-mag", Stage: MagnetPlant, Region: 1, Market: ExChina, New: true,
			FacilityKeys: FacilityKeys[Ref]{CapacityTPY: b.f(10000), Utilisation: b.f(1), NdPrShare: b.f(0), DyTbShare: b.f(0), Growth: b.f(0),
				PlannedStart: b.f(float64(w.m.StartAbs) + start), DelayMonths: b.f(0), CancelProbability: b.f(0), RampMonths: b.f(12),
				SupplyElasticity: b.f(0), DyTbCapacityTPY: NoRef},
			CancelDraw: b.f(0.5)})
		w.ban(0.8, 0, 60, Magnet)
		return w.run().Series[SMagProdX]
	}
	early, late := outX(6), outX(18)
	var ce, cl float64
	for mo := range early {
		ce += early[mo]
		cl += late[mo]
		if cl > ce*(1+1e-9) {
			t.Fatalf("by month %d: a plant starting later has made %v t, more than one starting earlier (%v t)", mo, cl, ce)
		}
	}
	if total(early) <= total(late) {
		t.Errorf("the earlier plant should add supply: %v vs %v", total(early), total(late))
	}
}

// A ban shorter than the inventory cover is largely absorbed by stocks; one
// longer than the cover is not: the shortfall per month of ban grows with the
// ban's length.
func TestLongBanHurtsDisproportionately(t *testing.T) {
	short := func(months float64) float64 {
		w := newWorld()
		w.ban(1, 3, months, Magnet)
		return w.run().Metrics[MCumShort]
	}
	one, twentyFour := short(1), short(24)
	if !(twentyFour > 24*one) {
		t.Errorf("shortfall of a 24-month ban (%v t) is not more than 24 times that of a 1-month ban (%v t)", twentyFour, one)
	}
}

func TestRunAllocatesNothing(t *testing.T) {
	w := newWorld()
	w.control(0.5, 3, 12, 0.5, 2, 0.1, Magnet, DyTb)
	w.stockpile(Magnet, 2000, 2)
	w.tariff(1, Magnet, 0.5)
	w.m.NInputs = len(w.b.in)
	p := w.m.NewPath()
	allocs := testing.AllocsPerRun(20, func() { p.Run(w.b.in) })
	if allocs != 0 {
		t.Errorf("Run allocates %v times per path, want 0", allocs)
	}
}

func BenchmarkPath(b *testing.B) {
	w := newWorld()
	w.m.Months = 120
	w.control(0.5, 12, 24, 0.5, 2, 0.1, Magnet, DyTb)
	w.stockpile(Magnet, 2000, 2)
	w.m.NInputs = len(w.b.in)
	p := w.m.NewPath()
	b.ReportAllocs()
	for b.Loop() {
		p.Run(w.b.in)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/120, "ns/month")
}

// Segments that behave alike are simulated as one class (segClasses); that
// must change no output beyond rounding, in calm months and when a market
// rations at its cap.
func TestSegmentClassesChangeNothing(t *testing.T) {
	build := func(shock bool) *world {
		w := newWorld()
		m, b := w.m, &w.b
		m.RegionNames = append(m.RegionNames, "eu", "japan")
		m.RegionMarket = append(m.RegionMarket, ExChina, ExChina)
		m.RegionAllied = append(m.RegionAllied, true, true)
		// eu and japan civil use: separate inputs of equal fixed value,
		// one class; us civil differs from them only in its tariff, and
		// stays apart.
		for _, r := range []int{3, 4} {
			sg := m.Segments[1]
			sg.Name, sg.Region = m.RegionNames[r]+"-civil", r
			sg.BaseTPY = b.f(9000 * float64(r))
			sg.Elasticity, sg.LongRunElasticity, sg.Growth = b.f(0.3), b.f(0.3), b.f(0)
			m.Segments = append(m.Segments, sg)
		}
		w.tariff(1, Magnet, 0.25)
		if shock {
			w.ban(1, 6, 24, Magnet, DyTb)
			m.Market[Magnet].PriceCapMultiple = b.f(3) // rations at the cap
		}
		return w
	}
	for _, shock := range []bool{false, true} {
		merged, apart := build(shock), build(shock)
		merged.m.FixedInputs = map[Ref]float64{}
		for i, v := range merged.b.in {
			merged.m.FixedInputs[Ref(i)] = v
		}
		pm, pa := merged.run(), apart.run()
		if len(pm.segs) >= len(pa.segs) || len(pa.segs) != len(apart.m.Segments) {
			t.Fatalf("shock %v: %d classes merged, %d apart, want fewer merged and none apart", shock, len(pm.segs), len(pa.segs))
		}
		if shock && pa.Metrics[MRationed] <= 0 {
			t.Fatalf("shock: nothing rationed, the test does not reach the cap")
		}
		close := func(a, b float64) bool { return math.Abs(a-b) <= 1e-6*(1+math.Abs(a)+math.Abs(b)) }
		for i := range pa.Series {
			for mo := range pa.Series[i] {
				if a, b := pa.Series[i][mo], pm.Series[i][mo]; !close(a, b) {
					t.Errorf("shock %v: %s month %d: %v apart, %v merged", shock, SeriesInfo[i].Name, mo, a, b)
				}
			}
		}
		for i := range pa.Metrics {
			if a, b := pa.Metrics[i], pm.Metrics[i]; !close(a, b) {
				t.Errorf("shock %v: %s: %v apart, %v merged", shock, MetricInfo[i].Name, a, b)
			}
		}
	}
}

// An origin rule that covers the oxides lets defence use only magnets made
// from oxide separated outside China this month, by the full recipe: with
// 30 t/yr of Dy/Tb separated outside China, at most 1,000 t/yr of magnets
// (30 / 0.03) qualify, against 2,000 t/yr of defence demand. Without the
// oxide clause the ex-China magnet plant's 5,000 t/yr serves defence fully.
func TestOriginRuleCoversOxide(t *testing.T) {
	for _, oxide := range []bool{false, true} {
		w := newWorld()
		sep := &w.m.Facilities[w.fac["us-sep"]]
		sep.DyTbCapacityTPY = w.b.f(30)
		def := &w.m.Segments[2]
		def.MaxChinaShare, def.OriginRuleCoversOxide = w.b.f(0), oxide
		p := w.run()
		checkFinite(t, p)
		checkBalance(t, p)
		short := total(p.Series[SShortfallDef])
		if !oxide {
			if short > 1e-6 {
				t.Errorf("rule on magnets only: defence shortfall %v t, want 0", short)
			}
			continue
		}
		if short <= 0 {
			t.Errorf("rule on the oxides too: no defence shortfall")
		}
		for mo, s := range p.Series[SShortfallDef] {
			if want := 2000.0/12 - p.Series[SDyTbProdX][mo]/0.03; s < want-1e-6 {
				t.Errorf("month %d: defence shortfall %v t, want at least %v (Dy/Tb separated outside China %v t)", mo, s, want, p.Series[SDyTbProdX][mo])
				break
			}
		}
	}
}

// Magnet plants that share an elasticity input but not a reference
// utilisation each plan at their own utilisation.
func TestMagnetPlantsKeepTheirUtilisation(t *testing.T) {
	w := newWorld()
	m := w.m
	m.Months = 1
	mag := m.Facilities[w.fac["us-mag"]]
	mag.SupplyElasticity = w.b.f(0)
	m.Facilities[w.fac["us-mag"]] = mag
	mag2 := mag
	mag2.Name, mag2.Utilisation = "us-mag2", w.b.f(0.4)
	m.Facilities = append(m.Facilities, mag2)
	p := w.run()
	// Both plants have 5,000 t/yr; induced capacity is off.
	want := 5000.0/12 + 0.4*5000/12
	if got := p.mo.plan[ExChina]; math.Abs(got-want) > 1e-9*want {
		t.Errorf("ex-China plan %v t/month, want %v (1 x 5,000 + 0.4 x 5,000 t/yr)", got, want)
	}
}

// Several licensing controls on one product: a licensed shipment waits
// for the slowest licence it needs, whatever the order of the controls.
// Shares 0.5 and 0.5 with delays 1 and 3 months: the shipment needs a
// licence with probability 0.75; E[max] = 1 × 0.75 + (3 − 1) × 0.5 = 1.75,
// so 1.75 / 0.75 months per licensed shipment.
func TestLicenceDelayOfSeveralControls(t *testing.T) {
	for _, delays := range [][2]float64{{1, 3}, {3, 1}} {
		w := newWorld()
		w.control(0.5, 0, 60, 0.5, delays[0], 0, DyTb)
		w.control(0.5, 0, 60, 0.5, delays[1], 0, DyTb)
		p := w.run()
		p.mo.pt = 10
		p.policiesInForce()
		if want := 1.75 / 0.75; math.Abs(p.pol.delay[DyTb]-want) > 1e-12 {
			t.Errorf("delays %v: %v months per licensed shipment, want %v", delays, p.pol.delay[DyTb], want)
		}
	}
}
