// Package lifecycle writes one run's results folder, from start to
// commit: the lifecycle that reesim run, reesim study (for each of its
// variants) and reesim merge share.
//
// [Start] makes a hidden temporary folder beside the final one, locked
// while the run lives, and starts the per-path table. The paths then come
// either from the simulation ([Run.Simulate], which may be called again
// to add paths) or from the parts of a run simulated elsewhere, the
// shards of a run ([Run.Add] for each block in order, [Run.AddSketches]
// for each part). [Run.Finish] writes the tables, the charts and the
// manifest and moves the folder into place; [Run.Abort] removes it
// instead. Either way, earlier results are never half replaced: see
// results.Dir.
//
// The package prints nothing of its own on stdout: progress goes to an
// [Options.Progress], notes and warnings to [Options.Log].
package lifecycle
