package rules

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

// The benchmarks evaluate the EU AI Act framework, and its Art. 5 rules
// alone beside the same logic written by hand in Go, over the built-in
// deployments' fact documents:
//
//	go test ./rules -run XXX -bench . -benchtime 2s

func builtinFacts(tb testing.TB) []*Facts {
	tb.Helper()
	s, err := FactSchema()
	if err != nil {
		tb.Fatal(err)
	}
	names, _ := filepath.Glob("../data/facts/*.yaml")
	if len(names) == 0 {
		tb.Fatal("no fact documents in ../data/facts")
	}
	var out []*Facts
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			tb.Fatal(err)
		}
		f, err := s.ParseFacts(n, b)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, f)
	}
	return out
}

func euFramework(tb testing.TB) *Framework {
	tb.Helper()
	fw, err := Load(os.DirFS("../frameworks"), "eu-ai-act")
	if err != nil {
		tb.Fatal(err)
	}
	return fw
}

// art5 narrows the EU framework to the Art. 2(3) exclusion and Art. 5.
func art5(fw *Framework) *Framework {
	c := fw.compiled.clone()
	out := &Framework{ID: fw.ID, Binds: fw.Binds, Labels: fw.Labels, DefaultTier: fw.DefaultTier, compiled: c}
	c.rules = nil
	for _, cr := range fw.compiled.rules {
		if cr.rule.ID == "EU-AIA-2-3" || strings.HasPrefix(cr.rule.ID, "EU-AIA-5-") {
			c.rules = append(c.rules, cr)
			out.Rules = append(out.Rules, cr.rule)
		}
	}
	c.prepare()
	return out
}

func BenchmarkEvaluate(b *testing.B) {
	docs := builtinFacts(b)
	eu := euFramework(b)
	for _, bc := range []struct {
		name string
		fw   *Framework
	}{{"eu-ai-act", eu}, {"eu-art5-cel", art5(eu)}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				bc.fw.Evaluate(docs[i%len(docs)], day)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "evals/s")
		})
	}
	hand := handFacts(b, docs)
	b.Run("eu-art5-go", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			handArt5(hand[i%len(hand)], day)
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "evals/s")
	})
}

// TestHandWrittenAgrees checks that the hand-written Art. 5 logic gives the
// CEL rules' tier, fired rules, conditions and missing facts on every
// built-in fact document and every EU golden case, so that the benchmark
// compares like with like.
func TestHandWrittenAgrees(t *testing.T) {
	docs := builtinFacts(t)
	eu := euFramework(t)
	a5 := art5(eu)
	for i, h := range handFacts(t, docs) {
		want := a5.Evaluate(docs[i], day)
		got := handArt5(h, day)
		if got.Tier != want.Tier || (got.Bounds == nil) != (want.Bounds == nil) || (got.Bounds != nil && *got.Bounds != *want.Bounds) ||
			!slices.Equal(ruleIDs(got.Rules, ""), ruleIDs(want.Rules, "")) ||
			!slices.Equal(got.Missing, want.Missing) || len(got.Conditions) != len(want.Conditions) {
			t.Errorf("%s: hand-written %s %v missing %v; CEL %s %v missing %v", docs[i].ID(),
				got.Tier, ruleIDs(got.Rules, ""), got.Missing, want.Tier, ruleIDs(want.Rules, ""), want.Missing)
		}
		for j := range got.Conditions {
			if got.Conditions[j].Status != want.Conditions[j].Status {
				t.Errorf("%s: condition %s: hand-written %s, CEL %s", docs[i].ID(), got.Conditions[j].ID, got.Conditions[j].Status, want.Conditions[j].Status)
			}
		}
	}
}

// handDoc is the fact document as a hand-written evaluator would hold it:
// Go fields, nil for unknown.
type handDoc struct {
	purposes, caps, spaces, traits   *[]string
	mode, timing, watchlist, annexII *string
	actingFor, authType, authTiming  *string
	opType                           *string
	remote, public, isLE, emotionsMS *bool
	untargeted, unrelated, dispro    *bool
	assessed, solely, supports       *bool
	enabling, fria, registered       *bool
	urgency, perUse, review          *bool
	sentence                         *int64
}

func handFacts(tb testing.TB, docs []*Facts) []*handDoc {
	out := make([]*handDoc, len(docs))
	str := func(f *Facts, p string) *string {
		if v, ok := f.Value(p); ok {
			s := v.(string)
			if s == "unknown" {
				return nil
			}
			return &s
		}
		return nil
	}
	bl := func(f *Facts, p string) *bool {
		if v, ok := f.Value(p); ok {
			b := v.(bool)
			return &b
		}
		return nil
	}
	list := func(f *Facts, p string) *[]string {
		if v, ok := f.Value(p); ok {
			var l []string
			for _, x := range v.([]any) {
				l = append(l, x.(string))
			}
			return &l
		}
		return nil
	}
	for i, f := range docs {
		h := &handDoc{
			purposes: list(f, "purposes"), caps: list(f, "system.capabilities"), spaces: list(f, "setting.spaces"),
			traits: list(f, "inferences.sensitive_traits"), mode: str(f, "identification.mode"), timing: str(f, "identification.timing"),
			watchlist: str(f, "identification.watchlist_basis"), annexII: str(f, "offence.annex_ii_category"),
			actingFor: str(f, "operator.acting_on_behalf_of"), opType: str(f, "operator.type"), authType: str(f, "safeguards.authorisation.type"),
			authTiming: str(f, "safeguards.authorisation.timing"), remote: bl(f, "identification.remote"),
			public: bl(f, "setting.publicly_accessible"), isLE: bl(f, "operator.is_law_enforcement_authority"),
			emotionsMS: bl(f, "inferences.medical_or_safety_reason"), untargeted: bl(f, "inferences.scraping.untargeted"),
			unrelated: bl(f, "inferences.social_score.detrimental_unrelated_context"), dispro: bl(f, "inferences.social_score.detrimental_disproportionate"),
			assessed: bl(f, "inferences.offending_risk.assessed"), solely: bl(f, "inferences.offending_risk.solely_profiling"), supports: bl(f, "inferences.offending_risk.supports_human_assessment_objective_facts"),
			enabling: bl(f, "legal_basis.specific_enabling_law"), fria: bl(f, "safeguards.fria_done"),
			registered: bl(f, "safeguards.registered_in_public_register"), urgency: bl(f, "safeguards.authorisation.urgency_invoked"),
			perUse: bl(f, "safeguards.authorisation.per_use"), review: bl(f, "safeguards.human_review_before_action"),
		}
		if v, ok := f.Value("offence.max_custodial_sentence_years"); ok {
			n := v.(int64)
			h.sentence = &n
		}
		out[i] = h
	}
	return out
}

// k3 is a three-valued truth with the unknown facts it turns on.
type k3 struct {
	v    truth
	miss []string
}

var kT, kF = k3{v: tTrue}, k3{v: tFalse}

func unk(path string) k3 { return k3{v: tUnknown, miss: []string{path}} }

func and(xs ...k3) k3 {
	out := kT
	for _, x := range xs {
		if x.v == tFalse {
			return kF
		}
		if x.v == tUnknown {
			out.v = tUnknown
			out.miss = append(out.miss, x.miss...)
		}
	}
	return out
}

func or(xs ...k3) k3 {
	out := kF
	for _, x := range xs {
		if x.v == tTrue {
			return kT
		}
		if x.v == tUnknown {
			out.v = tUnknown
			out.miss = append(out.miss, x.miss...)
		}
	}
	return out
}

func not(x k3) k3 {
	switch x.v {
	case tTrue:
		return kF
	case tFalse:
		return kT
	}
	return x
}

func kb(b bool) k3 {
	if b {
		return kT
	}
	return kF
}

func isTrue(p *bool, path string) k3 {
	if p == nil {
		return unk(path)
	}
	return kb(*p)
}

func notTrue(p *bool, path string) k3 { return not(isTrue(p, path)) }

func isFalse(p *bool, path string) k3 {
	if p == nil {
		return unk(path)
	}
	return kb(!*p)
}

func eq(p *string, path string, vals ...string) k3 {
	if p == nil {
		return unk(path)
	}
	return kb(slices.Contains(vals, *p))
}

func has(l *[]string, path, v string) k3 {
	if l == nil {
		return unk(path)
	}
	return kb(slices.Contains(*l, v))
}

func anyOf(l *[]string, path string, vals ...string) k3 {
	if l == nil {
		return unk(path)
	}
	for _, x := range *l {
		if slices.Contains(vals, x) {
			return kT
		}
	}
	return kF
}

var (
	lePurposes = []string{"victim_search", "missing_person_search", "imminent_threat_to_life", "terrorist_threat", "serious_crime_suspect", "convicted_person_search", "general_crime_prevention", "criminal_investigation", "protest_public_order", "traffic_enforcement"}
	rbiCaps    = []string{"remote_biometric_identification", "gait_recognition", "voice_identification", "iris_recognition"}
	annexII    = []string{"terrorism", "trafficking_in_human_beings", "sexual_exploitation_of_children", "narcotics_trafficking", "weapons_trafficking", "murder_grievous_bodily_injury", "organ_trafficking", "nuclear_radioactive_trafficking", "kidnapping_hostage_taking", "icc_crimes", "seizure_of_aircraft_or_ships", "rape", "environmental_crime", "organised_or_armed_robbery", "sabotage", "criminal_organisation"}
	art5g      = []string{"race_ethnicity", "political_opinion", "trade_union", "religion_belief", "sex_life", "sexual_orientation"}
)

// handArt5 is EU AI Act Art. 2(3) and Art. 5 written in Go, with the same
// three-valued logic and result as the CEL rules.
func handArt5(h *handDoc, asOf time.Time) Result {
	res := Result{Framework: "eu-ai-act", Applicability: BenchmarkOnly}
	isRBI := and(anyOf(h.caps, "system.capabilities", rbiCaps...), eq(h.mode, "identification.mode", "identification"), isTrue(h.remote, "identification.remote"))
	realTime := eq(h.timing, "identification.timing", "real_time", "both")
	// Art. 3(46): who acts (Art. 3(45)) and what for.
	who := or(isTrue(h.isLE, "operator.is_law_enforcement_authority"), eq(h.opType, "operator.type", "police", "other_law_enforcement", "prison"),
		eq(h.actingFor, "operator.acting_on_behalf_of", "police", "other_law_enforcement"))
	le := and(who, anyOf(h.purposes, "purposes", lePurposes...))
	carveOut := and(le, eq(h.timing, "identification.timing", "post"), isTrue(h.enabling, "legal_basis.specific_enabling_law"))
	var sentence k3
	if h.sentence == nil {
		sentence = unk("offence.max_custodial_sentence_years")
	} else {
		sentence = kb(*h.sentence >= 4)
	}
	// Art. 5(1)(h): a purpose one of the objectives names goes to the exception path,
	// where whether the offence meets the objective is a condition.
	objectivePurposes := []string{"missing_person_search", "imminent_threat_to_life", "terrorist_threat", "victim_search", "serious_crime_suspect", "convicted_person_search"}
	objective := anyOf(h.purposes, "purposes", objectivePurposes...)
	listedObjective := and(
		or(not(has(h.purposes, "purposes", "victim_search")), eq(h.annexII, "offence.annex_ii_category", "kidnapping_hostage_taking", "trafficking_in_human_beings", "sexual_exploitation_of_children")),
		or(not(anyOf(h.purposes, "purposes", "serious_crime_suspect", "convicted_person_search")), and(eq(h.annexII, "offence.annex_ii_category", annexII...), sentence)))
	// Art. 5(1)(h) bans the use "in so far as" it is not strictly necessary for a listed
	// objective: each law-enforcement purpose is read on its own.
	unlisted := kF
	if h.purposes == nil {
		unlisted = unk("purposes")
	} else {
		for _, p := range *h.purposes {
			if slices.Contains(lePurposes, p) && !slices.Contains(objectivePurposes, p) {
				unlisted = kT
			}
		}
	}
	exclusion := kF
	if h.purposes == nil {
		exclusion = unk("purposes")
	} else if len(*h.purposes) > 0 {
		exclusion = kT
		for _, p := range *h.purposes {
			if p != "national_security" && p != "defence" {
				exclusion = kF
			}
		}
	}
	type rule struct {
		id, citation, explanation string
		tier                      Tier
		when                      k3
		stop                      bool
	}
	rulesList := []rule{
		{"EU-AIA-2-3", "Art. 2(3)", "exclusion", NotApplicable, exclusion, true},
		{"EU-AIA-5-1-h", "Art. 5(1)(h)", "live RBI", Prohibited, and(isRBI, realTime, isTrue(h.public, "setting.publicly_accessible"), le, unlisted), false},
		{"EU-AIA-5-1-h-exception", "Art. 5(1)(h)(i)-(iii)", "listed objective", ProhibitedUnless, and(isRBI, realTime, isTrue(h.public, "setting.publicly_accessible"), le, objective), false},
		{"EU-AIA-5-1-e", "Art. 5(1)(e)", "scraping", Prohibited, and(has(h.caps, "system.capabilities", "facial_database_construction"), isTrue(h.untargeted, "inferences.scraping.untargeted")), false},
		{"EU-AIA-5-1-f", "Art. 5(1)(f)", "emotions at work", Prohibited, and(has(h.caps, "system.capabilities", "emotion_recognition"), anyOf(h.spaces, "setting.spaces", "workplace", "education"), notTrue(h.emotionsMS, "inferences.medical_or_safety_reason")), false},
		{"EU-AIA-5-1-g", "Art. 5(1)(g)", "categorisation", Prohibited, and(has(h.caps, "system.capabilities", "biometric_categorisation"), anyOf(h.traits, "inferences.sensitive_traits", art5g...), not(carveOut)), false},
		{"EU-AIA-5-1-c", "Art. 5(1)(c)(i)-(ii)", "social scoring", Prohibited, and(has(h.caps, "system.capabilities", "social_scoring"), or(isTrue(h.unrelated, "inferences.social_score.detrimental_unrelated_context"), isTrue(h.dispro, "inferences.social_score.detrimental_disproportionate"))), false},
		{"EU-AIA-5-1-d", "Art. 5(1)(d)", "profiling", Prohibited, and(has(h.caps, "system.capabilities", "individual_risk_assessment"), isTrue(h.assessed, "inferences.offending_risk.assessed"), isTrue(h.solely, "inferences.offending_risk.solely_profiling"), notTrue(h.supports, "inferences.offending_risk.supports_human_assessment_objective_facts")), false},
	}
	certain, decided := MinimalRisk, false
	var missing, condMissing []string
	var possible []rule
	for _, r := range rulesList {
		switch r.when.v {
		case tTrue:
			tier := r.tier
			if r.id == "EU-AIA-5-1-h-exception" {
				conds := exceptionConds(h, listedObjective)
				ids := []string{"listed-objective", "national-law", "targeted-individual-only", "fria", "registration", "prior-authorisation", "no-solely-automated-adverse-decision"}
				failed, unknown := false, false
				for i, c := range conds {
					cr := ConditionResult{Rule: r.id, ID: ids[i], Status: Met}
					switch c.v {
					case tFalse:
						cr.Status, failed = Failed, true
					case tUnknown:
						cr.Status, unknown = Unknown, true
						cr.Missing = c.miss
						condMissing = append(condMissing, c.miss...)
					}
					res.Conditions = append(res.Conditions, cr)
				}
				switch {
				case failed:
					tier = Prohibited
				case !unknown:
					tier = HighRisk
				}
				if tier != ProhibitedUnless {
					condMissing = nil
				}
			}
			res.Rules = append(res.Rules, RuleResult{ID: r.id, Status: Fired, Tier: tier, Label: r.citation + ": " + r.explanation})
			if r.stop {
				res.Tier, res.Applicability = tier, OutOfScope
				res.Rules = res.Rules[len(res.Rules)-1:]
				res.Missing = []string{}
				return res
			}
			if !decided || tier.Severity() > certain.Severity() {
				certain, decided = tier, true
			}
		case tUnknown:
			if r.id == "EU-AIA-5-1-h-exception" {
				// A rule that may hold is read with its conditions as far as
				// they are known, as Evaluate does.
				failed, unknown := false, false
				for _, c := range exceptionConds(h, listedObjective) {
					failed = failed || c.v == tFalse
					unknown = unknown || c.v == tUnknown
				}
				switch {
				case failed:
					r.tier = Prohibited
				case !unknown:
					r.tier = HighRisk
				}
			}
			possible = append(possible, r)
		}
	}
	// The exception's unknown conditions matter only if no other rule already
	// prohibits: the prohibition is the most they could lead to.
	if certain != Prohibited {
		missing = append(missing, condMissing...)
	}
	least, most := certain, certain
	for _, r := range possible {
		if r.tier.Severity() > certain.Severity() || (r.stop && r.tier != certain) {
			missing = append(missing, r.when.miss...)
			if r.tier.Severity() > most.Severity() {
				most = r.tier
			}
			if r.tier.Severity() < least.Severity() {
				least = r.tier
			}
		}
		res.Rules = append(res.Rules, RuleResult{ID: r.id, Status: Possible, Tier: r.tier, Label: r.citation + ": " + r.explanation})
	}
	res.Tier = certain
	if least != most {
		res.Tier, res.Bounds = Indeterminate, &Bounds{Least: least, Most: most}
	}
	sort.Strings(missing)
	res.Missing = slices.Compact(missing)
	if res.Missing == nil {
		res.Missing = []string{}
	}
	return res
}

// exceptionConds are the conditions of EU-AIA-5-1-h-exception, in order.
func exceptionConds(h *handDoc, listedObjective k3) []k3 {
	return []k3{
		listedObjective,
		isTrue(h.enabling, "legal_basis.specific_enabling_law"),
		eq(h.watchlist, "identification.watchlist_basis", "specific_named_individuals"),
		isTrue(h.fria, "safeguards.fria_done"),
		or(isTrue(h.registered, "safeguards.registered_in_public_register"), isTrue(h.urgency, "safeguards.authorisation.urgency_invoked")),
		and(eq(h.authType, "safeguards.authorisation.type", "judicial", "independent_admin_binding"), isTrue(h.perUse, "safeguards.authorisation.per_use"),
			or(eq(h.authTiming, "safeguards.authorisation.timing", "prior"), and(isTrue(h.urgency, "safeguards.authorisation.urgency_invoked"), eq(h.authTiming, "safeguards.authorisation.timing", "within_24h")))),
		isTrue(h.review, "safeguards.human_review_before_action"),
	}
}

// BenchmarkClassifyAll evaluates every (deployment × framework) pair of the
// built-in data, one pair per iteration.
func BenchmarkClassifyAll(b *testing.B) {
	docs := builtinFacts(b)
	fws, err := LoadAll(os.DirFS("../frameworks"), ".")
	if err != nil {
		b.Fatal(err)
	}
	type pair struct {
		fw *Framework
		f  *Facts
	}
	var pairs []pair
	for _, fw := range fws {
		for _, f := range docs {
			pairs = append(pairs, pair{fw, f})
		}
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p := pairs[i%len(pairs)]
		p.fw.Evaluate(p.f, day)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "evals/s")
	b.ReportMetric(float64(len(fws)), "frameworks")
}
