package plots

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// rect is a rectangle in data coordinates.
type rect struct {
	X0, X1, Y0, Y1 float64
	Color          color.Color
}

// rects draws filled rectangles: histogram bins, tornado bars, ranges. One
// plotter draws them all, which is much faster than one plotter each.
type rects struct {
	R []rect
	// Color fills the legend thumbnail.
	Color color.Color
}

// Plot implements plot.Plotter.
func (r *rects) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for _, b := range r.R {
		pts := []vg.Point{
			{X: trX(b.X0), Y: trY(b.Y0)}, {X: trX(b.X1), Y: trY(b.Y0)},
			{X: trX(b.X1), Y: trY(b.Y1)}, {X: trX(b.X0), Y: trY(b.Y1)},
		}
		c.FillPolygon(b.Color, c.ClipPolygonXY(pts))
	}
}

// DataRange implements plot.DataRanger.
func (r *rects) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for _, b := range r.R {
		xmin, xmax = math.Min(xmin, math.Min(b.X0, b.X1)), math.Max(xmax, math.Max(b.X0, b.X1))
		ymin, ymax = math.Min(ymin, math.Min(b.Y0, b.Y1)), math.Max(ymax, math.Max(b.Y0, b.Y1))
	}
	return
}

// Thumbnail implements plot.Thumbnailer.
func (r *rects) Thumbnail(c *draw.Canvas) {
	c.FillPolygon(r.Color, []vg.Point{c.Min, {X: c.Max.X, Y: c.Min.Y}, c.Max, {X: c.Min.X, Y: c.Max.Y}})
}

// swatch is a legend thumbnail: a filled box.
type swatch struct{ Color color.Color }

// Thumbnail implements plot.Thumbnailer.
func (s swatch) Thumbnail(c *draw.Canvas) {
	c.FillPolygon(s.Color, []vg.Point{c.Min, {X: c.Max.X, Y: c.Min.Y}, c.Max, {X: c.Min.X, Y: c.Max.Y}})
}

// stroke is a legend thumbnail: a horizontal line.
type stroke struct{ Style draw.LineStyle }

// Thumbnail implements plot.Thumbnailer.
func (s stroke) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(s.Style, c.Min.X, y, c.Max.X, y)
}

// dot is a legend thumbnail: a glyph.
type dot struct{ Style draw.GlyphStyle }

// Thumbnail implements plot.Thumbnailer.
func (d dot) Thumbnail(c *draw.Canvas) { c.DrawGlyphNoClip(d.Style, c.Center()) }

// vline marks a value on the x axis with a vertical line across the data
// area and a label near the top. Row moves the label down by rows, so
// that labels of nearby lines do not overlap.
type vline struct {
	X     float64
	Label string
	Row   int
	Line  draw.LineStyle
	Text  draw.TextStyle
}

// Plot implements plot.Plotter. A value of 0 or less on a logarithmic
// axis is not marked: the axis has no place for it.
func (v *vline) Plot(c draw.Canvas, p *plot.Plot) {
	if _, isLog := p.X.Scale.(plot.LogScale); isLog && !(v.X > 0) {
		return
	}
	trX, _ := p.Transforms(&c)
	x := trX(v.X)
	if x < c.Min.X-0.01 || x > c.Max.X+0.01 {
		return
	}
	c.StrokeLine2(v.Line, x, c.Min.Y, x, c.Max.Y)
	if v.Label == "" {
		return
	}
	sty := v.Text
	sty.YAlign = draw.YTop
	y := c.Max.Y - vg.Length(v.Row)*lineHeight(sty) - vg.Points(2)
	w := sty.Width(v.Label)
	pt := vg.Point{X: x + vg.Points(3), Y: y}
	sty.XAlign = draw.XLeft
	if x+vg.Points(3)+w > c.Max.X {
		pt.X = x - vg.Points(3)
		sty.XAlign = draw.XRight
	}
	// A white box keeps the label readable over the data.
	h := lineHeight(sty)
	x0 := pt.X - vg.Points(1)
	if sty.XAlign == draw.XRight {
		x0 = pt.X - w - vg.Points(1)
	}
	c.FillPolygon(alpha(color.White, 0.85), []vg.Point{{X: x0, Y: y - h}, {X: x0 + w + vg.Points(2), Y: y - h}, {X: x0 + w + vg.Points(2), Y: y}, {X: x0, Y: y}})
	c.FillText(sty, pt, v.Label)
}

// DataRange implements plot.DataRanger; the line spans whatever y range
// the other plotters set.
func (v *vline) DataRange() (xmin, xmax, ymin, ymax float64) {
	return v.X, v.X, math.Inf(1), math.Inf(-1)
}

// label is a text in data coordinates.
type label struct {
	X, Y   float64
	Text   string
	XAlign draw.XAlignment
	Color  color.Color
	// DX shifts the text right by this length (left when negative), DY
	// up.
	DX, DY vg.Length
}

// labels draws texts at points of the data area.
type labels struct {
	L    []label
	Text draw.TextStyle
	// Box draws each text on a white box, and keeps a left-aligned text
	// that would run past the data area's right edge inside it, aligned
	// right of its point.
	Box bool
}

// Plot implements plot.Plotter.
func (l *labels) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for _, t := range l.L {
		sty := l.Text
		sty.XAlign = t.XAlign
		sty.YAlign = draw.YCenter
		if t.Color != nil {
			sty.Color = t.Color
		}
		pt := vg.Point{X: trX(t.X) + t.DX, Y: trY(t.Y) + t.DY}
		if l.Box {
			w, h := sty.Width(t.Text), lineHeight(sty)
			if t.XAlign == draw.XLeft && pt.X+w > c.Max.X {
				pt.X = trX(t.X) - t.DX
				sty.XAlign = draw.XRight
			}
			x0 := pt.X
			if sty.XAlign == draw.XRight {
				x0 -= w
			}
			c.FillPolygon(alpha(color.White, 0.85), []vg.Point{{X: x0 - 1, Y: pt.Y - h/2}, {X: x0 + w + 1, Y: pt.Y - h/2}, {X: x0 + w + 1, Y: pt.Y + h/2}, {X: x0 - 1, Y: pt.Y + h/2}})
		}
		c.FillText(sty, pt, t.Text)
	}
}

// errorBar is a horizontal interval at height Y with caps.
type errorBar struct {
	Lo, Hi, Y float64
}

// errorBars draws horizontal intervals with end caps.
type errorBars struct {
	B    []errorBar
	Line draw.LineStyle
	Cap  vg.Length
}

// Plot implements plot.Plotter.
func (e *errorBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for _, b := range e.B {
		x0, x1, y := trX(b.Lo), trX(b.Hi), trY(b.Y)
		c.StrokeLine2(e.Line, x0, y, x1, y)
		c.StrokeLine2(e.Line, x0, y-e.Cap/2, x0, y+e.Cap/2)
		c.StrokeLine2(e.Line, x1, y-e.Cap/2, x1, y+e.Cap/2)
	}
}

// DataRange implements plot.DataRanger.
func (e *errorBars) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for _, b := range e.B {
		xmin, xmax = math.Min(xmin, b.Lo), math.Max(xmax, b.Hi)
		ymin, ymax = math.Min(ymin, b.Y), math.Max(ymax, b.Y)
	}
	return
}

// Thumbnail implements plot.Thumbnailer.
func (e *errorBars) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	x0, x1 := c.Min.X+vg.Points(2), c.Max.X-vg.Points(2)
	c.StrokeLine2(e.Line, x0, y, x1, y)
	c.StrokeLine2(e.Line, x0, c.Min.Y, x0, c.Max.Y)
	c.StrokeLine2(e.Line, x1, c.Min.Y, x1, c.Max.Y)
}
