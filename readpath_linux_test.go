package mmap

import (
	"bytes"
	"errors"
	"io"
	"os"
	"runtime"
	"testing"
)

// copyCases are the copies the read tests make of a map of 5 MiB and a bit:
// inside a region, across the seam of two regions, as long as largeRead
// and longer, up to the end.
var copyCases = []struct{ off, n int }{
	{0, 1}, {4095, 2}, {5000, 4096}, {1<<regionShift - 100, 300}, {3 << 20, largeRead},
	{1<<regionShift - 7, 2*largeRead + 3}, {100, 5 << 20}, {5<<20 + 5000, 100},
}

// Every copy out of the map gives its bytes on either path (forced), at a
// file offset, with a write through SetAt and one through Bytes showing.
func TestCopiesFromTheFile(t *testing.T) {
	size := 5<<20 + 12345
	path, want := randomFile(t, AllocationGranularity+size)
	want = want[AllocationGranularity:]
	bothPaths(t, func(t *testing.T, kernel bool) {
		f, err := os.OpenFile(path, os.O_RDWR, 0)
		must(t, err)
		m, err := MapFile(f, size, &Options{Offset: int64(AllocationGranularity)})
		f.Close()
		must(t, err)
		defer m.Close()
		exp := bytes.Clone(want)
		must(t, m.SetAt(5000, exp[5000]^0xff))
		exp[5000] ^= 0xff
		exp[3<<20+7] ^= 0x55
		m.Bytes()[3<<20+7] = exp[3<<20+7]
		for _, c := range copyCases {
			p := make([]byte, c.n)
			n, err := m.ReadAt(p, int64(c.off))
			end := min(c.off+c.n, size)
			if n != end-c.off || !bytes.Equal(p[:n], exp[c.off:end]) || (end < c.off+c.n) != (err == io.EOF) {
				t.Fatalf("ReadAt(%d bytes, %d) = %d, %v: not the map's bytes", c.n, c.off, n, err)
			}
			if s := m.Slice(c.off, c.off+c.n); !bytes.Equal(s, exp[c.off:end]) {
				t.Fatalf("Slice(%d, %d): not the map's bytes", c.off, c.off+c.n)
			}
			if b, err := m.At(c.off); err != nil || b != exp[c.off] {
				t.Fatalf("At(%d) = %#x, %v; want %#x", c.off, b, err, exp[c.off])
			}
			seek(t, m, int64(c.off), io.SeekStart, int64(c.off))
			if n, err := m.Read(p); n != end-c.off || err != nil || !bytes.Equal(p[:n], exp[c.off:end]) {
				t.Fatalf("Read(%d bytes) at %d = %d, %v: not the map's bytes", c.n, c.off, n, err)
			}
			if m.Tell() != end {
				t.Fatalf("position %d after Read, want %d", m.Tell(), end)
			}
		}
	})
}

// A file cut short under the map is ErrFault on either path, as the
// mapping's fault: a short pread is not a short read.
func TestCopiesFromATruncatedFile(t *testing.T) {
	size := 3 << 20
	path, _ := randomFile(t, size)
	bothPaths(t, func(t *testing.T, kernel bool) {
		m, err := Open(path, AccessRead)
		must(t, err)
		defer m.Close()
		must(t, os.Truncate(path, 1<<20))
		defer os.Truncate(path, int64(size))
		for _, c := range []struct{ off, n int }{{2 << 20, 10}, {1<<20 - 5, 10}, {0, 2 << 20}, {1 << 20, largeRead}} {
			p := make([]byte, c.n)
			if _, err := m.ReadAt(p, int64(c.off)); !errors.Is(err, ErrFault) {
				t.Errorf("ReadAt(%d bytes, %d) past the file's end = %v, want ErrFault", c.n, c.off, err)
			}
			if s := m.Slice(c.off, c.off+c.n); s != nil {
				t.Errorf("Slice(%d, %d) past the file's end gave %d bytes", c.off, c.off+c.n, len(s))
			}
			seek(t, m, int64(c.off), io.SeekStart, int64(c.off))
			if _, err := m.Read(p); !errors.Is(err, ErrFault) {
				t.Errorf("Read(%d bytes) at %d past the file's end = %v, want ErrFault", c.n, c.off, err)
			}
		}
		if _, err := m.At(2 << 20); !errors.Is(err, ErrFault) {
			t.Errorf("At past the file's end = %v, want ErrFault", err)
		}
	})
}

// A written private map reads its own bytes, even where the path of the
// file is forced, and never the file's newer ones.
func TestPrivateMapReadsItsOwnBytes(t *testing.T) {
	path, want := randomFile(t, 3*PageSize)
	m, err := Open(path, AccessCopy)
	must(t, err)
	defer m.Close()
	must(t, m.SetAt(10, want[10]^1))
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	must(t, err)
	_, err = f.WriteAt([]byte{want[10] ^ 2}, 10)
	f.Close()
	must(t, err)
	forcePath = pathKernel
	defer func() { forcePath = pathAuto }()
	p := make([]byte, 20)
	must(t, second(m.ReadAt(p, 0)))
	if p[10] != want[10]^1 {
		t.Fatalf("a written private map read %#x at 10, want its own %#x", p[10], want[10]^1)
	}
	if b, _ := m.At(10); b != want[10]^1 {
		t.Fatalf("At(10) of a written private map = %#x, want its own %#x", b, want[10]^1)
	}
}

// A large copy from a fresh map goes by pread, which takes no page fault;
// the mapping's path takes at least one.
func TestLargeCopyTakesNoFault(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's shadow of the buffer faults in under pread")
	}
	path, want := randomFile(t, 4<<20)
	p := make([]byte, 2<<20)
	for _, path_ := range []int{pathAuto, pathMapping} {
		forcePath = path_
		m, err := Open(path, AccessRead)
		must(t, err)
		runtime.LockOSThread()
		before := threadFaults(t)
		_, err = m.ReadAt(p, 1<<20)
		faults := threadFaults(t) - before
		runtime.UnlockOSThread()
		m.Close()
		must(t, err)
		if !bytes.Equal(p, want[1<<20:3<<20]) {
			t.Fatal("the copy is not the file's bytes")
		}
		if path_ == pathAuto && faults > 2 || path_ == pathMapping && faults == 0 {
			t.Errorf("path %d: a copy of 2 MiB from a fresh map took %d page faults", path_, faults)
		}
	}
	forcePath = pathAuto
}

// A populated map copies by the mapping, where there is no fault to save.
func TestPopulatedMapCopiesByTheMapping(t *testing.T) {
	path, _ := randomFile(t, 4<<20)
	m, err := MapFile(openTestFile(t, path, true), 0, &Options{Access: AccessRead, Populate: true})
	must(t, err)
	defer m.Close()
	p := make([]byte, 1<<20)
	if !m.copyFile(p, m.mem.data, 1<<20) {
		t.Fatal("a copy from a populated map went by pread")
	}
	m.populated.Store(0)
	if m.copyFile(p, m.mem.data, 1<<20) {
		t.Fatal("a large copy from a map not populated went by the mapping")
	}
}

// The regions' bits: a copy inside a warm region is warm, one that reaches
// into another is not until that one is; Resize forgets them all.
func TestWarmRegions(t *testing.T) {
	const r = 1 << regionShift
	var w warmRegions
	if w.has(0, 1) || w.hasAll(0, 1) {
		t.Fatal("a region is warm before any read")
	}
	w.mark(r+5, 10, 3*r)
	switch {
	case !w.has(r, 100) || !w.has(2*r-1, 1) || !w.hasAll(r, r):
		t.Fatal("the marked region is not warm")
	case w.has(0, 1) || w.has(2*r-1, 2) || w.hasAll(2*r-1, 2) || w.has(2*r, 1):
		t.Fatal("a region around the marked one is warm")
	case w.has(r, largeRead):
		t.Fatal("has took a copy of largeRead bytes")
	}
	w.mark(2*r-1, 2, 3*r)
	if !w.hasAll(2*r-1, 2) || !w.has(2*r, 1) {
		t.Fatal("a copy across two regions did not mark both")
	}
	w.mark(200*r, 1, 201*r) // the map grew
	if !w.has(200*r, 1) || !w.has(r, 1) || w.has(199*r, 1) {
		t.Fatal("marking past the bits lost them or marked the wrong one")
	}

	path, _ := randomFile(t, 3*PageSize)
	m, err := Open(path, AccessWrite)
	must(t, err)
	defer m.Close()
	m.warm.mark(0, 1, m.Len())
	must(t, m.Resize(5*PageSize))
	if m.warm.has(0, 1) {
		t.Fatal("Resize kept the warm regions")
	}
}

// The copies by pread allocate nothing.
func TestCopiesFromTheFileAllocateNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's instrumentation allocates")
	}
	m, _ := mapData(t, benchText(1<<20), nil)
	forcePath = pathKernel
	defer func() { forcePath = pathAuto }()
	p := make([]byte, largeRead)
	for name, f := range map[string]func(){
		"ReadAt": func() { m.ReadAt(p[:64], 100) },
		"large":  func() { m.ReadAt(p, 100) },
		"At":     func() { m.At(5) },
		"Read":   func() { m.Seek(0, io.SeekStart); m.Read(p[:64]) },
	} {
		if n := testing.AllocsPerRun(100, f); n != 0 {
			t.Errorf("%s allocates %v times per call", name, n)
		}
	}
}
