package plots

import "testing"

func TestInputLabel(t *testing.T) {
	tests := []struct{ name, want string }{
		{"export_control.heavy-ban.share_blocked", "Heavy ban: share blocked"},
		{"facility.iluka-eneabba.delay_months", "Iluka Eneabba: delay (months)"},
		{"facility.mp-materials-10x.planned_start", "MP Materials 10x: planned start (month)"},
		{"export_control.heavy-ban.occurs_draw", "Heavy ban: occurrence draw (high means it happens)"},
		{"facility.us-mag-new.cancel_draw", "US Mag New: cancellation draw (high means cancelled)"},
		{"tariff.us-magnets.level", "US magnets: level"},
		{"segment.ev-eu.growth", "EV EU: growth"},
		{"market.ndpr.ref_price", "NdPr market: reference price ($/kg)"},
		{"stockpile.us-nds.size_days", "US NDS: size (days of consumption)"},
		{"stockpile.jogmec-dy.size_t", "JOGMEC Dy: size (t)"},
		{"recycling.eu-target.share_target", "EU target: share target"},
		{"export_control.heavy-ban.duration_months", "Heavy ban: duration (months)"},
		{"ban_share", "Ban share"},
		{"tariff_level", "Tariff level"},
		{"thrift-lag-months", "Thrift lag (months)"},
		{"growth-ev", "Growth EV"},
		{"slip-mp-hre", "Slip MP HRE"},
		{"segment.electronics-china.base_tpy", "Electronics China: base demand (t/yr)"},
		{"tariff.us-ieepa-reciprocal-reversion.occurs_draw", "US IEEPA reciprocal reversion: occurrence draw (high means it happens)"},
		{"tariff.us-section301-magnets.occurs_draw", "US Section 301 magnets: occurrence draw (high means it happens)"},
		{"export_control.no18-magnets.share_blocked", "No. 18 magnets: share blocked"},
		{"facility.energy-fuels-phase2.ramp_months", "Energy Fuels Phase 2: ramp (months)"},
		{"recycling.recycling-exchina.share_target", "Recycling ex-China: share target"},
		{"stockpile.japan-jogmec-ndpr.size_days", "Japan JOGMEC NdPr: size (days of consumption)"},
		{"facility.lynas-kalgoorlie.capacity_tpy'", "Lynas Kalgoorlie: capacity (t/yr) (')"},
	}
	for _, tc := range tests {
		if got := inputLabel(tc.name); got != tc.want {
			t.Errorf("inputLabel(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestIsMonthInput(t *testing.T) {
	tests := []struct {
		name     string
		min, max float64
		want     bool
	}{
		{"export_control.ban.start", 2026 * 12, 2027 * 12, true},
		{"facility.x.planned_start", 2026 * 12, 2030 * 12, true},
		{"facility.x.delay_months", 0, 36, false},
		{"export_control.ban.start", 0, 36, false}, // not absolute months
	}
	for _, tc := range tests {
		if got := isMonthInput(tc.name, tc.min, tc.max); got != tc.want {
			t.Errorf("isMonthInput(%q, %v, %v) = %v", tc.name, tc.min, tc.max, got)
		}
	}
}

func TestCP1252(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"2026–2035", "2026\x962035"},
		{"± 1.96 SE", "\xb1 1.96 SE"},
		{"−0.18", "-0.18"},
		{"€ “x”", "\x80 \x93x\x94"},
		{"ρ ≥ 0", "rho >= 0"},
		{"中", "?"},
		{"\uFFFD", "?"},
	}
	for _, tc := range tests {
		if got := cp1252(tc.in); got != tc.want {
			t.Errorf("cp1252(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
