package sim

import (
	"math"
	"math/rand/v2"
	"testing"
)

// builder makes models by hand: every number is appended to the inputs.
type builder struct{ in []float64 }

func (b *builder) f(v float64) Ref { b.in = append(b.in, v); return Ref(len(b.in) - 1) }

// world is a small two-market world: China mines, separates and makes
// magnets for everyone; ex-China has a mine, a separator and a magnet plant
// of its own that cover part of its demand; two ex-China segments (one of
// them defence) and one Chinese segment. Demand and capacity do not grow
// unless the test changes them.
type world struct {
	b      builder
	m      *Model
	demand [3]Ref // China, ex-China civil, ex-China defence base_tpy
	cover  [NumProd][2]Ref
}

func newWorld() *world {
	w := &world{}
	b := &w.b
	m := &Model{Months: 60, StartAbs: 2026 * 12}
	m.RecipeNdPr, m.RecipeDyTb = b.f(0.3), b.f(0.03)
	prices := [NumProd]float64{0, 80, 400, 150}
	for k := 0; k < NumProd; k++ {
		w.cover[k] = [2]Ref{b.f(2), b.f(2)}
		m.Market[k] = MarketParams{
			RefPrice: b.f(max(prices[k], 1)), Cover: w.cover[k],
			StockElasticity: b.f(1.5), DerivedElasticity: b.f(0.1),
			Payability: b.f(0.35), PriceCap: b.f(40), MinPrice: b.f(0.001),
		}
	}
	m.Response = ResponseParams{b.f(0), b.f(0), b.f(0), b.f(12)}
	m.RegionNames = []string{"china", "us"}
	m.RegionMarket = []int{China, ExChina}
	m.RegionAllied = []bool{false, true}
	nores := func(fc Facility) Facility {
		fc.Start, fc.Delay, fc.Cancel, fc.CancelDraw, fc.Ramp = NoRef, NoRef, NoRef, NoRef, NoRef
		return fc
	}
	one := b.f(1)
	zero := b.f(0)
	m.Facilities = []Facility{
		nores(Facility{Name: "cn-mine", Stage: Mine, Region: 0, Market: China, Capacity: b.f(400000), Utilisation: one, NdPrShare: b.f(0.2), DyTbShare: b.f(0.02), Growth: zero}),
		nores(Facility{Name: "cn-sep", Stage: Separation, Region: 0, Market: China, Capacity: b.f(400000), Utilisation: one, NdPrShare: zero, DyTbShare: zero, Growth: zero}),
		nores(Facility{Name: "cn-mag", Stage: MagnetPlant, Region: 0, Market: China, Capacity: b.f(300000), Utilisation: one, NdPrShare: zero, DyTbShare: zero, Growth: zero}),
		nores(Facility{Name: "us-mine", Stage: Mine, Region: 1, Market: ExChina, Capacity: b.f(20000), Utilisation: one, NdPrShare: b.f(0.15), DyTbShare: b.f(0.015), Growth: zero}),
		nores(Facility{Name: "us-sep", Stage: Separation, Region: 1, Market: ExChina, Capacity: b.f(20000), Utilisation: one, NdPrShare: zero, DyTbShare: zero, Growth: zero}),
		nores(Facility{Name: "us-mag", Stage: MagnetPlant, Region: 1, Market: ExChina, Capacity: b.f(5000), Utilisation: one, NdPrShare: zero, DyTbShare: zero, Growth: zero}),
	}
	w.demand = [3]Ref{b.f(150000), b.f(48000), b.f(2000)}
	seg := func(name string, region int, base Ref, def bool, prio int) Segment {
		return Segment{Name: name, Defence: def, Region: region, Market: m.RegionMarket[region], Base: base,
			Growth: zero, Elasticity: b.f(0.3), LongRun: b.f(0.3), ThriftLag: b.f(12), ThriftMaxRate: b.f(0.1),
			ThriftDecay: b.f(0.05), Priority: prio, MaxChina: one, OriginStart: b.f(float64(m.StartAbs))}
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

// ban adds a Chinese export control on products from month start (months
// from the scenario start) for dur months.
func (w *world) ban(share, start, dur float64, products ...int) {
	b := &w.b
	c := Control{Name: "ban", Probability: b.f(1), Draw: b.f(0.5), Share: b.f(share),
		Start: b.f(float64(w.m.StartAbs) + start), Duration: b.f(dur), LicenceRecovery: b.f(0), LicenceMonths: b.f(12)}
	for _, k := range products {
		c.Products[k] = true
	}
	w.m.Controls = append(w.m.Controls, c)
}

func (w *world) stockpile(product int, size float64, serves ...int) {
	w.stockpileRefill(product, size, 24, serves...)
}

func (w *world) stockpileRefill(product int, size, refill float64, serves ...int) {
	b := &w.b
	w.m.Stockpiles = append(w.m.Stockpiles, Stockpile{Name: "sp", Product: product, SizeT: b.f(size), SizeDays: NoRef,
		FillMonths: b.f(0), TriggerRatio: b.f(1.5), OnControl: true, Lag: b.f(0), Rate: b.f(1.0 / 6),
		Serves: serves, RefillBelow: b.f(1.1), RefillMonths: b.f(refill), HoldingCost: b.f(0.05)})
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

func TestMassBalanceRandomPaths(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for i := 0; i < 200; i++ {
		w := newWorld()
		w.m.Months = 48
		// Perturb every input by up to ±40 % (keeping shares in range).
		for j := range w.b.in {
			w.b.in[j] *= 0.6 + 0.8*rng.Float64()
		}
		w.ban(rng.Float64(), float64(rng.IntN(24)), float64(1+rng.IntN(36)), rng.IntN(NumProd), rng.IntN(NumProd))
		w.stockpile(1+rng.IntN(3), 5000*rng.Float64())
		if rng.IntN(2) == 0 {
			w.stockpile(Magnet, 3000*rng.Float64(), 2)
		}
		p := w.run()
		checkFinite(t, p)
		checkBalance(t, p)
		for mo := range p.Residual {
			for _, s := range []int{SStockNdPr, SStockDyTb, SStockMag, SMagConsX, SShortfall} {
				if p.Series[s][mo] < -1e-9 {
					t.Fatalf("path %d month %d: %s = %v < 0", i, mo, SeriesInfo[s].Name, p.Series[s][mo])
				}
			}
		}
	}
}

// A larger stockpile never increases a path's cumulative shortfall. Refills
// buy in the market and so compete with industry: the property is asserted
// for stockpiles that serve segments directly (refilled or not) and for
// oxide stockpiles that are not refilled.
func TestLargerStockpileNeverMoreShortfall(t *testing.T) {
	for _, product := range []int{Magnet, NdPr, DyTb} {
		prev := math.Inf(1)
		for _, size := range []float64{0, 1000, 3000, 6000, 12000, 24000} {
			w := newWorld()
			w.ban(1, 6, 18, Magnet, NdPr, DyTb)
			if product == Magnet {
				w.stockpile(product, size, 2, 1)
			} else {
				w.stockpileRefill(product, size*0.3, 0)
			}
			p := w.run()
			got := p.Metrics[MCumShort]
			if got > prev+1e-6 {
				t.Errorf("%s stockpile of %v t: cumulative shortfall %v > %v with a smaller one", ProductNames[product], size, got, prev)
			}
			prev = got
		}
	}
}

func TestLaterPlantNeverAddsSupplyEarlier(t *testing.T) {
	outX := func(start float64) []float64 {
		w := newWorld()
		b := &w.b
		w.m.Facilities = append(w.m.Facilities, Facility{Name: "new-mag", Stage: MagnetPlant, Region: 1, Market: ExChina, New: true,
			Capacity: b.f(10000), Utilisation: b.f(1), NdPrShare: b.f(0), DyTbShare: b.f(0), Growth: b.f(0),
			Start: b.f(float64(w.m.StartAbs) + start), Delay: b.f(0), Cancel: b.f(0), CancelDraw: b.f(0.5), Ramp: b.f(12)})
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
	w.ban(0.5, 3, 12, Magnet, DyTb)
	w.stockpile(Magnet, 2000, 2)
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
	w.ban(0.5, 12, 24, Magnet, DyTb)
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
		for _, r := range []int{2, 3} {
			sg := m.Segments[1]
			sg.Name, sg.Region = m.RegionNames[r]+"-civil", r
			sg.Base = b.f(9000 * float64(r))
			sg.Elasticity, sg.LongRun, sg.Growth = b.f(0.3), b.f(0.3), b.f(0)
			m.Segments = append(m.Segments, sg)
		}
		m.Tariffs = append(m.Tariffs, Tariff{Name: "us-magnets", Region: 1, Product: Magnet,
			Level: b.f(0.25), Start: b.f(float64(m.StartAbs)), End: NoRef, Probability: b.f(1), Draw: b.f(0.5)})
		if shock {
			w.ban(1, 6, 24, Magnet, DyTb)
			m.Market[Magnet].PriceCap = b.f(3) // rations at the cap
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
		close := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*(1+math.Abs(a)+math.Abs(b)) }
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
