package design_test

import (
	"fmt"
	"math"

	"github.com/reesim/reesim/design"
)

// A Latin hypercube of four paths puts one path in each quarter of the
// input's distribution.
func ExampleNewPlan() {
	p, _ := design.NewPlan(design.LHS, 1, 4, []string{"ban_share"})
	for i := range 4 {
		fmt.Printf("%.0f ", math.Floor(4*p.U(i, 0)))
	}
	fmt.Println()
	// Output: 3 0 1 2
}
