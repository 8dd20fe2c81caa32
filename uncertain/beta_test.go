package uncertain_test

import "github.com/reesim/reesim/uncertain"

var _ = addCases(
	testDist{"beta", uncertain.Beta{Alpha: 2, Beta: 5}},
	testDist{"beta scaled", uncertain.Beta{Alpha: 0.5, Beta: 0.5, Min: 10, Max: 20}},
)
