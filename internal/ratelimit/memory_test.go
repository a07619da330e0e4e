package ratelimit

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"reflect"
	"testing"
)

// reachableBytes returns every run of bytes reachable from v: strings,
// byte slices (to their capacity) and arrays, and every other integer
// array or slice as its bytes, following pointers, interfaces, maps and
// slices, exported or not. It reads unexported fields through reflect,
// which allows reading them.
func reachableBytes(v reflect.Value) [][]byte {
	w := walker{seen: map[uintptr]bool{}}
	w.walk(v)
	return w.blobs
}

type walker struct {
	seen  map[uintptr]bool
	blobs [][]byte
}

func (w *walker) walk(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice:
		if v.IsNil() {
			return
		}
		if p := v.Pointer(); v.Kind() != reflect.Slice || v.Cap() > 0 {
			key := p ^ uintptr(v.Kind())<<1 // a struct and its first field share an address
			if w.seen[key] {
				return
			}
			w.seen[key] = true
		}
	}
	switch v.Kind() {
	case reflect.String:
		w.blobs = append(w.blobs, []byte(v.String()))
	case reflect.Pointer, reflect.Interface:
		w.walk(v.Elem())
	case reflect.Struct:
		for i := range v.NumField() {
			w.walk(v.Field(i))
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			w.walk(it.Key())
			w.walk(it.Value())
		}
	case reflect.Array, reflect.Slice:
		if v.Kind() == reflect.Slice {
			v = v.Slice(0, v.Cap()) // what lies past the length is memory too
		}
		if k := v.Type().Elem().Kind(); k >= reflect.Int && k <= reflect.Uintptr {
			var b []byte
			for i := range v.Len() {
				e := v.Index(i)
				var u uint64
				if k < reflect.Uint {
					u = uint64(e.Int())
				} else {
					u = e.Uint()
				}
				for range e.Type().Size() {
					b, u = append(b, byte(u)), u>>8
				}
			}
			w.blobs = append(w.blobs, b)
			return
		}
		for i := range v.Len() {
			w.walk(v.Index(i))
		}
	}
}

// holds reports whether a is in one of blobs.
func holds(blobs [][]byte, a string) bool {
	for _, b := range blobs {
		if bytes.Contains(b, []byte(a)) {
			return true
		}
	}
	return false
}

// TestWalkerSees: the walk does find what a hash state keeps of its input
// when nothing clears it, so that TestNoAddressKept's silence means
// something.
func TestWalkerSees(t *testing.T) {
	mac := hmac.New(sha256.New, []byte("k"))
	mac.Write([]byte("198.51.100.23"))
	mac.Sum(nil)
	if !holds(reachableBytes(reflect.ValueOf(&mac)), "198.51.100.23") {
		t.Fatal("the walk does not reach a hash's block buffer")
	}
	s := struct{ m map[id][]string }{map[id][]string{{}: {"x", "203.0.113.9"}}}
	if !holds(reachableBytes(reflect.ValueOf(&s)), "203.0.113.9") {
		t.Fatal("the walk does not reach a string in a map")
	}
	buf := append(make([]byte, 0, 32), "192.0.2.77"...)[:0]
	if !holds(reachableBytes(reflect.ValueOf(&buf)), "192.0.2.77") {
		t.Fatal("the walk does not reach past a slice's length")
	}
}

// TestTableLinks: after many gets, the recency list and the index agree.
func TestTableLinks(t *testing.T) {
	tb := newTable(7)
	for i := range 1000 {
		var c id
		c[0] = byte(i * 37 % 11)
		tb.get(c, int64(i))
		n, prev := 0, int32(none)
		for j := tb.head; j != none; j = tb.entries[j].next {
			if tb.entries[j].prev != prev || tb.index[tb.entries[j].id] != j {
				t.Fatalf("after %d gets, entry %d is mislinked", i+1, j)
			}
			prev, n = j, n+1
		}
		if prev != tb.tail || n != len(tb.index) || n != tb.len() || n > 7 {
			t.Fatalf("after %d gets: %d linked, %d indexed, %d entries", i+1, n, len(tb.index), tb.len())
		}
		if tb.entries[tb.head].id != c {
			t.Fatalf("after %d gets, the last one is not the most recent", i+1)
		}
	}
}
