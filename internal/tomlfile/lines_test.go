package tomlfile

import (
	"reflect"
	"testing"

	"github.com/BurntSushi/toml"
)

func TestKeyLines(t *testing.T) {
	tests := []struct {
		name, text string
		want       map[string]int
	}{
		{
			name: "plain keys and tables",
			text: "name = \"x\"\n# comment\n[market.ndpr]\nref_price = 5 # c\n\n[recipe]\n  ndpr_t_per_t = 0.3\n",
			want: map[string]int{"name": 1, "market": 3, "market.ndpr": 3, "market.ndpr.ref_price": 4, "recipe": 6, "recipe.ndpr_t_per_t": 7},
		},
		{
			name: "arrays of tables by name",
			text: "[[facility]]\nname = \"a\"\ncap = 1\n[[facility]]\ncap = 2\n[[facility]]\nname = \"c\"\ncap = 3\n",
			want: map[string]int{
				"facility": 1, "facility.a": 1, "facility.a.name": 2, "facility.a.cap": 3,
				"facility[2]": 4, "facility[2].cap": 5,
				"facility.c": 6, "facility.c.name": 7, "facility.c.cap": 8,
			},
		},
		{
			name: "inline tables and multi-line values",
			text: "[[facility]]\nname = \"a\"\nserves = [\n  \"x = 1\", # not a key\n  \"y\",\n]\nnote = \"\"\"\nfake = 3\n\"\"\"\ndelay = {dist = \"pert\",\n  min = 1, mode = 2, max = 3}\n",
			want: map[string]int{
				"facility": 1, "facility.a": 1, "facility.a.name": 2, "facility.a.serves": 3,
				"facility.a.note": 7, "facility.a.delay": 10, "facility.a.delay.dist": 10,
				"facility.a.delay.min": 11, "facility.a.delay.mode": 11, "facility.a.delay.max": 11,
			},
		},
		{
			name: "dotted and quoted keys",
			text: "market.ndpr.ref_price = 4\n[regions]\n\"new-zealand\" = \"allied\"\n'us' = \"allied\"\n",
			want: map[string]int{"market": 1, "market.ndpr": 1, "market.ndpr.ref_price": 1, "regions": 2, "regions.new-zealand": 3, "regions.us": 4},
		},
		{
			name: "inline array of tables",
			text: "segment = [\n  {name = \"a\", base_tpy = 1},\n  {name = \"b\",\n   base_tpy = 2},\n]\n",
			want: map[string]int{"segment": 1, "segment.a": 2, "segment.a.name": 2, "segment.a.base_tpy": 2, "segment.b": 3, "segment.b.name": 3, "segment.b.base_tpy": 4},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m map[string]any
			if _, err := toml.Decode(tt.text, &m); err != nil {
				t.Fatalf("test text does not parse: %v", err)
			}
			got := KeyLines(tt.text, m)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("KeyLines:\ngot  %v\nwant %v", got, tt.want)
			}
		})
	}
}

func TestLineOf(t *testing.T) {
	lines := map[string]int{"facility.a": 3, "facility.a.cap": 5, "facility[2]": 9}
	tests := map[string]int{
		"facility.a.cap":          5,
		"facility.a.delay":        3,
		"facility[2].cap":         9,
		"facility.x.y":            0,
		"facility.a.delay.min.x":  3,
		"":                        0,
		"facility.mp.materials.x": 0,
	}
	for path, want := range tests {
		if got := LineOf(lines, path); got != want {
			t.Errorf("LineOf(%q) = %d, want %d", path, got, want)
		}
	}
}
