package uncertain_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/reesim/reesim/internal/stat"
	"github.com/reesim/reesim/uncertain"
)

func ExampleTriangular_Quantile() {
	// Months of lost output from a refinery outage: most likely 2, at
	// least 1, at most 5.
	d := uncertain.Triangular{Min: 1, Mode: 2, Max: 5}
	fmt.Println(d)
	for _, u := range []float64{0.1, 0.5, 0.9} {
		fmt.Printf("Quantile(%.1f) = %.3f\n", u, d.Quantile(u))
	}
	fmt.Printf("mean %.3f\n", d.ExpectedValue())

	// A price multiplier given by its median and 90th percentile.
	p := uncertain.LogNormal{Median: 1.5, P90: 3}
	fmt.Printf("%v: median %.2f, p90 %.2f\n", p, p.Quantile(0.5), p.Quantile(0.9))
	// Output:
	// triangular(1, 2, 5)
	// Quantile(0.1) = 1.632
	// Quantile(0.5) = 2.551
	// Quantile(0.9) = 3.905
	// mean 2.667
	// lognormal(median=1.5, p90=3): median 1.50, p90 3.00
}

func ExamplePERT_Check() {
	d := uncertain.PERT{Min: 5, Mode: 4, Max: 3}
	for _, problem := range d.Check() {
		fmt.Println(problem)
	}
	// Output:
	// min (5) is above max (3): expected min <= mode <= max
}

func ExampleNewCopula() {
	// Chinese export quota cuts and the dysprosium price move together
	// (rank correlation 0.6); new non-Chinese capacity moves against both.
	c, err := uncertain.NewCopula(3, []float64{
		1, 0.6, -0.4,
		0.6, 1, -0.4,
		-0.4, -0.4, 1,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	inputs := []uncertain.Dist{
		uncertain.PERT{Min: 0, Mode: 0.1, Max: 0.5},
		uncertain.LogNormal{Median: 1, P90: 2.5},
		uncertain.Normal{Mean: 20, SD: 5, Min: 0, HasMin: true},
	}

	rng := rand.New(rand.NewPCG(1, 2))
	const m = 50_000
	draws := [3][]float64{}
	u := make([]float64, 3)
	v := make([]float64, 3)
	for range m {
		for i := range u {
			u[i] = rng.Float64()
		}
		c.Transform(v, u)
		for i, d := range inputs {
			draws[i] = append(draws[i], d.Quantile(v[i]))
		}
	}
	fmt.Printf("quota–price %.1f\n", stat.Spearman(draws[0], draws[1]))
	fmt.Printf("quota–capacity %.1f\n", stat.Spearman(draws[0], draws[2]))

	// A matrix whose correlations contradict each other is rejected.
	_, err = uncertain.NewCopula(3, []float64{
		1, 0.9, 0.9,
		0.9, 1, -0.9,
		0.9, -0.9, 1,
	})
	fmt.Println(err != nil)
	// Output:
	// quota–price 0.6
	// quota–capacity -0.4
	// true
}
