package ratelimit

import (
	"fmt"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"
)

// TestBucket: a burst, then one request each 1/Rate, with Retry-After the
// wait until the next token, in whole seconds; clients apart.
func TestBucket(t *testing.T) {
	now := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	l := New(Limit{Rate: 0.5, Burst: 3}, 100, func() time.Time { return now })
	for i := range 3 {
		if ok, _ := l.Allow("a"); !ok {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	if ok, wait := l.Allow("a"); ok || wait != 2*time.Second {
		t.Fatalf("past the burst: %v, wait %v; want refused, 2s", ok, wait)
	}
	if ok, _ := l.Allow("b"); !ok {
		t.Fatal("another client was refused")
	}
	now = now.Add(1500 * time.Millisecond)
	if ok, wait := l.Allow("a"); ok || wait != time.Second {
		t.Fatalf("after 1.5s: %v, wait %v; want refused, 1s", ok, wait)
	}
	now = now.Add(500 * time.Millisecond)
	if ok, _ := l.Allow("a"); !ok {
		t.Fatal("after 2s a token was not there")
	}
}

// TestDailyKey: at UTC midnight the key changes and every bucket is
// forgotten.
func TestDailyKey(t *testing.T) {
	now := time.Date(2026, 12, 5, 23, 59, 59, 0, time.UTC)
	l := New(Limit{Rate: 0.001, Burst: 1}, 100, func() time.Time { return now })
	l.Allow("a")
	key := append([]byte(nil), l.key...)
	if ok, _ := l.Allow("a"); ok {
		t.Fatal("the second request within the burst of one was allowed")
	}
	now = now.Add(2 * time.Second)
	if ok, _ := l.Allow("a"); !ok {
		t.Fatal("the next day's first request was refused")
	}
	if reflect.DeepEqual(key, l.key) {
		t.Fatal("the key did not change at midnight")
	}
}

// TestBounded: however many clients, the limiter remembers at most
// maxClients, and keeps no address.
func TestBounded(t *testing.T) {
	l := New(Limit{Rate: 1, Burst: 1}, 1000, time.Now)
	for i := range 100_000 {
		l.Allow(fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255))
		if n := l.clients(); n > 1000 {
			t.Fatalf("%d clients remembered after %d, over 1000", n, i+1)
		}
	}
	if k := reflect.TypeOf(l.cur).Key(); k.Kind() != reflect.Array || k.Len() != 32 {
		t.Fatalf("clients are keyed by %v, not a 32-byte hash", k)
	}
}

// TestClientAddr: the connection's address, unless behind a trusted
// proxy, whose last X-Forwarded-For entry is the client.
func TestClientAddr(t *testing.T) {
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "192.0.2.1:5000"
	r.Header.Set("X-Forwarded-For", "198.51.100.9, 203.0.113.7")
	if got := ClientAddr(r); got != "192.0.2.1" {
		t.Errorf("without a proxy: %s", got)
	}
	TrustProxy = true
	defer func() { TrustProxy = false }()
	if got := ClientAddr(r); got != "203.0.113.7" {
		t.Errorf("behind a proxy: %s", got)
	}
}

// BenchmarkAllow measures a request's check, many clients in parallel.
func BenchmarkAllow(b *testing.B) {
	l := New(Limit{Rate: 10, Burst: 100}, 100_000, time.Now)
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			l.Allow(fmt.Sprintf("10.0.%d.%d", i>>8&255, i&255))
			i++
		}
	})
}
