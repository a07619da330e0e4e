package web

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// BenchmarkPages measures server time per page under load: every page of
// the built-in register, requested by parallel clients over loopback.
//
//	go test ./web -run XXX -bench Pages -benchtime 3s
func BenchmarkPages(b *testing.B) {
	srv := builtinServer(&testing.T{})
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	for _, p := range pages {
		name := strings.Trim(strings.NewReplacer("/", "_", "?", "_", "=", "-", "&", "_", ":", "-").Replace(p), "_")
		if name == "" {
			name = "home"
		}
		b.Run(name, func(b *testing.B) {
			b.SetParallelism(4)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					resp, err := client.Get(srv.URL + p)
					if err != nil {
						b.Error(err)
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						b.Errorf("%s: %d", p, resp.StatusCode)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
		})
	}
}
