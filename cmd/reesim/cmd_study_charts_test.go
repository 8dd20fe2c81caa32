package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// A study draws its charts into charts/ and report.html, with every text
// of the page escaped; --charts=false draws none.
func TestStudyCharts(t *testing.T) {
	src := t.TempDir()
	small, err := os.ReadFile("../../study/testdata/small.toml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "small.toml"), small, 0o644); err != nil {
		t.Fatal(err)
	}
	const studyFile = `name = "escaped"
description = "Stockpiles <b>bold</b> & more"
base = ["small.toml"]
reference = "stockpile-0"
value_per_tonne_usd = 1e6

[[sweep]]
name = "stockpile"
key = "stockpile.allied.size_days"
values = [0, 60, 180]
label = "Allied stockpile (days)"
labels = ["no <script>stockpile</script>", "60 days & more", "180 days"]
`
	file := filepath.Join(src, "escaped.toml")
	if err := os.WriteFile(file, []byte(studyFile), 0o644); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name   string
		args   []string
		charts []string
	}{
		{"charts", nil, []string{"lever", "cost-benefit", "paired-differences"}},
		{"no charts", []string{"--charts=false"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			args := append([]string{"study", file, "--paths", "150", "--seed", "5", "--workers", "2", "--out", out}, tc.args...)
			code, _, stderr := runReesim(args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			dir := filepath.Join(out, "escaped")
			files, _ := filepath.Glob(filepath.Join(dir, "charts", "*"))
			if len(files) != 3*len(tc.charts) {
				t.Errorf("charts/ holds %d files, want %d", len(files), 3*len(tc.charts))
			}
			for _, c := range tc.charts {
				for _, ext := range []string{".png", ".svg", ".pdf"} {
					if _, err := os.Stat(filepath.Join(dir, "charts", c+ext)); err != nil {
						t.Errorf("missing charts/%s%s", c, ext)
					}
				}
			}
			b, err := os.ReadFile(filepath.Join(dir, "report.html"))
			if err != nil {
				t.Fatal(err)
			}
			html := string(b)
			imgs := regexp.MustCompile(`<img src="data:image/png;base64,[A-Za-z0-9+/=&#;]+"`).FindAllString(html, -1)
			if len(imgs) != len(tc.charts) {
				t.Errorf("report.html has %d inline PNGs, want %d", len(imgs), len(tc.charts))
			}
			for _, c := range tc.charts {
				if !strings.Contains(html, `href="charts/`+c+`.svg"`) {
					t.Errorf("report.html does not link charts/%s.svg", c)
				}
			}
			if strings.Contains(html, "<script>") || strings.Contains(html, "<b>bold") {
				t.Error("report.html holds an unescaped label")
			}
			if len(tc.charts) > 0 && !strings.Contains(html, `alt="Change in cumulative magnet shortfall against no &lt;script&gt;stockpile&lt;/script&gt;`) {
				t.Error("report.html lacks the escaped alt text of the paired-difference chart")
			}
		})
	}
}
