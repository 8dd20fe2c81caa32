package main

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestExitCodesDocumented checks that the README's table of exit codes,
// the package comment's and the help's list the same codes, and that
// they are the codes exitCode returns (TestExitCode checks which errors
// give which).
func TestExitCodesDocumented(t *testing.T) {
	want := []string{"0", "1", "2", "3", "130"}

	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(readme), "### Exit codes")
	if !ok {
		t.Fatal("README.md has no section ### Exit codes")
	}
	table, _, _ = strings.Cut(table, "\n\n\n")
	got := regexp.MustCompile(`(?m)^\| (\d+) \|`).FindAllStringSubmatch(table, -1)
	var codes []string
	for _, m := range got {
		codes = append(codes, m[1])
	}
	if !slices.Equal(codes, want) {
		t.Errorf("README.md lists exit codes %v, want %v", codes, want)
	}

	src, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	_, comment, _ := strings.Cut(string(src), "// Exit codes, for scripts:")
	comment, _, _ = strings.Cut(comment, "package main")
	codes = nil
	for _, m := range regexp.MustCompile(`(?m)^//\t(\d+) `).FindAllStringSubmatch(comment, -1) {
		codes = append(codes, m[1])
	}
	if !slices.Equal(codes, want) {
		t.Errorf("main.go's package comment lists exit codes %v, want %v", codes, want)
	}

	_, stdout, _ := runReesim("help")
	for _, c := range want {
		if !regexp.MustCompile(`\b` + c + ` [a-z]`).MatchString(stdout) {
			t.Errorf("reesim help does not explain exit code %s", c)
		}
	}
}
