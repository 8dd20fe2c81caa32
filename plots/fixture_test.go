package plots

import (
	"encoding/csv"
	"encoding/json"
	"flag"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/reesim/reesim/results"
	"github.com/reesim/reesim/sim"
)

var update = flag.Bool("update", false, "rewrite testdata/run from the fixture")

// fixture describes a small synthetic results folder.
type fixture struct {
	Months    int    // months from 2026-01
	Paths     int    // rows of paths.csv
	Partial   bool   // the run was interrupted
	Scenario  string // scenario name
	Desc      string // scenario description
	Constant  bool   // add an input that never varies
	NoStocks  bool   // stockpile series all zero
	ShiftMean float64
}

// defaultFixture is the fixture of most tests and of testdata/run: two
// years, 200 paths, and a description that must be escaped.
func defaultFixture() fixture {
	return fixture{Months: 24, Paths: 200, Scenario: "fixture", Desc: `Test world <script>alert("x")</script> & friends`, Constant: true}
}

// fixture inputs: the shortfall is 3·a plus a little noise, the peak
// magnet price rises with b, and c is independent of both.
const (
	inA = "export_control.heavy-ban.share_blocked"
	inB = "facility.iluka-eneabba.delay_months"
	inC = "export_control.heavy-ban.start"
	inK = "constant_input"
)

// quantileValue is the fixture's value of series s, month t, column q
// (0 mean, 1 p5, ... 5 p95).
func quantileValue(s, t, q int, noStocks bool) float64 {
	name := sim.SeriesInfo[s].Name
	if noStocks && (name == "stockpile_ndpr_t" || name == "stockpile_dytb_t" || name == "stockpile_magnet_t") {
		return 0
	}
	mult := [6]float64{1.05, 0.6, 0.85, 1, 1.2, 1.7}[q]
	if sim.SeriesInfo[s].Unit == "share" {
		return (0.3 + 0.005*float64(t)) * mult
	}
	return 10 * float64(s+1) * (1 + 0.02*float64(t) + 0.1*math.Sin(float64(t))) * mult
}

// write writes the fixture's files into dir.
func (f fixture) write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	// quantiles.csv
	qf, err := os.Create(filepath.Join(dir, "quantiles.csv"))
	if err != nil {
		return err
	}
	w := csv.NewWriter(qf)
	w.Write(results.QuantileHeader)
	for t := 0; t < f.Months; t++ {
		for s, info := range sim.SeriesInfo {
			row := []string{monthLabel(float64(2026*12 + t)), info.Name, info.Unit}
			for q := 0; q < 6; q++ {
				row = append(row, results.FormatNumber(quantileValue(s, t, q, f.NoStocks)))
			}
			w.Write(row)
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	if err := qf.Close(); err != nil {
		return err
	}

	// paths.csv
	rng := rand.New(rand.NewPCG(7, 11))
	inputs := []string{inA, inB, inC}
	if f.Constant {
		inputs = append(inputs, inK)
	}
	metric := make([][]float64, sim.NumMetrics)
	pf, err := os.Create(filepath.Join(dir, "paths.csv"))
	if err != nil {
		return err
	}
	w = csv.NewWriter(pf)
	head := append([]string{"path"}, inputs...)
	for _, info := range sim.MetricInfo {
		head = append(head, info.Name)
	}
	w.Write(head)
	for i := 0; i < f.Paths; i++ {
		a, b, c := rng.Float64(), rng.Float64()*24, float64(2026*12+rng.IntN(24))
		row := []string{strconv.Itoa(i), results.FormatNumber(a), results.FormatNumber(b), results.FormatNumber(c)}
		if f.Constant {
			row = append(row, "5")
		}
		for k, info := range sim.MetricInfo {
			var v float64
			switch info.Name {
			case "cum_shortfall_t":
				v = 1000 * (3*a + 0.3*rng.NormFloat64() + f.ShiftMean)
			case "peak_price_magnet_exchina":
				v = 60 + 4*b + 5*rng.Float64()
			case "cum_shortfall_defence_t":
				if rng.Float64() < 0.3 {
					v = 50 * rng.Float64()
				}
			case "defence_unmet":
				if rng.Float64() < 0.3 {
					v = 1
				}
			default:
				v = 100 * float64(k+1) * (1 + 0.2*rng.Float64())
			}
			metric[k] = append(metric[k], v)
			row = append(row, results.FormatNumber(v))
		}
		w.Write(row)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	if err := pf.Close(); err != nil {
		return err
	}

	// summary.json, computed from the paths as the engine would.
	sum := results.Summary{Scenario: f.Scenario, Paths: f.Paths, Seed: 7, Partial: f.Partial}
	for k, info := range sim.MetricInfo {
		v := append([]float64(nil), metric[k]...)
		sort.Float64s(v)
		mean := meanOf(v)
		ss := 0.0
		for _, x := range v {
			ss += (x - mean) * (x - mean)
		}
		sd := math.Sqrt(ss / float64(len(v)-1))
		m := results.Metric{Name: info.Name, Title: info.Title, Unit: info.Unit, Mean: mean, SD: sd, SE: sd / math.Sqrt(float64(len(v))),
			P5: quantileSorted(v, 0.05), P25: quantileSorted(v, 0.25), P50: quantileSorted(v, 0.5), P75: quantileSorted(v, 0.75), P95: quantileSorted(v, 0.95),
			Exceedances: []results.Exceedance{}}
		if info.Name == "cum_shortfall_t" {
			for _, th := range []float64{1000, 2000} {
				n := len(v) - sort.Search(len(v), func(i int) bool { return v[i] > th })
				p := float64(n) / float64(len(v))
				m.Exceedances = append(m.Exceedances, results.Exceedance{Threshold: th, Probability: p, SE: math.Sqrt(p * (1 - p) / float64(len(v)))})
			}
		}
		sum.Metrics = append(sum.Metrics, m)
	}
	if err := writeJSONFile(filepath.Join(dir, "summary.json"), sum); err != nil {
		return err
	}
	asked := f.Paths
	if f.Partial {
		asked = 2 * f.Paths
	}
	start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	man := results.Manifest{
		Scenario: f.Scenario, Description: f.Desc, File: "scenarios/" + f.Scenario + ".toml", Seed: 7, Paths: f.Paths, PathsAsked: asked,
		Partial: f.Partial, Workers: 4, Version: "0.1.0", Commit: "0123456789abcdef0123456789abcdef01234567",
		ScenarioHash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
		Started:      start, Finished: start.Add(90 * time.Second),
		Command: "reesim run --paths " + strconv.Itoa(asked) + " --seed 7 " + f.Scenario,
	}
	return writeJSONFile(filepath.Join(dir, "manifest.json"), man)
}

func writeJSONFile(name string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(name, append(b, '\n'), 0o644)
}

// TestFixtureFiles keeps testdata/run, which the examples render, equal to
// the fixture; go test -run TestFixtureFiles -update rewrites it.
func TestFixtureFiles(t *testing.T) {
	golden := filepath.Join("testdata", "run")
	if *update {
		if err := os.RemoveAll(golden); err != nil {
			t.Fatal(err)
		}
		if err := defaultFixture().write(golden); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	if err := defaultFixture().write(dir); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"quantiles.csv", "paths.csv", "summary.json", "manifest.json"} {
		want, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(golden, name))
		if err != nil {
			t.Fatalf("%v (run go test -run TestFixtureFiles -update)", err)
		}
		if string(got) != string(want) {
			t.Errorf("testdata/run/%s differs from the fixture: run go test -run TestFixtureFiles -update", name)
		}
	}
}
