package scenarios

import (
	"strings"
	"testing"
)

func TestObservedBesideScenario(t *testing.T) {
	s, err := Load("history/2010-quota-crisis")
	if err != nil {
		t.Fatal(err)
	}
	b, ok := Observed(s)
	if !ok || !strings.HasPrefix(string(b), "date,series,value,unit,source") {
		t.Fatalf("observed series of the 2010 replay not found (%q)", s.File)
	}
	s, err = Load("baseline")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := Observed(s); ok {
		t.Error("baseline has no observed series")
	}
}
