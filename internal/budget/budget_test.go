package budget

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
	}{
		{"300", 300 << 20},
		{"300MB", 300 << 20},
		{"300 mb", 300 << 20},
		{"300MiB", 300 << 20},
		{"1GB", 1 << 30},
		{"2gib", 2 << 30},
		{"131072KB", 128 << 20},
		{"1048576B", 1 << 20},
	} {
		got, err := Parse(c.in)
		if err != nil || got != c.want {
			t.Errorf("Parse(%q) = %d, %v; want %d", c.in, got, err, c.want)
		}
	}
	for _, in := range []string{"", "MB", "-1", "0", "1.5GB", "300TB", "1e9", "99999999999GB", "300 M B"} {
		if n, err := Parse(in); err == nil {
			t.Errorf("Parse(%q) = %d, want an error", in, n)
		} else if !strings.Contains(err.Error(), "memory budget") {
			t.Errorf("Parse(%q): %v does not name what was refused", in, err)
		}
	}
}

// The parts add up to no more than the budget, each is positive, and the
// Go runtime keeps room beyond its two caches.
func TestOf(t *testing.T) {
	for _, total := range []int64{Minimum, Default, 1 << 30, 16 << 30} {
		for _, readers := range []int{1, 4, 16, 256} {
			s, err := Of(total, readers)
			if err != nil {
				t.Fatalf("Of(%d, %d): %v", total, readers, err)
			}
			sqlite := s.WriterCache + int64(s.Conns)*(s.ReaderCache+s.ConnOther)
			if sum := s.Fixed + sqlite + s.Go; sum != total {
				t.Errorf("Of(%d MB, %d): parts sum to %d MB", total>>20, readers, sum>>20)
			}
			if s.Go < total/4 {
				t.Errorf("Of(%d MB, %d): Go gets only %d MB", total>>20, readers, s.Go>>20)
			}
			if s.Conns < 4 || s.Conns > 2*readers+1 && s.Conns > 4 || s.WriterCache <= 0 || s.ResponseCache <= 0 || s.TileCache <= 0 {
				t.Errorf("Of(%d MB, %d) = %+v: a part is empty", total>>20, readers, s)
			}
			if s.ResponseCache+s.TileCache > s.Go/2 {
				t.Errorf("Of(%d MB, %d): the caches take %d of Go's %d MB", total>>20, readers, (s.ResponseCache+s.TileCache)>>20, s.Go>>20)
			}
		}
	}
	if _, err := Of(Minimum-1, 4); err == nil {
		t.Error("a budget under the minimum was accepted")
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"300", "300MB", "1GiB", "", "-5", "9223372036854775807", "1.5GB", " 7 kb "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := Parse(s)
		if err == nil && (n <= 0 || n > 1<<50) {
			t.Fatalf("Parse(%q) = %d", s, n)
		}
	})
}

// A write budget keeps the writer's cache of today at the default, and
// leaves Go a positive share at every size; a budget too small is refused.
func TestWrites(t *testing.T) {
	s, err := Writes(Default)
	if err != nil {
		t.Fatal(err)
	}
	if s.WriterCache != writerCacheMost {
		t.Errorf("writer cache at the default budget: %d MB, want %d", s.WriterCache>>20, writerCacheMost>>20)
	}
	for _, total := range []int64{Minimum, Default, 1 << 30, 16 << 30} {
		s, err := Writes(total)
		if err != nil {
			t.Fatalf("Writes(%d MB): %v", total>>20, err)
		}
		sum := s.Fixed + s.WriterCache + int64(s.Conns)*(s.ReaderCache+s.ConnOther) + s.Go
		if s.Go <= 0 || s.WriterCache <= 0 || sum != total {
			t.Errorf("Writes(%d MB) = %+v: parts add up to %d MB", total>>20, s, sum>>20)
		}
	}
	if _, err := Writes(Minimum - 1); err == nil || !strings.Contains(err.Error(), "memory budget") {
		t.Errorf("Writes below the minimum: %v, want an error naming the budget", err)
	}
}
