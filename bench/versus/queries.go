package main

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strconv"
	"strings"
	"sync"
)

// A query is one list request, which each server spells its own way.
// Empty fields filter nothing.
type query struct {
	Jurisdiction     string
	Technology       string
	YearFrom, YearTo int
	Word             string // full text
	After            string // the id the page starts after: a cursor
}

// A kind of query, and how to make a new one of it.
type kind struct {
	name, title string
	make        func(g *generator, r *rand.Rand) query
}

var (
	// codes are the jurisdictions of most synthetic deployments.
	codes = []string{"IN", "CN", "PK", "TH", "ID", "PH", "JP", "KZ", "AU", "UZ", "VN", "BD", "MY", "KG", "SG",
		"KR", "TW", "TJ", "KH", "HK", "LK", "MV", "MM", "NP", "BT", "NZ", "MN"}
	techs = []string{"cctv", "remote_biometric_identification", "command_centre", "lpr_anpr", "face_verification_1to1",
		"traffic_enforcement", "crowd_analytics", "behaviour_anomaly_detection", "object_detection", "drones"}
	// words are in the summaries of many synthetic deployments, which
	// name the real record each is modelled on.
	words = []string{"city", "national", "police", "safe", "cameras", "smart", "airport", "surveillance", "immigration",
		"metro", "biometric", "video", "centre", "zone", "detection", "facial", "command", "system", "attendance", "trial"}
)

var kinds = []kind{
	{"plain", "plain list, from a cursor", func(g *generator, r *rand.Rand) query {
		return query{After: g.id(r)}
	}},
	{"filtered", "jurisdiction + technology + year range", func(g *generator, r *rand.Rand) query {
		q := query{Jurisdiction: codes[r.IntN(len(codes))], Technology: techs[r.IntN(len(techs))]}
		q.YearFrom, q.YearTo = years(r)
		return q
	}},
	{"later", "the same filters, a later page (cursor)", func(g *generator, r *rand.Rand) query {
		q := query{Jurisdiction: codes[r.IntN(len(codes))], Technology: techs[r.IntN(len(techs))], After: g.id(r)}
		q.YearFrom, q.YearTo = years(r)
		return q
	}},
	{"text", "full text, one word, from a cursor", func(g *generator, r *rand.Rand) query {
		return query{Word: words[r.IntN(len(words))], After: g.id(r)}
	}},
	{"country", "a country's deployments, from a cursor", func(g *generator, r *rand.Rand) query {
		return query{Jurisdiction: codes[r.IntN(len(codes))], After: g.id(r)}
	}},
}

// years is a range of years within those of the synthetic deployments.
func years(r *rand.Rand) (int, int) {
	a, b := 2001+r.IntN(26), 2001+r.IntN(26)
	return min(a, b), max(a, b)
}

// A generator makes queries no server was asked before.
type generator struct {
	n    int
	mu   sync.Mutex
	seen map[string]bool
}

// id is the id of a synthetic deployment, picked at random.
func (g *generator) id(r *rand.Rand) string { return fmt.Sprintf("synthetic-%08d", r.IntN(g.n)) }

// next is a query of kind k that server was never asked.
func (g *generator) next(server string, k kind, r *rand.Rand) query {
	for {
		q := k.make(g, r)
		key := fmt.Sprintf("%s %s %+v", server, k.name, q)
		g.mu.Lock()
		fresh := !g.seen[key]
		g.seen[key] = true
		g.mu.Unlock()
		if fresh {
			return q
		}
	}
}

// oversightURL is q as Oversight's API reads it.
func oversightURL(q query) string {
	v := url.Values{"limit": {"50"}}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("jurisdiction", q.Jurisdiction)
	set("technology", q.Technology)
	if q.YearFrom != 0 {
		v.Set("year_from", strconv.Itoa(q.YearFrom))
		v.Set("year_to", strconv.Itoa(q.YearTo))
	}
	set("q", q.Word)
	if q.After != "" {
		v.Set("cursor", base64.RawURLEncoding.EncodeToString([]byte(q.After)))
	}
	return "/api/v1/deployments?" + v.Encode()
}

// pocketbaseURL is q as PocketBase's records API reads it: a filter, in
// id order, without the total count (skipTotal, which PocketBase advises
// when the count is not shown, and which saves it a COUNT per request).
// Full text is a substring match on the title and the summary, as
// PocketBase has no full-text index.
func pocketbaseURL(q query) string {
	var f []string
	if q.Jurisdiction != "" {
		f = append(f, fmt.Sprintf("jurisdiction = '%s'", q.Jurisdiction))
	}
	if q.Technology != "" {
		f = append(f, fmt.Sprintf("capabilities:each ?= '%s'", q.Technology))
	}
	if q.YearFrom != 0 {
		f = append(f, fmt.Sprintf("year >= %d && year <= %d", q.YearFrom, q.YearTo))
	}
	if q.Word != "" {
		f = append(f, fmt.Sprintf("(title ~ '%s' || summary ~ '%s')", q.Word, q.Word))
	}
	if q.After != "" {
		f = append(f, fmt.Sprintf("id > '%s'", q.After))
	}
	v := url.Values{"perPage": {"50"}, "skipTotal": {"1"}, "sort": {"id"}}
	if len(f) > 0 {
		v.Set("filter", strings.Join(f, " && "))
	}
	return "/api/collections/deployments/records?" + v.Encode()
}
