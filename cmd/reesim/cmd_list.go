package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/reesim/reesim/scenarios"
)

const listUsage = `usage: reesim list

Lists the shipped scenarios, which reesim run and reesim validate take by
name, each with its one-line description.
`

// cmdList is reesim list.
func cmdList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	rest, helped, err := parseFlags(fs, args, listUsage, stdout)
	if err != nil || helped {
		return err
	}
	if len(rest) > 0 {
		return errUsage{fmt.Sprintf("list takes no arguments, got %q", rest[0])}
	}
	infos, err := scenarios.Shipped()
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	for _, info := range infos {
		fmt.Fprintf(tw, "%s\t%s\n", info.Name, info.Description)
	}
	return tw.Flush()
}
