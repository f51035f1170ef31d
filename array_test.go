package mmap

import (
	"errors"
	"io"
	"testing"
)

// CPython: test_move.
func TestMove(t *testing.T) {
	m, _ := mapData(t, []byte("ABCDEabcde"), nil)
	must(t, m.Move(5, 0, 5))
	if got := m.Slice(0, 10); string(got) != "ABCDEABCDE" {
		t.Errorf("after Move: %q", got)
	}

	// Every overlap.
	const data = "0123456789"
	for dest := range len(data) {
		for src := range len(data) {
			for count := range len(data) - max(dest, src) {
				want := data[:dest] + data[src:src+count] + data[dest+count:]
				a, err := Anonymous(len(data), nil)
				must(t, err)
				must(t, a.SetSlice(0, len(data), []byte(data)))
				must(t, a.Move(dest, src, count))
				if got := a.Slice(0, len(data)); string(got) != want {
					t.Errorf("Move(%d, %d, %d) = %q, want %q", dest, src, count, got, want)
				}
				a.Close()
			}
		}
	}

	// Issue 5387: bad arguments never crash.
	a, err := Anonymous(100, nil)
	must(t, err)
	defer a.Close()
	offsets := []int{-100, -1, 0, 1, 100}
	for _, s := range offsets {
		for _, d := range offsets {
			for _, n := range offsets {
				err := a.Move(d, s, n)
				ok := s >= 0 && d >= 0 && n >= 0 && s+n <= 100 && d+n <= 100
				if ok != (err == nil) || err != nil && !errors.Is(err, ErrOutOfRange) {
					t.Errorf("Move(%d, %d, %d): %v", d, s, n, err)
				}
			}
		}
	}
	one, err := Anonymous(1, nil)
	must(t, err)
	defer one.Close()
	for _, c := range [][3]int{{0, 0, 2}, {1, 0, 1}, {0, 1, 1}} {
		if err := one.Move(c[0], c[1], c[2]); !errors.Is(err, ErrOutOfRange) {
			t.Errorf("Move%v on one byte: %v", c, err)
		}
	}
	must(t, one.Move(0, 0, 1))
	must(t, one.Move(0, 0, 0))
}

// CPython: test_non_ascii_byte.
func TestNonASCIIByte(t *testing.T) {
	for _, b := range []byte{128, 200, 255} {
		m, err := Anonymous(1, nil)
		must(t, err)
		must(t, m.WriteByte(b))
		if got, _ := m.At(0); got != b {
			t.Errorf("At(0) = %d, want %d", got, b)
		}
		m.Seek(0, io.SeekStart)
		if got, _ := m.ReadByte(); got != b {
			t.Errorf("ReadByte = %d, want %d", got, b)
		}
		m.Close()
	}
}
