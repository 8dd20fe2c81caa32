// Package sim simulates one path of the rare-earth magnet market, month by
// month: mines, separation plants and magnet plants in China and outside it,
// trade between the two markets under export controls and tariffs, prices
// that clear each market with commercial inventories, demand segments with
// short-run elasticity and lagged thrifting, government stockpiles, new
// plants and recycling.
//
// A Model is a scenario compiled so that every number is a Ref into a
// vector of sampled inputs; Path.Run simulates one path from one such
// vector and allocates nothing. The equations are written down in
// docs/MODEL.md.
package sim
