package plots

import (
	"fmt"
	"math"
	"strings"
)

// inputLabel turns a sampled input's name into words for a chart or a
// table: "export_control.heavy-ban.share_blocked" becomes "Heavy ban:
// share blocked" and "facility.iluka-eneabba.delay_months" becomes "Iluka
// Eneabba: delay (months)". Names the scenario gave an input itself
// ("ban_share") are written out in the same way ("Ban share").
func inputLabel(name string) string {
	dup := strings.Count(name, "'")
	name = strings.TrimRight(name, "'")
	parts := strings.Split(name, ".")
	var s string
	switch {
	case len(parts) >= 3:
		kind, field := parts[0], parts[len(parts)-1]
		who := strings.Join(parts[1:len(parts)-1], ".")
		s = thingName(kind, who) + ": " + fieldName(field)
	case len(parts) == 2:
		s = thingName("", parts[0]) + ": " + fieldName(parts[1])
	default:
		s = sentence(fieldName(strings.ReplaceAll(name, "-", "_")))
	}
	if dup > 0 {
		s += " (" + strings.Repeat("'", dup) + ")"
	}
	return s
}

// thingName writes out the name of a facility, export control, market
// and so on. Facilities and stockpiles are proper names and get capitals
// on every word; the others are sentence case.
func thingName(kind, who string) string {
	words := splitWords(who)
	for i, w := range words {
		title := i == 0 || kind == "facility" || kind == "stockpile"
		if a, ok := acronym(w); ok {
			if title {
				a = capital(a)
			}
			words[i] = a
			continue
		}
		if title {
			words[i] = capital(w)
		}
	}
	s := strings.Join(words, " ")
	if kind == "market" {
		s += " market"
	}
	return s
}

// fieldName writes out a scenario key ("delay_months" → "delay (months)").
func fieldName(f string) string {
	switch f {
	case "occurs_draw":
		return "occurrence draw (high means it happens)"
	case "cancel_draw":
		return "cancellation draw (high means cancelled)"
	case "cancel_probability":
		return "chance of cancellation"
	case "probability":
		return "chance it happens"
	case "ref_price":
		return "reference price ($/kg)"
	case "capacity_tpy":
		return "capacity (t/yr)"
	case "base_tpy":
		return "base demand (t/yr)"
	case "size_days":
		return "size (days of consumption)"
	case "size_t":
		return "size (t)"
	case "planned_start":
		return "planned start (month)"
	case "start", "end", "target_date", "origin_rule_start":
		return strings.ReplaceAll(f, "_", " ") + " (month)"
	case "ndpr_share":
		return "NdPr share of output"
	case "dytb_share":
		return "Dy/Tb share of output"
	}
	units := []struct{ suffix, unit string }{
		{"_months", "months"}, {"_days", "days"}, {"_tpy", "t/yr"}, {"_t", "t"}, {"_musd", "$M"}, {"_usd", "$"},
	}
	for _, u := range units {
		if strings.HasSuffix(f, u.suffix) {
			return words(strings.TrimSuffix(f, u.suffix)) + " (" + u.unit + ")"
		}
	}
	return words(f)
}

// words turns a key into lower-case words, keeping acronyms.
func words(s string) string {
	ws := splitWords(s)
	for i, w := range ws {
		if a, ok := acronym(w); ok {
			ws[i] = a
		}
	}
	return strings.Join(ws, " ")
}

func splitWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '_' || r == ' ' })
}

// acronym spells the abbreviations and proper names that scenario names
// use, and splits numbers off words ("phase2" → "phase 2", "no18" → "No.
// 18").
func acronym(w string) (string, bool) {
	lw := strings.ToLower(w)
	switch lw {
	case "us", "eu", "uk", "ev", "evs", "ree", "hre", "lre", "nds", "mp", "src", "jogmec", "komir", "dod", "doe", "usa", "nz",
		"ieepa", "usar", "dla", "ira", "oem", "oems", "mofcom", "crma":
		return strings.ToUpper(w), true
	case "ndpr":
		return "NdPr", true
	case "dytb":
		return "Dy/Tb", true
	case "ndfeb":
		return "NdFeB", true
	case "exchina":
		return "ex-China", true
	case "china", "japan", "korea", "malaysia", "australia", "canada", "vietnam", "brazil", "germany", "france", "estonia",
		"india", "texas", "europe", "america", "asia", "africa", "greenland", "sweden", "norway", "myanmar", "laos", "section":
		return capital(lw), true
	}
	// A word of letters then digits: "no18", "phase2", "section301".
	i := strings.IndexAny(lw, "0123456789")
	if i >= 2 && strings.Trim(lw[i:], "0123456789") == "" {
		if lw[:i] == "no" {
			return "No. " + lw[i:], true
		}
		head, _ := acronym(lw[:i])
		if head == "" {
			head = lw[:i]
		}
		return head + " " + lw[i:], true
	}
	return "", false
}

func capital(w string) string {
	if w == "" {
		return w
	}
	return strings.ToUpper(w[:1]) + w[1:]
}

func sentence(s string) string { return capital(s) }

// isMonthInput reports whether an input holds months counted as
// year·12 + month − 1, which tables show as YYYY-MM.
func isMonthInput(name string, min, max float64) bool {
	name = strings.TrimRight(name, "'")
	field := name[strings.LastIndexByte(name, '.')+1:]
	switch field {
	case "start", "end", "planned_start", "target_date", "origin_rule_start":
	default:
		return false
	}
	return min >= 1900*12 && max < 2300*12
}

// monthLabel formats a month number year·12 + month − 1 as YYYY-MM.
func monthLabel(v float64) string {
	m := int(math.Round(v))
	return fmt.Sprintf("%04d-%02d", floorDiv(m, 12), m-12*floorDiv(m, 12)+1)
}
