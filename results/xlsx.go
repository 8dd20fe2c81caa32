package results

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/reesim/reesim/engine"
	"github.com/reesim/reesim/scenarios"
	"github.com/reesim/reesim/sim"
)

// Sheet is one sheet of a workbook: a header row, frozen, and rows of
// numbers and texts. Units belong in the header ("p50 ($/kg)") or in a
// unit column.
type Sheet struct {
	Name   string
	Header []string
	Rows   [][]any
	// Widths are the columns' widths in characters; columns past its end
	// are 14 wide.
	Widths []float64
}

// WriteXLSX writes sheets as an Excel workbook. Sheet names are cut to
// Excel's 31 characters; "[]:*?/\" become "-".
func WriteXLSX(w io.Writer, sheets []Sheet) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Color: []string{"F2F2F2"}, Pattern: 1}})
	if err != nil {
		return err
	}
	first := true
	for _, sh := range sheets {
		name := sheetName(sh.Name)
		if first {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
			first = false
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		sw, err := f.NewStreamWriter(name)
		if err != nil {
			return err
		}
		for i := range sh.Header {
			width := 14.0
			if i < len(sh.Widths) {
				width = sh.Widths[i]
			}
			if err := sw.SetColWidth(i+1, i+1, width); err != nil {
				return err
			}
		}
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
		head := make([]any, len(sh.Header))
		for i, h := range sh.Header {
			head[i] = excelize.Cell{StyleID: bold, Value: h}
		}
		if err := sw.SetRow("A1", head); err != nil {
			return err
		}
		for r, row := range sh.Rows {
			cell, err := excelize.CoordinatesToCellName(1, r+2)
			if err != nil {
				return err
			}
			if err := sw.SetRow(cell, row); err != nil {
				return err
			}
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		return err
	}
	return sortZip(w, b.Bytes())
}

// sortZip copies the zip archive data to w with its entries in the order
// of their names, [Content_Types].xml first: excelize writes them in map
// order, and results must be the same, byte for byte, on every run.
func sortZip(w io.Writer, data []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return err
	}
	files := slices.Clone(zr.File)
	slices.SortFunc(files, func(a, b *zip.File) int {
		if (a.Name == "[Content_Types].xml") != (b.Name == "[Content_Types].xml") {
			if a.Name == "[Content_Types].xml" {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Name, b.Name)
	})
	zw := zip.NewWriter(w)
	for _, f := range files {
		raw, err := f.OpenRaw()
		if err != nil {
			return err
		}
		h := f.FileHeader
		out, err := zw.CreateRaw(&h)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, raw); err != nil {
			return err
		}
	}
	return zw.Close()
}

// sheetName makes s a valid Excel sheet name.
func sheetName(s string) string {
	s = strings.NewReplacer("[", "-", "]", "-", ":", "-", "*", "-", "?", "-", "/", "-", `\`, "-").Replace(s)
	if r := []rune(s); len(r) > 31 {
		s = string(r[:31])
	}
	return s
}

// HeadlineSheet is the headline table of summary.csv as a sheet: the same
// columns and rows, numbers as numbers, then each metric's title.
func HeadlineSheet(s Summary) Sheet {
	sh := Sheet{Name: "Headline", Header: append(append([]string(nil), SummaryHeader...), "title"), Widths: []float64{30, 9}}
	for _, m := range s.Metrics {
		sh.Rows = append(sh.Rows, []any{m.Name, m.Unit, m.Mean, m.SE, m.P5, m.P25, m.P50, m.P75, m.P95, exceedanceText(m), m.Note, m.Title})
	}
	return sh
}

// exceedanceText is summary.csv's exceedance column of m.
func exceedanceText(m Metric) string {
	ex := ""
	for i, e := range m.Exceedances {
		if i > 0 {
			ex += "; "
		}
		ex += fmt.Sprintf("P(>%s)=%s", FormatNumber(e.Threshold), FormatNumber(e.Probability))
	}
	return ex
}

// RunSheets are the sheets of a run's summary.xlsx: the headline table,
// one sheet per series with its mean and percentiles by month (wide form,
// units in the header), and the sampled inputs with the percentiles of
// the distributions they are drawn from.
func RunSheets(r *engine.Result, s Summary) []Sheet {
	sheets := []Sheet{HeadlineSheet(s)}
	T := r.Compiled.Model.Months
	start := r.Compiled.Model.StartAbs
	for k, info := range sim.SeriesInfo {
		sh := Sheet{Name: info.Name, Widths: []float64{10}}
		sh.Header = []string{"month"}
		for _, c := range append([]string{"mean"}, QuantileHeader[4:]...) {
			sh.Header = append(sh.Header, c+" ("+info.Unit+")")
		}
		for t := 0; t < T; t++ {
			sk := r.Series.At(k*T + t)
			row := []any{scenarios.MonthString(start + t), r.SeriesMean[k][t]}
			for _, q := range Quantiles {
				row = append(row, sk.Quantile(q))
			}
			sh.Rows = append(sh.Rows, row)
		}
		sheets = append(sheets, sh)
	}
	in := Sheet{Name: "Inputs", Header: []string{"input", "distribution", "p5", "median", "p95", "expected value", "in months (year*12 + month - 1)"}, Widths: []float64{48, 12}}
	for _, x := range r.Compiled.Inputs {
		if !x.Sampled() {
			continue
		}
		d := x.Dist
		in.Rows = append(in.Rows, []any{x.Name, d.Family().Name, d.Quantile(0.05), d.Quantile(0.5), d.Quantile(0.95), d.ExpectedValue(), x.Month})
	}
	return append(sheets, in)
}
