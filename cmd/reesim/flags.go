// This file holds what the commands share about flags: parsing them in
// any order among the arguments, checking their values, and printing
// them in help.

package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/reesim/reesim/internal/tomlfile"
)

// printFlags prints the flags of fs as reesim's help shows them: with two
// dashes, the argument's name, the meaning and the default in words (the
// usage string says the default itself; Go's zero values, such as -1 for
// "off", mean nothing to a reader).
func printFlags(w io.Writer, fs *flag.FlagSet) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	n := 0
	fs.VisitAll(func(f *flag.Flag) {
		arg, usage := flag.UnquoteUsage(f)
		if isBool(f) {
			arg = ""
		}
		name := "--" + f.Name
		if arg != "" {
			name += " " + arg
		}
		fmt.Fprintf(tw, "  %s\t%s\n", name, usage)
		n++
	})
	if n == 0 {
		fmt.Fprintln(tw, "  (none)")
	}
	tw.Flush()
}

// isBool reports whether f takes no argument.
func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// noCharts defines --no-charts on fs, which sets *charts to false.
func noCharts(fs *flag.FlagSet, charts *bool, usage string) {
	fs.BoolFunc("no-charts", usage, func(s string) error {
		switch s {
		case "true":
			*charts = false
		case "false":
			*charts = true
		default:
			return fmt.Errorf("expected true or false, got %q", s)
		}
		return nil
	})
}

// dashed rewrites the flag package's "-name" in an error message as the
// "--name" the help and the documents use.
func dashed(msg string) string {
	for _, p := range []string{" for -", "argument: -", " for flag -"} {
		if i := strings.Index(msg, p); i >= 0 && !strings.HasPrefix(msg[i+len(p):], "-") {
			msg = msg[:i+len(p)] + "-" + msg[i+len(p):]
		}
	}
	return msg
}

// asTyped returns how the flag name was written in args ("-n" or "--n").
func asTyped(name string, args []string) string {
	for _, a := range args {
		if a == "--" {
			break
		}
		for _, p := range []string{"--", "-"} {
			if a == p+name || strings.HasPrefix(a, p+name+"=") {
				return p + name
			}
		}
	}
	return "--" + name
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

// parseInterspersed parses flags that may come before or after the
// positional arguments, which the standard flag package does not.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}
