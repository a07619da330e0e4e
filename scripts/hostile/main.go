// Command hostile writes a corpus of hostile files for each format that
// `oversight import` reads (json, yaml, csv, aigs), for scripts/hostile.sh:
// bombs, deep nesting, huge strings, invalid UTF-8, control characters,
// duplicate keys and columns, non-canonical and out-of-range numbers,
// wrong types, nulls and empty items, byte order marks, CRLF, formula
// cells and AIGS sheets truncated or quoted wrong. A few are valid, so that
// the accepted path (import, then verify) is exercised too.
//
//	go run ./scripts/hostile -out DIR [-aigs SHEET.csv] [-big=false]
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

func main() {
	out := flag.String("out", "hostile-corpus", "directory to write the corpus to (one subdirectory per format)")
	sheet := flag.String("aigs", "../shared/data/aigs-2022/aigs_2022_sheet1.csv", "the AIGS 2022 sheet 1 CSV, which the aigs files mutate")
	big := flag.Bool("big", true, "also write the files of 100 MB and more")
	flag.Parse()
	g := &gen{dir: *out, big: *big, count: map[string]int{}}
	documentFiles(g, "json")
	documentFiles(g, "yaml")
	csvFiles(g)
	b, err := os.ReadFile(*sheet)
	if err != nil {
		log.Fatalf("hostile: %v (give the AIGS sheet with -aigs)", err)
	}
	aigsFiles(g, b)
	var formats []string
	for f := range g.count {
		formats = append(formats, f)
	}
	sort.Strings(formats)
	for _, f := range formats {
		fmt.Printf("%s: %d files\n", f, g.count[f])
	}
}

// gen writes files, numbered per format.
type gen struct {
	dir   string
	big   bool
	count map[string]int
}

func (g *gen) write(format, name string, data []byte) {
	ext := map[string]string{"json": "json", "yaml": "yaml", "csv": "csv", "aigs": "csv"}[format]
	g.count[format]++
	path := filepath.Join(g.dir, format, fmt.Sprintf("%04d-%s.%s", g.count[format], name, ext))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		log.Fatal(err)
	}
}

// A value is a node of a document, rendered as JSON or YAML with its
// bytes kept as they are (an encoder would repair invalid UTF-8).
type value struct {
	str           *string // a string
	raw           string  // text written as it is: a number, a literal, or something broken
	obj           []kv    // an object, in order
	list          []value // a list
	isObj, isList bool
}

type kv struct {
	k string
	v value
}

func str(s string) value         { return value{str: &s} }
func raw(s string) value         { return value{raw: s} }
func obj(kvs ...kv) value        { return value{obj: kvs, isObj: true} }
func list(vs ...value) value     { return value{list: vs, isList: true} }
func field(k string, v value) kv { return kv{k, v} }

// set returns a copy of v with the value at path (keys, and list indexes
// as "0") replaced; a missing key is added.
func set(v value, path []string, to value) value {
	if len(path) == 0 {
		return to
	}
	switch {
	case v.isObj:
		out := obj(append([]kv(nil), v.obj...)...)
		for i, f := range out.obj {
			if f.k == path[0] {
				out.obj[i].v = set(f.v, path[1:], to)
				return out
			}
		}
		out.obj = append(out.obj, field(path[0], set(obj(), path[1:], to)))
		return out
	case v.isList:
		out := list(append([]value(nil), v.list...)...)
		var i int
		fmt.Sscan(path[0], &i)
		if i < len(out.list) {
			out.list[i] = set(out.list[i], path[1:], to)
		}
		return out
	}
	return v
}

// render writes a value as JSON or YAML.
func render(format string, v value) string {
	var b strings.Builder
	if format == "json" {
		renderJSON(&b, v)
	} else {
		renderYAML(&b, v, 0)
	}
	b.WriteByte('\n')
	return b.String()
}

func renderJSON(b *strings.Builder, v value) {
	switch {
	case v.str != nil:
		b.WriteString(quote(*v.str, false))
	case v.isObj:
		b.WriteByte('{')
		for i, f := range v.obj {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(quote(f.k, false) + ":")
			renderJSON(b, f.v)
		}
		b.WriteByte('}')
	case v.isList:
		b.WriteByte('[')
		for i, e := range v.list {
			if i > 0 {
				b.WriteByte(',')
			}
			renderJSON(b, e)
		}
		b.WriteByte(']')
	default:
		b.WriteString(v.raw)
	}
}

func renderYAML(b *strings.Builder, v value, indent int) {
	pad := strings.Repeat("  ", indent)
	switch {
	case v.isObj && len(v.obj) > 0:
		for i, f := range v.obj {
			if i > 0 {
				b.WriteString(pad)
			}
			b.WriteString(f.k + ":")
			if (f.v.isObj && len(f.v.obj) > 0) || (f.v.isList && len(f.v.list) > 0) {
				b.WriteString("\n" + pad + "  ")
				renderYAML(b, f.v, indent+1)
			} else {
				b.WriteByte(' ')
				renderYAML(b, f.v, indent+1)
			}
			if i < len(v.obj)-1 {
				b.WriteByte('\n')
			}
		}
	case v.isList && len(v.list) > 0:
		for i, e := range v.list {
			if i > 0 {
				b.WriteString("\n" + pad)
			}
			b.WriteString("- ")
			renderYAML(b, e, indent+1)
		}
	case v.isObj:
		b.WriteString("{}")
	case v.isList:
		b.WriteString("[]")
	case v.str != nil:
		b.WriteString(quote(*v.str, true))
	default:
		b.WriteString(v.raw)
	}
}

// quote writes a double-quoted string, escaping quotes, backslashes and
// control characters but keeping every other byte, valid UTF-8 or not.
func quote(s string, yaml bool) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 && yaml:
			fmt.Fprintf(&b, `\x%02x`, c)
		case c < 0x20:
			fmt.Fprintf(&b, `\u%04x`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// baseDeployment is valid against the built-in register.
func baseDeployment() value {
	return obj(
		field("id", str("hostile-base")),
		field("title", str("A hostile-input test deployment")),
		field("jurisdiction", str("SG")),
		field("summary", str("Written by scripts/hostile.")),
		field("place", obj(field("name", str("Singapore")), field("level", str("city")), field("lat", raw("1.29")), field("lon", raw("103.85")))),
		field("operator", obj(field("name", str("Police")), field("kind", str("police")), field("sources", list(str("a"))))),
		field("system", obj(field("capabilities", list(str("cctv"))), field("purposes", list(str("general_crime_prevention"))), field("sources", list(str("a"))))),
		field("vendors", list(obj(field("vendor", str("huawei")), field("role", str("prime")), field("sources", list(str("a")))))),
		field("scale", obj(field("cameras", raw("100")), field("people_covered", raw("5000")), field("sources", list(str("a"))))),
		field("dates", list(obj(field("event", str("live")), field("date", str("2019-05")), field("sources", list(str("a")))))),
		field("status", obj(field("value", str("active")), field("as_of", str("2020-01-01")), field("sources", list(str("a"))))),
		field("financing", list(obj(field("instrument", str("grant")), field("amount", raw("1500000")), field("currency", str("USD")), field("year", raw("2019")), field("sources", list(str("a")))))),
		field("certainty", str("reported")),
		field("sources", list(obj(field("key", str("a")), field("url", str("https://example.org/a")), field("published", str("2019-01-02"))))),
	)
}

// doc wraps records in a register document.
func doc(list string, records ...value) value {
	return obj(field(list, value{list: records, isList: true}))
}

// badStrings are string values each string field gets in turn.
func badStrings() map[string]string {
	return map[string]string{
		"invalid-utf8": "T\xff\xfeitle", "overlong-utf8": "a\xc0\xafb", "truncated-utf8": "caf\xc3", "latin1": "Caf\xe9 Ol\xe9",
		"nul": "a\x00b", "escape": "a\x1b[31mb", "carriage-return": "a\r\nb", "delete": "a\x7fb", "bell": "\a",
		"id-4k": strings.Repeat("a", 4096), "text-25k": strings.Repeat("word ", 5000), "text-1m": strings.Repeat("x", 1<<20),
		"empty": "", "spaces": "   ", "bidi-override": "\u202eevil", "line-separator": "a\u2028b", "noncharacter": "\uffff",
		"formula": "=HYPERLINK(\"http://x\")", "emoji": "📷👁", "quote-formula": "'=1+1",
	}
}

// stringFields are where badStrings go in a deployment.
var stringFields = [][]string{
	{"id"}, {"title"}, {"jurisdiction"}, {"summary"}, {"place", "name"}, {"place", "level"}, {"operator", "name"},
	{"system", "capabilities", "0"}, {"vendors", "0", "vendor"}, {"vendors", "0", "note"}, {"status", "value"},
	{"status", "as_of"}, {"sources", "0", "key"}, {"sources", "0", "url"}, {"sources", "0", "excerpt"},
	{"sources", "0", "published"}, {"financing", "0", "currency"}, {"dates", "0", "date"}, {"certainty"},
}

// badNumbers are raw number spellings, for JSON and YAML.
var badNumbers = map[string][]string{
	"json": {"-0", "-0.0", "-0e0", "-1e-400", "1e-400", "NaN", "Infinity", "-Infinity", "1e309", "-1e309",
		"9223372036854775808", "18446744073709551616", "1e30", "0x10", "010", "1_000", "+5", ".5", "5.", "1e",
		`"12"`, "true", "null", "[]", "{}", "1.7976931348623157e308", "5e-324", "123456789012345678901234567890", "-", "0.1e-5"},
	"yaml": {"-0", "-0.0", "-0e0", "-1e-400", ".nan", ".NaN", ".inf", "-.inf", "+.Inf", "1e309", "-1e309",
		"9223372036854775808", "18446744073709551616", "0x10", "0o17", "010", "1_000", "+5", ".5", "5.",
		"'12'", "yes", "~", "null", "[]", "{}", "2019-01-01", "1:20", "0b101", "5e-324"},
}

// numberFields are where badNumbers go.
var numberFields = [][]string{
	{"place", "lat"}, {"place", "lon"}, {"scale", "cameras"}, {"scale", "people_covered"},
	{"financing", "0", "amount"}, {"financing", "0", "year"}, {"financing", "0", "amount_usd_2021"}, {"financing", "0", "aiddata_id"},
}

// wrongTypes replace a field's value with one of another type.
var wrongTypes = map[string]value{
	"string": str("x"), "number": raw("1"), "null": raw("null"), "bool": raw("true"),
	"object": obj(field("a", str("b"))), "list": list(str("a")), "empty-list": list(), "empty-object": obj(),
}

var typeFields = [][]string{{"id"}, {"place"}, {"sources"}, {"sources", "0"}, {"vendors", "0", "sources"}, {"status"}, {"dates", "0", "date"}, {"system", "capabilities"}}

// documentFiles writes the JSON or YAML corpus.
func documentFiles(g *gen, format string) {
	base := baseDeployment()
	write := func(name string, d value) { g.write(format, name, []byte(render(format, d))) }
	write("valid", doc("deployments", base))
	write("valid-unicode", doc("deployments", set(set(base, []string{"id"}, str("hostile-unicode")), []string{"title"}, str("監視カメラ 📷 \u202eRTL"))))
	names := sortedKeys(badStrings())
	for _, f := range stringFields {
		for _, n := range names {
			write("string-"+strings.Join(f, ".")+"-"+n, doc("deployments", set(base, f, str(badStrings()[n]))))
		}
	}
	for _, f := range numberFields {
		for _, n := range badNumbers[format] {
			write("number-"+strings.Join(f, ".")+"-"+safe(n), doc("deployments", set(base, f, raw(n))))
		}
	}
	for _, f := range typeFields {
		for _, n := range sortedKeys(wrongTypes) {
			write("type-"+strings.Join(f, ".")+"-"+n, doc("deployments", set(base, f, wrongTypes[n])))
		}
	}
	for _, n := range []int{101, 201, 1001, 100_000} {
		many := make([]value, n)
		for i := range many {
			many[i] = str("a")
		}
		write(fmt.Sprintf("list-%d-source-keys", n), doc("deployments", set(base, []string{"system", "sources"}, list(many...))))
	}
	for name, text := range structural(format) {
		g.write(format, name, []byte(text))
	}
	if g.big && format == "json" {
		huge := strings.Repeat("a", 100<<20)
		write("summary-100mb", doc("deployments", set(base, []string{"summary"}, str(huge))))
		write("over-import-limit-130mb", doc("deployments", set(base, []string{"summary"}, str(huge+huge[:30<<20]))))
	}
	if g.big && format == "yaml" {
		write("over-yaml-limit-3mb", doc("deployments", set(base, []string{"summary"}, str(strings.Repeat("a", 3<<20)))))
	}
}

func sortedKeys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// safe makes a value usable in a file name.
func safe(s string) string {
	r := strings.NewReplacer(`"`, "q", "'", "q", "[", "lb", "]", "rb", "{", "lc", "}", "rc", "~", "tilde", ":", "colon", "/", "slash", ".", "dot")
	return r.Replace(s)
}
