package mmap

import (
	"bytes"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// Ports of CPython's LargeMmapTests: sparse files past 2 and 4 GiB, which
// cost no disk.

// sparseFile makes a file of zeros (a hole) followed by tail.
func sparseFile(t *testing.T, zeros int64, tail []byte) *os.File {
	t.Helper()
	f, err := os.Create(filepath.Join(tempDir(t), "large"))
	must(t, err)
	t.Cleanup(func() { f.Close() })
	if _, err := f.WriteAt(tail, zeros); err != nil {
		t.Skipf("no sparse file of %d bytes here: %v", zeros, err)
	}
	return f
}

// skipQemuMmap2 skips a test that maps at an offset past 4 GiB under
// qemu-user for a 32-bit target: qemu (7.2, Debian 12's) shifts mmap2's page
// offset within 32 bits, so that a map at 0x140000000 gets the file's bytes
// at 0x40000000. A probe program with the same x/sys/unix call reads the
// right bytes natively, and under qemu the bytes of the truncated offset.
func skipQemuMmap2(t *testing.T) {
	if strconv.IntSize == 32 && os.Getenv("MMAP_TEST_QEMU") != "" {
		t.Skip("qemu-user truncates the offsets of 32-bit mmap2 to 4 GiB")
	}
}

// CPython: test_large_offset.
func TestLargeOffset(t *testing.T) {
	skipQemuMmap2(t)
	f := sparseFile(t, 0x14FFFFFFF, []byte(" "))
	m, err := MapFile(f, 0, &Options{Offset: 0x140000000, Access: AccessRead})
	must(t, err)
	defer m.Close()
	if b, err := m.At(0xFFFFFFF); b != ' ' || err != nil {
		t.Errorf("At(0xFFFFFFF) = %q, %v", b, err)
	}
	if got := m.FindIn([]byte(" "), 0xFFFF000, -1); got != -1 {
		t.Errorf("FindIn before the last byte = %#x", got)
	}
	if got := m.FindIn([]byte(" "), 0xFFFF000, m.Len()); got != 0xFFFFFFF {
		t.Errorf("Find = %#x", got)
	}
}

// CPython: test_large_filesize. A file larger than int can hold is a clear
// ErrInvalid on 32-bit systems, never a silent wrap.
func TestLargeFilesize(t *testing.T) {
	f := sparseFile(t, 0x17FFFFFFF, []byte(" "))
	if strconv.IntSize == 32 {
		if _, err := MapFile(f, 0, &Options{Access: AccessRead}); !errors.Is(err, ErrInvalid) {
			t.Errorf("whole 6 GiB file on 32-bit: %v", err)
		}
	}
	m, err := MapFile(f, 0x10000, &Options{Access: AccessRead})
	must(t, err)
	defer m.Close()
	if size, err := m.Size(); size != 0x180000000 || err != nil {
		t.Errorf("Size = %#x, %v", size, err)
	}
}

// CPython: test_around_2GB and test_around_4GB, and searches across the
// boundary in both directions.
func TestAroundBoundaries(t *testing.T) {
	if strconv.IntSize == 32 {
		t.Skip("maps files larger than a 32-bit address space")
	}
	for _, boundary := range []int64{1 << 31, 1 << 32} {
		tail := []byte("  DEARdear  ")
		start := boundary - int64(len(tail))/2
		f := sparseFile(t, start, tail)
		m, err := MapFile(f, 0, &Options{Access: AccessRead})
		must(t, err)
		s := int(start)
		if got := m.Slice(s, s+len(tail)); !bytes.Equal(got, tail) {
			t.Errorf("around %#x: %q", boundary, got)
		}
		// Searches start a page before the boundary: scanning gigabytes of
		// holes would only cost time.
		m.Seek(int64(s-PageSize), io.SeekStart)
		if got := m.Find([]byte("DEARdear")); got != s+2 {
			t.Errorf("Find across %#x = %d, want %d", boundary, got, s+2)
		}
		if got := m.RFind([]byte("Rd")); got != s+5 {
			t.Errorf("RFind across %#x = %d, want %d", boundary, got, s+5)
		}
		if got := m.FindIn([]byte("ear"), s-PageSize, math.MaxInt); got != s+7 {
			t.Errorf("FindIn across %#x = %d, want %d", boundary, got, s+7)
		}
		m.Close()
	}
}
