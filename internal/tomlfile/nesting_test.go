package tomlfile

import (
	"strings"
	"testing"
)

// Files nested too deeply are refused before the TOML parser, whose work
// grows with the square of the depth, sees them.
func TestCheckStructure(t *testing.T) {
	deep := func(n int, sep string) string { return strings.TrimSuffix(strings.Repeat("a"+sep, n), sep) }
	tests := []struct {
		name, text string
		line       int
	}{
		{"shipped-like", "name = \"x\"\n[market.ndpr]\nref_price = 80\n[[facility]]\nname = \"m\"\ndelay_months = {dist = \"pert\", min = 0, mode = 6, max = 24}\nlist = [[1, 2], [3, 4]]\n", 0},
		{"deep header", "name = \"x\"\n\n[" + deep(MaxNesting+1, ".") + "]\n", 3},
		{"header at the limit", "[" + deep(MaxNesting, ".") + "]\n", 0},
		{"deep array of tables", "[[" + deep(20000, ".") + "]]\n", 1},
		{"deep dotted key", "x = 1\n" + deep(MaxNesting+1, ".") + " = 1\n", 2},
		{"deep quoted key", strings.Repeat(`"a".`, 40) + `"a" = 1` + "\n", 1},
		{"deep arrays", "x = " + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "\n", 1},
		{"deep inline tables", "x = " + strings.Repeat("{a = ", 20000) + "1" + strings.Repeat("}", 20000) + "\n", 1},
		{"arrays over lines", "x = [\n" + strings.Repeat("[\n", 40) + strings.Repeat("]\n", 40) + "]\n", 32},
		{"too many keys", strings.Repeat("a = 1\n", MaxKeys) + "b = 1\nc = 1\n", MaxKeys + 1},
		{"too many keys in an inline table", "x = {" + strings.Repeat("a = 1, ", MaxKeys+1) + "}\n", 1},
		{"brackets in strings", "x = \"" + strings.Repeat("[", 100) + "\"\n# " + strings.Repeat("{", 100) + "\ny = '''\n" + strings.Repeat("[", 100) + "\n'''\n", 0},
	}
	for _, tt := range tests {
		line, msg := CheckStructure(tt.text)
		if line != tt.line || (msg != "") != (tt.line > 0) {
			t.Errorf("%s: line %d, %q; want line %d", tt.name, line, msg, tt.line)
		}
	}
}
