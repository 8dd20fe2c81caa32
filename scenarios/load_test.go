package scenarios

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/reesim/reesim/sim"
	"github.com/reesim/reesim/uncertain"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// checkGolden compares got with the golden file, or rewrites it with -update.
func checkGolden(t *testing.T, golden string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./scenarios -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run go test ./scenarios -update if the change is intended)\ngot:\n%s\nwant:\n%s", golden, got, want)
	}
}

// TestInvalid loads each scenario in testdata/invalid and compares the
// problems found with NAME.golden.
func TestInvalid(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "invalid", "*.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no test files in testdata/invalid")
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".toml")
		t.Run(name, func(t *testing.T) {
			s, err := Load(file)
			if err == nil {
				t.Fatalf("Load(%s) = %q, nil; want problems", file, s.Name)
			}
			if s != nil {
				t.Errorf("Load(%s) returned a scenario with its error", file)
			}
			var ps Problems
			if !errors.As(err, &ps) {
				t.Fatalf("Load(%s) error is %T, want Problems: %v", file, err, err)
			}
			for _, p := range ps {
				if p.File == "" || p.Msg == "" || strings.Contains(p.Msg, "\n") {
					t.Errorf("problem without a file or message, or with several lines: %#v", p)
				}
			}
			checkGolden(t, filepath.Join("testdata", "invalid", name+".golden"), []byte(err.Error()+"\n"))
		})
	}
}

// TestShipped loads every shipped scenario and checks that it is valid and
// survives a round trip through WriteResolved.
func TestShipped(t *testing.T) {
	infos, err := Shipped()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, info := range infos {
		names = append(names, info.Name)
		t.Run(info.Name, func(t *testing.T) {
			s, err := Load(info.Name)
			if err != nil {
				t.Fatalf("Load(%q):\n%v", info.Name, err)
			}
			if info.Description == "" {
				t.Errorf("shipped scenario %s has no description", info.Name)
			}
			if want := shippedPrefix + info.Name + ".toml"; s.File != want {
				t.Errorf("File = %q, want %q", s.File, want)
			}
			roundTrip(t, s)
		})
	}
	if !strings.Contains(strings.Join(names, " "), "baseline") {
		t.Errorf("Shipped() = %v, want baseline among them", names)
	}
}

// roundTrip checks that s reads back equal from its WriteResolved output.
func roundTrip(t *testing.T, s *Scenario) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := s.WriteResolved(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := LoadBytes("resolved.toml", buf.Bytes())
	if err != nil {
		t.Fatalf("resolved output does not load:\n%v\n%s", err, buf.Bytes())
	}
	a, b := *s, *back
	a.File, a.Chain, b.File, b.Chain = "", nil, "", nil
	if !reflect.DeepEqual(a, b) {
		t.Errorf("resolved scenario reads back differently:\nbefore: %+v\nafter:  %+v\n%s", a, b, buf.Bytes())
	}
	return buf.Bytes()
}

// TestValid loads each scenario in testdata/valid, checks its round trip,
// and compares its resolved form with NAME.resolved.
func TestValid(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "valid", "*.toml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".toml")
		t.Run(name, func(t *testing.T) {
			s, err := Load(file)
			if err != nil {
				t.Fatalf("Load(%s):\n%v", file, err)
			}
			out := roundTrip(t, s)
			checkGolden(t, filepath.Join("testdata", "valid", name+".resolved"), out)
		})
	}
}

func facility(s *Scenario, name string) *Facility {
	for i := range s.Facilities {
		if s.Facilities[i].Name == name {
			return &s.Facilities[i]
		}
	}
	return nil
}

func TestExtends(t *testing.T) {
	s, err := Load(filepath.Join("testdata", "valid", "extends.toml"))
	if err != nil {
		t.Fatal(err)
	}
	wantChain := []string{filepath.Join("testdata", "valid", "extends.toml"), filepath.Join("testdata", "base.toml")}
	if !reflect.DeepEqual(s.Chain, wantChain) || s.File != wantChain[0] {
		t.Errorf("File, Chain = %q, %q; want %q, %q", s.File, s.Chain, wantChain[0], wantChain)
	}
	if s.Extends != "" {
		t.Errorf("Extends = %q after loading, want it empty", s.Extends)
	}
	// Plain keys: the child's override, the parent's stay.
	if s.Name != "extends" || s.Description != "Small scenario for the loader's tests" || s.HorizonYears != 8 {
		t.Errorf("name, description, horizon = %q, %q, %d", s.Name, s.Description, s.HorizonYears)
	}
	if got := s.Market.NdPr.RefPrice.Dist.(uncertain.Fixed).Value; got != 80 {
		t.Errorf("market.ndpr.ref_price = %v, want the child's 80", got)
	}
	if got := s.Market.DyTb.RefPrice.Dist.(uncertain.Fixed).Value; got != 300 {
		t.Errorf("market.dytb.ref_price = %v, want the parent's 300", got)
	}
	// Entries merge by name: order is the parent's, new ones appended.
	var names []string
	for _, f := range s.Facilities {
		names = append(names, f.Name)
	}
	if want := []string{"mine-a", "mag-j", "mag-us"}; !reflect.DeepEqual(names, want) {
		t.Errorf("facilities = %v, want %v (sep-a removed, mag-us appended)", names, want)
	}
	m := facility(s, "mine-a")
	if m == nil {
		t.Fatal("mine-a missing")
	}
	if m.CapacityTPY.Dist.(uncertain.Fixed).Value != 25000 || m.NdPrShare.Dist.(uncertain.Fixed).Value != 0.2 || m.Region != "australia" {
		t.Errorf("mine-a = capacity %v, ndpr_share %v, region %q; want the child's capacity and the parent's other keys",
			m.CapacityTPY.Dist.(uncertain.Fixed).Value, m.NdPrShare.Dist.(uncertain.Fixed).Value, m.Region)
	}
	if len(s.Segments) != 2 || s.Segments[1].Name != "defence-us" || s.Segments[1].Priority != 1 {
		t.Errorf("segments = %+v", s.Segments)
	}
	// Correlations are appended.
	if len(s.Correlations) != 1 || s.Correlations[0].Rank != 0.4 {
		t.Errorf("correlations = %+v", s.Correlations)
	}
	// The child's [regions] adds to the parent's default... there is none
	// in the parent, so the child's table is the whole map.
	if s.Regions["mars"] != "other" {
		t.Errorf("regions = %v", s.Regions)
	}
}

// TestDefaults checks every default on a scenario that gives only what is
// required.
func TestDefaults(t *testing.T) {
	const text = `
name = "minimal"
start = "2030-04"
[market.ndpr]
ref_price = 60
[market.dytb]
ref_price = 300
[market.magnet]
ref_price = 50
[[facility]]
name = "new-plant"
stage = "magnet"
region = "us"
capacity_tpy = 1000
planned_start = "2031-01"
[[facility]]
name = "old-plant"
stage = "magnet"
region = "china"
capacity_tpy = 1000
[[segment]]
name = "ev"
use = "ev"
region = "us"
base_tpy = 100
[[stockpile]]
name = "nds"
holder = "us"
product = "dytb"
size_days = 60
[[export_control]]
name = "ban"
products = ["dytb"]
share_blocked = 0.5
start = "2031-01"
[[tariff]]
name = "t"
importer = "us"
product = "magnet"
level = 0.25
[[price_floor]]
name = "floor"
product = "ndpr"
price = 110
facilities = ["new-plant"]
[[recycling]]
name = "r"
market = "exchina"
share_start = {dist = "uniform", min = 0.01, max = 0.03}
`
	s, err := LoadBytes("minimal.toml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	start := float64(2030*12 + 3)
	type check struct {
		key  string
		num  Num
		want float64
	}
	checks := []check{
		{"recipe.ndpr_t_per_t", s.Recipe.NdPr, 0.31},
		{"recipe.dytb_t_per_t", s.Recipe.DyTb, 0.03},
		{"supply_response.mine", s.Response.Mine, 0.02},
		{"supply_response.separation", s.Response.Separation, 0.02},
		{"supply_response.magnet", s.Response.Magnet, 0.02},
		{"supply_response.lag_months", s.Response.LagMonths, 12},
	}
	for name, m := range map[string]Market{"concentrate": s.Market.Concentrate, "ndpr": s.Market.NdPr, "dytb": s.Market.DyTb, "magnet": s.Market.Magnet} {
		p := "market." + name + "."
		checks = append(checks,
			check{p + "cover_china_months", m.CoverChina, 2},
			check{p + "cover_exchina_months", m.CoverExChina, 2},
			check{p + "stock_elasticity", m.StockElasticity, 1.5},
			check{p + "derived_elasticity", m.DerivedElasticity, 0.1},
			check{p + "payability", m.Payability, 0.35},
			check{p + "price_cap_multiple", m.PriceCapMultiple, 40},
			check{p + "min_price_multiple", m.MinPriceMultiple, 0.2},
		)
	}
	nf, of := s.Facilities[0], s.Facilities[1]
	g, sp, ec, tf, pf, r := s.Segments[0], s.Stockpiles[0], s.ExportControls[0], s.Tariffs[0], s.Floors[0], s.Recycling[0]
	checks = append(checks,
		check{"facility.new-plant.utilisation", nf.Utilisation, 1},
		check{"facility.new-plant.growth", nf.Growth, 0},
		check{"facility.new-plant.delay_months", nf.DelayMonths, 0},
		check{"facility.new-plant.cancel_probability", nf.CancelProbability, 0},
		check{"facility.new-plant.ramp_months", nf.RampMonths, 12},
		check{"facility.old-plant.ramp_months", of.RampMonths, 0},
		check{"segment.ev.growth", g.Growth, 0},
		check{"segment.ev.elasticity", g.Elasticity, 0.2},
		check{"segment.ev.long_run_elasticity", g.LongRunElasticity, 0.3},
		check{"segment.ev.thrift_lag_months", g.ThriftLagMonths, 12},
		check{"segment.ev.thrift_max_rate", g.ThriftMaxRate, 0.10},
		check{"segment.ev.thrift_decay", g.ThriftDecay, 0.05},
		check{"segment.ev.max_china_share", g.MaxChinaShare, 1},
		check{"segment.ev.origin_rule_start", g.OriginRuleStart, start},
		check{"stockpile.nds.fill_months", sp.FillMonths, 0},
		check{"stockpile.nds.trigger_price_ratio", sp.TriggerPriceRatio, 2},
		check{"stockpile.nds.lag_months", sp.LagMonths, 1},
		check{"stockpile.nds.release_rate", sp.ReleaseRate, 1.0 / 6},
		check{"stockpile.nds.refill_below_ratio", sp.RefillBelowRatio, 1},
		check{"stockpile.nds.refill_months", sp.RefillMonths, 24},
		check{"stockpile.nds.holding_cost", sp.HoldingCost, 0.05},
		check{"export_control.ban.probability", ec.Probability, 1},

		check{"export_control.ban.licence_recovery", ec.LicenceRecovery, 0},
		check{"export_control.ban.licence_months", ec.LicenceMonths, 12},
		check{"tariff.t.probability", tf.Probability, 1},
		check{"tariff.t.start", tf.Start, start},
		check{"price_floor.floor.start", pf.Start, start},
		check{"recycling.r.target_date", r.TargetDate, start},
		check{"recycling.r.price_elasticity", r.PriceElasticity, 0},
	)
	for _, c := range checks {
		if f, ok := c.num.Dist.(uncertain.Fixed); !c.num.Set || !ok || f.Value != c.want {
			t.Errorf("%s = %+v, want the fixed default %v", c.key, c.num, c.want)
		}
		if c.num.Name != c.key {
			t.Errorf("%s has name %q, want its key path", c.key, c.num.Name)
		}
	}
	if s.HorizonYears != 10 || s.Seed != 1 || s.Paths != 10000 || g.Priority != 5 {
		t.Errorf("horizon, seed, paths, priority = %d, %d, %d, %d; want 10, 1, 10000, 5", s.HorizonYears, s.Seed, s.Paths, g.Priority)
	}
	if !reflect.DeepEqual(s.Regions, defaultRegions()) {
		t.Errorf("regions = %v, want the default", s.Regions)
	}
	for _, n := range []Num{tf.End, pf.End, of.PlannedStart, nf.NdPrShare, s.Market.Concentrate.RefPrice} {
		if n.Set {
			t.Errorf("%s is set to %v, want it unset", n.Name, n.Dist)
		}
	}
	if !tf.End.Month || tf.End.Name != "tariff.t.end" {
		t.Errorf("unset tariff end = %+v, want a month named by its key path", tf.End)
	}
	// A sampled share_start is shared with share_target under one name.
	if r.ShareTarget.Name != r.ShareStart.Name || !reflect.DeepEqual(r.ShareTarget.Dist, r.ShareStart.Dist) {
		t.Errorf("share_target = %+v, want share_start %+v", r.ShareTarget, r.ShareStart)
	}
	roundTrip(t, s)
}

func TestUserNames(t *testing.T) {
	s, err := Load(filepath.Join("testdata", "valid", "extends.toml"))
	if err != nil {
		t.Fatal(err)
	}
	us := facility(s, "mag-us")
	if us == nil {
		t.Fatal("mag-us missing")
	}
	if us.DelayMonths.Name != "mag-us-delay" {
		t.Errorf("delay name = %q, want the name key", us.DelayMonths.Name)
	}
	if us.PlannedStart.Name != "facility.mag-us.planned_start" || !us.PlannedStart.Month {
		t.Errorf("planned_start = %+v", us.PlannedStart)
	}
	if lo, hi := us.PlannedStart.Dist.Bounds(); lo != 2027*12 || hi != 2028*12+5 {
		t.Errorf("planned_start bounds = %v, %v; want 2027-01 and 2028-06 as month numbers", lo, hi)
	}
}

func TestLoadNotFound(t *testing.T) {
	_, err := Load("basline")
	want := `basline: there is no shipped scenario called "basline" and no such file (did you mean "baseline"?); expected a shipped name (see reesim list) or the path of a .toml file`
	if err == nil || err.Error() != want {
		t.Errorf("Load(basline) error = %v\nwant %s", err, want)
	}
	_, err = Load(filepath.Join("testdata", "no-such.toml"))
	var ps Problems
	if !errors.As(err, &ps) || len(ps) != 1 || !strings.Contains(ps[0].Msg, "no such file") {
		t.Errorf("Load(no-such.toml) error = %v, want one problem saying there is no such file", err)
	}
}

// TestLoadTooLong checks the size limit on what the loader reads: a file
// that is too long by its size, text given to LoadBytes, a device that
// never ends (read only up to the limit, not until memory runs out) and a
// parent that is too long. Each gives one problem saying so.
func TestLoadTooLong(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.toml")
	// A sparse file: its size is over the limit without writing it all
	// (cmd/reesim's tests read a real 100 MB file through the CLI).
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(maxFileSize + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	child := filepath.Join(dir, "child.toml")
	if err := os.WriteFile(child, []byte("extends = \"big.toml\"\nname = \"child\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		load func() (*Scenario, error)
		want string
	}{
		{"file", func() (*Scenario, error) { return Load(big) }, big + ": the file is 4194305 bytes long, and a scenario may be at most 4194304 bytes (4 MiB); is this the right file?"},
		{"bytes", func() (*Scenario, error) { return LoadBytes("big.toml", make([]byte, maxFileSize+10)) }, "big.toml: the file is 4194314 bytes long, and a scenario may be at most 4194304 bytes (4 MiB); is this the right file?"},
		{"parent", func() (*Scenario, error) { return Load(child) }, child + ":1: extends: cannot read the parent " + big + ": the file is 4194305 bytes long, and a scenario may be at most 4194304 bytes (4 MiB); is this the right file?"},
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		tests = append(tests, struct {
			name string
			load func() (*Scenario, error)
			want string
		}{"endless device", func() (*Scenario, error) { return Load("/dev/zero") }, "/dev/zero: cannot read the file: it is a device, not a regular file; reesim reads only regular files"})
	}
	// A named pipe would block the reader for ever, until a writer came.
	fifo := filepath.Join(dir, "fifo.toml")
	if err := exec.Command("mkfifo", fifo).Run(); err == nil {
		pipeChild := filepath.Join(dir, "pipe-child.toml")
		if err := os.WriteFile(pipeChild, []byte("extends = \"fifo.toml\"\nname = \"child\"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		type test = struct {
			name string
			load func() (*Scenario, error)
			want string
		}
		tests = append(tests,
			test{"named pipe", func() (*Scenario, error) { return Load(fifo) }, fifo + ": cannot read the file: it is a named pipe (FIFO), not a regular file; reesim reads only regular files"},
			test{"named pipe as parent", func() (*Scenario, error) { return Load(pipeChild) }, pipeChild + ":1: extends: cannot read the parent " + fifo + ": it is a named pipe (FIFO), not a regular file; reesim reads only regular files"})
	}
	for _, tt := range tests {
		s, err := tt.load()
		if s != nil || err == nil || err.Error() != tt.want {
			t.Errorf("%s: got %v\nwant %s", tt.name, err, tt.want)
		}
	}
}

func TestProblemString(t *testing.T) {
	tests := []struct {
		p    Problem
		want string
	}{
		{Problem{"a.toml", 3, "facility.x.capacity_tpy", "msg"}, "a.toml:3: facility.x.capacity_tpy: msg"},
		{Problem{"a.toml", 0, "name", "msg"}, "a.toml: name: msg"},
		{Problem{"a.toml", 7, "", "msg"}, "a.toml:7: msg"},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.p, got, tt.want)
		}
	}
	ps := Problems{tests[0].p, tests[1].p}
	if got, want := ps.Error(), tests[0].want+"\n"+tests[1].want; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestMonths(t *testing.T) {
	for _, s := range []string{"2026-01", "1900-01", "2199-12", "2027-10"} {
		m, ok := parseMonth(s)
		if !ok || formatMonth(m) != s {
			t.Errorf("parseMonth(%q) = %d, %v; formats back as %q", s, m, ok, formatMonth(m))
		}
	}
	for _, s := range []string{"2026-1", "2026-13", "2026-00", "26-01", "2026/01", "-026-01", "2026-+1", ""} {
		if m, ok := parseMonth(s); ok {
			t.Errorf("parseMonth(%q) = %d, true; want false", s, m)
		}
	}
}

// TestDocExample loads the complete example of docs/SCENARIOS.md.
func TestDocExample(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "SCENARIOS.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "<!-- example: complete -->\n```toml\n")
	if !ok {
		t.Fatal("docs/SCENARIOS.md has no complete example")
	}
	text, _, ok := strings.Cut(rest, "```")
	if !ok {
		t.Fatal("the complete example in docs/SCENARIOS.md is not closed")
	}
	s, err := LoadBytes("SCENARIOS.md", []byte(text))
	if err != nil {
		t.Fatalf("the complete example of docs/SCENARIOS.md is invalid:\n%v", err)
	}
	roundTrip(t, s)
}

// TestDocKeys checks that docs/SCENARIOS.md mentions every key of a
// scenario file and every headline metric.
func TestDocKeys(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "SCENARIOS.md"))
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	var walk func(rt reflect.Type)
	walk = func(rt reflect.Type) {
		for _, f := range keyFields(rt) {
			k := tomlKey(f)
			switch ft := f.Type; {
			case ft == numType:
				keys = append(keys, "`"+k+"`")
			case ft.Kind() == reflect.Struct:
				// A table: [recipe] or [market.ndpr].
				if !bytes.Contains(doc, []byte("["+k+"]")) && !bytes.Contains(doc, []byte("."+k+"]")) && !bytes.Contains(doc, []byte("["+k+".")) {
					t.Errorf("docs/SCENARIOS.md does not document [%s]", k)
				}
				walk(ft)
			case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
				keys = append(keys, "[["+k+"]]")
				walk(ft.Elem())
			case ft.Kind() == reflect.Map:
				keys = append(keys, "["+k+"]")
			default:
				keys = append(keys, "`"+k+"`")
			}
		}
	}
	walk(reflect.TypeFor[Scenario]())
	for _, m := range sim.MetricInfo {
		keys = append(keys, "`"+m.Name+"`")
	}
	for _, k := range keys {
		if !bytes.Contains(doc, []byte(k)) {
			t.Errorf("docs/SCENARIOS.md does not document %s", k)
		}
	}
}

// A file with more problems than anyone reads lists the first MaxProblems
// and counts the rest.
func TestManyProblems(t *testing.T) {
	var b strings.Builder
	b.WriteString("extends = \"baseline\"\nname = \"many\"\n")
	for i := range 2 * maxRecorded {
		fmt.Fprintf(&b, "unknown_%06d = 1\n", i)
	}
	_, err := LoadBytes("many.toml", []byte(b.String()))
	var ps Problems
	if !errors.As(err, &ps) || len(ps) != MaxProblems+1 {
		t.Fatalf("%d problems, want %d", len(ps), MaxProblems+1)
	}
	want := fmt.Sprintf("and %d more problems after the %d listed; fix these first", 2*maxRecorded-MaxProblems, MaxProblems)
	if last := ps[len(ps)-1]; last.Msg != want {
		t.Errorf("last problem %q, want %q", last.Msg, want)
	}
}
