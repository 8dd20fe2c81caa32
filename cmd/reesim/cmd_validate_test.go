package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	testdata := filepath.Join("..", "..", "scenarios", "testdata")
	valid := filepath.Join(testdata, "valid", "extends.toml")
	invalid := filepath.Join(testdata, "invalid", "probability.toml")
	tests := []struct {
		name     string
		args     []string
		code     int
		stdout   string
		inStderr []string
	}{
		{
			name:   "shipped and file",
			args:   []string{"validate", "baseline", valid},
			stdout: "ok baseline (scenarios/shipped/baseline.toml)\nok extends (" + valid + ")\n",
			// The fixture's NDS triggers on a control in force from its start.
			inStderr: []string{"warning: " + valid + `: stockpile "us-nds" has trigger_on_control = true`},
		},
		{
			name:     "one invalid",
			args:     []string{"validate", valid, invalid},
			code:     3,
			stdout:   "ok extends (" + valid + ")\n",
			inStderr: []string{invalid + ":9: export_control.ban.probability: expected a probability from 0 to 1, got 1.3\n", "1 of 2 scenarios are invalid"},
		},
		{
			name:     "flag after the arguments",
			args:     []string{"validate", valid, "-q"},
			inStderr: []string{"warning: "}, // -q keeps warnings
		},
		{
			name:     "flag after an invalid one",
			args:     []string{"validate", invalid, "--q"},
			code:     3,
			inStderr: []string{"got 1.3", "the scenario is invalid"},
		},
		{
			name:     "unknown name",
			args:     []string{"validate", "basline"},
			code:     3,
			inStderr: []string{`basline: there is no shipped scenario called "basline"`, `did you mean "baseline"?`},
		},
		{
			name:     "no scenario",
			args:     []string{"validate", "-q"},
			code:     2,
			inStderr: []string{"validate needs at least one scenario", "reesim validate --help"},
		},
		{
			name:     "bad flag",
			args:     []string{"validate", "baseline", "--paths", "5"},
			code:     2,
			inStderr: []string{"unknown flag --paths; the flags are --q"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runReesim(tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d; stderr:\n%s", code, tt.code, errOut)
			}
			if out != tt.stdout {
				t.Errorf("stdout:\n%s\nwant:\n%s", out, tt.stdout)
			}
			for _, s := range tt.inStderr {
				if !strings.Contains(errOut, s) {
					t.Errorf("stderr does not contain %q:\n%s", s, errOut)
				}
			}
			if len(tt.inStderr) == 0 && errOut != "" {
				t.Errorf("unexpected stderr:\n%s", errOut)
			}
		})
	}
}
