package uncertain

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// normalMass returns Φ(b) − Φ(a) for a <= b, the probability that a
// standard normal variable lies in [a, b]. When the whole interval is above
// the mean it uses the symmetry Φ(b) − Φ(a) = Φ(−a) − Φ(−b), so that
// intervals far out in the upper tail do not lose their probability to
// rounding.
func normalMass(a, b float64) float64 {
	if a > 0 {
		a, b = -b, -a
	}
	return distuv.UnitNormal.CDF(b) - distuv.UnitNormal.CDF(a)
}

// truncNormalQuantile returns the quantile at u of the standard normal
// distribution truncated to [a, b] (either may be infinite): u is mapped
// into [Φ(a), Φ(b)] and then inverted. u must be in (0, 1).
func truncNormalQuantile(u, a, b float64) float64 {
	if math.IsInf(a, -1) && math.IsInf(b, 1) {
		return distuv.UnitNormal.Quantile(u)
	}
	if a > 0 {
		// Work in the lower tail, where Φ keeps its relative precision.
		return -truncNormalQuantile(1-u, -b, -a)
	}
	pa := distuv.UnitNormal.CDF(a)
	pb := distuv.UnitNormal.CDF(b)
	p := clamp(pa+u*(pb-pa), 0, 1)
	return clamp(distuv.UnitNormal.Quantile(p), a, b)
}

// truncNormalMoments returns the mean and variance of the standard normal
// distribution truncated to [a, b] (either may be infinite).
func truncNormalMoments(a, b float64) (mean, variance float64) {
	mass := normalMass(a, b)
	pa, pb := distuv.UnitNormal.Prob(a), distuv.UnitNormal.Prob(b)
	// a·φ(a) is zero at an infinite bound rather than NaN.
	var apa, bpb float64
	if !math.IsInf(a, 0) {
		apa = a * pa
	}
	if !math.IsInf(b, 0) {
		bpb = b * pb
	}
	mean = (pa - pb) / mass
	variance = 1 + (apa-bpb)/mass - mean*mean
	return mean, max(variance, 0)
}
