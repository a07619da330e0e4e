package site

import (
	"reflect"
	"strings"

	"oversight/registry"
)

// recordFieldKeys are the keys of the "record field" vocabulary the
// history names a changed field by: "KIND PATH", the path in the import
// format with [] for an item of a list of records, and a list of values
// as one field. They are read from the registry's types, so that a field
// added there without words here fails TestLabels; a fact document's
// fields beside the schema's leaves ("fact field") are listed here.
func recordFieldKeys() []string {
	keys := []string{"facts schema", "facts evidence[].url", "facts evidence[].title", "facts evidence[].accessed",
		"facts evidence[].excerpt", "facts evidence[].supports"}
	for _, e := range []registry.Entity{&registry.Deployment{}, &registry.Vendor{}, &registry.Jurisdiction{},
		&registry.Instrument{}, &registry.Claim{}, &registry.Reply{}} {
		fieldPaths(reflect.TypeOf(e).Elem(), "", func(p string, _ bool) { keys = append(keys, e.Kind()+" "+p) })
	}
	return keys
}

var dateType = reflect.TypeFor[registry.Date]()

// fieldPaths calls fn with each field of a record's type by its path, and
// whether it holds a date.
func fieldPaths(t reflect.Type, prefix string, fn func(path string, date bool)) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == dateType || t.Kind() != reflect.Struct && t.Kind() != reflect.Slice:
		fn(prefix, t == dateType)
	case t.Kind() == reflect.Slice:
		el := t.Elem()
		for el.Kind() == reflect.Pointer {
			el = el.Elem()
		}
		if el.Kind() == reflect.Struct && el != dateType {
			fieldPaths(el, prefix+"[]", fn)
		} else {
			fn(prefix, false) // a list of values is one field
		}
	default:
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !f.IsExported() || name == "-" || name == "" {
				continue
			}
			p := name
			if prefix != "" {
				p = prefix + "." + name
			}
			fieldPaths(f.Type, p, fn)
		}
	}
}
