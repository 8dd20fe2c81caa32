package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/reesim/reesim/plots"
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
		if err := plots.Render(d); err != nil {
			return fmt.Errorf("%s: %w", d, err)
		}
		fmt.Fprintf(stdout, "charts redrawn in %s\n", d)
	}
	return nil
}
