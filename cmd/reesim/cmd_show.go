package main

import (
	"context"
	"flag"
	"fmt"
	"github.com/reesim/reesim/internal/tomlfile"
	"io"
	"strings"

	"github.com/reesim/reesim/scenarios"
	"github.com/reesim/reesim/study"
)

const showUsage = `usage: reesim show NAME

Prints the shipped scenario or study NAME (see reesim list and reesim study
--list) as it is written, comments and sources included, so that it can be
copied and edited:

	reesim show heavy-ree-ban > my-ban.toml

A scenario that extends a shipped one names it in its extends key and needs
only the keys it changes; reesim validate checks the result.
`

// cmdShow is reesim show.
func cmdShow(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("show", flag.ContinueOnError)
	names, helped, err := parseFlags(fs, args, showUsage, stdout)
	if err != nil || helped {
		return err
	}
	if len(names) != 1 {
		return errUsage{"show needs one name: a shipped scenario (see reesim list) or study (see reesim study --list)"}
	}
	name := strings.TrimSuffix(names[0], ".toml")
	if b, ok := scenarios.ShippedText(name); ok {
		_, err := stdout.Write(b)
		return err
	}
	if b, ok := study.ShippedText(name); ok {
		_, err := stdout.Write(b)
		return err
	}
	var known []string
	if infos, err := scenarios.Shipped(); err == nil {
		for _, i := range infos {
			known = append(known, i.Name)
		}
	}
	if infos, err := study.Shipped(); err == nil {
		for _, i := range infos {
			known = append(known, i.Name)
		}
	}
	return errUsage{fmt.Sprintf("there is no shipped scenario or study called %q%s; they are %s", name, tomlfile.DidYouMean(name, known), strings.Join(known, ", "))}
}
