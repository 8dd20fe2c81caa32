package plots

import (
	"errors"
	"fmt"
	"image/color"
	"io"
	"os"
	"strconv"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Observation is one observed value of a series (observed.csv beside a
// historical scenario), overlaid on the model's fan chart.
type Observation struct {
	Month  string
	X      float64 // position on the time axis, as Fan.X
	Value  float64
	Unit   string
	Source string
}

// ReadObserved reads an observed.csv file (date,series,value,unit,source)
// into observations per series. A missing file gives no observations.
func ReadObserved(name string) (map[string][]Observation, error) {
	f, r, head, err := openCSV(name, maxTableSize)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r.ReuseRecord = false
	idx := map[string]int{}
	for i, h := range head {
		idx[h] = i
	}
	for _, c := range []string{"date", "series", "value", "unit", "source"} {
		if _, ok := idx[c]; !ok {
			return nil, fmt.Errorf("%s: no %q column; expected date,series,value,unit,source", name, c)
		}
	}
	out := map[string][]Observation{}
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		y, m, err := parseMonth(rec[idx["date"]])
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		}
		v, err := strconv.ParseFloat(rec[idx["value"]], 64)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: value %q is not a number", name, line, rec[idx["value"]])
		}
		s := rec[idx["series"]]
		out[s] = append(out[s], Observation{Month: rec[idx["date"]], X: float64(y) + float64(m-1)/12, Value: v,
			Unit: rec[idx["unit"]], Source: rec[idx["source"]]})
	}
}

// observedLayer returns a scatter of the observations of a series whose
// unit matches the fan's, drawn as outlined diamonds in the series colour.
func observedLayer(obs []Observation, unit string, c color.Color, scale float64) (*plotter.Scatter, int, error) {
	var xy plotter.XYs
	for _, o := range obs {
		if o.Unit == unit {
			xy = append(xy, plotter.XY{X: o.X, Y: o.Value * scale})
		}
	}
	if len(xy) == 0 {
		return nil, 0, nil
	}
	sc, err := plotter.NewScatter(xy)
	if err != nil {
		return nil, 0, err
	}
	sc.GlyphStyle = observedGlyph(c)
	return sc, len(xy), nil
}

func observedGlyph(c color.Color) draw.GlyphStyle {
	return draw.GlyphStyle{Color: c, Radius: vg.Points(5), Shape: draw.PyramidGlyph{}}
}
