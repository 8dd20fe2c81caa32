package engine

import (
	"fmt"
	"testing"

	"github.com/reesim/reesim/sim"
)

func TestDbgShare(t *testing.T) {
	var ser [][sim.NumSeries][]float64
	for _, s := range []string{"0.1", "0.4"} {
		c := shipped(t, fmt.Sprintf("name = \"p\"\nextends = \"heavy-ree-ban\"\n[[export_control]]\nname = \"heavy-ree-ban\"\nshare_blocked = %s\n", s))
		eachPath(t, c, 38, func(i int, p *sim.Path) {
			if i != 37 {
				return
			}
			var x [sim.NumSeries][]float64
			for k := range x {
				x[k] = append([]float64(nil), p.Series[k]...)
			}
			ser = append(ser, x)
			for j, inp := range c.Inputs {
				if inp.Name == "heavy-ban-start" || inp.Name == "heavy-ban-duration" {
					fmt.Println(inp.Name, p.Inputs()[j])
				}
			}
		})
	}
	fmt.Println(2026*12)
	for mo := 0; mo < 120; mo++ {
		a, b := ser[0], ser[1]
		fmt.Printf("m%d DyX %.1f %.1f DyC %.1f %.1f expDy %.2f %.2f prodX %.0f %.0f dyProdX %.1f %.1f\n", mo, a[sim.SPriceDyTbX][mo], b[sim.SPriceDyTbX][mo], a[sim.SPriceDyTbCN][mo], b[sim.SPriceDyTbCN][mo], a[sim.SExportDyTb][mo], b[sim.SExportDyTb][mo], a[sim.SMagProdX][mo], b[sim.SMagProdX][mo], a[sim.SDyTbProdX][mo], b[sim.SDyTbProdX][mo])
	}
}
