package api

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"oversight/internal/fixture"
	"oversight/internal/memo"
	"oversight/internal/testcls"
	"oversight/internal/testreg"
)

// BenchmarkListUncached measures one uncached page of 50 deployments of a
// synthetic register, each request from another cursor, with the tiers
// read from the projection and with every deployment classified as it is
// read (the projection not ready): a plain page, and pages under a tier
// filter.
//
//	go test ./api -run XXX -bench ListUncached -benchtime 200x
func BenchmarkListUncached(b *testing.B) {
	const n = 20000
	set := fixture.Set(n)
	for _, projected := range []bool{false, true} {
		db := testreg.Open(b, set)
		cls := testcls.New(b, nil)
		if projected {
			testreg.ProjectTiers(b, db, cls)
		} else if _, err := db.SetTierProjector(context.Background(), cls); err != nil {
			b.Fatal(err)
		}
		h := New(Config{Open: snapshots(db), Classifier: cls, Memo: memo.New(64), Now: time.Now})
		for _, q := range []string{"", "&tier=eu-ai-act:high_risk", "&tier=apac-baseline:prohibited"} {
			b.Run(fmt.Sprintf("projected=%v%s", projected, q), func(b *testing.B) {
				items := 0
				for i := 0; b.Loop(); i++ {
					cursor := base64.RawURLEncoding.EncodeToString([]byte(set.Deployments[(i*7919)%n].ID))
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/deployments?limit=50&cursor="+cursor+q, nil))
					if rec.Code != 200 {
						b.Fatalf("%d: %s", rec.Code, rec.Body)
					}
					var page struct{ Items []json.RawMessage }
					if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil {
						b.Fatal(err)
					}
					items += len(page.Items)
				}
				b.ReportMetric(float64(items)/float64(b.N), "items/page")
			})
		}
	}
}
