package main

import (
	"fmt"
	"strings"
	"unicode/utf16"
)

// structural returns whole JSON or YAML documents broken in their shape
// rather than in one value: bombs, nesting, duplicates, encodings, nulls.
func structural(format string) map[string]string {
	valid := render(format, doc("deployments", baseDeployment()))
	out := map[string]string{
		"empty": "", "whitespace": " \n\t\n", "bom-only": "\ufeff", "bom-valid": "\ufeff" + valid,
		"crlf-valid": strings.ReplaceAll(valid, "\n", "\r\n"), "cr-only": strings.ReplaceAll(valid, "\n", "\r"),
		"utf16le": utf16Text(valid, false), "utf16be": utf16Text(valid, true), "utf32le-bom": "\xff\xfe\x00\x00{\x00\x00\x00",
		"latin1-file": strings.ReplaceAll(valid, "Singapore", "Singap\xf4re"), "cp1252-quotes": strings.ReplaceAll(valid, "test", "\x93test\x94"),
		"nul-first": "\x00" + valid, "nul-middle": valid[:20] + "\x00" + valid[20:], "truncated-half": valid[:len(valid)/2],
		"truncated-end": valid[:len(valid)-3], "garbage-after": valid + "}}}", "two-documents": valid + valid,
	}
	for _, top := range []string{"[]", `"x"`, "1", "null", "true", "{}"} {
		out["top-"+safe(top)] = top + "\n"
	}
	for _, l := range []string{"jurisdictions", "vendors", "instruments", "deployments", "claims"} {
		out["null-in-"+l] = render(format, doc(l, raw("null")))
		out["empty-object-in-"+l] = render(format, doc(l, obj()))
		out["list-is-object-"+l] = render(format, obj(field(l, obj(field("a", str("b"))))))
	}
	out["null-after-valid"] = render(format, doc("deployments", baseDeployment(), raw("null")))
	claim := obj(field("id", str("hostile-claim")), field("jurisdiction", str("SG")), field("dataset", str("hostile")),
		field("indicator", str("x")), field("value", raw("true")), field("sources", list(obj(field("key", str("a")), field("url", str("https://e.org"))))))
	out["claim-valid"] = render(format, doc("claims", claim))
	for name, v := range map[string]value{
		"nested-list": list(list(list(str("a")))), "object": obj(field("a", raw("1"))), "neg-zero": raw("-0"),
		"mixed-list": list(str("a"), raw("1")), "null": raw("null"), "huge-list": list(repeat(str("v"), 2000)...),
		"huge-number": raw("1e308"), "long-string": str(strings.Repeat("v", 5000)), "tiny-number": raw("-1e-400"),
	} {
		out["claim-value-"+name] = render(format, doc("claims", set(claim, []string{"value"}, v)))
	}
	for _, n := range []int{10, 33, 100, 1000, 1001, 10_000, 100_000} {
		out[fmt.Sprintf("nest-brackets-%d", n)] = strings.Repeat("[", n) + strings.Repeat("]", n)
		out[fmt.Sprintf("nest-open-%d", n)] = `{"deployments":` + strings.Repeat("[", n)
		out[fmt.Sprintf("nest-objects-%d", n)] = strings.Repeat(`{"a":`, n) + "1" + strings.Repeat("}", n)
		out[fmt.Sprintf("nest-claim-value-%d", n)] = render(format, doc("claims", set(claim, []string{"value"}, raw(strings.Repeat("[", n)+strings.Repeat("]", n)))))
	}
	b := baseDeployment()
	dup := func(k string, v value) value { return obj(append(append([]kv(nil), b.obj...), field(k, v))...) }
	out["dup-key-id"] = render(format, doc("deployments", dup("id", str("other-id"))))
	out["dup-key-title-same"] = render(format, doc("deployments", dup("title", str("A hostile-input test deployment"))))
	out["dup-key-place"] = render(format, doc("deployments", dup("place", obj(field("lat", raw("1")), field("lon", raw("2"))))))
	out["dup-key-top"] = render(format, obj(field("deployments", list(b)), field("deployments", list())))
	out["dup-key-nested"] = render(format, doc("deployments", set(b, []string{"place"}, obj(field("lat", raw("1")), field("lat", raw("2")), field("lon", raw("3"))))))
	out["unknown-field-top"] = render(format, obj(field("deployments", list(b)), field("extra", str("x"))))
	out["unknown-field-record"] = render(format, doc("deployments", dup("titel", str("x"))))
	out["unknown-field-nested"] = render(format, doc("deployments", set(b, []string{"place", "altitude"}, raw("3"))))
	many := make([]value, 5000)
	for i := range many {
		many[i] = set(set(b, []string{"id"}, str(fmt.Sprintf("hostile-many-%d", i))), []string{"vendors"}, list())
	}
	out["records-5000-valid"] = render(format, doc("deployments", many...))
	out["records-duplicate-ids"] = render(format, doc("deployments", b, b))
	out["bad-every-field"] = render(format, doc("deployments", obj(field("id", raw("1")), field("title", raw("[]")), field("sources", raw("{}")))))
	if format == "json" {
		jsonOnly(out, b)
	} else {
		yamlOnly(out, valid)
	}
	return out
}

func repeat(v value, n int) []value {
	out := make([]value, n)
	for i := range out {
		out[i] = v
	}
	return out
}

func utf16Text(s string, bigEndian bool) string {
	var b strings.Builder
	put := func(u uint16) {
		if bigEndian {
			b.WriteByte(byte(u >> 8))
			b.WriteByte(byte(u))
		} else {
			b.WriteByte(byte(u))
			b.WriteByte(byte(u >> 8))
		}
	}
	put(0xfeff)
	for _, u := range utf16.Encode([]rune(s)) {
		put(u)
	}
	return b.String()
}

func jsonOnly(out map[string]string, b value) {
	valid := render("json", doc("deployments", b))
	out["escaped-dup-key"] = strings.Replace(valid, `"title":`, `"\u0074itle":"x","title":`, 1)
	out["lone-high-surrogate"] = strings.Replace(valid, `"Singapore"`, `"\ud800"`, 1)
	out["lone-low-surrogate"] = strings.Replace(valid, `"Singapore"`, `"\udc00x"`, 1)
	out["surrogate-pair"] = strings.Replace(valid, `"Singapore"`, `"\ud83d\udcf7"`, 1)
	out["escaped-nul"] = strings.Replace(valid, `"Singapore"`, `"a\u0000b"`, 1)
	out["raw-control-in-string"] = strings.Replace(valid, `"Singapore"`, "\"a\x01b\"", 1)
	out["single-quotes"] = strings.ReplaceAll(valid, `"`, `'`)
	out["comments"] = "// comment\n" + valid
	out["trailing-comma"] = strings.Replace(valid, `]}`, `,]}`, 1)
	keys := make([]string, 100_000)
	for i := range keys {
		keys[i] = fmt.Sprintf(`"k%d":1`, i)
	}
	out["object-100000-keys"] = `{"deployments":[{` + strings.Join(keys, ",") + `}]}`
	out["long-line-10mb"] = `{"deployments":[` + strings.Repeat(`"x",`, 2_500_000) + `"x"]}`
}

func yamlOnly(out map[string]string, valid string) {
	laughs := "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
	for i, p := 1, "a"; i < 9; i++ {
		n := string(rune('a' + i))
		laughs += fmt.Sprintf("%s: &%s [*%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s]\n", n, n, p, p, p, p, p, p, p, p, p)
		p = n
	}
	out["billion-laughs"] = laughs
	out["billion-laughs-in-deployments"] = laughs + "deployments: [*i]\n"
	out["string-alias-bomb"] = "s: &s \"" + strings.Repeat("x", 100_000) + "\"\ndeployments: [" + strings.Repeat("*s, ", 2000) + "*s]\n"
	out["map-alias-bomb"] = "m: &m {" + strings.Repeat("k: v, ", 1) + "}\nl: [" + strings.Repeat("*m, ", 200_000) + "*m]\n"
	out["recursive-alias"] = "a: &a [*a]\n"
	out["undefined-alias"] = "deployments: [*nothing]\n"
	out["alias-before-anchor"] = "x: *a\ny: &a 1\n"
	out["merge-key"] = "base: &b {id: x}\ndeployments:\n  - <<: *b\n    title: t\n"
	out["dash-nesting-100000"] = "deployments: " + strings.Repeat("- ", 100_000) + "x\n"
	var deep strings.Builder
	deep.WriteString("deployments:\n")
	for i := 1; i <= 1500; i++ {
		deep.WriteString(strings.Repeat(" ", i) + "-\n")
	}
	out["block-nesting-1500"] = deep.String()
	out["empty-items-1001"] = "deployments:\n" + strings.Repeat("  -\n", 1001)
	out["empty-values-1001"] = "deployments:\n  - " + strings.Repeat("k: \n    ", 1001) + "\n"
	out["mapping-5001-keys"] = "deployments:\n  - id: x\n" + keysYAML(5001)
	out["mapping-4000-keys"] = "deployments:\n  - id: x\n" + keysYAML(4000)
	out["tokens-250000"] = "deployments: [" + strings.Repeat("1,", 250_000) + "1]\n"
	out["flow-list-1m-items"] = "x: [" + strings.Repeat("a,", 500_000) + "a]\n"
	out["tag-binary"] = strings.Replace(valid, `"Singapore"`, "!!binary aGk=", 1)
	out["tag-timestamp"] = strings.Replace(valid, `"Singapore"`, "!!timestamp 2001-12-14t21:59:43.10-05:00", 1)
	out["tag-python"] = strings.Replace(valid, `"Singapore"`, "!!python/object:os.system echo", 1)
	out["tag-custom"] = strings.Replace(valid, `"Singapore"`, "!foo bar", 1)
	out["tag-set"] = "deployments: !!set {a, b}\n"
	out["tag-str-number"] = strings.Replace(valid, "1.29", "!!str 1.29", 1)
	out["tab-indent"] = strings.ReplaceAll(valid, "  ", "\t")
	out["complex-key"] = "? [a, b]\n: c\n"
	out["directive"] = "%YAML 1.1\n---\n" + valid
	out["document-end"] = valid + "...\n"
	out["comments-only"] = "# nothing\n# here\n"
	out["multi-doc"] = valid + "---\n" + valid
	out["dup-key-int-string"] = "deployments: []\n1: a\n\"1\": b\n"
	out["literal-block"] = strings.Replace(valid, `"Written by scripts/hostile."`, "|\n      line one\n      line two", 1)
	out["unterminated-quote"] = strings.Replace(valid, `"Singapore"`, `"Singapore`, 1)
	out["flow-unclosed"] = "deployments: [\n"
}

func keysYAML(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "    k%d: 1\n", i)
	}
	return b.String()
}
