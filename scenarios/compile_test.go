package scenarios

import (
	"strings"
	"testing"
)

// A scenario put together in code, without Load's defaults, is refused
// with the keys it lacks, rather than simulated with guessed values.
func TestCompileNeedsDefaults(t *testing.T) {
	s := &Scenario{Name: "bare", Start: "2026-01", HorizonYears: 1, Regions: map[string]string{"china": "china"}}
	_, err := Compile(s)
	if err == nil || !strings.Contains(err.Error(), "recipe.ndpr_t_per_t") || !strings.Contains(err.Error(), "Load") {
		t.Fatalf("got %v, want an error naming recipe.ndpr_t_per_t and Load", err)
	}
	loaded, err := LoadBytes("ok.toml", []byte("name = \"ok\"\nstart = \"2026-01\"\n[market.ndpr]\nref_price = 70\n[market.dytb]\nref_price = 300\n[market.magnet]\nref_price = 60\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Compile(loaded); err != nil {
		t.Errorf("a loaded scenario does not compile: %v", err)
	}
}
