package safetext

import "testing"

func TestStripAndEscape(t *testing.T) {
	tests := []struct{ in, strip, escape string }{
		{"plain text, with\nlines\tand tabs", "plain text, with\nlines\tand tabs", "plain text, with\nlines\tand tabs"},
		{"\x1b[31mred\x1b[0m", "red", `\x1b[31mred\x1b[0m`},
		{"title\x1b]0;pwned\x07 end", "title end", `title\x1b]0;pwned\x07 end`},
		{"osc\x1b]8;;http://x\x1b\\link", "osclink", `osc\x1b]8;;http://x\x1b\link`},
		{"lone \x1b", "lone ", `lone \x1b`},
		{"\x1bc reset", " reset", `\x1bc reset`},
		{"bell\a, cr\r, del\x7f, c1\u009b", "bell, cr, del, c1", `bell\x07, cr\x0d, del\x7f, c1\x9b`},
		{"abc\u202edcba", "abcdcba", `abc\u202edcba`},
		{"Dy/Tb – 90 %", "Dy/Tb – 90 %", "Dy/Tb – 90 %"},
	}
	for _, tt := range tests {
		if got := Strip(tt.in); got != tt.strip {
			t.Errorf("Strip(%q) = %q, want %q", tt.in, got, tt.strip)
		}
		if got := Escape(tt.in); got != tt.escape {
			t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.escape)
		}
	}
	if got := string(Bytes([]byte("<p>\x1b[2J</p>\n"))); got != "<p></p>\n" {
		t.Errorf("Bytes: %q", got)
	}
}
