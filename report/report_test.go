package report

import (
	"bytes"
	"strings"
	"testing"
)

func TestWrite(t *testing.T) {
	tests := []struct {
		name    string
		page    Page
		want    []string
		notWant []string
	}{
		{
			name: "escapes text from files",
			page: Page{
				Title: "reesim briefing: <b>x</b>", Description: `Ban <script>alert(1)</script> & tariff`,
				Headline:    []Headline{{Title: "Peak price", Unit: "$/kg", Mean: "12", Exceedances: []string{"P(> 10 $/kg) = 5% ± 1%"}}},
				Assumptions: []Assumption{{Label: "Heavy ban: share blocked", Name: "export_control.heavy-ban.share_blocked", Min: "0.1", Median: "0.5", Max: "0.9"}},
				Charts:      []Chart{{Title: "A chart", Alt: `say "hi"`, PNG: []byte{0x89, 'P', 'N', 'G'}, Links: []Field{{Name: "SVG", Value: "charts/a.svg"}}}},
				Reproduce:   []Field{{Name: "Command", Value: "reesim run --seed 1 x"}},
			},
			want: []string{
				"<title>reesim briefing: &lt;b&gt;x&lt;/b&gt;</title>",
				"Ban &lt;script&gt;alert(1)&lt;/script&gt; &amp; tariff",
				`src="data:image/png;base64,iVBORw=="`,
				`alt="say &#34;hi&#34;"`,
				`href="charts/a.svg"`,
				"P(&gt; 10 $/kg) = 5% ± 1%",
				"reesim run --seed 1 x",
				"dataset.imagesOk",
			},
			notWant: []string{"<script>alert", `class="partial"`},
		},
		{
			name: "partial run",
			page: Page{Title: "t", Partial: "PARTIAL RUN: stopped"},
			want: []string{`<div class="partial" id="partial">PARTIAL RUN: stopped</div>`, "No input is sampled"},
		},
	}
	for _, tc := range tests {
		var b bytes.Buffer
		if err := Write(&b, &tc.page); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		for _, w := range tc.want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s: page lacks %q", tc.name, w)
			}
		}
		for _, w := range tc.notWant {
			if strings.Contains(b.String(), w) {
				t.Errorf("%s: page holds %q", tc.name, w)
			}
		}
	}
}

func TestWriteIndex(t *testing.T) {
	ix := &Index{
		Title: "comparison", Columns: []string{"Shortfall (t)"},
		Rows: []IndexRow{{Scenario: "ban <2027>", Href: "ban/report.html", Paths: "1,000", Partial: true, Cells: []string{"5 ± 1 (2–9)"}}},
	}
	var b bytes.Buffer
	if err := WriteIndex(&b, ix); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{`<a href="ban/report.html">ban &lt;2027&gt;</a>`, "(PARTIAL RUN)", "5 ± 1 (2–9)", "<th>Shortfall (t)</th>"} {
		if !strings.Contains(b.String(), w) {
			t.Errorf("index lacks %q", w)
		}
	}
}

// TestPageLayout checks the briefing's order: the message, the key
// charts, the differences from the parent, then the appendix with the
// tables.
func TestPageLayout(t *testing.T) {
	png := []byte{0x89, 'P', 'N', 'G'}
	p := &Page{
		Title: "t", Message: []string{"In 9 of 10 futures <b>prices</b> double."},
		KeyCharts: []Chart{{Title: "key", PNG: png}}, Charts: []Chart{{Title: "other", PNG: png}},
		Differences: &Differences{Parent: "baseline", Changes: []Change{{Label: "Ban: share blocked", Key: "export_control.ban.share_blocked", Value: "0.9"}},
			Effects: []Effect{{Title: "Shortfall (t)", Parent: "1 t", Value: "2 t", Diff: "+1 t", CI: "0.5–1.5 t", Higher: "every future"}}},
		Headline: []Headline{{Title: "Shortfall (t)", Mean: "2 t"}},
	}
	var b bytes.Buffer
	if err := Write(&b, p); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	order := []string{`id="message"`, "In 9 of 10 futures &lt;b&gt;prices&lt;/b&gt; double.", `id="key-charts"`, "What this scenario changes from baseline", "1 t (0.5–1.5 t)", "<em>not set</em>", `id="appendix"`, "Appendix A. Headline results", "Appendix B. Further charts"}
	at := 0
	for _, w := range order {
		i := strings.Index(s[at:], w)
		if i < 0 {
			t.Fatalf("page lacks %q after byte %d", w, at)
		}
		at += i
	}
	if n := strings.Count(s[strings.Index(s, `id="key-charts"`):strings.Index(s, `id="appendix"`)], "<img"); n != 1 {
		t.Errorf("%d images between the key charts and the appendix, want 1", n)
	}
}
