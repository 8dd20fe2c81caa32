// Command reesim is a Monte Carlo simulator of rare-earth magnet supply
// shocks: it samples export controls, tariffs, stockpile releases and new
// plants' start dates, runs the monthly market model on each path, and
// writes the distributions of prices and shortfalls as tables and charts.
//
// Usage:
//
//	reesim COMMAND [flags] [arguments]
//
// Run "reesim help" for the commands and "reesim help COMMAND" for one
// command's flags. Flags may come before or after the arguments.
//
// Exit codes, for scripts:
//
//	0    success
//	1    runtime failure: the results cannot be written where asked (the
//	     folder exists and --force was not given, another run is writing
//	     it, it cannot be written in or was deleted, the disk is full), or
//	     results appeared in their place during the run (they are then
//	     kept in OUT/NAME~2), or a path's numbers went wrong (NaN,
//	     infinite or negative; the message names the scenario, seed and
//	     path)
//	2    bad usage: an unknown command or flag, a flag's value out of its
//	     range, a missing argument, two scenarios of one name in a batch,
//	     a --shard I/N that does not exist
//	3    invalid input: a scenario or study file cannot be found or read,
//	     or has problems, listed on stderr as FILE:LINE: KEY: MESSAGE;
//	     shard files missing, duplicated, damaged or of another run
//	130  interrupted (Ctrl-C or SIGTERM): the workers stop and either no
//	     new results are written or the tables of the paths done, marked
//	     partial, without charts; results it was asked to replace
//	     (--force) are kept; a second Ctrl-C quits at once, leaving at
//	     most a hidden temporary folder, which the next run removes
//
// Nothing is ever half-written in place: results are written to a
// temporary folder beside the final one and moved into place when
// complete.
//
// exitCode, below, is the one place errors become exit codes.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"text/tabwriter"

	"github.com/reesim/reesim/internal/safetext"
	"github.com/reesim/reesim/scenarios"
	"github.com/reesim/reesim/shard"
)

// command is one subcommand of reesim. run gets the arguments after the
// command's name and returns nil on success; it writes its results to
// stdout and its messages to stderr.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
	// usage is the command's synopsis; flags returns its flags, for
	// reesim help.
	usage string
	flags func() *flag.FlagSet
}

// commands returns reesim's subcommands, in the order help lists them.
// Each is implemented in its own file, cmd_NAME.go.
func commands() []command {
	none := func(name string) func() *flag.FlagSet {
		return func() *flag.FlagSet { return flag.NewFlagSet(name, flag.ContinueOnError) }
	}
	return []command{
		{"run", "run scenarios and write their tables, charts and briefing page", cmdRun,
			"reesim run [flags] SCENARIO...", func() *flag.FlagSet { return newRunFlags(&runOptions{}) }},
		{"validate", "check scenario files and report every problem in them", cmdValidate,
			"reesim validate [flags] SCENARIO...", func() *flag.FlagSet { return newValidateFlags(&validateOptions{}) }},
		{"list", "list the shipped scenarios", cmdList, "reesim list", none("list")},
		{"show", "print a shipped scenario or study file, to copy and edit", cmdShow, "reesim show NAME", none("show")},
		{"study", "compare policy variants (stockpile sizes, price floors, ...) on common random numbers", cmdStudy,
			"reesim study [flags] STUDY", func() *flag.FlagSet { return newStudyFlags(&studyOptions{}) }},
		{"explore", "which inputs drive the outcomes (Sobol' indices), when a crisis happens (PRIM), what sampling designs gain", cmdExplore,
			"reesim explore sensitivity|discover|designs [flags] ARG", func() *flag.FlagSet { return newExploreFlags(&exploreOptions{}) }},
		{"plot", "redraw the charts of finished runs", cmdPlot, "reesim plot DIR...", none("plot")},
		{"merge", "put together the shard files of a run or study made on several machines (--shard)", cmdMerge,
			"reesim merge [flags] SHARDS...", func() *flag.FlagSet { return newMergeFlags(&mergeOptions{}) }},
		{"version", "print reesim's version and the commit it was built from", cmdVersion, "reesim version", none("version")},
	}
}

// memoryLimit is the soft limit reesim asks of Go's garbage collector
// unless GOMEMLIMIT sets another. What a run holds does not grow with its
// paths (quantile sketches, a bounded sample for the charts), but while
// charts are drawn the collector would let the heap grow to twice what is
// live; the limit keeps a run's memory under about 100 MB.
const memoryLimit = 64 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 2) // room for a second signal sent at once
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sigs
		// The first signal stops the workers; the command then keeps
		// the tables of the paths done (marked partial), without
		// charts, or nothing.
		fmt.Fprintln(os.Stderr, "\nreesim: interrupted: stopping (press Ctrl-C again to quit at once)")
		cancel()
		// A second signal quits at once. The handler stays: restoring
		// the default action would restore "ignore" when reesim was
		// started with SIGINT ignored (as a background job of a script
		// is), and the second Ctrl-C would do nothing. What was being
		// written is in hidden temporary folders, never half in place;
		// the next run into the same folder removes them.
		<-sigs
		fmt.Fprintln(os.Stderr, "reesim: interrupted again: quitting now")
		os.Exit(130)
	}()
	code := realMain(ctx, os.Args[1:], os.Stdout, os.Stderr)
	os.Exit(code)
}

// realMain runs the command line args and returns the exit code.
func realMain(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr, false)
		return exitCode(ctx, errUsage{"no command given"})
	}
	name, rest := args[0], args[1:]
	switch name {
	case "--version", "-version", "-v":
		name = "version"
	case "help", "-h", "-help", "--help":
		if name == "help" && len(rest) > 0 {
			// reesim help CMD is reesim CMD --help.
			name, rest = rest[0], []string{"--help"}
			break
		}
		usage(stdout, true)
		return 0
	}
	cmd, ok := lookup(name)
	if !ok {
		err := errUsage{fmt.Sprintf("unknown command %q; the commands are %s", name, strings.Join(names(), ", "))}
		report(stderr, "", err)
		return exitCode(ctx, err)
	}
	err := cmd.run(ctx, rest, stdout, stderr)
	report(stderr, name, err)
	return exitCode(ctx, err)
}

// exitCode maps the error a command returned to reesim's exit code (see
// the table in the package comment).
func exitCode(ctx context.Context, err error) int {
	var (
		usage    errUsage
		problems scenarios.Problems
		invalid  errInvalid
		badInput errInvalidInput
		bad      *shard.Error
	)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errInterrupted), errors.Is(err, context.Canceled), ctx.Err() != nil:
		return 130
	case errors.As(err, &usage):
		return 2
	case errors.As(err, &problems), errors.As(err, &invalid), errors.As(err, &badInput), errors.As(err, &bad):
		return 3
	}
	return 1
}

// report prints err, returned by the command name, on stderr.
func report(stderr io.Writer, name string, err error) {
	var (
		usage    errUsage
		problems scenarios.Problems
	)
	prefix := "reesim: "
	if name != "" {
		prefix = "reesim " + name + ": "
	}
	// Messages quote file names and values from files, which might hold
	// escape sequences: these are shown, not sent to the terminal.
	switch {
	case err == nil:
	case errors.As(err, &problems):
		// Already in the FILE:LINE: KEY: MESSAGE form editors understand.
		fmt.Fprintln(stderr, safetext.Escape(problems.Error()))
	case errors.As(err, &usage):
		fmt.Fprintf(stderr, "%s%s\n", prefix, safetext.Escape(usage.msg))
		if name != "" {
			fmt.Fprintf(stderr, "Run 'reesim %s --help' for usage.\n", name)
		} else {
			fmt.Fprintln(stderr, "Run 'reesim help' for usage.")
		}
	default:
		fmt.Fprintf(stderr, "%s%s\n", prefix, safetext.Escape(err.Error()))
		if hint := fsHint(err); hint != "" {
			fmt.Fprintln(stderr, hint)
		}
	}
}

// fsHint says what to do about a file-system error that analysts meet,
// such as a full disk, or returns "".
func fsHint(err error) string {
	switch {
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
		return "The disk is full (or your quota is used up). Nothing was replaced: earlier results are as they were. Free some space, or write elsewhere with --out."
	case errors.Is(err, syscall.EFBIG):
		return "A file grew beyond the largest size allowed here (see ulimit -f). Nothing was replaced: earlier results are as they were."
	case errors.Is(err, syscall.EROFS):
		return "The output folder is on a read-only file system. Write elsewhere with --out."
	}
	return ""
}

// errInvalid reports that some scenarios were invalid, once their problems
// have been printed.
type errInvalid struct{ invalid, total int }

func (e errInvalid) Error() string {
	if e.total == 1 {
		return "the scenario is invalid"
	}
	return fmt.Sprintf("%d of %d scenarios are invalid", e.invalid, e.total)
}

func lookup(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

func names() []string {
	var out []string
	for _, c := range commands() {
		out = append(out, c.name)
	}
	return append(out, "help")
}

// usage prints reesim's help: the commands, then, when full, each
// command's flags.
func usage(w io.Writer, full bool) {
	fmt.Fprint(w, `reesim simulates rare-earth magnet supply shocks by Monte Carlo.

Usage:

	reesim COMMAND [flags] [arguments]

Commands:

`)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, c := range commands() {
		fmt.Fprintf(tw, "\t%s\t%s\n", c.name, c.summary)
	}
	fmt.Fprintf(tw, "\t%s\t%s\n", "help", "show this help, or a command's: reesim help COMMAND")
	tw.Flush()
	fmt.Fprint(w, `
A SCENARIO is a shipped scenario's name (see reesim list) or a .toml file;
docs/SCENARIOS.md describes the file format. Flags may come before or after
the arguments, and are written with two dashes (--paths 5000 or
--paths=5000). reesim --version is reesim version.
`)
	for _, c := range commands() {
		if !full {
			fmt.Fprint(w, "\nRun 'reesim help' for every command's flags.\n")
			break
		}
		fs := c.flags()
		n := 0
		fs.VisitAll(func(*flag.Flag) { n++ })
		if n == 0 {
			continue
		}
		fmt.Fprintf(w, "\nFlags of %s:\n", c.usage)
		printFlags(w, fs)
	}
	fmt.Fprint(w, `
Exit codes: 0 success, 1 runtime failure, 2 bad usage, 3 invalid scenario,
study or shard file, 130 interrupted.
`)
}
