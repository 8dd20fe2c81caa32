package uncertain_test

import "github.com/reesim/reesim/uncertain"

var _ = addCases(
	testDist{"triangular", uncertain.Triangular{Min: 1, Mode: 2, Max: 5}},
	testDist{"triangular mode=min", uncertain.Triangular{Min: 0, Mode: 0, Max: 4}},
	testDist{"triangular mode=max", uncertain.Triangular{Min: 0, Mode: 4, Max: 4}},
)
