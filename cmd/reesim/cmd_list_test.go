package main

import (
	"strings"
	"testing"

	"github.com/reesim/reesim/scenarios"
)

func TestList(t *testing.T) {
	infos, err := scenarios.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runReesim("list")
	if code != 0 || errOut != "" {
		t.Fatalf("reesim list: exit %d, stderr %q", code, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != len(infos) {
		t.Fatalf("reesim list printed %d lines, want one per shipped scenario (%d):\n%s", len(lines), len(infos), out)
	}
	col := -1
	for i, info := range infos {
		if !strings.HasPrefix(lines[i], info.Name+" ") || !strings.HasSuffix(lines[i], info.Description) {
			t.Errorf("line %d = %q, want %s and its description", i+1, lines[i], info.Name)
		}
		// The descriptions start in the same column.
		c := strings.Index(lines[i], info.Description)
		if col >= 0 && c != col {
			t.Errorf("line %d: description starts in column %d, want %d", i+1, c, col)
		}
		col = c
	}

	if code, _, errOut := runReesim("list", "extra"); code != 2 || !strings.Contains(errOut, "list takes no arguments") {
		t.Errorf("reesim list extra: exit %d, stderr %q; want 2 and a usage error", code, errOut)
	}
}
