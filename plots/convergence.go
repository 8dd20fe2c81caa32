package plots

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// convergencePoint is one row of convergence.csv.
type convergencePoint struct {
	Paths            int
	Mean, Lo, Hi, SE float64
}

// convergenceMetrics are the metrics the convergence chart draws.
var convergenceMetrics = []string{"cum_shortfall_t", "peak_price_magnet_exchina"}

// readConvergence reads a run's convergence.csv: per metric, its mean
// with the 95 % interval after each checkpoint. A missing file (a run
// made before reesim wrote it) gives nil and no error.
func readConvergence(dir string) (map[string][]convergencePoint, error) {
	name := filepath.Join(dir, "convergence.csv")
	if _, err := os.Stat(name); err != nil {
		return nil, nil
	}
	f, r, head, err := openCSV(name, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cols, err := columns(name, head, "metric", "paths", "mean", "se", "ci95_lo", "ci95_hi")
	if err != nil {
		return nil, err
	}
	out := map[string][]convergencePoint{}
	for {
		rec, err := r.Read()
		if err != nil {
			break
		}
		var v [5]float64
		for k, c := range cols[1:] {
			x, err := strconv.ParseFloat(rec[c], 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				line, _ := r.FieldPos(c)
				return nil, fmt.Errorf("%s line %d: %s is %q: expected a finite number", name, line, head[c], rec[c])
			}
			v[k] = x
		}
		out[rec[cols[0]]] = append(out[rec[cols[0]]], convergencePoint{Paths: int(v[0]), Mean: v[1], SE: v[2], Lo: v[3], Hi: v[4]})
	}
	return out, nil
}

// convergenceChart draws, for each metric of convergenceMetrics, its
// running mean with the 95 % confidence interval against the number of
// paths, on a logarithmic axis; nil when the run has no convergence.csv.
func (s *style) convergenceChart(r *run) (*figure, error) {
	conv, err := readConvergence(r.Dir)
	if err != nil || conv == nil {
		return nil, err
	}
	fig := &figure{Name: "convergence", About: []string{"convergence"}}
	var alt, titles []string
	for _, name := range convergenceMetrics {
		pts := conv[name]
		if len(pts) < 2 {
			continue
		}
		title, unit := name, ""
		if sm := r.metric(name); sm != nil {
			title, unit = sm.Title, sm.Unit
		}
		p := s.newPlot()
		band := make(plotter.XYs, 0, 2*len(pts))
		line := make(plotter.XYs, len(pts))
		for i, c := range pts {
			band = append(band, plotter.XY{X: float64(c.Paths), Y: c.Hi})
			line[i] = plotter.XY{X: float64(c.Paths), Y: c.Mean}
		}
		for i := len(pts) - 1; i >= 0; i-- {
			band = append(band, plotter.XY{X: float64(pts[i].Paths), Y: pts[i].Lo})
		}
		poly, err := plotter.NewPolygon(band)
		if err != nil {
			return nil, err
		}
		poly.Color = alpha(okBlue, 0.2)
		poly.LineStyle.Width = 0
		l, err := plotter.NewLine(line)
		if err != nil {
			return nil, err
		}
		l.LineStyle = draw.LineStyle{Color: okBlue, Width: vg.Points(1.6)}
		last := pts[len(pts)-1]
		final, err := plotter.NewLine(plotter.XYs{{X: float64(pts[0].Paths), Y: last.Mean}, {X: float64(last.Paths), Y: last.Mean}})
		if err != nil {
			return nil, err
		}
		final.LineStyle = draw.LineStyle{Color: s.Muted, Width: vg.Points(0.8), Dashes: []vg.Length{vg.Points(3), vg.Points(3)}}
		p.Add(poly, final, l)
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = logTicks{}
		p.Y.Tick.Marker = numberTicks{}
		p.Title.Text = title + " (" + unit + ")"
		lo, hi := math.Inf(1), math.Inf(-1)
		// The first checkpoints' intervals are wide: the axis shows those
		// from 256 paths on in full.
		for _, c := range pts {
			if c.Paths >= 256 || len(pts) < 4 {
				lo, hi = math.Min(lo, c.Lo), math.Max(hi, c.Hi)
			}
		}
		pad := 0.1 * (hi - lo)
		if pad == 0 {
			pad = math.Max(1e-9, 0.05*math.Abs(hi))
		}
		p.Y.Min, p.Y.Max = lo-pad, hi+pad
		fig.Panels = append(fig.Panels, p)
		fig.XLabels = append(fig.XLabels, "Paths (logarithmic)")
		hw := (last.Hi - last.Lo) / 2
		rel := ""
		if last.Mean != 0 {
			rel = fmt.Sprintf(" (%s of the mean)", percent1(hw/math.Abs(last.Mean)))
		}
		if len(titles) == 0 {
			titles = append(titles, fmt.Sprintf("%s is known to ± %s%s", lowerFirst(title), qty(hw, unit), rel))
		} else {
			titles = append(titles, fmt.Sprintf("the %s to ± %s%s", lowerFirst(title), qty(hw, unit), rel))
		}
		alt = append(alt, fmt.Sprintf("%s: %s ± %s after %s paths", title, qty(last.Mean, unit), qty(hw, unit), group(strconv.Itoa(last.Paths))))
	}
	if len(fig.Panels) == 0 {
		return nil, nil
	}
	n := group(strconv.Itoa(r.Manifest.Paths))
	fig.Title = fmt.Sprintf("After %s paths the expected %s", n, titles[0])
	if len(titles) > 1 {
		fig.Title += " and " + titles[1]
	}
	fig.Subtitle = "The mean over the first paths as more are added, with its 95 % confidence interval (mean ± 1.96 standard errors). Dashed: the final mean."
	fig.Legend = []legendEntry{
		{Label: "running mean", Thumbs: []plot.Thumbnailer{stroke{draw.LineStyle{Color: okBlue, Width: vg.Points(1.6)}}}},
		{Label: "95 % confidence interval", Thumbs: []plot.Thumbnailer{swatch{alpha(okBlue, 0.2)}}},
	}
	fig.Note = "From convergence.csv. Halving the interval takes four times the paths; reesim run --precision adds paths until it is as narrow as asked. Under --sampling lhs or qmc the interval, from the usual formula, overstates the error."
	fig.Alt = fig.Title + ". " + fmt.Sprint(alt)
	return fig, nil
}
