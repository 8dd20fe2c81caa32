package main

import "runtime/debug"

// version is reesim's version; commitHash is set at build time by the
// Makefile (-ldflags "-X main.commitHash=...").
var (
	version    = "0.1.0"
	commitHash = ""
)

// commit returns the commit reesim was built from, or "unknown".
func commit() string {
	if commitHash != "" {
		return commitHash
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				return s.Value
			}
		}
	}
	return "unknown"
}
