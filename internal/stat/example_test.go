package stat_test

import (
	"fmt"

	"github.com/reesim/reesim/internal/stat"
)

// Spearman ranks both samples, ties sharing their average rank, and
// correlates the ranks: any increasing relation gives 1.
func ExampleSpearman() {
	x := []float64{1, 2, 3, 4, 5}
	fmt.Printf("%.2f\n", stat.Spearman(x, []float64{1, 8, 27, 64, 125}))
	fmt.Printf("%.2f\n", stat.Spearman(x, []float64{5, 5, 3, 2, 1}))
	// Output:
	// 1.00
	// -0.97
}
