package web

import (
	"regexp"
	"strings"
	"testing"
)

// TestScenarioCountsInWords: the rules that drive a scenario's changes
// count their deployments in words ("1 deployment", "3 deployments"), not
// as "deployment(s)".
func TestScenarioCountsInWords(t *testing.T) {
	t.Parallel()
	srv := builtinServer(t)
	_, drivers, ok := strings.Cut(pageAt(t, srv.URL+"/scenarios?framework=apac-baseline&region=asean"), "<h2>Rules that drive the changes</h2>")
	if !ok {
		t.Fatal("no rule drives a change: the test shows nothing")
	}
	drivers, _, _ = strings.Cut(drivers, "</ul>")
	if strings.Contains(drivers, "(s)") || !regexp.MustCompile(`: (1 deployment|[0-9]+ deployments)</li>`).MatchString(drivers) {
		t.Errorf("the drivers do not count in words: %.500s", drivers)
	}
}
