// Command pocketbase is PocketBase, built from its source at the release
// pinned in go.mod, with one command of its own that loads the deployments
// of an Oversight JSON export into a "deployments" collection, so that
// bench/pocketbase.sh can serve the same rows from both and compare them.
//
//	go build -o pb . && ./pb load --dir pb_data r100k.json
//	./pb serve --dir pb_data --http 127.0.0.1:8091
//
// The collection has the fields a deployment is filtered on (jurisdiction,
// technology, year, status, certainty, title and summary), the rest of the
// record as JSON fields so that an answer carries what Oversight's does
// (less the tiers), and the indexes a PocketBase user would add for those
// filters: one on each column filtered by equality or range. Records keep
// Oversight's ids, so that both are ordered and paged by the same key.
// It lives in a module of its own so that Oversight does not depend on
// PocketBase.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"slices"
	"strconv"
	"time"

	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
	"github.com/spf13/cobra"
)

func main() {
	app := pocketbase.New()
	app.RootCmd.AddCommand(&cobra.Command{
		Use:   "load FILE",
		Short: "Create the deployments collection and load the deployments of an Oversight JSON export",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return load(app, args[0])
		},
	})
	if err := app.Start(); err != nil {
		log.Fatal(err)
	}
}

// capabilities are the values the technology field may take: Oversight's
// vocabulary (registry.Capabilities), copied: importing Oversight would
// raise the SQLite driver under PocketBase to Oversight's version (Go
// takes the highest a module requires), and the PocketBase measured would
// not be the release. load refuses a deployment with any other value, so
// a new value in Oversight's vocabulary cannot be dropped silently.
var capabilities = []string{
	"cctv", "command_centre", "body_worn_cameras", "drones", "face_detection",
	"face_verification_1to1", "remote_biometric_identification", "biometric_categorisation",
	"emotion_recognition", "gait_recognition", "voice_identification", "iris_recognition",
	"person_reidentification_nonbiometric", "lpr_anpr", "behaviour_anomaly_detection",
	"crowd_analytics", "object_detection", "place_based_predictive_policing",
	"individual_risk_assessment", "social_scoring", "facial_database_construction",
	"traffic_enforcement", "social_media_monitoring",
}

// jsonFields are the parts of a deployment kept as they are, as JSON.
var jsonFields = []string{"operator", "system", "dates", "scale", "place", "vendors", "financing", "sources"}

func collection() *core.Collection {
	c := core.NewBaseCollection("deployments")
	id := c.Fields.GetByName("id").(*core.TextField)
	id.Min, id.Max, id.Pattern = 1, 100, `^[a-z0-9]+(-[a-z0-9]+)*$`
	c.Fields.Add(
		&core.TextField{Name: "title", Required: true},
		&core.TextField{Name: "summary"},
		&core.TextField{Name: "jurisdiction", Required: true},
		&core.SelectField{Name: "capabilities", Values: capabilities, MaxSelect: len(capabilities)},
		&core.NumberField{Name: "year", OnlyInt: true},
		&core.TextField{Name: "status"},
		&core.TextField{Name: "certainty"},
	)
	for _, name := range jsonFields {
		c.Fields.Add(&core.JSONField{Name: name})
	}
	// Anyone may list and read, as on Oversight.
	c.ListRule, c.ViewRule = types.Pointer(""), types.Pointer("")
	c.AddIndex("idx_deployments_jurisdiction", false, "`jurisdiction`", "")
	c.AddIndex("idx_deployments_year", false, "`year`", "")
	c.AddIndex("idx_deployments_status", false, "`status`", "")
	c.AddIndex("idx_deployments_certainty", false, "`certainty`", "")
	return c
}

// deployment is the part of an exported deployment that becomes columns.
type deployment struct {
	ID           string `json:"id"`
	Title        string `json:"title"`
	Summary      string `json:"summary"`
	Jurisdiction string `json:"jurisdiction"`
	Certainty    string `json:"certainty"`
	Status       struct {
		Value string `json:"value"`
	} `json:"status"`
	System struct {
		Capabilities []string `json:"capabilities"`
	} `json:"system"`
	Dates []struct {
		Date string `json:"date"`
	} `json:"dates"`
}

// year is the year of the earliest dated event, or 0 when none is dated,
// as Oversight's registry.Deployment.Year reads it.
func (d *deployment) year() int {
	y := 0
	for _, e := range d.Dates {
		if len(e.Date) < 4 {
			continue
		}
		v, err := strconv.Atoi(e.Date[:4])
		if err == nil && v != 0 && (y == 0 || v < y) {
			y = v
		}
	}
	return y
}

// batch is the number of records saved in one transaction.
const batch = 2000

func load(app *pocketbase.PocketBase, path string) error {
	if err := app.Bootstrap(); err != nil {
		return err
	}
	if _, err := app.FindCollectionByNameOrId("deployments"); err == nil {
		return errors.New("the deployments collection exists already: load into a new --dir")
	}
	c := collection()
	if err := app.Save(c); err != nil {
		return fmt.Errorf("creating the collection: %w", err)
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	dec := json.NewDecoder(bufio.NewReaderSize(f, 1<<20))
	if err := seekList(dec, "deployments"); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	start, n := time.Now(), 0
	for more := true; more; {
		err := app.RunInTransaction(func(tx core.App) error {
			for i := 0; i < batch; i++ {
				if !dec.More() {
					more = false
					return nil
				}
				r, err := record(c, dec)
				if err != nil {
					return fmt.Errorf("deployment %d: %w", n+1, err)
				}
				if err := tx.SaveNoValidate(r); err != nil {
					return fmt.Errorf("deployment %s: %w", r.Id, err)
				}
				n++
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	fmt.Printf("loaded %d deployments in %.1f s\n", n, time.Since(start).Seconds())
	return nil
}

// record decodes the next deployment of the list into a record.
func record(c *core.Collection, dec *json.Decoder) (*core.Record, error) {
	var b json.RawMessage
	if err := dec.Decode(&b); err != nil {
		return nil, err
	}
	var raw map[string]json.RawMessage
	var d deployment
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, err
	}
	for _, v := range d.System.Capabilities {
		if !slices.Contains(capabilities, v) {
			return nil, fmt.Errorf("%s: technology %q is not among the collection's values: add it to capabilities", d.ID, v)
		}
	}
	r := core.NewRecord(c)
	r.Id = d.ID
	r.Set("title", d.Title)
	r.Set("summary", d.Summary)
	r.Set("jurisdiction", d.Jurisdiction)
	r.Set("capabilities", d.System.Capabilities)
	r.Set("year", d.year())
	r.Set("status", d.Status.Value)
	r.Set("certainty", d.Certainty)
	for _, name := range jsonFields {
		if v, ok := raw[name]; ok {
			r.Set(name, types.JSONRaw(v))
		}
	}
	return r, nil
}

// seekList reads dec up to the first element of the top-level object's
// list named key.
func seekList(dec *json.Decoder, key string) error {
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return fmt.Errorf("not a JSON object (%v)", err)
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		if t == key {
			if t, err := dec.Token(); err != nil || t != json.Delim('[') {
				return fmt.Errorf("%s is not a list (%v)", key, err)
			}
			return nil
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return err
		}
	}
	return fmt.Errorf("no list %q", key)
}
