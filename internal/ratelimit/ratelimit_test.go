package ratelimit

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// clock is a fake time that tests move by hand.
type clock struct{ t time.Time }

func (c *clock) now() time.Time      { return c.t }
func (c *clock) add(d time.Duration) { c.t = c.t.Add(d) }
func newClock(s string) *clock       { t, _ := time.Parse(time.RFC3339, s); return &clock{t} }

// allow returns whether l allows c, and checks that a wait comes with a
// refusal, and only then.
func allow(t *testing.T, l *Limiter, c string) bool {
	t.Helper()
	ok, wait := l.Allow(c)
	if ok != (wait == 0) {
		t.Fatalf("Allow(%q) = %v, %v", c, ok, wait)
	}
	return ok
}

// TestBurst: a burst, then refused with Retry-After the wait until the
// next token in whole seconds; refilled as time passes, never above the
// burst.
func TestBurst(t *testing.T) {
	c := newClock("2026-12-05T10:00:00Z")
	l := New(Limit{Rate: 0.5, Burst: 3}, 100, c.now)
	for i := range 3 {
		if !allow(t, l, "a") {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	steps := []struct {
		after time.Duration
		ok    bool
		wait  time.Duration
	}{
		{0, false, 2 * time.Second},
		{100 * time.Millisecond, false, 2 * time.Second}, // 1.9s rounds up
		{1400 * time.Millisecond, false, time.Second},    // 0.5s rounds up to the least, 1s
		{500 * time.Millisecond, true, 0},                // 2s: one token
		{0, false, 2 * time.Second},
		{time.Hour, true, 0}, // full again, but of 3 tokens only
		{0, true, 0},
		{0, true, 0},
		{0, false, 2 * time.Second},
	}
	for i, s := range steps {
		c.add(s.after)
		if ok, wait := l.Allow("a"); ok != s.ok || wait != s.wait {
			t.Fatalf("step %d: %v, %v; want %v, %v", i, ok, wait, s.ok, s.wait)
		}
	}
}

// TestRetryAfterHonoured: a client that waits what it was told is let
// through, at the rates the server uses and others.
func TestRetryAfterHonoured(t *testing.T) {
	for _, lim := range []Limit{{1.0 / 6, 30}, {1.0 / 60, 10}, {3, 1}, {0.1, 3}, {1000, 5}} {
		c := newClock("2026-12-05T10:00:00Z")
		l := New(lim, 10, c.now)
		for range lim.Burst {
			if !allow(t, l, "a") {
				t.Fatalf("%+v: refused within the burst", lim)
			}
		}
		ok, wait := l.Allow("a")
		want := time.Duration(math.Ceil(1/lim.Rate)) * time.Second
		if ok || wait != want {
			t.Fatalf("%+v: past the burst %v, %v; want refused, %v", lim, ok, wait, want)
		}
		c.add(wait)
		if !allow(t, l, "a") {
			t.Fatalf("%+v: refused after waiting the %v it was told", lim, wait)
		}
	}
}

// TestClientsApart: one client's requests take nothing from another's.
func TestClientsApart(t *testing.T) {
	c := newClock("2026-12-05T10:00:00Z")
	l := New(Limit{Rate: 1, Burst: 2}, 100, c.now)
	allow(t, l, "192.0.2.1")
	allow(t, l, "192.0.2.1")
	if allow(t, l, "192.0.2.1") {
		t.Fatal("a third request within the second was allowed")
	}
	for _, other := range []string{"192.0.2.2", "2001:db8::1", "192.0.2.10"} {
		if !allow(t, l, other) || !allow(t, l, other) {
			t.Fatalf("%s refused for another's requests", other)
		}
	}
}

// TestDailyKey: at UTC midnight, not at local midnight, the key changes
// and every bucket is forgotten.
func TestDailyKey(t *testing.T) {
	zone := time.FixedZone("UTC+5", 5*3600)
	c := &clock{time.Date(2026, 12, 5, 23, 59, 0, 0, zone)} // 18:59 UTC
	l := New(Limit{Rate: 1e-6, Burst: 1}, 100, c.now)
	allow(t, l, "a")
	key := l.key.key
	c.add(2 * time.Minute) // local midnight has passed; UTC's has not
	if allow(t, l, "a") || l.key.key != key {
		t.Fatal("the key changed, or the bucket was forgotten, at local midnight")
	}
	c.t = time.Date(2026, 12, 5, 23, 59, 59, 999_999_999, time.UTC)
	allow(t, l, "b")
	if allow(t, l, "a") || l.key.key != key || l.count() != 2 {
		t.Fatal("the key changed, or a bucket was forgotten, before UTC midnight")
	}
	c.add(time.Nanosecond)
	if !allow(t, l, "a") {
		t.Fatal("the next UTC day's first request was refused")
	}
	if l.key.key == key || l.count() != 1 {
		t.Fatalf("after midnight: key changed %v, %d clients remembered; want true, 1", l.key.key != key, l.count())
	}
	if l.key.key == ([32]byte{}) {
		t.Fatal("the key is all zeros")
	}
}

// TestBounded: however many clients come, at most maxClients are
// remembered, and a new one takes the place of the least recently seen.
func TestBounded(t *testing.T) {
	c := newClock("2026-12-05T10:00:00Z")
	l := New(Limit{Rate: 1e-6, Burst: 1}, 1000, c.now)
	for i := range 100_000 {
		l.Allow(fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255))
		if n := l.count(); n > 1000 {
			t.Fatalf("%d clients remembered after %d, over 1000", n, i+1)
		}
	}
	if n := l.count(); n != 1000 {
		t.Fatalf("%d clients remembered, want 1000", n)
	}

	l = New(Limit{Rate: 1e-6, Burst: 1}, 3, c.now)
	for _, s := range []string{"a", "b", "c"} {
		allow(t, l, s)
	}
	allow(t, l, "a") // refused, and now seen most recently: b is the least
	allow(t, l, "d") // takes b's place
	if allow(t, l, "a") || allow(t, l, "c") || allow(t, l, "d") {
		t.Fatal("a client seen since b was forgotten")
	}
	if !allow(t, l, "b") {
		t.Fatal("the least recently seen client was not the one forgotten")
	}
}

// TestConcurrent: requests of one client at once, among others', take
// exactly the burst.
func TestConcurrent(t *testing.T) {
	c := newClock("2026-12-05T10:00:00Z")
	l := New(Limit{Rate: 1e-3, Burst: 50}, 1000, c.now)
	var allowed atomic.Int32
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				if ok, _ := l.Allow("same"); ok {
					allowed.Add(1)
				}
				l.Allow(strconv.Itoa(g*1000 + i))
			}
		})
	}
	wg.Wait()
	if n := allowed.Load(); n != 50 {
		t.Fatalf("%d requests allowed, want the burst of 50", n)
	}
}

// TestNewRefuses: a limit that could never allow, or never refill, is a
// mistake found at once; extreme ones are clamped, not overflowed.
func TestNewRefuses(t *testing.T) {
	for _, lim := range []Limit{{0, 1}, {-1, 1}, {1, 0}, {math.NaN(), 1}, {math.Inf(1), 1}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("New(%+v) did not panic", lim)
				}
			}()
			New(lim, 1, time.Now)
		}()
	}
	l := New(Limit{Rate: 1e-30, Burst: math.MaxInt}, 0, time.Now)
	if ok, _ := l.Allow("a"); !ok {
		t.Fatal("the first request under an extreme limit was refused")
	}
}

// TestNoAddressKept: the limiter keys its clients by a 32-byte array, and
// nothing reachable from it holds the bytes of a client string it was
// given, even the first under a key (see memory_test.go for the walk).
func TestNoAddressKept(t *testing.T) {
	if k := reflect.TypeOf(newTable(1).index).Key(); k.Kind() != reflect.Array || k.Len() != 32 || k.Elem().Kind() != reflect.Uint8 {
		t.Fatalf("clients are keyed by %v, not a 32-byte hash", k)
	}
	addrs := []string{"198.51.100.23", "2001:db8:85a3::8a2e:370:7334", "203.0.113.254", "login\x00reviewer-name"}
	shared := New(Limit{Rate: 1, Burst: 1}, 100, time.Now)
	for _, a := range addrs {
		shared.Allow(a)
		shared.Allow(a)
		first := New(Limit{Rate: 1, Burst: 1}, 100, time.Now)
		first.Allow(a)
		if holds(reachableBytes(reflect.ValueOf(first)), a) {
			t.Errorf("%q, the first client, is still in the limiter's memory", a)
		}
	}
	blobs := reachableBytes(reflect.ValueOf(shared))
	for _, a := range addrs {
		if holds(blobs, a) {
			t.Errorf("%q is still in the limiter's memory", a)
		}
	}
}

// BenchmarkAllow measures a request's check, from all CPUs at once, over
// 65536 clients, within the limiter's bound (no client is forgotten).
func BenchmarkAllow(b *testing.B) {
	benchAllow(b, 1<<16, 100_000)
}

// BenchmarkAllowFlood: as BenchmarkAllow, with more clients than the
// limiter remembers, so that most requests forget the least recent client.
func BenchmarkAllowFlood(b *testing.B) {
	benchAllow(b, 1<<16, 1000)
}

func benchAllow(b *testing.B, clients, maxClients int) {
	addrs := make([]string, clients)
	for i := range addrs {
		addrs[i] = fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)
	}
	l := New(Limit{Rate: 10, Burst: 100}, maxClients, time.Now)
	var seed atomic.Int64
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := int(seed.Add(7919))
		for pb.Next() {
			l.Allow(addrs[i%clients])
			i++
		}
	})
}
