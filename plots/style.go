package plots

import (
	"image/color"
	"strings"

	stdfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// rgb is an opaque colour written 0xRRGGBB, so that the palette can be
// constants.
type rgb uint32

// RGBA implements color.Color.
func (c rgb) RGBA() (r, g, b, a uint32) {
	r = uint32(c>>16&0xff) * 0x101
	g = uint32(c>>8&0xff) * 0x101
	b = uint32(c&0xff) * 0x101
	return r, g, b, 0xffff
}

// The colours of the Okabe–Ito palette that the charts use; it is safe
// for the common forms of colour blindness. (The others are black,
// sky blue #56B4E9 and yellow #F0E442.)
const (
	okOrange    rgb = 0xE69F00
	okGreen     rgb = 0x009E73
	okBlue      rgb = 0x0072B2
	okVermilion rgb = 0xD55E00
	okPurple    rgb = 0xCC79A7
	okWhite     rgb = 0xFFFFFF
)

// style is the look every chart shares. It is made once, by newStyle, and
// applied to each plot by newPlot; nothing in gonum/plot's package-level
// defaults is changed.
type style struct {
	// Width and Height are the size of a chart: 16:9.
	Width, Height vg.Length
	// DPI is the resolution of the PNG files.
	DPI int

	// Sans is the typeface of all text (its Size is set per use).
	Sans font.Font
	// Handler lays out text.
	Handler text.Handler

	// Sizes of the title, subtitle, axis labels, tick labels, legend,
	// notes and source line.
	TitleSize, SubtitleSize, LabelSize, TickSize, LegendSize, NoteSize, SourceSize vg.Length

	// Margin is the blank border around a chart.
	Margin vg.Length

	// Ink is the colour of text and axes, Muted of secondary text, Grid of
	// grid lines and Alert of warnings such as PARTIAL RUN.
	Ink, Muted, Grid, Alert color.Color
}

// newStyle returns the house style: 8 × 4.5 inches (16:9), drawn at 200
// DPI to 1600 × 900 PNG pixels, with type sizes that stay readable when
// the chart is shown 1280 pixels wide on a projector.
func newStyle() *style {
	return &style{
		Width:  8 * vg.Inch,
		Height: 4.5 * vg.Inch,
		DPI:    200,
		Sans:   font.Font{Typeface: "Liberation", Variant: "Sans"},
		Handler: text.Plain{
			Fonts: font.DefaultCache,
		},
		TitleSize:    vg.Points(15),
		SubtitleSize: vg.Points(11),
		LabelSize:    vg.Points(11),
		TickSize:     vg.Points(10),
		LegendSize:   vg.Points(10),
		NoteSize:     vg.Points(8.5),
		SourceSize:   vg.Points(8),
		Margin:       vg.Points(14),
		Ink:          color.NRGBA{0x22, 0x22, 0x22, 0xff},
		Muted:        color.NRGBA{0x55, 0x55, 0x55, 0xff},
		Grid:         color.NRGBA{0xdd, 0xdd, 0xdd, 0xff},
		Alert:        okVermilion,
	}
}

// text returns a text style of the given size and colour, left aligned,
// its top at the point it is drawn.
func (s *style) text(size vg.Length, c color.Color, bold bool) draw.TextStyle {
	f := font.From(s.Sans, size)
	if bold {
		f.Weight = stdfont.WeightBold
	}
	return text.Style{Color: c, Font: f, XAlign: draw.XLeft, YAlign: draw.YTop, Handler: s.Handler}
}

// newPlot returns a plot in the house style: sans-serif text, light grid
// lines, grey axes and no legend of its own (the figure draws the legend
// outside the data area).
func (s *style) newPlot() *plot.Plot { return s.newPlotGrid(true, true) }

// newPlotGrid is newPlot with a choice of grid lines.
func (s *style) newPlotGrid(vertical, horizontal bool) *plot.Plot {
	p := plot.New()
	p.TextHandler = s.Handler
	p.Title.TextStyle = s.text(s.LabelSize, s.Ink, true)
	p.Title.TextStyle.XAlign = draw.XCenter
	p.Title.Padding = vg.Points(6)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(s.Sans, s.LabelSize)
		a.Label.TextStyle.Color = s.Ink
		a.Label.TextStyle.Handler = s.Handler
		a.Label.Padding = vg.Points(4)
		a.Tick.Label.Font = font.From(s.Sans, s.TickSize)
		a.Tick.Label.Color = s.Ink
		a.Tick.Label.Handler = s.Handler
		a.Tick.Length = vg.Points(4)
		a.Color = s.Muted
		a.Tick.Color = s.Muted
		a.Padding = vg.Points(2)
	}
	p.Legend.TextStyle.Font = font.From(s.Sans, s.LegendSize)
	g := plotter.NewGrid()
	g.Vertical.Color = s.Grid
	g.Vertical.Width = vg.Points(0.5)
	g.Horizontal.Color = s.Grid
	g.Horizontal.Width = vg.Points(0.5)
	if !vertical {
		g.Vertical.Color = nil
	}
	if !horizontal {
		g.Horizontal.Color = nil
	}
	p.Add(g)
	return p
}

// alpha returns c with opacity a in [0, 1].
func alpha(c color.Color, a float64) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), uint8(a*255 + 0.5)}
}

// wrap breaks s into lines no wider than width in the text style sty.
func wrap(sty draw.TextStyle, s string, width vg.Length) []string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		words := strings.Fields(para)
		line := ""
		for _, w := range words {
			try := w
			if line != "" {
				try = line + " " + w
			}
			if line != "" && sty.Width(try) > width {
				lines = append(lines, line)
				line = w
				continue
			}
			line = try
		}
		if line != "" {
			lines = append(lines, line)
		}
	}
	return lines
}
