package plots

import (
	"os"
	"path/filepath"
	"testing"
)

func TestObservedOverlay(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "observed.csv")
	data := "date,series,value,unit,source\n" +
		"2011-07,price_ndpr_exchina,260,$/kg,\"Lynas via mining.com, 2011\"\n" +
		"2011-12,price_ndpr_exchina,195,$/kg,USGS year-end range midpoint\n" +
		"2011-12,china_exports_re_t,16900,t REO/yr,customs\n"
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	obs, err := ReadObserved(name)
	if err != nil {
		t.Fatal(err)
	}
	nd := obs["price_ndpr_exchina"]
	if len(nd) != 2 || nd[0].Value != 260 || nd[0].X != 2011.5 || nd[0].Source != "Lynas via mining.com, 2011" {
		t.Fatalf("observations %+v", nd)
	}
	// Only observations in the fan's unit are drawn.
	sc, n, err := observedLayer(nd, "$/kg", okBlue, 1)
	if err != nil || n != 2 || sc.XYs[1].X != 2011+11.0/12 || sc.XYs[1].Y != 195 {
		t.Fatalf("layer %v %d %v", sc, n, err)
	}
	if sc, n, _ := observedLayer(obs["china_exports_re_t"], "t/month", okBlue, 1); sc != nil || n != 0 {
		t.Errorf("observations in another unit were drawn")
	}
	if got, err := ReadObserved(filepath.Join(dir, "none.csv")); got != nil || err != nil {
		t.Errorf("a missing file gives %v, %v; want nothing", got, err)
	}
	os.WriteFile(name, []byte("date,series,value\n"), 0o644)
	if _, err := ReadObserved(name); err == nil {
		t.Error("a file without unit and source columns is accepted")
	}
}
