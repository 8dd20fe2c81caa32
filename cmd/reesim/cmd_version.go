package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"runtime"
)

const versionUsage = `usage: reesim version
       reesim --version

Prints reesim's version, the commit it was built from and the Go version;
every manifest.json records the same.
`

// cmdVersion is reesim version.
func cmdVersion(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	rest, helped, err := parseFlags(fs, args, versionUsage, stdout)
	if err != nil || helped {
		return err
	}
	if len(rest) > 0 {
		return errUsage{fmt.Sprintf("version takes no arguments, got %q", rest[0])}
	}
	fmt.Fprintf(stdout, "reesim %s (commit %s, %s)\n", version, commit(), runtime.Version())
	return nil
}
