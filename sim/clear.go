package sim

import "math"

// term is one price-responsive demand a·exp(−e·y) in a market, where
// y = ln(P/Pref).
type term struct {
	a, e float64
	f    float64 // exp(−e·y) at the last y demand was evaluated at
}

// book is the demand side of one market for one product in one month:
// price-responsive terms, a price-blind demand (stockpile purchases,
// forced exports) and the quantity available to it (supply plus stock).
type book struct {
	terms          []term  // consumers
	stockA, stockE float64 // inventory holders' desired stock stockA·exp(−stockE·y)
	stockF         float64 // exp(−stockE·y) at lastY
	lastY          float64 // the y of the last demand evaluation (NaN: none)
	// The results of the last demand evaluation, at lastY: demand, its
	// first to fourth derivatives and the desired stock.
	lastD, lastDD, lastD2, lastD3, lastD4, lastS float64
	lo                                           float64 // lowest price the sellers accept, log ratio (≥ yFloor)
	blind                                        float64 // price-blind demand
	supply                                       float64 // what is available: supply plus stock
	// For a merged book: where the terms of the two books merged into it
	// went. China's terms are its first ones, in order; xIdx holds the
	// index of each ex-China term, and cStock and xStock those of the two
	// stock terms (−1: not added).
	xIdx           []int
	cStock, xStock int
}

func (bk *book) reset() {
	bk.terms = bk.terms[:0]
	bk.stockA, bk.stockE, bk.blind, bk.supply = 0, 0, 0, 0
	bk.lastY = math.NaN()
	bk.lo = yFloor
}

// factor returns exp(−e·y), reusing the value of a term with the same
// elasticity (segments share few elasticities) once demand was evaluated
// at that y.
func (bk *book) factor(e, y float64) float64 {
	if y == bk.lastY {
		for _, t := range bk.terms {
			if t.e == e {
				return t.f
			}
		}
	}
	return exp(-e * y)
}

// stock returns the desired end-of-month stock at y.
func (bk *book) stock(y float64) float64 {
	if y == bk.lastY {
		return bk.lastS
	}
	return bk.stockA * exp(-bk.stockE*y)
}

// add adds the demand a·exp(−e·y); terms of equal elasticity are summed,
// which saves work and changes nothing. It returns the index of the term
// that holds it, or −1 when a ≤ 0 adds nothing.
func (bk *book) add(a, e float64) int {
	if a <= 0 {
		return -1
	}
	for i := range bk.terms {
		if bk.terms[i].e == e {
			bk.terms[i].a += a
			bk.lastY = math.NaN()
			return i
		}
	}
	bk.terms = append(bk.terms, term{a: a, e: e})
	bk.lastY = math.NaN()
	return len(bk.terms) - 1
}

// factorAt is factor for the term i that add returned for elasticity e.
func (bk *book) factorAt(i int, e, y float64) float64 {
	if i >= 0 && y == bk.lastY {
		return bk.terms[i].f
	}
	return bk.factor(e, y)
}

// demand returns the price-responsive demand at y and its derivative.
// The demand is a pure function of y and the terms, so a repeated
// evaluation at the same y returns the stored results.
func (bk *book) demand(y float64) (d, dd float64) {
	if y == bk.lastY {
		return bk.lastD, bk.lastDD
	}
	// exp(−0·y) is 1 for finite y: price-blind terms need no exponential.
	finite := !math.IsInf(y, 0) && y == y
	for i := range bk.terms {
		t := &bk.terms[i]
		if t.e == 0 && finite {
			t.f = 1
		} else {
			t.f = exp(-t.e * y)
		}
	}
	if bk.stockE == 0 && finite {
		bk.stockF = 1
	} else {
		bk.stockF = exp(-bk.stockE * y)
	}
	bk.lastY = y
	return bk.sum()
}

// sum sets the stored demand, its derivatives and the desired stock from
// the terms' factors and bk.stockF, and returns the demand and its derivative.
func (bk *book) sum() (d, dd float64) {
	var d2, d3, d4 float64
	for i := range bk.terms {
		t := &bk.terms[i]
		v := t.a * t.f
		v1 := t.e * v
		v2 := t.e * v1
		v3 := t.e * v2
		d, dd, d2, d3, d4 = d+v, dd-v1, d2+v2, d3-v3, d4+t.e*v3
	}
	v := bk.stockA * bk.stockF
	v1 := bk.stockE * v
	v2 := bk.stockE * v1
	v3 := bk.stockE * v2
	d, dd, d2, d3, d4 = d+v, dd-v1, d2+v2, d3-v3, d4+bk.stockE*v3
	bk.lastD, bk.lastDD, bk.lastD2, bk.lastD3, bk.lastD4, bk.lastS = d, dd, d2, d3, d4, v
	return d, dd
}

// step moves the stored evaluation from lastY to lastY+h without an
// exponential: each factor exp(−e·y) is carried by the Taylor polynomial
// of exp(−e·h) to fifth order, whose relative error is below
// (e·|h|)⁶/720. solve takes such a step only when h is small (its last
// step to the root), so the error is far below the clearing tolerance.
func (bk *book) step(h float64) {
	for i := range bk.terms {
		t := &bk.terms[i]
		t.f *= expTaylor(t.e * h)
	}
	bk.stockF *= expTaylor(bk.stockE * h)
	bk.lastY += h
	bk.sum()
}

// expTaylor returns the Taylor polynomial of exp(−x) to fifth order.
func expTaylor(x float64) float64 {
	return 1 - x*(1-x*(1.0/2-x*(1.0/6-x*(1.0/24-x*(1.0/120)))))
}

// excess returns the excess demand at y and its derivative in y.
func (bk *book) excess(y float64) (z, dz float64) {
	d, dd := bk.demand(y)
	return d + bk.blind - bk.supply, dd
}

// excessFrom is excess, taking the factors exp(−e·y) from src when src's
// demand was last evaluated at the same y (a merged book holds every
// elasticity of the books merged into it).
func (bk *book) excessFrom(y float64, src *book, side int) (z, dz float64) {
	if y != bk.lastY && y == src.lastY && !math.IsInf(y, 0) {
		d, dd := bk.demandFrom(y, src, side)
		return d + bk.blind - bk.supply, dd
	}
	return bk.excess(y)
}

// excessShifted is excess at ym+lw for the ex-China book merged into src
// with the wedge lw (merged(src, c, bk, lw, sh)), when src's demand was
// last evaluated at ym: each factor exp(−e·(ym+lw)) is src's exp(−e·ym)
// times the wedge's exp(−e·lw), the same to a few units in the last place.
func (bk *book) excessShifted(ym float64, src *book, lw float64, sh *shift) (z, dz float64) {
	y := ym + lw
	if y == bk.lastY || ym != src.lastY || math.IsInf(ym, 0) {
		return bk.excess(y)
	}
	for i := range bk.terms {
		t := &bk.terms[i]
		var f float64
		if j := src.xIdx[i]; j >= 0 {
			f = src.terms[j].f
		} else {
			f = src.lookup(t.e, ym)
		}
		t.f = f * sh.factorAt(i, t.e, lw)
	}
	switch {
	case bk.stockE == 0:
		bk.stockF = 1
	case src.xStock >= 0:
		bk.stockF = src.terms[src.xStock].f * sh.factor(bk.stockE, lw)
	default:
		bk.stockF = src.lookup(bk.stockE, ym) * sh.factor(bk.stockE, lw)
	}
	bk.lastY = y
	d, dd := bk.sum()
	return d + bk.blind - bk.supply, dd
}

// lookup returns exp(−e·y) at y = bk.lastY, from a term of bk with
// elasticity e, or computes it.
func (bk *book) lookup(e, y float64) float64 {
	for i := range bk.terms {
		if bk.terms[i].e == e {
			return bk.terms[i].f
		}
	}
	if e == 0 {
		return 1
	}
	return exp(-e * y)
}

// demandFrom is demand at finite y = src.lastY of the book merged into
// src as its side (China or ExChina), with the factors taken from src's
// terms; the results are the same, bit for bit.
func (bk *book) demandFrom(y float64, src *book, side int) (d, dd float64) {
	stock := src.cStock
	if side == ExChina {
		stock = src.xStock
		for i := range bk.terms {
			t := &bk.terms[i]
			if j := src.xIdx[i]; j >= 0 {
				t.f = src.terms[j].f
			} else {
				t.f = src.lookup(t.e, y)
			}
		}
	} else {
		for i := range bk.terms {
			bk.terms[i].f = src.terms[i].f // China's terms come first, in order
		}
	}
	switch {
	case bk.stockE == 0:
		bk.stockF = 1
	case stock >= 0:
		bk.stockF = src.terms[stock].f
	default:
		bk.stockF = src.lookup(bk.stockE, y)
	}
	bk.lastY = y
	return bk.sum()
}

// Price bounds in log units relative to the reference price: prices never
// fall below 1/1000 of the reference.
const yFloor = -6.907755278982137 // ln(1/1000)

// solve returns y with excess(y) = 0 in [bk.lo, yCap]: the clearing log
// price. It returns yCap and capped=true when demand exceeds what is
// available even at the cap (the market then rations), and bk.lo when
// supply exceeds demand even at the sellers' lowest price (stocks then
// absorb the rest). y0 is the starting guess.
// The excess is decreasing and convex in y, so a Newton step safeguarded by
// bisection converges from any start. Where the excess's second-order
// Taylor polynomial has a root, solve steps instead to the root of its
// third-order Taylor polynomial (one Newton step on that polynomial from
// the root of the second), which leaves an excess of fourth order in the
// step: a month's prices usually move little enough for one evaluation to
// clear a market from last month's price.
func (bk *book) solve(y0, yCap float64) (y float64, capped bool) {
	floor := min(bk.lo, yCap)
	lo, hi := floor, yCap // excess(lo) > 0 > excess(hi) once checked
	loOK, hiOK := false, false
	y = max(lo, min(hi, y0))
	tol := 1e-9 * max(bk.supply, 1e-300)
	for i := 0; i < 200; i++ {
		z, dz := bk.excess(y)
		if math.Abs(z) <= tol {
			return y, false
		}
		if z > 0 {
			lo, loOK = y, true
		} else {
			hi, hiOK = y, true
		}
		// The step h leaves an excess of about left/2; when that is below
		// half the tolerance, take the step and carry the book there by
		// Taylor polynomials instead of evaluating it again.
		h, left := bk.rootStep(z, dz)
		next := y + h
		if dz >= 0 || math.IsNaN(next) {
			next = math.Inf(int(math.Copysign(1, z)))
		}
		if h := next - y; next > lo && next < hi && left <= tol {
			bk.step(h)
			return bk.lastY, false
		}
		if next >= hi && !hiOK {
			// Check the cap before stepping past it.
			zc, _ := bk.excess(yCap)
			if zc >= 0 {
				return yCap, zc > 0
			}
			hiOK = true
		}
		if next <= lo && !loOK {
			zf, _ := bk.excess(floor)
			if zf <= 0 {
				return floor, false
			}
			loOK = true
		}
		if !(next > lo && next < hi) {
			next = 0.5 * (lo + hi)
		}
		if math.Abs(next-y) < 1e-13 {
			return next, false
		}
		y = next
	}
	return y, false
}

// rootStep returns the step h from lastY towards the root of the excess,
// given the excess z and its derivative dz at lastY, and twice the excess
// it leaves: about D₂·h² for Newton's step and |D₄·h⁴|/12 for the step to
// the root of the excess's third-order Taylor polynomial, which it takes
// where the second-order polynomial has a root (Dₖ is the excess's k-th
// derivative). Near the root (u, Newton's step, small against the
// curvature) it finds that root by series reversion of the polynomial,
// h = u − b₂u² + (2b₂² − b₃)u³ with bₖ = Dₖ/(k!·dz), and one Newton step on
// the polynomial whose reciprocal derivative it takes from its Taylor
// series, all without a division beyond 1/dz; farther away, from the root
// of the second-order polynomial and one Newton step.
func (bk *book) rootStep(z, dz float64) (h, left float64) {
	inv := 1 / dz
	u := -z * inv
	d2, d3 := bk.lastD2, bk.lastD3
	if !(dz < 0) {
		return u, d2 * u * u
	}
	b2, b3 := d2*inv/2, d3*inv/6
	if bu := b2 * u; math.Abs(bu) < 1.0/16 {
		h = u * (1 - bu + (2*b2*b2-b3)*u*u)
		p := z + h*(dz+h*(d2/2+h*d3/6))
		h -= p * inv * (1 - 2*b2*h + (4*b2*b2-3*b3)*h*h)
	} else if q := dz*dz - 2*d2*z; q >= 0 {
		h = 2 * z / (math.Sqrt(q) - dz)
		p := z + h*(dz+h*(d2/2+h*d3/6))
		if dp := dz + h*(d2+h*d3/2); dp < 0 {
			h -= p / dp
		}
	} else {
		return u, d2 * u * u
	}
	return h, math.Abs(bk.lastD4*h*h*h*h) / 12
}

// shift caches the factors exp(−e·lw) of one product's tariff wedge lw,
// which changes only when a tariff starts or ends: recomputing them every
// month is most of the cost of merging books.
type shift struct {
	w, lnw float64 // the last wedge w and ln(1+w)
	lw     float64
	n      int
	e, f   [8]float64
}

// wedge returns ln(1+w), exactly as math.Log1p gives it.
func (sh *shift) wedge(w float64) float64 {
	if w == 0 {
		return 0
	}
	if w != sh.w {
		sh.w, sh.lnw = w, math.Log1p(w)
	}
	return sh.lnw
}

// factor returns exp(−e·lw), exactly as exp gives it.
func (sh *shift) factor(e, lw float64) float64 {
	return sh.factorAt(-1, e, lw)
}

// factorAt is factor, trying the cache's entry j first (the j-th term of
// a book whose terms come in the same order every month).
func (sh *shift) factorAt(j int, e, lw float64) float64 {
	if lw == 0 {
		return 1 // exp(−e·0) = exp(±0) = 1
	}
	if lw != sh.lw {
		sh.lw, sh.n = lw, 0
	}
	if j >= 0 && j < sh.n && sh.e[j] == e {
		return sh.f[j]
	}
	for i := 0; i < sh.n; i++ {
		if sh.e[i] == e {
			return sh.f[i]
		}
	}
	f := exp(-e * lw)
	if sh.n < len(sh.e) {
		sh.e[sh.n], sh.f[sh.n] = e, f
		sh.n++
	}
	return f
}

// merged fills dst with the terms of c and of x shifted by lw (X's price is
// China's times e^lw), and the sums of k and b: the integrated market. sh
// caches the factors of lw.
func merged(dst, c, x *book, lw float64, sh *shift) {
	dst.terms = dst.terms[:0]
	dst.terms = append(dst.terms, c.terms...)
	dst.xIdx = dst.xIdx[:0]
	for j, t := range x.terms {
		a := t.a * sh.factorAt(j, t.e, lw)
		// The two books' segments come in the same order, so ex-China's
		// j-th elasticity is usually China's j-th: try that term first
		// (China's terms are distinct, so it is the one add would find).
		i := -1
		switch {
		case a <= 0:
		case j < len(c.terms) && dst.terms[j].e == t.e:
			dst.terms[j].a += a
			i = j
		default:
			i = dst.add(a, t.e)
		}
		dst.xIdx = append(dst.xIdx, i)
	}
	// The two stock terms become consumer-like terms of the merged book.
	dst.cStock = dst.add(c.stockA, c.stockE)
	dst.xStock = dst.add(x.stockA*sh.factor(x.stockE, lw), x.stockE)
	dst.stockA, dst.stockE = 0, 0
	dst.blind = c.blind + x.blind
	dst.supply = c.supply + x.supply
	dst.lastY = math.NaN()
	// China's price y and ex-China's y+lw must each respect their floor.
	dst.lo = max(c.lo, x.lo-lw)
}
