package mmap

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"testing"
)

func TestMirrorHalvesAreOneMemory(t *testing.T) {
	unit := max(PageSize, mirrorUnit)
	m, err := Mirror(3*PageSize + 1)
	must(t, err)
	defer m.Close()
	n := m.Len()
	if n != roundUp(3*PageSize+1, unit) {
		t.Fatalf("Len %d, want %d", n, roundUp(3*PageSize+1, unit))
	}
	b := m.Bytes()
	if len(b) != 2*n || cap(b) != 2*n {
		t.Fatalf("Bytes: len %d cap %d, want %d", len(b), cap(b), 2*n)
	}
	b[5] = 'a'
	b[2*n-1] = 'z'
	must(t, m.SetAt(100, 's'))
	if b[n+5] != 'a' || b[n-1] != 'z' || b[n+100] != 's' {
		t.Fatalf("the halves differ: %q %q %q", b[n+5], b[n-1], b[n+100])
	}
	if c, err := m.At(n - 1); c != 'z' || err != nil {
		t.Fatalf("At(Len-1) = %q, %v", c, err)
	}
	if _, err := m.At(n); !errors.Is(err, ErrOutOfRange) {
		t.Fatalf("At(Len) = %v: the methods must see Len bytes", err)
	}
	if err := m.Resize(2 * n); !errors.Is(err, errors.ErrUnsupported) {
		t.Fatalf("Resize of a Mirror: %v, want errors.ErrUnsupported", err)
	}
	if m.Len() != n || b[n+5] != 'a' {
		t.Fatal("a refused Resize changed the Mirror")
	}
	for _, bad := range []int{0, -1, math.MaxInt / 2, math.MaxInt} {
		if _, err := Mirror(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("Mirror(%d): %v, want ErrInvalid", bad, err)
		}
	}
}

// TestMirrorRecordsAcrossTheWrap writes variable-length records into a
// 1 MiB ring several times round, and reads each back as one slice of
// Bytes, those that cross the end of the ring too.
func TestMirrorRecordsAcrossTheWrap(t *testing.T) {
	m, err := Mirror(1 << 20)
	must(t, err)
	defer m.Close()
	ring, n := m.Bytes(), m.Len()
	record := func(i int) []byte { // 1..3000 bytes, from its number
		r := rand.New(rand.NewPCG(uint64(i), 7))
		b := make([]byte, 1+r.IntN(3000))
		for j := range b {
			b[j] = byte(r.Uint32())
		}
		return b
	}
	var head, tail, written, read, wrapped int // positions grow; the ring takes them mod n
	for read < 20_000 {
		// Write until the ring is nearly full.
		for {
			rec := record(written)
			if head+4+len(rec)-tail > n {
				break
			}
			at := head % n
			binary.LittleEndian.PutUint32(ring[at:], uint32(len(rec)))
			copy(ring[at+4:], rec) // one copy, however close to the end
			if at+4+len(rec) > n {
				wrapped++
			}
			head += 4 + len(rec)
			written++
		}
		// Read half of it back.
		for head-tail > n/2 {
			at := tail % n
			size := int(binary.LittleEndian.Uint32(ring[at:]))
			if got := ring[at+4 : at+4+size]; !bytes.Equal(got, record(read)) {
				t.Fatalf("record %d at %d (%d bytes) reads back wrong", read, at, size)
			}
			tail += 4 + size
			read++
		}
	}
	if wrapped < 10 {
		t.Fatalf("only %d records crossed the end of the ring", wrapped)
	}
}

// TestMirrorCycles makes and closes 10,000 Mirrors, using each, and checks
// that no descriptor or mapping of their memory is left.
func TestMirrorCycles(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("counts /proc/self/fd and /proc/self/maps")
	}
	fds := countFDs(t)
	ours := func() int { // the mappings of Mirror's memory (a memfd named mmap-shared)
		b, err := os.ReadFile("/proc/self/maps")
		must(t, err)
		return bytes.Count(b, []byte("mmap-shared"))
	}
	maps := ours()
	for i := range 10_000 {
		m, err := Mirror(PageSize)
		must(t, err)
		b := m.Bytes()
		b[i%PageSize] = byte(i)
		if b[PageSize+i%PageSize] != byte(i) {
			t.Fatalf("cycle %d: the halves differ", i)
		}
		must(t, m.Close())
	}
	runtime.GC()
	// More after is a leak; fewer is an earlier test's descriptor or mapping
	// that the collector released meanwhile (CI's race run: 11, then 10).
	if got := countFDs(t); got > fds {
		t.Errorf("descriptors: %d before, %d after", fds, got)
	}
	if got := ours(); got > maps {
		t.Errorf("mappings of Mirror memory: %d before, %d after", maps, got)
	}
}
