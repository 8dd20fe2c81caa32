package uncertain_test

import "github.com/reesim/reesim/uncertain"

var _ = addCases(
	testDist{"uniform", uncertain.Uniform{Min: 2, Max: 7}},
	testDist{"uniform negative", uncertain.Uniform{Min: -3, Max: -1}},
)
