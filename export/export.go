// Package export writes the register, or the deployments a filter selects,
// as JSON (the project's own import format), CSV (one row per deployment,
// the layout import reads back) or GeoJSON (deployments with coordinates).
// It streams page by page, so memory stays flat however large the register.
package export

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"oversight/ingest"
	"oversight/registry"
)

// Formats lists the export formats.
var Formats = []string{"csv", "json", "geojson", "table"}

// Register is what export reads.
type Register interface {
	Each(ctx context.Context, kind string, fn func(registry.Entity) error) error
	Deployments(ctx context.Context, f registry.DeploymentFilter) (registry.Page[*registry.Deployment], error)
	EachDeployment(ctx context.Context, f registry.DeploymentFilter, fn func(*registry.Deployment) error) error
}

// StateRegister is a Register that also gives each deployment's stored
// state, its canonical JSON (registry.Canonical), as it is stored. JSON
// exports write those bytes as they are rather than decode and encode
// each deployment again, which was a third of an export of the whole
// register (docs/performance.md, "Exports classified once a set of
// facts").
type StateRegister interface {
	Register
	EachDeploymentState(ctx context.Context, f registry.DeploymentFilter, fn func(registry.Stored) error) error
}

// Tiers gives deployments' tiers under frameworks, which an export adds:
// as "tier:<framework>" columns in CSV, properties in GeoJSON, and a
// top-level "classification" object in JSON. Import ignores all three.
type Tiers interface {
	AsOf() string
	FrameworkIDs() []string
	// Of returns a deployment's tier under each framework, in the order
	// of FrameworkIDs, and beside each what a rule not yet in force will
	// make it ("from 2027-12-02: high_risk (...)"), or "".
	Of(d *registry.Deployment) (tiers, later []string, err error)
	// FactsRevision returns the log revision of the fact document the
	// tiers of deployment id read; ok is false when they read none.
	FactsRevision(id string) (seq int64, ok bool)
}

// Write writes the register in a format. JSON with a zero filter is the
// whole register, every kind, and imports back into an empty register to
// reproduce it; otherwise only the deployments the filter selects are
// written. tiers may be nil.
func Write(ctx context.Context, w io.Writer, r Register, format string, f registry.DeploymentFilter, tiers Tiers) error {
	bw := bufio.NewWriter(w)
	var err error
	switch format {
	case "json":
		if reflect.ValueOf(f).IsZero() {
			err = writeAll(ctx, bw, r, tiers)
		} else {
			err = writeJSONDeployments(ctx, bw, r, f, tiers)
		}
	case "csv":
		err = writeCSV(ctx, bw, r, f, tiers)
	case "geojson":
		err = writeGeoJSON(ctx, bw, r, f, tiers)
	case "table":
		err = writeTable(ctx, bw, r, f, tiers)
	default:
		return fmt.Errorf("unknown format %q (allowed: csv, json, geojson, table)", format)
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}

func writeAll(ctx context.Context, w *bufio.Writer, r Register, tiers Tiers) error {
	w.WriteString("{")
	for i, kind := range registry.Kinds.Values {
		if i > 0 {
			w.WriteString(",")
		}
		fmt.Fprintf(w, "\n%q: [", registry.Field(kind))
		n := 0
		var err error
		if sr, ok := r.(StateRegister); ok && kind == "deployment" {
			err = sr.EachDeploymentState(ctx, registry.DeploymentFilter{}, func(st registry.Stored) error { return writeJSON(w, &n, st.State) })
		} else {
			err = r.Each(ctx, kind, func(e registry.Entity) error {
				return writeItem(w, &n, e)
			})
		}
		if err != nil {
			return err
		}
		w.WriteString("\n]")
	}
	each := func(fn func(*registry.Deployment) error) error {
		return r.Each(ctx, "deployment", func(e registry.Entity) error { return fn(e.(*registry.Deployment)) })
	}
	if err := writeClassification(w, tiers, classificationRows(ctx, r, registry.DeploymentFilter{}, tiers, each)); err != nil {
		return err
	}
	w.WriteString("\n}\n")
	return nil
}

// classificationRows returns the walk of the rows of a "classification":
// each deployment's id and tiers. From the tier projection when r keeps
// these tiers (projectedRows); otherwise each deployment each gives is
// classified.
func classificationRows(ctx context.Context, r Register, f registry.DeploymentFilter, tiers Tiers, each func(fn func(*registry.Deployment) error) error) func(fn func(id string, of []string) error) error {
	if tiers == nil {
		return nil
	}
	if sr, ok := r.(StateRegister); ok {
		if p, ok := projection(r, tiers); ok {
			return func(fn func(id string, of []string) error) error {
				return projectedRows(ctx, sr, p, f, tiers, fn)
			}
		}
	}
	return func(fn func(id string, of []string) error) error {
		return each(func(d *registry.Deployment) error {
			of, _, err := tiers.Of(d)
			if err != nil {
				return err
			}
			return fn(d.ID, of)
		})
	}
}

// writeClassification writes the "classification" member: the date, the
// frameworks and each deployment's tier under each framework, as rows
// gives them. It walks the deployments again rather than hold them.
func writeClassification(w *bufio.Writer, tiers Tiers, rows func(fn func(id string, of []string) error) error) error {
	if tiers == nil {
		return nil
	}
	fws := tiers.FrameworkIDs()
	head, err := json.Marshal(map[string]any{"as_of": tiers.AsOf(), "frameworks": fws})
	if err != nil {
		return err
	}
	w.WriteString(",\n\"classification\": ")
	w.Write(head[:len(head)-1])
	w.WriteString(`,"tiers":{`)
	row := newRowWriter(fws)
	n := 0
	err = rows(func(id string, of []string) error {
		if n > 0 {
			w.WriteByte(',')
		}
		n++
		k, _ := json.Marshal(id)
		w.Write(k)
		w.WriteByte(':')
		row.write(w, of)
		return nil
	})
	if err != nil {
		return err
	}
	w.WriteString("}}")
	return nil
}

func writeJSONDeployments(ctx context.Context, w *bufio.Writer, r Register, f registry.DeploymentFilter, tiers Tiers) error {
	w.WriteString("{\"deployments\": [")
	n := 0
	var err error
	if sr, ok := r.(StateRegister); ok {
		err = sr.EachDeploymentState(ctx, f, func(st registry.Stored) error { return writeJSON(w, &n, st.State) })
	} else {
		err = r.EachDeployment(ctx, f, func(d *registry.Deployment) error { return writeItem(w, &n, d) })
	}
	if err != nil {
		return err
	}
	w.WriteString("\n]")
	each := func(fn func(*registry.Deployment) error) error {
		return r.EachDeployment(ctx, f, fn)
	}
	if err := writeClassification(w, tiers, classificationRows(ctx, r, f, tiers, each)); err != nil {
		return err
	}
	w.WriteString("}\n")
	return nil
}

func writeItem(w *bufio.Writer, n *int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return writeJSON(w, n, b)
}

// writeJSON writes one item of a list, its JSON as it is given.
func writeJSON(w *bufio.Writer, n *int, b []byte) error {
	if *n > 0 {
		w.WriteByte(',')
	}
	w.WriteString("\n")
	w.Write(b)
	*n++
	return nil
}

// writeCSV writes one row per deployment, every cell escaped against
// spreadsheet formulas (ingest.EscapeCell), which import undoes.
func writeCSV(ctx context.Context, w io.Writer, r Register, f registry.DeploymentFilter, tiers Tiers) error {
	cw := csv.NewWriter(w)
	header := ingest.CSVColumns
	var fws []string
	if tiers != nil {
		fws = tiers.FrameworkIDs()
		header = slices.Clone(header)
		for _, fw := range fws {
			header = append(header, ingest.TierColumnPrefix+fw)
		}
		header = append(header, ingest.LaterColumn, ingest.FactsColumn)
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	err := r.EachDeployment(ctx, f, func(d *registry.Deployment) error {
		rec, err := ingest.CSVRecord(d)
		if err != nil {
			return err
		}
		if tiers != nil {
			of, later, err := tiers.Of(d)
			if err != nil {
				return err
			}
			for _, t := range of {
				rec = append(rec, ingest.EscapeCell(t))
			}
			rec = append(rec, ingest.EscapeCell(laterCell(fws, later)))
			rev := "" // derived from the record: no fact document
			if seq, ok := tiers.FactsRevision(d.ID); ok {
				rev = strconv.FormatInt(seq, 10)
			}
			rec = append(rec, rev)
		}
		return cw.Write(rec)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// feature is a GeoJSON Feature with a Point geometry.
type feature struct {
	Type       string         `json:"type"`
	ID         string         `json:"id"`
	Geometry   geometry       `json:"geometry"`
	Properties map[string]any `json:"properties"`
}

type geometry struct {
	Type        string     `json:"type"`
	Coordinates [2]float64 `json:"coordinates"` // longitude, latitude (RFC 7946)
}

func writeGeoJSON(ctx context.Context, w *bufio.Writer, r Register, f registry.DeploymentFilter, tiers Tiers) error {
	w.WriteString(`{"type": "FeatureCollection", "features": [`)
	n := 0
	write := func(d *registry.Deployment) error {
		if d.Place.Lat == nil {
			return nil
		}
		return writeFeature(w, &n, d, tiers)
	}
	var err error
	if sr, ok := r.(StateRegister); ok {
		// A state without the bytes of the key "lat" has no latitude,
		// and is left undecoded: most deployments have none (61% of a
		// synthetic register). One with them is decoded and tested.
		err = sr.EachDeploymentState(ctx, f, func(st registry.Stored) error {
			if !bytes.Contains(st.State, latKey) {
				return nil
			}
			e, err := registry.Decode("deployment", st.State)
			if err != nil {
				return fmt.Errorf("deployment %s: %w", st.ID, err)
			}
			return write(e.(*registry.Deployment))
		})
	} else {
		err = r.EachDeployment(ctx, f, write)
	}
	if err != nil {
		return err
	}
	w.WriteString("\n]}\n")
	return nil
}

// latKey is how a state that has a latitude writes its key (json.Marshal
// writes no space), so a state without these bytes has none.
var latKey = []byte(`"lat":`)

// writeFeature writes a deployment that has coordinates as a Feature.
func writeFeature(w *bufio.Writer, n *int, d *registry.Deployment, tiers Tiers) error {
	vendors := make([]string, len(d.Vendors))
	for i, v := range d.Vendors {
		vendors[i] = v.Vendor
	}
	urls := make([]string, len(d.Sources))
	for i, s := range d.Sources {
		urls[i] = s.URL
	}
	props := map[string]any{
		"title": d.Title, "jurisdiction": d.Jurisdiction, "place": d.Place.Name, "place_level": d.Place.Level,
		"status": d.Status.Value, "certainty": d.Certainty, "year": d.Year(),
		"capabilities": d.System.Capabilities, "vendors": vendors, "sources": urls,
	}
	if tiers != nil {
		of, later, err := tiers.Of(d)
		if err != nil {
			return err
		}
		fws := tiers.FrameworkIDs()
		for i, fw := range fws {
			props[ingest.TierColumnPrefix+fw] = of[i]
		}
		if c := laterCell(fws, later); c != "" {
			props[ingest.LaterColumn] = c
		}
	}
	return writeItem(w, n, feature{
		Type: "Feature", ID: d.ID,
		Geometry:   geometry{"Point", [2]float64{*d.Place.Lon, *d.Place.Lat}},
		Properties: props,
	})
}

// laterCell joins, for the frameworks whose tier a rule not yet in force
// will change, the framework and what it becomes: "eu-ai-act from
// 2027-12-02: high_risk (Art. 6(2); Annex III point 1(a))", several
// separated by " | ".
func laterCell(fws, later []string) string {
	var parts []string
	for i, l := range later {
		if l != "" {
			parts = append(parts, fws[i]+" "+l)
		}
	}
	return strings.Join(parts, " | ")
}
