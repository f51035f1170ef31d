package mmap

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// evictedFile makes a file of pages pages, written to disk and dropped from
// the page cache.
func evictedFile(t *testing.T, pages int) string {
	t.Helper()
	path := writeFile(t, benchText(pages*PageSize))
	f := openTestFile(t, path, false)
	must(t, f.Sync())
	must(t, unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED))
	return path
}

// evictedMap maps an evictedFile read-only under MADV_RANDOM: with no
// read-ahead, only the pages touched come in.
func evictedMap(t *testing.T, pages int) *Map {
	t.Helper()
	m, err := Open(evictedFile(t, pages), AccessRead)
	must(t, err)
	t.Cleanup(func() { m.Close() })
	must(t, m.Madvise(MADV_RANDOM))
	// At faults in its page alone, as these tests count, where a pread
	// (readpath.go) would read ahead on the descriptor.
	forcePath = pathMapping
	t.Cleanup(func() { forcePath = pathAuto })
	return m
}

func TestResident(t *testing.T) {
	underQemu(t, "ignores MADV_RANDOM")
	const pages = 64
	m := evictedMap(t, pages)
	before, total, err := m.Resident()
	must(t, err)
	if total != pages || before > pages/4 {
		t.Fatalf("%d of %d pages resident in an evicted file", before, total)
	}
	for i := 0; i < pages; i += 4 {
		if _, err := m.At(i * PageSize); err != nil {
			t.Fatal(err)
		}
	}
	after, _, err := m.Resident()
	must(t, err)
	if after < pages/4 {
		t.Errorf("%d pages resident after touching %d (before: %d)", after, pages/4, before)
	}
}

func TestPopulate(t *testing.T) {
	underQemu(t, "ignores MADV_POPULATE_READ")
	const pages = 64
	for _, how := range []string{"option", "method", "private option"} {
		path := evictedFile(t, pages)
		opts := &Options{Populate: how != "method"}
		if how == "private option" {
			opts.Access = AccessCopy
		}
		m, err := MapFile(openTestFile(t, path, false), 0, opts)
		must(t, err)
		if how == "method" {
			must(t, m.Populate())
		}
		if res, total, err := m.Resident(); res != total || err != nil {
			t.Errorf("%s: %d of %d pages resident after populating, %v", how, res, total, err)
		}
		m.Close()
	}
	// A file that shrank under the map: Populate reports the fault.
	m, path := mapData(t, make([]byte, 4*PageSize), nil)
	must(t, os.Truncate(path, 0))
	if err := m.Populate(); err == nil {
		t.Error("Populate of a truncated file succeeded")
	}
}

// TestHugeTLB: with huge pages reserved, an anonymous map that asks for huge
// pages gets them from the reserve (MAP_HUGETLB).
func TestHugeTLB(t *testing.T) {
	underQemu(t, "refuses MAP_HUGETLB")
	const size = 4 << 20
	huge, free := hugePagesFree()
	if huge == 0 || free*huge < size {
		t.Skip("not enough huge pages reserved (/proc/sys/vm/nr_hugepages); .ci/run reserves some")
	}
	m, err := Anonymous(size, &Options{HugePages: true})
	must(t, err)
	defer m.Close()
	if m.cfg.flags&unix.MAP_HUGETLB == 0 {
		t.Fatal("the map did not get MAP_HUGETLB")
	}
	for i := 0; i < size; i += huge {
		must(t, m.SetAt(i, 1))
	}
	if _, after := hugePagesFree(); after != free-size/huge {
		t.Errorf("%d huge pages free after touching the map, %d before", after, free)
	}
}

func TestResidentRange(t *testing.T) {
	underQemu(t, "ignores MADV_RANDOM")
	const pages = 16
	m := evictedMap(t, pages)
	for _, p := range []int{3, 4, 9} {
		m.At(p*PageSize + 10)
	}
	for _, c := range []struct{ off, n, res, total int }{
		{0, 3 * PageSize, 0, 3},
		{3 * PageSize, 2 * PageSize, 2, 2},
		{3*PageSize + 100, PageSize, 2, 2}, // unaligned: pages 3 and 4
		{5 * PageSize, 4 * PageSize, 0, 4},
		{9 * PageSize, 1, 1, 1},
		{0, pages * PageSize, 3, pages},
		{7, 0, 0, 0},
	} {
		res, total, err := m.ResidentRange(c.off, c.n)
		if res != c.res || total != c.total || err != nil {
			t.Errorf("ResidentRange(%d, %d) = %d, %d, %v; want %d of %d", c.off, c.n, res, total, err, c.res, c.total)
		}
	}
	for _, c := range [][2]int{{-1, 1}, {0, -1}, {pages*PageSize - 1, 2}, {pages*PageSize + 1, 0}} {
		if _, _, err := m.ResidentRange(c[0], c[1]); !errors.Is(err, ErrOutOfRange) {
			t.Errorf("ResidentRange%v: %v", c, err)
		}
	}
}

// smallTmpfs mounts a tmpfs of size bytes for the test, or skips it where
// the test may not mount (not root, or no mount namespace of its own).
func smallTmpfs(t *testing.T, size int) string {
	t.Helper()
	dir := t.TempDir()
	if err := unix.Mount("tmpfs", dir, "tmpfs", 0, fmt.Sprintf("size=%d", size)); err != nil {
		t.Skipf("cannot mount a tmpfs here (the test needs root): %v", err)
	}
	t.Cleanup(func() { unix.Unmount(dir, unix.MNT_DETACH) })
	return dir
}

// TestResizeFullDisk: growing a file past the free space of its file system
// is ENOSPC from Resize, with map and file as they were, and the space that
// Resize did grant is the file's: writing all of it through Bytes never
// faults (a sparse file would die of SIGBUS on a full tmpfs).
func TestResizeFullDisk(t *testing.T) {
	dir := smallTmpfs(t, 16<<20)
	path := filepath.Join(dir, "data")
	must(t, os.WriteFile(path, bytes.Repeat([]byte("d"), PageSize), 0o644))
	m, err := MapFile(openTestFile(t, path, false), 0, nil)
	must(t, err)
	defer m.Close()
	// A second file takes half of the space.
	filler := filepath.Join(dir, "filler")
	must(t, os.WriteFile(filler, make([]byte, 8<<20), 0o644))

	if err := m.Resize(12 << 20); !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("Resize past the free space: %v, want ENOSPC", err)
	}
	if m.Len() != PageSize || fileSize(t, path) != int64(PageSize) {
		t.Fatalf("after the failed Resize: Len %d, file %d bytes", m.Len(), fileSize(t, path))
	}
	if b, err := m.At(0); b != 'd' || err != nil {
		t.Fatalf("At(0) after the failed Resize = %q, %v", b, err)
	}

	const granted = 6 << 20
	must(t, m.Resize(granted))
	// Take the rest of the space: only the granted pages are left to write.
	if f, err := os.OpenFile(filler, os.O_WRONLY|os.O_APPEND, 0); err == nil {
		f.Write(make([]byte, 4<<20)) // fills the tmpfs; a short write is the point
		f.Close()
	}
	b := m.Bytes()
	must(t, guarded("test", func() {
		for i := range 10000 {
			b[(i*4099)%granted] = byte(i)
		}
		for i := 0; i < granted; i += PageSize {
			b[i] = 'w' // every page of the granted range
		}
	}))
	must(t, m.Flush())
}

// TestResizeSparse: with Options.Sparse, Resize grows the file far past the
// free space without taking blocks (Python's growth), and a write to a page
// that the full disk cannot give a block is the fault Options.Sparse warns
// of: ErrFault from the Map's methods, not a crash.
func TestResizeSparse(t *testing.T) {
	underQemu(t, "reports memory faults without their address, which the guard needs")
	dir := smallTmpfs(t, 16<<20)
	path := filepath.Join(dir, "data")
	must(t, os.WriteFile(path, bytes.Repeat([]byte("d"), PageSize), 0o644))
	m, err := MapFile(openTestFile(t, path, false), 0, &Options{Sparse: true})
	must(t, err)
	defer m.Close()
	must(t, m.Resize(1<<30)) // 64 times the tmpfs
	var st unix.Stat_t
	must(t, unix.Stat(path, &st))
	if st.Size != 1<<30 || st.Blocks*512 > 1<<20 {
		t.Fatalf("after a sparse Resize to 1 GiB: %d bytes, %d of them allocated", st.Size, st.Blocks*512)
	}
	// Fill the tmpfs, then write where no block can be had.
	os.WriteFile(filepath.Join(dir, "filler"), make([]byte, 16<<20), 0o644) // ENOSPC: the point
	if _, err := m.WriteAt([]byte("x"), 512<<20); !errors.Is(err, ErrFault) {
		t.Fatalf("a write to a page the full tmpfs cannot give: %v, want ErrFault", err)
	}
	if b, err := m.At(0); b != 'd' || err != nil {
		t.Fatalf("At(0) after the fault = %q, %v", b, err)
	}
}

// fileSize returns the size of the file at path.
func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	st, err := os.Stat(path)
	must(t, err)
	return st.Size()
}

// TestAllocate: Allocate fills the holes of a sparse file (its blocks grow
// to cover the range) and leaves its size and bytes alone.
func TestAllocate(t *testing.T) {
	path := writeFile(t, nil)
	must(t, os.Truncate(path, 4<<20)) // sparse: no blocks
	m, err := MapFile(openTestFile(t, path, false), 0, nil)
	must(t, err)
	defer m.Close()
	must(t, m.SetAt(100, 'x'))
	blocks := func() int64 {
		var st unix.Stat_t
		must(t, unix.Stat(path, &st))
		return st.Blocks * 512
	}
	probe := openTestFile(t, writeFile(t, nil), false)
	if err := unix.Fallocate(int(probe.Fd()), unix.FALLOC_FL_KEEP_SIZE, 0, 4096); err != nil {
		t.Skipf("this file system does not allocate ahead: %v", err)
	}
	before := blocks()
	must(t, m.Allocate(PageSize, 2<<20))
	if got := blocks(); got < before+2<<20 {
		t.Fatalf("Allocate of 2 MiB: %d bytes of blocks, then %d", before, got)
	}
	if fileSize(t, path) != 4<<20 {
		t.Fatalf("Allocate changed the size to %d", fileSize(t, path))
	}
	if b, _ := m.At(100); b != 'x' {
		t.Fatalf("Allocate changed a byte: %q", b)
	}
}

// TestAllocateFullDisk: on a full tmpfs, Allocate past the free space is
// ENOSPC, and the range it did allocate is written through Bytes without a
// fault.
func TestAllocateFullDisk(t *testing.T) {
	dir := smallTmpfs(t, 16<<20)
	path := filepath.Join(dir, "sparse")
	must(t, os.WriteFile(path, nil, 0o644))
	must(t, os.Truncate(path, 32<<20)) // larger than the file system
	m, err := MapFile(openTestFile(t, path, false), 0, nil)
	must(t, err)
	defer m.Close()
	if err := m.Allocate(0, 32<<20); !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("Allocate past the free space: %v, want ENOSPC", err)
	}
	const granted = 8 << 20
	must(t, m.Allocate(0, granted))
	filler := filepath.Join(dir, "filler")
	if f, err := os.Create(filler); err == nil {
		f.Write(make([]byte, 16<<20)) // fills the tmpfs; a short write is the point
		f.Close()
	}
	b := m.Bytes()
	must(t, guarded("test", func() {
		for i := 0; i < granted; i += PageSize {
			b[i] = 'w'
		}
	}))
	if os.Getenv("MMAP_TEST_QEMU") != "" {
		return // qemu-user's faults carry no address: the guard cannot tell them from a nil pointer
	}
	if err := guarded("test", func() { b[granted] = 'w' }); !errors.Is(err, ErrFault) {
		t.Fatalf("a write past the allocated range of a full tmpfs: %v, want a fault", err)
	}
}
