package web

import (
	"sync/atomic"
	"testing"
	"time"
)

// TestLogSizeOneReader checks that while one request reads a stale log
// size, the others answer with the size last read instead of reading too.
func TestLogSizeOneReader(t *testing.T) {
	c := &responseCache{seen: 5, seenAt: time.Now().Add(-time.Second)}
	release, reading := make(chan struct{}), make(chan struct{})
	var reads atomic.Int32
	slow := func() (int64, error) {
		reads.Add(1)
		close(reading)
		<-release
		return 7, nil
	}
	done := make(chan int64)
	go func() {
		n, _ := c.logSize(slow)
		done <- n
	}()
	<-reading
	for range 10 {
		n, err := c.logSize(func() (int64, error) { reads.Add(1); return 9, nil })
		if err != nil || n != 5 {
			t.Fatalf("during the read: %d, %v; want the last size read, 5", n, err)
		}
	}
	close(release)
	if n := <-done; n != 7 {
		t.Errorf("the reader got %d, want 7", n)
	}
	if n, _ := c.logSize(slow); n != 7 || reads.Load() != 1 {
		t.Errorf("after the read: size %d after %d reads; want 7 after 1", n, reads.Load())
	}
}
