package plots

import (
	"image/color"
	"testing"

	"gonum.org/v1/plot/vg"
)

func TestPalette(t *testing.T) {
	tests := []struct {
		c    color.Color
		want color.NRGBA
	}{
		{okVermilion, color.NRGBA{0xD5, 0x5E, 0x00, 0xff}},
		{okBlue, color.NRGBA{0x00, 0x72, 0xB2, 0xff}},
		{alpha(okBlue, 0.5), color.NRGBA{0x00, 0x72, 0xB2, 0x80}},
	}
	for _, tc := range tests {
		if got := color.NRGBAModel.Convert(tc.c).(color.NRGBA); got != tc.want {
			t.Errorf("%v = %v, want %v", tc.c, got, tc.want)
		}
	}
}

func TestStyle(t *testing.T) {
	s := newStyle()
	if s.Width*9 != s.Height*16 {
		t.Errorf("charts are %v × %v, not 16:9", s.Width, s.Height)
	}
	if px := s.Width.Points() / 72 * float64(s.DPI); px != 1600 {
		t.Errorf("PNG width %v px, want 1600", px)
	}
	p := s.newPlot()
	for what, f := range map[string]string{
		"title":      string(p.Title.TextStyle.Font.Variant),
		"x label":    string(p.X.Label.TextStyle.Font.Variant),
		"y ticks":    string(p.Y.Tick.Label.Font.Variant),
		"x ticks":    string(p.X.Tick.Label.Font.Variant),
		"legend":     string(p.Legend.TextStyle.Font.Variant),
		"body style": string(s.text(s.SubtitleSize, s.Ink, false).Font.Variant),
	} {
		if f != "Sans" {
			t.Errorf("%s font variant %q, want Sans", what, f)
		}
	}
	// Shown 1280 px wide, the smallest text is still about 14 px high.
	if px := s.SourceSize.Points() / 72 * float64(s.DPI) * 1280 / 1600; px < 14 {
		t.Errorf("source line %.1f px high at 1280 px wide", px)
	}
}

func TestWrap(t *testing.T) {
	s := newStyle()
	sty := s.text(s.SubtitleSize, s.Ink, false)
	text := "Magnets buyers wanted at the reference price and could not get, month by month over the horizon."
	lines := wrap(sty, text, 3*vg.Inch)
	if len(lines) < 2 {
		t.Fatalf("wrap gave %d lines", len(lines))
	}
	for _, l := range lines {
		if sty.Width(l) > 3*vg.Inch {
			t.Errorf("line %q is wider than the box", l)
		}
	}
	if got := wrap(sty, "", vg.Inch); len(got) != 0 {
		t.Errorf("wrap of nothing: %q", got)
	}
}
