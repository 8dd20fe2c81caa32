package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/reesim/reesim/internal/safetext"
	"github.com/reesim/reesim/scenarios"
)

const validateUsage = `usage: reesim validate [flags] SCENARIO...

Checks each SCENARIO (a shipped scenario's name, a .toml file, or a folder
of them) with its extends chain, and prints "ok NAME (FILE)" for each valid
one. Every problem in an invalid one is printed on stderr as
FILE:LINE: KEY: MESSAGE. The exit code is 3 if any scenario is invalid.

Flags:
`

// validateOptions are the flags of reesim validate.
type validateOptions struct {
	quiet bool
}

func newValidateFlags(o *validateOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.BoolVar(&o.quiet, "quiet", false, "print nothing for valid scenarios, only problems (default: print \"ok NAME (FILE)\" for each)")
	fs.BoolVar(&o.quiet, "q", false, "short for --quiet")
	return fs
}

// cmdValidate is reesim validate.
func cmdValidate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o validateOptions
	fs := newValidateFlags(&o)
	names, helped, err := parseFlags(fs, args, validateUsage, stdout)
	if err != nil || helped {
		return err
	}
	if len(names) == 0 {
		return errUsage{"validate needs at least one scenario"}
	}
	files, err := expand(names)
	if err != nil {
		return err
	}
	invalid := 0
	for _, name := range files {
		if ctx.Err() != nil {
			return errInterrupted
		}
		s, err := scenarios.Load(name)
		var problems scenarios.Problems
		switch {
		case errors.As(err, &problems):
			fmt.Fprintln(stderr, safetext.Escape(problems.Error()))
			invalid++
		case err != nil:
			return err
		default:
			for _, w := range scenarios.Warnings(s) {
				fmt.Fprintln(stderr, "warning: "+safetext.Escape(w))
			}
			if !o.quiet {
				fmt.Fprintf(stdout, "ok %s (%s)\n", s.Name, safetext.Escape(s.File))
			}
		}
	}
	if invalid > 0 {
		return errInvalid{invalid: invalid, total: len(files)}
	}
	return nil
}
