package uncertain_test

import "github.com/reesim/reesim/uncertain"

var _ = addCases(testDist{"fixed", uncertain.Fixed{Value: 3.5}})
