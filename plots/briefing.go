package plots

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// briefing draws briefing.pdf: a cover (scenario, date, seed, paths and
// version), a summary page with the message and the headline table
// (continued on further pages when it is long), then figs, one per page.
// Every page is 16:9, as the charts are, so that the file can be shown
// as slides. It stops between pages when ctx is done, returning ctx.Err().
func (s *style) briefing(ctx context.Context, r *run, msg message, figs []*figure, src source) ([]byte, error) {
	c := s.newPDFCanvas()
	s.drawCover(draw.New(c), r, src)
	rows := make([][]string, 0, len(r.Summary.Metrics))
	for _, m := range r.Summary.Metrics {
		h := headlineOf(m)
		ci := strings.TrimSuffix(h.CI, " "+m.Unit)
		if m.SE == 0 {
			ci = "± 0"
		}
		rows = append(rows, []string{h.Title, h.Mean + " (" + ci + ")", h.P5, h.P50, h.P95})
	}
	head := []string{"Headline metric (unit)", "Mean (95 % CI)", "p5", "Median", "p95"}
	first := true
	for first || len(rows) > 0 {
		c.NextPage()
		dc := draw.New(c)
		title := "What the simulation finds"
		var sentences []string
		if first {
			sentences = msg.Sentences
		} else {
			title = "Headline results (continued)"
		}
		rows = s.drawSummary(dc, title, sentences, head, rows, src)
		first = false
	}
	for _, f := range figs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		c.NextPage()
		s.draw(draw.New(c), f, src)
	}
	var b bytes.Buffer
	if _, err := c.WriteTo(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// drawCover draws the briefing's cover.
func (s *style) drawCover(c draw.Canvas, r *run, src source) {
	c.SetColor(okWhite)
	c.Fill(c.Rectangle.Path())
	m := r.Manifest
	left, right := c.Min.X+2*s.Margin, c.Max.X-2*s.Margin
	width := right - left
	// A band of the house blue down the left edge.
	c.FillPolygon(okBlue, []vg.Point{c.Min, {X: c.Min.X + s.Margin*0.7, Y: c.Min.Y}, {X: c.Min.X + s.Margin*0.7, Y: c.Max.Y}, {X: c.Min.X, Y: c.Max.Y}})
	y := c.Max.Y - 3*s.Margin
	kicker := s.text(s.SubtitleSize, okBlue, true)
	c.FillText(kicker, vg.Point{X: left, Y: y}, "RARE-EARTH SUPPLY-SHOCK BRIEFING")
	y -= lineHeight(kicker) * 1.6
	title := s.text(vg.Points(28), s.Ink, true)
	for _, l := range wrap(title, "Scenario: "+m.Scenario, width) {
		c.FillText(title, vg.Point{X: left, Y: y}, l)
		y -= lineHeight(title)
	}
	y -= vg.Points(4)
	desc := s.text(vg.Points(13), s.Muted, false)
	for _, l := range wrap(desc, m.Description, width) {
		c.FillText(desc, vg.Point{X: left, Y: y}, l)
		y -= lineHeight(desc)
	}
	y -= vg.Points(14)
	// The day the run finished, not its time, so that runs of one
	// scenario and seed on the same day make the same file; with
	// SOURCE_DATE_EPOCH set, its day, so that they always do.
	date := "date unknown"
	if d, ok := sourceDate(); ok {
		date = d.Format("2 January 2006")
	} else if !m.Finished.IsZero() {
		date = m.Finished.UTC().Format("2 January 2006")
	}
	lines := [][2]string{
		{"Date of run", date},
		{"Paths", group(fmt.Sprint(m.Paths)) + " simulated futures"},
		{"Seed", fmt.Sprint(m.Seed)},
		{"reesim", m.Version + " (commit " + shortCommit(m.Commit) + ")"},
		{"Scenario file", m.File},
	}
	if m.Extends != "" {
		lines = append(lines, [2]string{"Extends", m.Extends})
	}
	key := s.text(s.LabelSize, s.Muted, false)
	val := s.text(s.LabelSize, s.Ink, false)
	for _, l := range lines {
		if l[1] == "" {
			continue
		}
		c.FillText(key, vg.Point{X: left, Y: y}, l[0])
		c.FillText(val, vg.Point{X: left + vg.Points(100), Y: y}, l[1])
		y -= lineHeight(val) * 1.25
	}
	if src.Partial != "" {
		y -= vg.Points(8)
		alert := s.text(s.SubtitleSize, s.Alert, true)
		c.FillText(alert, vg.Point{X: left, Y: y}, src.Partial+": the run was interrupted; its numbers are less precise than a full run's.")
	}
	foot := s.text(s.SourceSize, s.Muted, false)
	foot.YAlign = draw.YBottom
	footLines := wrap(foot, "The summary follows on the next page, then the key charts and the others. report.html beside this file is the same briefing as a web page, with the tables and inputs.", width)
	for i, l := range footLines {
		c.FillText(foot, vg.Point{X: left, Y: c.Min.Y + s.Margin + vg.Length(len(footLines)-1-i)*lineHeight(foot)}, l)
	}
}

// drawSummary draws a page with a title, the sentences and as many rows
// of the table as fit, and returns the rows that did not.
func (s *style) drawSummary(c draw.Canvas, title string, sentences, head []string, rows [][]string, src source) [][]string {
	c.SetColor(okWhite)
	c.Fill(c.Rectangle.Path())
	left, right := c.Min.X+s.Margin, c.Max.X-s.Margin
	width := right - left
	y := c.Max.Y - s.Margin
	t := s.text(s.TitleSize, s.Ink, true)
	c.FillText(t, vg.Point{X: left, Y: y}, title)
	y -= lineHeight(t) + vg.Points(4)
	body := s.text(vg.Points(11.5), s.Ink, false)
	for _, sen := range sentences {
		for _, l := range wrap(body, sen, width) {
			c.FillText(body, vg.Point{X: left, Y: y}, l)
			y -= lineHeight(body)
		}
		y -= vg.Points(4)
	}
	y -= vg.Points(4)

	bottom := c.Min.Y + s.Margin*0.7
	srcSty := s.text(s.SourceSize, s.Muted, false)
	srcSty.YAlign = draw.YBottom
	c.FillText(srcSty, vg.Point{X: left, Y: bottom}, src.Text)
	bottom += lineHeight(srcSty) * 1.5

	// Column edges: the metric's title, then numbers aligned right.
	frac := []float64{0.4, 0.3, 0.1, 0.1, 0.1}
	edges := []vg.Length{left}
	for _, f := range frac {
		edges = append(edges, edges[len(edges)-1]+width*vg.Length(f))
	}
	cell := s.text(vg.Points(8.5), s.Ink, false)
	bold := s.text(vg.Points(8.5), s.Ink, true)
	rowH := lineHeight(cell)
	put := func(sty draw.TextStyle, y vg.Length, row []string) vg.Length {
		lines := wrap(sty, row[0], edges[1]-edges[0]-vg.Points(6))
		for i, l := range lines {
			c.FillText(sty, vg.Point{X: edges[0], Y: y - vg.Length(i)*rowH}, l)
		}
		num := sty
		num.XAlign = draw.XRight
		for j := 1; j < len(row); j++ {
			c.FillText(num, vg.Point{X: edges[j+1] - vg.Points(2), Y: y}, row[j])
		}
		return vg.Length(len(lines)) * rowH
	}
	y -= put(bold, y, head) + vg.Points(2)
	c.StrokeLine2(draw.LineStyle{Color: s.Muted, Width: vg.Points(0.6)}, left, y, right, y)
	y -= vg.Points(3)
	for len(rows) > 0 {
		need := vg.Length(len(wrap(cell, rows[0][0], edges[1]-edges[0]-vg.Points(6)))) * rowH
		if y-need < bottom {
			break
		}
		y -= put(cell, y, rows[0]) + vg.Points(1.5)
		rows = rows[1:]
	}
	return rows
}
