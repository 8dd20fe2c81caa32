package plots_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/reesim/reesim/plots"
)

// copyDir copies the files of a folder.
func copyDir(dst, src string) error {
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	files, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(src, f.Name()))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dst, f.Name()), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// RenderWith re-draws a run's charts and briefing from the files the run
// wrote: here a small two-year run of 200 paths.
func ExampleRenderWith() {
	tmp, err := os.MkdirTemp("", "reesim-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	dir := filepath.Join(tmp, "fixture")
	if err := copyDir(dir, filepath.Join("testdata", "run")); err != nil {
		log.Fatal(err)
	}

	if err := plots.RenderWith(context.Background(), dir, plots.Options{}); err != nil {
		log.Fatal(err)
	}

	charts, _ := filepath.Glob(filepath.Join(dir, "charts", "*.png"))
	for _, c := range charts {
		fmt.Println(filepath.Base(c))
	}
	for _, name := range []string{"briefing.pdf", "report.html"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			fmt.Println(name)
		}
	}
	// Output:
	// china-share.png
	// dist-cum-shortfall-defence.png
	// dist-cum-shortfall.png
	// dist-peak-price-dytb.png
	// dist-peak-price-magnet.png
	// drivers-cum-shortfall.png
	// drivers-peak-price-magnet.png
	// magnet-supply-demand.png
	// price-dytb.png
	// price-magnet.png
	// price-ndpr.png
	// shortfall-defence.png
	// shortfall.png
	// stockpiles.png
	// briefing.pdf
	// report.html
}
