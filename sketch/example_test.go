package sketch_test

import (
	"fmt"

	"github.com/reesim/reesim/sketch"
)

func ExampleSketch() {
	s := sketch.New(0.005) // 0.5 % relative error
	for i := 1; i <= 1000; i++ {
		s.Add(float64(i))
	}
	fmt.Println("count:", s.Count(), "min:", s.Min(), "max:", s.Max())
	for _, q := range []float64{0.05, 0.25, 0.5, 0.75, 0.95} {
		// The exact type-1 quantiles are 50, 250, 500, 750 and 950.
		fmt.Printf("p%02.0f: %.4g\n", 100*q, s.Quantile(q))
	}
	// Output:
	// count: 1000 min: 1 max: 1000
	// p05: 50.2
	// p25: 249.9
	// p50: 499.8
	// p75: 749.1
	// p95: 951.7
}

func ExampleSketch_Merge() {
	// Two workers each summarise half of the values; the merged sketch
	// equals the sketch of all values, whichever way round they are merged.
	a, b := sketch.New(0.01), sketch.New(0.01)
	for i := 1; i <= 100; i++ {
		if i%2 == 0 {
			a.Add(float64(i))
		} else {
			b.Add(-float64(i))
		}
	}
	ab, ba := sketch.New(0.01), sketch.New(0.01)
	ab.Merge(a)
	ab.Merge(b)
	ba.Merge(b)
	ba.Merge(a)
	fmt.Println(ab.Count(), ab.Quantile(0.5) == ba.Quantile(0.5), ab.Quantile(0.9) == ba.Quantile(0.9))
	// The exact type-1 quantiles are -81 and 80.
	fmt.Printf("p10 %.4g, p90 %.4g\n", ab.Quantile(0.1), ab.Quantile(0.9))
	// Output:
	// 100 true true
	// p10 -80.34, p90 80.34
}

func ExampleSet() {
	// One sketch per month of a two-month simulation, for three paths.
	months := sketch.NewSet(0.005, 2)
	paths := [][]float64{
		{100, 104},
		{100, 97},
		{100, 111},
	}
	for _, path := range paths {
		for m, v := range path {
			months.At(m).Add(v)
		}
	}
	for m := range months.Len() {
		fmt.Printf("month %d: median %.4g\n", m, months.At(m).Quantile(0.5))
	}
	// Output:
	// month 0: median 100
	// month 1: median 104.5
}
