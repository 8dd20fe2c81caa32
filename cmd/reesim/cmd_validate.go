package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"github.com/reesim/reesim/internal/tomlfile"
	"io"
	"strings"

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

// parseFlags parses args with fs, allowing flags after the positional
// arguments, and returns the positional arguments. For -h or --help it
// prints help (the usage text and fs's flags) on stdout and reports
// helped; a bad flag gives an errUsage.
func parseFlags(fs *flag.FlagSet, args []string, help string, stdout io.Writer) (pos []string, helped bool, err error) {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	if err := checkWholeNumbers(fs, args); err != nil {
		return nil, false, err
	}
	pos, err = parseInterspersed(fs, args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stdout, help)
		printFlags(stdout, fs)
		return nil, true, nil
	case err != nil:
		return nil, false, errUsage{flagError(fs, err, args)}
	}
	return pos, false, nil
}

// checkWholeNumbers checks that the values given to fs's int flags in
// args are written in decimal digits, as --seed's are: the flag package
// also takes 0x10, 0o20 and 0b10000 for 16, and 1_000 for 1000.
func checkWholeNumbers(fs *flag.FlagSet, args []string) error {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return nil
		}
		name, ok := strings.CutPrefix(a, "-")
		if !ok || name == "" {
			continue
		}
		name = strings.TrimPrefix(name, "-")
		name, value, hasValue := strings.Cut(name, "=")
		f := fs.Lookup(name)
		if f == nil {
			continue
		}
		g, isGetter := f.Value.(flag.Getter)
		if !isGetter {
			continue
		}
		if _, isInt := g.Get().(int); !isInt {
			continue
		}
		if !hasValue {
			if i+1 >= len(args) {
				return nil // the flag package says the value is missing
			}
			i++
			value = args[i]
		}
		if digits := strings.TrimPrefix(value, "-"); digits == "" || strings.Trim(digits, "0123456789") != "" {
			return errUsage{fmt.Sprintf("invalid value %q for flag --%s: expected a whole number", value, name)}
		}
	}
	return nil
}

// flagError rewords the flag package's error err in plainer words, with
// a suggestion for a misspelt flag.
func flagError(fs *flag.FlagSet, err error, args []string) string {
	msg := dashed(err.Error())
	switch {
	case strings.HasPrefix(msg, "invalid boolean value"):
		return strings.TrimSuffix(msg, "parse error") + "expected true or false"
	case strings.HasSuffix(msg, ": parse error"):
		return strings.TrimSuffix(msg, "parse error") + "expected a whole number"
	}
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		var known []string
		fs.VisitAll(func(f *flag.Flag) { known = append(known, f.Name) })
		name = strings.TrimPrefix(name, "-")
		typed := asTyped(name, args)
		// DidYouMean quotes the name: ` (did you mean "paths"?)`.
		if hint := tomlfile.DidYouMean(name, known); hint != "" {
			return "unknown flag " + typed + strings.Replace(strings.Replace(hint, `"`, "--", 1), `"`, "", 1)
		}
		if len(known) == 0 {
			return fmt.Sprintf("unknown flag %s; this command takes no flags", typed)
		}
		return fmt.Sprintf("unknown flag %s; the flags are --%s", typed, strings.Join(known, ", --"))
	}
	return msg
}
