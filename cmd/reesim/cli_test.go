package main

import (
	"flag"
	"regexp"
	"strings"
	"testing"

	"github.com/reesim/reesim/scenarios"
)

// TestHelpListsFlags checks that reesim help shows every flag of every
// command with two dashes and a default in words, and never Go's
// single-dash form or its zero values.
func TestHelpListsFlags(t *testing.T) {
	code, out, _ := runReesim("help")
	if code != 0 {
		t.Fatalf("reesim help: exit %d", code)
	}
	for _, c := range commands() {
		c.flags().VisitAll(func(f *flag.Flag) {
			if !strings.Contains(out, "--"+f.Name) {
				t.Errorf("reesim help does not list --%s of %s", f.Name, c.name)
			}
		})
	}
	for _, bad := range []*regexp.Regexp{regexp.MustCompile(`(?m)^\s+-[a-z]`), regexp.MustCompile(`\(default -?\d`), regexp.MustCompile(`-seed value`)} {
		if m := bad.FindString(out); m != "" {
			t.Errorf("reesim help shows %q", m)
		}
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "  --") && !strings.Contains(line, "default") && !strings.Contains(line, "short for") {
			t.Errorf("flag without a default in words: %q", line)
		}
	}
	_, runHelp, _ := runReesim("run", "--help")
	if !strings.Contains(runHelp, "--no-charts") || !strings.Contains(runHelp, "--trace N") || strings.Contains(runHelp, "-1") {
		t.Errorf("reesim run --help:\n%s", runHelp)
	}
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, out, _ := runReesim(args...)
		if code != 0 || !strings.HasPrefix(out, "reesim "+version+" (commit "+commit()) {
			t.Errorf("reesim %v: exit %d, %q", args, code, out)
		}
	}
}

func TestShow(t *testing.T) {
	code, out, _ := runReesim("show", "full-embargo")
	want, _ := scenarios.ShippedText("full-embargo")
	if code != 0 || out != string(want) || !strings.Contains(out, `extends = "baseline"`) {
		t.Errorf("reesim show full-embargo: exit %d, %d bytes, want the shipped file's %d", code, len(out), len(want))
	}
	if code, out, _ := runReesim("show", "stockpile-sizes"); code != 0 || !strings.Contains(out, `name = "stockpile-sizes"`) {
		t.Errorf("reesim show stockpile-sizes: exit %d, %.200q", code, out)
	}
	if code, _, errOut := runReesim("show", "baseline-x"); code != 2 || !strings.Contains(errOut, `did you mean "baseline"`) {
		t.Errorf("reesim show baseline-x: exit %d, %q", code, errOut)
	}
}

// TestFlagAsTyped checks that an unknown flag is named as the user wrote
// it.
func TestFlagAsTyped(t *testing.T) {
	for typed, want := range map[string]string{"-n": "unknown flag -n;", "--n": "unknown flag --n;"} {
		_, _, errOut := runReesim("run", typed, "3", "baseline")
		if !strings.Contains(errOut, want) {
			t.Errorf("reesim run %s 3: %q, want %q", typed, errOut, want)
		}
	}
}
