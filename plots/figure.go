package plots

import (
	"bytes"
	"context"
	"github.com/reesim/reesim/results"

	stdfont "golang.org/x/image/font"
	"image"
	"image/color"
	"io"
	"math"
	"strings"

	"git.sr.ht/~sbinet/gg"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
)

// legendEntry is one entry of a figure's legend: a label and the
// thumbnails drawn over one another beside it.
type legendEntry struct {
	Label  string
	Thumbs []plot.Thumbnailer
}

// figure is one chart as a briefing shows it: a title and subtitle, the
// legend above the data, one or more panels side by side, a note on how to
// read it and the source line.
type figure struct {
	// Name is the file name, without extension, under charts/.
	Name     string
	Title    string
	Subtitle string
	Legend   []legendEntry
	Panels   []*plot.Plot
	// XLabels, when set, label the panels' x axes from outside the
	// plots, centred under each: gonum/plot centres an axis label at the
	// arithmetic middle of the axis, which on a logarithmic axis pushes
	// it off the panel and squeezes the data.
	XLabels []string
	// Note says how the chart was made; it is drawn above the source.
	Note string
	// Alt describes the chart in words for the HTML page.
	Alt string

	// About names what the chart shows, to choose the key charts: the
	// series of a fan chart, or the metric of a distribution ("dist:"
	// and the name) or drivers chart ("drivers:" and the name).
	About []string

	// fans are the fan layers of a fan chart, kept so that tests can
	// check the drawn bands against quantiles.csv.
	fans []*fanLayer
	// drivers are the ranked inputs of a tornado chart.
	drivers []driver
}

// source is what the source line says.
type source struct {
	Text string
	// Partial, when not empty, is drawn after Text in the alert colour.
	Partial string
}

// lineHeight is the distance between lines of text of a style.
func lineHeight(sty draw.TextStyle) vg.Length { return sty.Font.Size * 1.25 }

// draw draws f on c.
func (s *style) draw(c draw.Canvas, f *figure, src source) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	left, right := c.Min.X+s.Margin, c.Max.X-s.Margin
	top := c.Max.Y - s.Margin
	width := right - left

	if src.Partial != "" {
		tag := s.text(s.SubtitleSize, s.Alert, true)
		tag.XAlign = draw.XRight
		c.FillText(tag, vg.Point{X: right, Y: top}, "PARTIAL RUN")
		width -= tag.Width("PARTIAL RUN") + vg.Points(12)
	}
	y := top
	title := s.text(s.TitleSize, s.Ink, true)
	for _, l := range wrap(title, f.Title, width) {
		c.FillText(title, vg.Point{X: left, Y: y}, l)
		y -= lineHeight(title)
	}
	sub := s.text(s.SubtitleSize, s.Muted, false)
	for _, l := range wrap(sub, f.Subtitle, right-left) {
		c.FillText(sub, vg.Point{X: left, Y: y}, l)
		y -= lineHeight(sub)
	}
	if len(f.Legend) > 0 {
		y -= vg.Points(4)
		y = s.drawLegend(c, f.Legend, left, right, y)
	}

	// The footer, from the bottom up.
	bottom := c.Min.Y + s.Margin*0.7
	srcSty := s.text(s.SourceSize, s.Muted, false)
	srcSty.YAlign = draw.YBottom
	c.FillText(srcSty, vg.Point{X: left, Y: bottom}, src.Text)
	if src.Partial != "" {
		alert := s.text(s.SourceSize, s.Alert, true)
		alert.YAlign = draw.YBottom
		c.FillText(alert, vg.Point{X: left + srcSty.Width(src.Text+"  "), Y: bottom}, src.Partial)
	}
	bottom += lineHeight(srcSty)
	if f.Note != "" {
		note := s.text(s.NoteSize, s.Muted, false)
		note.YAlign = draw.YBottom
		lines := wrap(note, f.Note, right-left)
		for i := len(lines) - 1; i >= 0; i-- {
			c.FillText(note, vg.Point{X: left, Y: bottom}, lines[i])
			bottom += lineHeight(note)
		}
	}
	bottom += vg.Points(4)
	y -= vg.Points(6)

	n := len(f.Panels)
	gap := vg.Points(22)
	pw := (right - left - gap*vg.Length(n-1)) / vg.Length(n)
	for i, p := range f.Panels {
		x0 := left + vg.Length(i)*(pw+gap)
		b := bottom
		if i < len(f.XLabels) && f.XLabels[i] != "" {
			lab := s.text(s.LabelSize, s.Ink, false)
			lab.XAlign, lab.YAlign = draw.XCenter, draw.YBottom
			c.FillText(lab, vg.Point{X: x0 + pw/2, Y: b}, f.XLabels[i])
			b += lineHeight(lab) + vg.Points(2)
		}
		pc := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{Min: vg.Point{X: x0, Y: b}, Max: vg.Point{X: x0 + pw, Y: y}}}
		p.Draw(pc)
	}
}

// drawLegend lays the entries out in rows from the top y and returns the y
// below the last row.
func (s *style) drawLegend(c draw.Canvas, entries []legendEntry, left, right, y vg.Length) vg.Length {
	sty := s.text(s.LegendSize, s.Ink, false)
	sty.YAlign = draw.YCenter
	thumbW, thumbH := vg.Points(20), s.LegendSize*0.9
	pad, gap := vg.Points(5), vg.Points(16)
	rowH := s.LegendSize * 1.6
	x := left
	mid := y - rowH/2
	for _, e := range entries {
		w := thumbW + pad + sty.Width(e.Label)
		if x > left && x+w > right {
			x = left
			mid -= rowH
		}
		icon := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
			Min: vg.Point{X: x, Y: mid - thumbH/2}, Max: vg.Point{X: x + thumbW, Y: mid + thumbH/2}}}
		for _, t := range e.Thumbs {
			t.Thumbnail(&icon)
		}
		c.FillText(sty, vg.Point{X: x + thumbW + pad, Y: mid}, e.Label)
		x += w + gap
	}
	return mid - rowH/2
}

// writeFile writes a chart or page atomically (results.WriteFileAtomic).
func writeFile(name string, write func(w io.Writer) error) error {
	return results.WriteFileAtomic(name, write)
}

// pngInto draws f as PNG (see encodeOpaquePNG): compressed for speed
// rather than size, since charts are mostly flat colour and the files stay
// small, and encoding with image/png took as long as drawing. It draws on
// img when it is not nil and of the chart's size, so that a worker drawing
// many charts reuses one image.
func (s *style) pngInto(f *figure, src source, img *image.RGBA) ([]byte, error) {
	w := int(s.Width/vg.Inch*vg.Length(s.DPI) + 0.5)
	h := int(s.Height/vg.Inch*vg.Length(s.DPI) + 0.5)
	if img == nil || img.Bounds() != image.Rect(0, 0, w, h) {
		img = image.NewRGBA(image.Rect(0, 0, w, h))
	}
	ctx := gg.NewContextForRGBA(img)
	ctx.SetLineCapButt()
	ctx.InvertY()
	c := vgimg.NewWith(vgimg.UseDPI(s.DPI), vgimg.UseImageWithContext(img, ctx))
	s.draw(draw.New(c), f, src)
	var b bytes.Buffer
	if err := encodeOpaquePNG(&b, img); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// svg draws f as SVG. The font is named, not embedded; Arial and
// Helvetica, which have the same metrics as Liberation Sans, stand in for
// it where it is not installed.
func (s *style) svg(f *figure, src source) ([]byte, error) {
	c := vgsvg.NewWith(vgsvg.UseWH(s.Width, s.Height))
	s.draw(draw.New(c), f, src)
	var b bytes.Buffer
	if _, err := c.WriteTo(&b); err != nil {
		return nil, err
	}
	out := strings.ReplaceAll(b.String(), "font-family:Liberation Sans;", "font-family:'Liberation Sans',Arial,Helvetica,sans-serif;")
	return []byte(out), nil
}

// pdf draws figs as a PDF, one per page. The fonts are named, not
// embedded (see newPDFCanvas).
func (s *style) pdf(figs []*figure, src source) ([]byte, error) {
	return s.pdfContext(context.Background(), figs, src)
}

// pdfContext is pdf that stops between pages when ctx is done, returning
// ctx.Err().
func (s *style) pdfContext(ctx context.Context, figs []*figure, src source) ([]byte, error) {
	c := s.newPDFCanvas()
	for i, f := range figs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if i > 0 {
			c.NextPage()
		}
		s.draw(draw.New(c), f, src)
	}
	var b bytes.Buffer
	if _, err := c.WriteTo(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// newPDFCanvas returns a PDF canvas of a chart's size whose fonts are
// named rather than embedded: vgpdf writes every font it embeds under one
// file name, so the last face registered (the regular) replaced the bold
// in every PDF and bold titles came out regular and oddly spaced. Named,
// Liberation Sans is used where it is installed and Arial, whose metrics
// are the same, elsewhere; the glyph widths are in the file either way.
// Its date is fixed and its resources listed in a fixed order (see
// setPDFDate), so that the same run makes the same bytes.
func (s *style) newPDFCanvas() pdfCanvas {
	setPDFDate()
	c := pdfCanvas{vgpdf.New(s.Width, s.Height)}
	c.EmbedFonts(false)
	return c
}

// pdfCanvas is a PDF canvas that writes text in the Windows-1252 encoding
// its fonts are built for: vgpdf passes UTF-8 through, which turns "–" or
// "±" into mojibake.
type pdfCanvas struct{ *vgpdf.Canvas }

// SetColor implements vg.Canvas. vgpdf takes the premultiplied values
// of color.Color's RGBA as the colour itself, which darkens every
// translucent fill (a blue band at 16 % opacity comes out grey); the
// colour is passed on with its values un-premultiplied.
func (c pdfCanvas) SetColor(clr color.Color) {
	if clr == nil {
		clr = color.Black
	}
	c.Canvas.SetColor(straightColor{color.NRGBA64Model.Convert(clr).(color.NRGBA64)})
}

// straightColor is a colour whose RGBA method returns its values not
// premultiplied by alpha, for vgpdf alone.
type straightColor struct{ c color.NRGBA64 }

func (s straightColor) RGBA() (r, g, b, a uint32) {
	return uint32(s.c.R), uint32(s.c.G), uint32(s.c.B), uint32(s.c.A)
}

// FillString implements vg.Canvas. vgpdf registers a bold font under one
// name and asks for it under another, so a bold face is passed on as the
// regular weight of a typeface of its own name.
func (c pdfCanvas) FillString(f font.Face, pt vg.Point, s string) {
	if f.Font.Weight == stdfont.WeightBold {
		f.Font.Typeface += "Bold"
		f.Font.Weight = stdfont.WeightNormal
	}
	c.Canvas.FillString(f, pt, cp1252(s))
}

// cp1252 encodes s in Windows-1252; runes it lacks become close ASCII or
// "?".
func cp1252(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		switch {
		case r < 0x80 || (r >= 0xA0 && r <= 0xFF):
			b = append(b, byte(r))
		case r == '−':
			b = append(b, '-')
		case r == '≥':
			b = append(b, ">="...)
		case r == '≤':
			b = append(b, "<="...)
		case r == 'ρ':
			b = append(b, "rho"...)
		default:
			if i := strings.IndexRune(cp1252High, r); i >= 0 && r != 0xFFFD {
				b = append(b, byte(0x80+len([]rune(cp1252High[:i]))))
			} else {
				b = append(b, '?')
			}
		}
	}
	return string(b)
}

// cp1252High lists the runes of Windows-1252 codes 0x80 to 0x9F, with
// U+FFFD where the code is unused.
const cp1252High = "€\uFFFD‚ƒ„…†‡ˆ‰Š‹Œ\uFFFDŽ\uFFFD\uFFFD‘’“”•–—˜™š›œ\uFFFDžŸ"

// niceMax returns a value a little above max so that data do not touch the
// top of a chart.
func niceMax(max float64) float64 {
	if max <= 0 || math.IsInf(max, 0) || math.IsNaN(max) {
		return 1
	}
	return max * 1.06
}
