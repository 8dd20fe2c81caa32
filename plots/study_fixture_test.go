package plots

import (
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/reesim/reesim/results"
	"github.com/reesim/reesim/study"
)

// studyFixture describes a small synthetic study folder: a sweep of an
// allied stockpile's size, written with the study package's own writers
// so that the files have the real format.
type studyFixture struct {
	Name  string
	Paths int
	Seed  uint64
	// Levels are the sweep's values; the first is the reference.
	Levels []float64
	// Bases are the base scenarios' names.
	Bases []string
	// Value is value_per_tonne_usd (0: no cost-benefit analysis).
	Value float64
	// Explicit makes the variants explicit ones, without levels.
	Explicit bool
	// NoPaths leaves out the options' paths.csv (not the reference's).
	NoPaths bool
	// Shuffle writes every paths.csv but the reference's in reverse path
	// order: the charts must pair paths by number, not by row.
	Shuffle bool
	// Label is the label of the reference.
	Label string
}

// defaultStudyFixture is the fixture of most study tests.
func defaultStudyFixture() studyFixture {
	return studyFixture{Name: "fixture-study", Paths: 400, Seed: 7, Levels: []float64{0, 30, 60, 180},
		Bases: []string{"world"}, Value: 5e6, Label: "no allied stockpile"}
}

// studyMetrics are the fixture's compared metrics, the key metric first.
var studyMetrics = []struct{ name, title, unit string }{
	{"cum_shortfall_t", "Cumulative magnet shortfall", "t"},
	{"peak_price_magnet_exchina", "Peak ex-China magnet price", "$/kg"},
	{"stockpile_cost_musd", "Stockpile cost", "$M"},
	{"buyer_extra_cost_musd", "Buyers' extra cost", "$M"},
}

// values returns the fixture's metrics on every path of variant v (level
// x) on base b: values[metric][path], each as written to paths.csv (to
// seven significant digits) and read back.
func (f studyFixture) values(b int, x float64) [][]float64 {
	rng := rand.New(rand.NewPCG(uint64(b)+1, 99))
	out := make([][]float64, len(studyMetrics))
	for j := range out {
		out[j] = make([]float64, f.Paths)
	}
	for i := 0; i < f.Paths; i++ {
		ban := rng.Float64()          // the shock's size, shared by every variant on path i
		noise := rng.NormFloat64()    // shared too
		eff := 1 - x/(x+90)*(0.4+ban) // a larger stockpile helps more in a bigger ban
		short := 0.0
		if ban > 0.25 {
			short = 40000 * ban * math.Max(eff, 0.05) * (1 + 0.1*noise)
		}
		vals := []float64{
			short,
			300 + 500*ban*math.Max(eff, 0.2),
			200 + 20*x + 3*x*ban,
			1000*ban*math.Max(eff, 0) + 50*noise,
		}
		for j, v := range vals {
			out[j][i], _ = strconv.ParseFloat(results.FormatNumber(v), 64)
		}
	}
	return out
}

// fxMoments returns the mean and standard error of v.
func fxMoments(v []float64) (mean, se, sd float64) {
	for _, x := range v {
		mean += x
	}
	mean /= float64(len(v))
	for _, x := range v {
		sd += (x - mean) * (x - mean)
	}
	sd = math.Sqrt(sd / float64(len(v)-1))
	return mean, sd / math.Sqrt(float64(len(v))), sd
}

// fxEstimate returns the mean of v with its 95 % interval.
func fxEstimate(v []float64) study.Estimate {
	m, se, _ := fxMoments(v)
	return study.Estimate{Mean: m, SE: se, Lo: m - study.Z95*se, Hi: m + study.Z95*se}
}

// fxQuantile returns the p quantile of v.
func fxQuantile(v []float64, p float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return quantileSorted(s, p)
}

// fxVariant is the fixture's name of the variant of level x.
func fxVariant(x float64) string { return fmt.Sprintf("size-%g", x) }

// write writes the fixture's study folder into dir.
func (f studyFixture) write(dir string) error {
	o := &study.Outcome{
		Study: f.Name, Description: "A fixture study", Seed: f.Seed, Paths: f.Paths, Design: "factorial",
		Reference: fxVariant(f.Levels[0]), KeyMetric: studyMetrics[0].name, ValuePerTonneUSD: f.Value, Margin: 0.1,
		Notes: []string{}, Stopping: study.Stopping{Rule: "fixed", Paths: f.Paths, Limit: f.Paths},
	}
	for _, m := range studyMetrics {
		o.Metrics = append(o.Metrics, m.name)
	}
	if f.Value > 0 {
		o.CostMetric = "stockpile_cost_musd"
	}
	if !f.Explicit {
		vals := make([]any, len(f.Levels))
		for i, x := range f.Levels {
			vals[i] = x
		}
		o.Sweeps = []study.Sweep{{Key: "stockpile.allied.size_days", Values: vals, Label: "Allied stockpile (days of consumption)", Prefix: "size"}}
	}
	for b, base := range f.Bases {
		bo := study.BaseOutcome{Base: base, Description: "Base " + base}
		ref := f.values(b, f.Levels[0])
		for k, x := range f.Levels {
			name := fxVariant(x)
			vals := f.values(b, x)
			vo := study.VariantOutcome{Name: name, Label: fmt.Sprintf("a %g-day stockpile", x), Reference: k == 0, Rank: k + 1,
				Settings: []study.Setting{{Key: "stockpile.allied.size_days", Value: x}}}
			if k == 0 {
				vo.Label = f.Label
			}
			if !f.Explicit {
				vo.Levels = []float64{x}
			}
			diffs := make([][]float64, len(studyMetrics))
			for j, m := range studyMetrics {
				d := make([]float64, f.Paths)
				better, worse := 0, 0
				for i := range d {
					d[i] = vals[j][i] - ref[j][i]
					if d[i] < 0 {
						better++
					} else if d[i] > 0 {
						worse++
					}
				}
				diffs[j] = d
				mean, se, _ := fxMoments(vals[j])
				_, _, dsd := fxMoments(d)
				_, rse, _ := fxMoments(ref[j])
				sb, sw := float64(better)/float64(f.Paths), float64(worse)/float64(f.Paths)
				vo.Metrics = append(vo.Metrics, study.MetricComparison{
					Metric: m.name, Title: m.title, Unit: m.unit, Better: "lower", Paths: f.Paths,
					Mean: mean, SE: se, P50: fxQuantile(vals[j], 0.5), P95: fxQuantile(vals[j], 0.95),
					Diff: fxEstimate(d), DiffSD: dsd, DiffP5: fxQuantile(d, 0.05), DiffP50: fxQuantile(d, 0.5), DiffP95: fxQuantile(d, 0.95),
					UnpairedHalfWidth: study.Z95 * math.Hypot(se, rse), ShareBetter: &sb, ShareWorse: &sw,
				})
			}
			if f.Value > 0 {
				cost, shortT, shortV, buyer, benefit, net := make([]float64, f.Paths), make([]float64, f.Paths), make([]float64, f.Paths), make([]float64, f.Paths), make([]float64, f.Paths), make([]float64, f.Paths)
				pos := 0
				for i := range cost {
					cost[i] = diffs[2][i]
					shortT[i] = -diffs[0][i]
					shortV[i] = shortT[i] * f.Value / 1e6
					buyer[i] = -diffs[3][i]
					benefit[i] = shortV[i] + buyer[i]
					net[i] = benefit[i] - cost[i]
					if net[i] > 0 {
						pos++
					}
				}
				cb := &study.CostBenefit{Cost: fxEstimate(cost), AvoidedShortfallT: fxEstimate(shortT), AvoidedShortfallValue: fxEstimate(shortV),
					AvoidedBuyerCost: fxEstimate(buyer), Benefit: fxEstimate(benefit), NetBenefit: fxEstimate(net), ShareNetPositive: float64(pos) / float64(f.Paths)}
				if c := cb.Cost.Mean; c != 0 {
					r := cb.Benefit.Mean / c
					cb.BenefitCostRatio = &study.Estimate{Mean: r, SE: 0.1, Lo: r - 0.196, Hi: r + 0.196}
				}
				if s := cb.AvoidedShortfallT.Mean; s > 0 {
					be := math.Max(0, (cb.Cost.Mean-cb.AvoidedBuyerCost.Mean)/s*1e6)
					cb.BreakEvenValuePerTonneUSD = &be
				}
				vo.CostBenefit = cb
			}
			bo.Variants = append(bo.Variants, vo)
			bo.Ranking = append(bo.Ranking, name)

			vdir := filepath.Join(dir, name)
			if len(f.Bases) > 1 {
				vdir = filepath.Join(dir, base, name)
			}
			if err := os.MkdirAll(vdir, 0o755); err != nil {
				return err
			}
			if err := writeJSONFile(filepath.Join(vdir, "manifest.json"), results.Manifest{
				Scenario: base + "." + name, Seed: f.Seed, Paths: f.Paths, PathsAsked: f.Paths,
				Version: "9.8.7", Commit: "0123456789abcdef0123456789abcdef01234567", Command: "reesim study " + f.Name,
			}); err != nil {
				return err
			}
			if f.NoPaths && k > 0 {
				continue
			}
			if err := f.writePaths(filepath.Join(vdir, "paths.csv"), vals, f.Shuffle && k > 0); err != nil {
				return err
			}
		}
		if f.Value > 0 {
			// The choice is the best expected net benefit (no margin).
			best := bo.Variants[0]
			for _, v := range bo.Variants {
				if v.CostBenefit.NetBenefit.Mean > best.CostBenefit.NetBenefit.Mean {
					best = v
				}
			}
			bo.Choice = &study.Choice{Variant: best.Name, Label: best.Label, Best: best.Name, BestLabel: best.Label,
				NetBenefit: best.CostBenefit.NetBenefit, BestNet: best.CostBenefit.NetBenefit, Margin: 0.1}
		}
		o.Bases = append(o.Bases, bo)
	}
	if err := writeJSONFile(filepath.Join(dir, "summary.json"), o); err != nil {
		return err
	}
	if err := writeStudyFile(filepath.Join(dir, "comparison.csv"), func(w *os.File) error { return study.WriteComparisonCSV(w, o) }); err != nil {
		return err
	}
	if f.Value > 0 {
		return writeStudyFile(filepath.Join(dir, "cost_benefit.csv"), func(w *os.File) error { return study.WriteCostBenefitCSV(w, o) })
	}
	return nil
}

// writePaths writes a paths.csv with a sampled input and the metrics.
func (f studyFixture) writePaths(name string, vals [][]float64, reverse bool) error {
	return writeStudyFile(name, func(w *os.File) error {
		cw := csv.NewWriter(w)
		head := []string{"path", "export_control.ban.share_blocked"}
		for _, m := range studyMetrics {
			head = append(head, m.name)
		}
		cw.Write(head)
		for k := 0; k < f.Paths; k++ {
			i := k
			if reverse {
				i = f.Paths - 1 - k
			}
			rec := []string{strconv.Itoa(i), results.FormatNumber(float64(i%7) / 7)}
			for j := range studyMetrics {
				rec = append(rec, results.FormatNumber(vals[j][i]))
			}
			cw.Write(rec)
		}
		cw.Flush()
		return cw.Error()
	})
}

// writeStudyFile creates a file and writes it with write.
func writeStudyFile(name string, write func(w *os.File) error) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// newStudy writes fixture f into a temporary folder and returns its path.
func newStudy(t *testing.T, f studyFixture) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), f.Name)
	if err := f.write(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

// readStudyCSV reads a CSV file into maps from column name to value.
func readStudyCSV(t *testing.T, name string) []map[string]string {
	t.Helper()
	fh, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	recs, err := csv.NewReader(fh).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for j, h := range recs[0] {
			m[h] = r[j]
		}
		out = append(out, m)
	}
	return out
}

// cellFloat parses a CSV cell in a test.
func cellFloat(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
