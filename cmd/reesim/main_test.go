package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/reesim/reesim/scenarios"
)

// runReesim runs reesim with args and returns its exit code and output.
func runReesim(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = realMain(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestExitCode(t *testing.T) {
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		err  error
		want int
	}{
		{"success", context.Background(), nil, 0},
		{"runtime failure", context.Background(), errors.New("disk full"), 1},
		{"usage", context.Background(), errUsage{"bad flag"}, 2},
		{"wrapped usage", context.Background(), fmt.Errorf("x: %w", errUsage{"bad flag"}), 2},
		{"problems", context.Background(), scenarios.Problems{{File: "a.toml", Msg: "m"}}, 3},
		{"wrapped problems", context.Background(), fmt.Errorf("loading: %w", scenarios.Problems{{File: "a.toml", Msg: "m"}}), 3},
		{"invalid", context.Background(), errInvalid{1, 2}, 3},
		{"interrupted", context.Background(), errInterrupted, 130},
		{"canceled", context.Background(), fmt.Errorf("run: %w", context.Canceled), 130},
		{"failure after ctrl-c", canceled, errors.New("write: broken"), 130},
	}
	for _, tt := range tests {
		if got := exitCode(tt.ctx, tt.err); got != tt.want {
			t.Errorf("%s: exitCode(%v) = %d, want %d", tt.name, tt.err, got, tt.want)
		}
	}
}

func TestHelp(t *testing.T) {
	tests := []struct {
		args     []string
		code     int
		inStdout string
		inStderr string
	}{
		{nil, 2, "", "Commands:"},
		{[]string{"help"}, 0, "Exit codes", ""},
		{[]string{"--help"}, 0, "validate", ""},
		{[]string{"help", "validate"}, 0, "usage: reesim validate", ""},
		{[]string{"validate", "--help"}, 0, "-q", ""},
		{[]string{"list", "-h"}, 0, "usage: reesim list", ""},
		{[]string{"valdate", "baseline"}, 2, "", `unknown command "valdate"`},
		{[]string{"help", "nope"}, 2, "", `unknown command "nope"`},
	}
	for _, tt := range tests {
		code, out, errOut := runReesim(tt.args...)
		if code != tt.code || !strings.Contains(out, tt.inStdout) || !strings.Contains(errOut, tt.inStderr) {
			t.Errorf("reesim %q: exit %d, stdout %q, stderr %q; want exit %d, %q in stdout and %q in stderr",
				tt.args, code, out, errOut, tt.code, tt.inStdout, tt.inStderr)
		}
	}
}
