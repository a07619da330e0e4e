package params_test

import (
	"errors"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"oversight/analysis"
	"oversight/frameworks"
	"oversight/internal/params"
	"oversight/registry"
)

// FuzzParams reads an arbitrary query string with every reader the API
// and the pages use. Whatever it holds, reading must not panic, and what
// is wrong must come back as one EInvalid error naming parameters.
func FuzzParams(f *testing.F) {
	for _, q := range []string{
		"", "jurisdiction=SG,MY&limit=10&cursor=c2ctZXhhbXBsZQ", "tier=eu-ai-act:prohibited,high_risk&as_of=2026-08-02",
		"year_from=2020&year_to=2019", "limit=0", "limit=99999999999999999999", "cursor=%00", "cursor=_-_-",
		"q=%ff%fe", "as_of=2026-02-30", "jurisdiction=" + "x,,", "tier=:", "tier=eu-ai-act:", "framework=a,,b",
		"status=active&status=planned", "vendor=Not%20A%20Slug", "vendor=huawei,%20hikvision,,x", "vendor=" + strings.Repeat("a,", 60), "technology=cctv&certainty=documented", "purpose=retail_loss_prevention", "purpose=Retail_Loss_Prevention&purpose=x",
		"subregion=oceania&vendor_hq=cn", "unknown=1", "q=" + string(make([]byte, 300)),
	} {
		f.Add(q, "x")
	}
	fws, err := frameworks.Load()
	if err != nil {
		f.Fatal(err)
	}
	cls, err := analysis.NewClassifier(fws, nil)
	if err != nil {
		f.Fatal(err)
	}
	today := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	all := append(append([]string{"limit", "cursor", "as_of", "tier", "framework", "subregion"}, params.Deployment...), params.Network...)
	f.Fuzz(func(t *testing.T, query, path string) {
		v, err := url.ParseQuery(query)
		if err != nil {
			return // net/http refuses it before a handler sees it
		}
		p := params.Read(v, all...)
		df := p.DeploymentFilter()
		p.NetworkQuery()
		asOf := p.AsOf(today)
		p.Limit(100)
		p.Frameworks(cls)
		p.Tier(cls, asOf, &df)
		p.Enum("status", registry.Statuses)
		checkInvalid(t, p.Err())
		checkInvalid(t, params.Read(v).Err()) // an endpoint that takes none

		req := httptest.NewRequest("GET", "/api/v1/deployments/x", nil)
		req.Pattern = "/api/v1/deployments/{id}"
		req.SetPathValue("id", path)
		checkInvalid(t, params.Path(req))
	})
}

func checkInvalid(t *testing.T, err error) {
	if err == nil {
		return
	}
	var e *registry.Error
	if !errors.As(err, &e) || e.Code != registry.EInvalid || len(e.Fields) == 0 {
		t.Fatalf("not an EInvalid error naming fields: %#v", err)
	}
}
