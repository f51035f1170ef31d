package mmap

import (
	"bytes"
	"errors"
	"testing"
	"unsafe"
)

// reserveOrSkip skips a test of Options.Reserve where the system cannot
// keep a reservation (Windows before 10 1803, and Wine 8, which refuses
// VirtualAlloc2's placeholders).
func reserveOrSkip(t *testing.T, m *Map, err error) *Map {
	t.Helper()
	if errors.Is(err, errors.ErrUnsupported) {
		t.Skipf("this system keeps no reservation: %v", err)
	}
	must(t, err)
	t.Cleanup(func() { m.Close() })
	return m
}

func base(m *Map) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(m.Bytes()))) }

// grows resizes m through sizes, writing a pattern into every byte it adds
// through a view taken before the growth, and checks after each step that
// the map stays at addr and that every earlier byte is intact.
func grows(t *testing.T, m *Map, addr uintptr, sizes ...int) {
	t.Helper()
	for _, size := range sizes {
		before := m.Bytes()
		must(t, m.Resize(size))
		if got := base(m); got != addr {
			t.Fatalf("Resize(%d) moved the map from %#x to %#x", size, addr, got)
		}
		b := m.Bytes()
		for i := len(before); i < size; i++ {
			b[i] = byte(i * 7)
		}
		n := min(len(before), size)
		for i := 0; i < n; i += 509 {
			if before[i] != byte(i*7) { // the earlier view, still valid
				t.Fatalf("after Resize(%d), the view from before reads %d at %d, want %d", size, before[i], i, byte(i*7))
			}
		}
	}
	want := make([]byte, m.Len())
	for i := range want {
		want[i] = byte(i * 7)
	}
	if got := contents(t, m); !bytes.Equal(got, want) {
		t.Fatal("the map's bytes differ from those written through its views")
	}
}

// reserveKinds make the maps that TestReserveKeepsAddress grows: one byte
// with opts, and the path of the file behind it, if any
// (reserve_unix_test.go adds private anonymous memory).
var reserveKinds = map[string]func(t *testing.T, opts *Options) (*Map, string, error){
	"file": func(t *testing.T, opts *Options) (*Map, string, error) {
		path := writeFile(t, []byte{0})
		m, err := MapFile(openTestFile(t, path, false), 0, opts)
		return m, path, err
	},
	"anonymous": func(t *testing.T, opts *Options) (*Map, string, error) {
		m, err := Anonymous(1, opts)
		return m, "", err
	},
}

func TestReserveKeepsAddress(t *testing.T) {
	const reserve = 8 << 20
	steps := []int{1, 4096, 5000, 1 << 20, 100, 3 << 20, reserve - 1, 4096, reserve}
	for kind, newMap := range reserveKinds {
		t.Run(kind, func(t *testing.T) {
			m, path, err := newMap(t, &Options{Reserve: reserve})
			m = reserveOrSkip(t, m, err)
			grows(t, m, base(m), steps...)
			if path != "" {
				must(t, m.Flush())
				if got := fileBytes(t, path); !bytes.Equal(got, contents(t, m)) {
					t.Fatalf("the file (%d bytes) differs from the map (%d bytes)", len(got), m.Len())
				}
			}
			// Past the reservation the map may move; its bytes stay.
			want := contents(t, m)
			must(t, m.Resize(reserve+1<<20))
			if got := m.Slice(0, reserve); !bytes.Equal(got, want) {
				t.Fatal("growing past the reservation lost bytes")
			}
		})
	}
}

func TestReserveSmallerThanMap(t *testing.T) {
	// A reservation smaller than the map keeps the map's own range: a
	// shrink and a growth back stay in place.
	m, err := Anonymous(1<<20, &Options{Reserve: 4096})
	m = reserveOrSkip(t, m, err)
	addr := base(m)
	for i, b := 0, m.Bytes(); i < len(b); i++ {
		b[i] = byte(i * 7)
	}
	must(t, m.Resize(4096))
	grows(t, m, addr, 1<<20)
}

func TestReserveBadInput(t *testing.T) {
	for _, r := range []int{-1, -4096, int(^uint(0) >> 1)} {
		m, err := Anonymous(4096, &Options{Reserve: r})
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("Reserve %d: %v, %v; want ErrInvalid", r, m, err)
		}
	}
}
