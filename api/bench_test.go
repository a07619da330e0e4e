package api

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"oversight/analysis"
	"oversight/internal/fixture"
	"oversight/internal/memo"
	"oversight/internal/testcls"
	"oversight/internal/testreg"
	"oversight/registry"
	"oversight/rules"
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
	// The rarest tier the synthetic deployments reach under the regional
	// baseline, and the commonest under the EU AI Act.
	cls := testcls.New(b, nil)
	rare, common := tierBy(set, cls, "apac-baseline", func(a, b int) bool { return a < b }), tierBy(set, cls, "eu-ai-act", func(a, b int) bool { return a > b })
	for _, projected := range []bool{false, true} {
		db := testreg.Open(b, set)
		if projected {
			testreg.ProjectTiers(b, db, cls)
		} else if _, err := db.SetTierProjector(context.Background(), cls); err != nil {
			b.Fatal(err)
		}
		h := New(Config{Open: snapshots(db), Classifier: cls, Memo: memo.New(64), Now: time.Now})
		for _, q := range []string{"", "&tier=apac-baseline:" + rare, "&tier=eu-ai-act:" + common} {
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

// tierBy returns the tier under framework that better picks by count
// among the first 2,000 deployments of set.
func tierBy(set *registry.Set, cls *analysis.Classifier, framework string, better func(a, b int) bool) string {
	fw, _ := cls.Framework(framework)
	counts := map[rules.Tier]int{}
	for _, d := range set.Deployments[:min(2000, len(set.Deployments))] {
		counts[cls.TierOf(d, fw, time.Now())]++
	}
	best := rules.Tier("")
	for t, n := range counts {
		if best == "" || better(n, counts[best]) || n == counts[best] && t < best {
			best = t
		}
	}
	return string(best)
}
