package mmap

import (
	"bytes"
	"fmt"
	"testing"
)

// CPython: test_tougher_find (SF bug 515943: needles with NUL bytes).
func TestTougherFind(t *testing.T) {
	data := []byte("aabaac\x00deef\x00\x00aa\x00")
	m, _ := mapData(t, data, nil)
	n := len(data)
	for start := 0; start <= n; start++ {
		for finish := start; finish <= n; finish++ {
			sub := data[start:finish]
			if got, want := m.Find(sub), bytes.Index(data, sub); got != want {
				t.Errorf("Find(%q) = %d, want %d", sub, got, want)
			}
			if got := m.Find(append(bytes.Clone(sub), 'x')); got != -1 {
				t.Errorf("Find(%q+x) = %d, want -1", sub, got)
			}
		}
	}
}

// CPython: test_find_end.
func TestFindEnd(t *testing.T) {
	m, _ := mapData(t, []byte("one two ones"), nil)
	for _, c := range []struct {
		sub        string
		start, end int
		want       int
	}{
		{"one", 0, 12, 0}, {"ones", 0, 12, 8}, {"one", 0, -1, 0},
		{"one", 1, 12, 8}, {"one", 1, -1, 8}, {"one", 1, -2, -1},
		{"one", 1, -3, -1}, {"one", 1, -4, -1}, // CPython: test_find_does_not_access_beyond_buffer's cousins
	} {
		t.Run(fmt.Sprintf("%s[%d:%d]", c.sub, c.start, c.end), func(t *testing.T) {
			if got := m.FindIn([]byte(c.sub), c.start, c.end); got != c.want {
				t.Errorf("FindIn(%q, %d, %d) = %d, want %d", c.sub, c.start, c.end, got, c.want)
			}
		})
	}
	if got := m.Find([]byte("one")); got != 0 {
		t.Errorf("Find(one) = %d", got)
	}
}

// CPython: test_rfind.
func TestRFind(t *testing.T) {
	m, _ := mapData(t, []byte("one two ones"), nil)
	for _, c := range []struct {
		sub        string
		start, end int
		want       int
	}{
		{"one", 0, 12, 8}, {"one ", 0, 12, 0}, {"one", 0, -1, 8},
		{"one", 0, -2, 0}, {"one", 1, -1, 8}, {"one", 1, -2, -1},
	} {
		t.Run(fmt.Sprintf("%s[%d:%d]", c.sub, c.start, c.end), func(t *testing.T) {
			if got := m.RFindIn([]byte(c.sub), c.start, c.end); got != c.want {
				t.Errorf("RFindIn(%q, %d, %d) = %d, want %d", c.sub, c.start, c.end, got, c.want)
			}
		})
	}
	if got := m.RFind([]byte("one")); got != 8 {
		t.Errorf("RFind(one) = %d", got)
	}
}

// CPython: test_find_does_not_access_beyond_buffer: a search that ends
// exactly at the end of the last page must not touch the next one.
func TestFindDoesNotAccessBeyondBuffer(t *testing.T) {
	m, err := Anonymous(2*PageSize, nil)
	must(t, err)
	defer m.Close()
	for i := range 2 * PageSize {
		must(t, m.SetAt(i, 'a'))
	}
	if got := m.FindIn([]byte("aab"), 0, 2*PageSize); got != -1 {
		t.Errorf("FindIn = %d", got)
	}
	if got := m.RFindIn([]byte("baa"), 0, 2*PageSize); got != -1 {
		t.Errorf("RFindIn = %d", got)
	}
	if got := m.FindIn([]byte("a"), PageSize, 2*PageSize); got != PageSize {
		t.Errorf("FindIn from the second page = %d", got)
	}
}
