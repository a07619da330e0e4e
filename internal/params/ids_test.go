package params_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"oversight/internal/params"
)

// TestVendors: the vendor filter takes a comma-separated list of ids, and
// refuses a bad id or too many, naming the parameter.
func TestVendors(t *testing.T) {
	read := func(v string) ([]string, error) {
		p := params.Read(url.Values{"vendor": {v}}, params.Deployment...)
		f := p.DeploymentFilter()
		return f.Vendors, p.Err()
	}
	if got, err := read("huawei, hikvision"); err != nil || !slices.Equal(got, []string{"huawei", "hikvision"}) {
		t.Errorf("two vendors: %v, %v", got, err)
	}
	for _, bad := range []string{"Huawei", "huawei,,hikvision", strings.Repeat("a,", params.MaxIDs) + "a"} {
		if _, err := read(bad); err == nil || !strings.Contains(err.Error(), "query.vendor") {
			t.Errorf("%.30q: %v, want an error naming query.vendor", bad, err)
		}
	}
}
