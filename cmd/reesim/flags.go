package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
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
