package uncertain_test

import "github.com/reesim/reesim/uncertain"

var _ = addCases(
	testDist{"normal", uncertain.Normal{Mean: 10, SD: 2}},
	testDist{"normal min", uncertain.Normal{Mean: 10, SD: 2, Min: 9, HasMin: true}},
	testDist{"normal max", uncertain.Normal{Mean: 10, SD: 2, Max: 9, HasMax: true}},
	testDist{"normal min,max", uncertain.Normal{Mean: 0, SD: 1, Min: -0.5, Max: 2, HasMin: true, HasMax: true}},
	testDist{"normal upper tail", uncertain.Normal{Mean: 0, SD: 1, Min: 6, HasMin: true}},
	testDist{"normal lower tail", uncertain.Normal{Mean: 100, SD: 5, Min: 0, Max: 60, HasMin: true, HasMax: true}},
	testDist{"normal sd=0", uncertain.Normal{Mean: 4, SD: 0}},
)
