package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

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
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, plotUsage) }
	dirs, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return errUsage{err.Error()}
	}
	if len(dirs) == 0 {
		fs.Usage()
		return errUsage{"plot needs at least one results folder"}
	}
	for _, d := range dirs {
		if st, err := os.Stat(d); err != nil || !st.IsDir() {
			return errUsage{fmt.Sprintf("%s is not a results folder (run reesim run first)", d)}
		}
		if err := plots.Render(d); err != nil {
			return fmt.Errorf("%s: %w", d, err)
		}
		fmt.Fprintf(stdout, "charts redrawn in %s\n", d)
	}
	return nil
}
