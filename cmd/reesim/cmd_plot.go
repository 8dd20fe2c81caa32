package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/reesim/reesim/plots"
	"github.com/reesim/reesim/results"
)

const plotUsage = `usage: reesim plot DIR...

Redraws the charts, briefing.pdf and report.html of finished runs from the
tables in each results folder DIR (for example out/baseline), without
running the simulation again.
`

// cmdPlot is reesim plot.
func cmdPlot(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("plot", flag.ContinueOnError)
	dirs, helped, err := parseFlags(fs, args, plotUsage, stdout)
	if err != nil || helped {
		return err
	}
	if len(dirs) == 0 {
		return errUsage{"plot needs at least one results folder, such as out/baseline"}
	}
	for _, d := range dirs {
		if ctx.Err() != nil {
			return errInterrupted
		}
		if st, err := os.Stat(d); err != nil || !st.IsDir() {
			return errUsage{fmt.Sprintf("%s is not a results folder (run reesim run first)", d)}
		}
		if _, err := os.Stat(filepath.Join(d, "summary.json")); err != nil {
			return errUsage{fmt.Sprintf("%s is not a results folder: it has no summary.json (reesim run writes one)", d)}
		}
		// Charts are redrawn in place, file by file: what an earlier plot
		// that was killed left half written is removed first.
		for _, folder := range []string{d, filepath.Join(d, "charts")} {
			notes, err := results.TidyAll(folder)
			for _, n := range notes {
				fmt.Fprintf(stderr, "reesim plot: %s\n", n)
			}
			if err != nil {
				return err
			}
		}
		if err := plots.RenderWith(ctx, d, plots.Options{}); err != nil {
			if ctx.Err() != nil {
				fmt.Fprintf(stderr, "reesim plot: %s: stopped before every chart was redrawn; each chart file is whole, old or new (run reesim plot again to redraw them all)\n", d)
				return errInterrupted
			}
			return fmt.Errorf("%s: %w", d, err)
		}
		fmt.Fprintf(stdout, "charts redrawn in %s\n", d)
		if ctx.Err() != nil {
			return errInterrupted // the last file was written as the interrupt came
		}
	}
	return nil
}
