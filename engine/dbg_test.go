package engine

import (
	"fmt"
	"testing"

	"github.com/reesim/reesim/sim"
)

func TestDbgStock(t *testing.T) {
	var ser [][sim.NumSeries][]float64
	var met [][sim.NumMetrics]float64
	for _, s := range []string{"0", "20"} {
		c := shipped(t, fmt.Sprintf("name = \"p\"\nextends = \"heavy-ree-ban\"\n[[stockpile]]\nname = \"japan-jogmec-dytb\"\nsize_days = %s\n", s))
		eachPath(t, c, 1, func(i int, p *sim.Path) {
			var x [sim.NumSeries][]float64
			for k := range x {
				x[k] = append([]float64(nil), p.Series[k]...)
			}
			ser = append(ser, x)
			met = append(met, p.Metrics)
		})
	}
	fmt.Println("cum short", met[0][sim.MCumShort], met[1][sim.MCumShort])
	cum := [2]float64{}
	for mo := 0; mo < 120; mo++ {
		a, b := ser[0], ser[1]
		cum[0] += a[sim.SShortfall][mo]
		cum[1] += b[sim.SShortfall][mo]
		if a[sim.SShortfall][mo] != b[sim.SShortfall][mo] || mo%12 == 0 {
			fmt.Printf("m%d short %.1f %.1f (cum diff %.1f) DyX %.0f %.0f stock %.1f %.1f magX %.2f %.2f\n", mo, a[sim.SShortfall][mo], b[sim.SShortfall][mo], cum[1]-cum[0], a[sim.SPriceDyTbX][mo], b[sim.SPriceDyTbX][mo], a[sim.SStockDyTb][mo], b[sim.SStockDyTb][mo], a[sim.SPriceMagX][mo], b[sim.SPriceMagX][mo])
		}
	}
}
