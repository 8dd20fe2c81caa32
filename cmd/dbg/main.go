// Command dbg prints a few paths of a scenario, for development only.
package main

import (
	"flag"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/reesim/reesim/engine"
	"github.com/reesim/reesim/scenarios"
	"github.com/reesim/reesim/sim"
)

func main() {
	paths := flag.Int("paths", 200, "")
	every := flag.Int("every", 6, "")
	months := flag.Int("months", 120, "")
	flag.Parse()
	s, err := scenarios.Load(flag.Arg(0))
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	for _, w := range scenarios.Warnings(s) {
		fmt.Println("warning:", w)
	}
	c, err := scenarios.Compile(s)
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	smp, _ := engine.NewSampler(c, 1)
	in := make([]float64, len(c.Inputs))
	p := c.Model.NewPath()
	T := c.Model.Months
	ser := map[int][][]float64{}
	showAll := []int{sim.SPriceNdPrCN, sim.SPriceNdPrX, sim.SPriceDyTbCN, sim.SPriceDyTbX, sim.SPriceMagCN, sim.SPriceMagX, sim.SShortfall, sim.SExportMag, sim.SExportDyTb, sim.SChinaMining, sim.SMagProdX, sim.SChinaShareX}
	show := showAll
	for _, k := range show {
		ser[k] = make([][]float64, T)
	}
	var mets [sim.NumMetrics][]float64
	maxres := 0.0
	var iters []float64
	for i := 0; i < *paths; i++ {
		smp.Sample(in, i)
		p.Run(in)
		iters = append(iters, 0)
		for _, k := range show {
			for t := 0; t < T; t++ {
				ser[k][t] = append(ser[k][t], p.Series[k][t])
			}
		}
		for j := range mets {
			mets[j] = append(mets[j], p.Metrics[j])
		}
		for _, r := range p.Residual {
			maxres = max(maxres, r)
		}
	}
	med := func(v []float64) float64 { w := append([]float64(nil), v...); sort.Float64s(w); return w[len(w)/2] }
	fmt.Printf("max residual %.3g spin-up iterations median %v max %v\n", maxres, med(iters), func() float64 { m := 0.0; for _, v := range iters { m = max(m, v) }; return m }())
	fmt.Printf("%4s", "t")
	for _, k := range show {
		fmt.Printf(" %12.12s", sim.SeriesInfo[k].Name)
	}
	fmt.Println()
	for t := 0; t < min(T, *months); t++ {
		if t > 13 && t%*every != 0 {
			continue
		}
		fmt.Printf("%4d", t)
		for _, k := range show {
			fmt.Printf(" %12.4g", med(ser[k][t]))
		}
		fmt.Println()
	}
	if obs, ok := scenarios.Observed(s); ok {
		cover(string(obs), ser, c.Model.StartAbs)
	}
	for j := range mets {
		sort.Float64s(mets[j])
		n := len(mets[j])
		mean := 0.0
		for _, v := range mets[j] {
			mean += v / float64(n)
		}
		fmt.Printf("%-32s p5 %10.4g p50 %10.4g p95 %10.4g mean %10.4g max %10.4g\n", sim.MetricInfo[j].Name, mets[j][n/20], mets[j][n/2], mets[j][n*19/20], mean, mets[j][n-1])
	}
}

func cover(csv string, ser map[int][][]float64, start int) {
	names := map[string]int{"price_ndpr_exchina": sim.SPriceNdPrX, "price_dytb_exchina": sim.SPriceDyTbX,
		"price_ndpr_china": sim.SPriceNdPrCN, "price_nd_oxide_china": sim.SPriceNdPrCN, "price_dytb_china": sim.SPriceDyTbCN}
	var in, n [2]int
	for _, line := range strings.Split(csv, "\n")[1:] {
		f := strings.SplitN(line, ",", 4)
		if len(f) < 3 {
			continue
		}
		s, ok := names[f[1]]
		if !ok || (f[1] == "price_ndpr_exchina" && f[0] == "2009-12") {
			continue
		}
		var y, m int
		fmt.Sscanf(f[0], "%d-%d", &y, &m)
		t := y*12 + m - 1 - start
		v, _ := strconv.ParseFloat(f[2], 64)
		if t < 0 || t >= len(ser[s]) {
			continue
		}
		w := append([]float64(nil), ser[s][t]...)
		sort.Float64s(w)
		lo, med, hi := w[len(w)/20], w[len(w)/2], w[len(w)*19/20]
		ch := 0
		if strings.HasSuffix(f[1], "_china") {
			ch = 1
		}
		n[ch]++
		mark := " "
		if v >= lo && v <= hi {
			in[ch]++
			mark = "*"
		}
		fmt.Printf("%s %s %-22s obs %8.1f  p5 %8.1f p50 %8.1f p95 %8.1f\n", mark, f[0], f[1], v, lo, med, hi)
	}
	fmt.Printf("coverage: ex-China %d/%d, China %d/%d\n", in[0], n[0], in[1], n[1])
}
