package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/reesim/reesim/results"
)

// TestSummaryXLSX opens the summary.xlsx of a run and of its batch with
// excelize: the headline sheet holds summary.csv's table, value for value,
// and the batch's comparison sheet index.csv's.
func TestSummaryXLSX(t *testing.T) {
	out := t.TempDir()
	code, _, stderr := runReesim("run", "testdata/batch/small.toml", "testdata/batch/small-ban.toml", "--paths", "200", "--seed", "7", "--out", out, "--no-charts")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	check := func(xlsx, sheet, csvName string) {
		t.Helper()
		f, err := excelize.OpenFile(xlsx, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		got, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		cf, err := os.Open(csvName)
		if err != nil {
			t.Fatal(err)
		}
		want, err := csv.NewReader(cf).ReadAll()
		cf.Close()
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%s %s: %d rows, %s has %d", xlsx, sheet, len(got), csvName, len(want))
		}
		for i := range want {
			for j := range want[i] {
				g := ""
				if j < len(got[i]) {
					g = got[i][j]
				}
				// Numbers are stored in full; the CSV writes 7 digits.
				if v, err := strconv.ParseFloat(g, 64); err == nil && i > 0 {
					g = results.FormatNumber(v)
				}
				if g != want[i][j] {
					t.Errorf("%s %s row %d column %s: %q, %s has %q", filepath.Base(xlsx), sheet, i+1, want[0][j], g, filepath.Base(csvName), want[i][j])
				}
			}
		}
	}
	check(filepath.Join(out, "small", "summary.xlsx"), "Headline", filepath.Join(out, "small", "summary.csv"))

	// The batch's comparison has units in its header; the values are
	// index.csv's.
	f, err := excelize.OpenFile(filepath.Join(out, "summary.xlsx"), excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Comparison")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[1][0] != "small" || rows[2][0] != "small-ban" || rows[0][2] != "mean "+rows[0][2][5:] {
		t.Errorf("comparison sheet %v", rows)
	}
	panes, err := f.GetPanes("Comparison")
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("comparison sheet's header row is not frozen: %+v, %v", panes, err)
	}
	// One sheet per series, months down, percentiles across with units.
	sf, err := excelize.OpenFile(filepath.Join(out, "small", "summary.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer sf.Close()
	q, err := sf.GetRows("price_magnet_exchina")
	if err != nil || len(q) < 2 || q[0][4] != "p50 ($/kg)" {
		t.Errorf("series sheet: %v, %v", q, err)
	}
}
