package mmap

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// copyCases are the copies the read tests make of a map of 5 MiB and a bit:
// inside a region, across the seam of two regions, as long as largeRead
// and longer, up to the end.
var copyCases = []struct{ off, n int }{
	{0, 1}, {4095, 2}, {5000, 4096}, {1<<regionShift - 100, 300}, {3 << 20, largeRead},
	{1<<regionShift - 7, 2*largeRead + 3}, {100, 5 << 20}, {5<<20 + 5000, 100},
}

// Every copy out of the map gives its bytes on either path (forced) and as
// the regions learn their paths (auto), at a
// file offset, with a write through SetAt and one through Bytes showing.
func TestCopiesFromTheFile(t *testing.T) {
	size := 5<<20 + 12345
	path, want := randomFile(t, AllocationGranularity+size)
	want = want[AllocationGranularity:]
	for _, path_ := range []int{pathFile, pathMapping, pathAuto} {
		forcePath = path_
		f, err := os.OpenFile(path, os.O_RDWR, 0)
		must(t, err)
		m, err := MapFile(f, size, &Options{Offset: int64(AllocationGranularity)})
		f.Close()
		must(t, err)
		exp := bytes.Clone(want)
		must(t, m.SetAt(5000, exp[5000]^0xff))
		exp[5000] ^= 0xff
		exp[3<<20+7] ^= 0x55
		m.Bytes()[3<<20+7] = exp[3<<20+7]
		for i := range 4 * len(copyCases) { // in auto, a region changes its path as it learns
			c := copyCases[i%len(copyCases)]
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
		m.Close()
	}
	forcePath = pathAuto
}

// A file cut short under the map is ErrFault on either path, as the
// mapping's fault: a short pread is not a short read.
func TestCopiesFromATruncatedFile(t *testing.T) {
	underQemu(t, "reports faults without an address")
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
	forcePath = pathFile
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
	underQemu(t, "counts its own page faults in the thread's")
	if raceEnabled {
		t.Skip("the race detector's shadow of the buffer faults in under pread")
	}
	path, want := randomFile(t, 4<<20)
	p := bytes.Repeat([]byte{1}, 2<<20) // its pages faulted in, so that only the map's count
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

// The regions' states: each passes from pread to the mapping as the
// comment of readpath.go says, and Resize forgets them.
func TestRegionStates(t *testing.T) {
	const r = 1 << regionShift
	path, want := randomFile(t, 7*r)
	m, err := Open(path, AccessWrite)
	must(t, err)
	defer m.Close()
	data := m.mem.data
	copyAt, region := regionProbe(t, m, want)

	// The first copy of a map goes by pread, and probes what a fault maps
	// unless the pread went to the disk.
	if copyAt(r + 10) {
		t.Fatal("the first copy of a region went by the mapping")
	}
	mapped, ok := pageMapped(&data[r+1<<(regionShift-1)])
	if !ok {
		t.Skip("/proc/self/pagemap cannot be read here")
	}
	switch mode, s := m.paths.mode.Load(), region(r).state.Load(); {
	case mode == modeUnknown && s == regionByPages:
		t.Log("the first pread went to the disk: no probe")
	case mapped && (mode != modeFolios || s != regionMapped), !mapped && (mode != modePages || s != regionByPages):
		t.Fatalf("a fault that mapped 1 MiB further: %v; the map learned mode %d, its region state %d", mapped, mode, s)
	default:
		t.Logf("the probe's fault mapped 1 MiB further: %v", mapped)
	}

	// Where faults map large folios, a new region in the page cache goes
	// by the mapping; where they do not, by pages.
	m.paths.mode.Store(modeFolios)
	m.paths.firsts.Store(1)
	if !copyAt(2*r+10) || region(2*r).state.Load() != regionMapped || !m.paths.mapped(2*r+5000, 10) {
		t.Fatal("with faults that map large folios, a cached region did not go by the mapping")
	}
	m.paths.mode.Store(modePages)
	if copyAt(3*r+10) || region(3*r).state.Load() != regionByPages {
		t.Fatal("with faults that map pages, a new region did not go by pread")
	}
	if m.paths.mapped(2*r-5, 10) || m.paths.mapped(2*r, largeRead) {
		t.Fatal("mapped took a copy across two regions, or a large one")
	}

	// By pages: the copies go by pread; copies of pages never read before
	// are not repeats, and never populate the region, however many; every
	// populateAfter-th repeat asks whether the whole region is in the page
	// cache: it is (the test wrote the file a moment ago), so the region is
	// populated and goes by the mapping.
	region(4 * r).state.Store(regionByPages)
	off := 4*r + 3*PageSize + 50
	for i := range 2 * populateAfter {
		if copyAt(4*r + (100+i)*PageSize) {
			t.Fatalf("copy %d of a page never read before went by the mapping", i+1)
		}
	}
	for i := range populateAfter {
		if copyAt(off) {
			t.Fatalf("copy %d of a page in a region of pages went by the mapping", i+1)
		}
	}
	if m.paths.mapped(off, probeLen) {
		t.Fatal("a region of pages went by the mapping before it was populated")
	}
	if copyAt(off) {
		t.Fatalf("repeat %d went by the mapping: it should populate the region in the background", populateAfter)
	}
	for wait := 0; region(4*r).state.Load() != regionMapped && wait < 1000; wait++ {
		time.Sleep(time.Millisecond)
	}
	if !copyAt(off) || region(4*r).state.Load() != regionMapped || !m.paths.mapped(off, probeLen) {
		t.Fatalf("repeat %d of a region in the page cache did not populate it", populateAfter)
	}
	if mapped, ok := pageMapped(&data[4*r+r/2]); ok && !mapped && os.Getenv("MMAP_TEST_QEMU") == "" {
		t.Fatal("the populated region's middle page is not mapped")
	}

	// A region not wholly in the page cache is not populated: it goes on by
	// pread, and asks again populateAfter copies later.
	region(6 * r).state.Store(regionByPages)
	evict(t, m, 6*r, r)
	if !inPageCache(data[6*r+r/2 : 6*r+r/2+PageSize]) {
		for i := range 3 * populateAfter {
			if copyAt(6*r + i%4*probeLen*3) {
				t.Fatalf("copy %d of a region with a page out of the page cache went by the mapping", i+1)
			}
		}
		if region(6*r).state.Load() != regionByPages {
			t.Fatal("a region with a page out of the page cache was populated")
		}
	} else {
		t.Log("FADV_DONTNEED left the page in the page cache")
	}

	// The second of two copies in a row that start where the region's last
	// one ended goes by the mapping: a sequential read, for which faults
	// map 64 KiB at once.
	region(5 * r).state.Store(regionByPages)
	if copyAt(5*r+PageSize) || copyAt(5*r+PageSize+probeLen) || !copyAt(5*r+PageSize+2*probeLen) || copyAt(5*r+3*PageSize) {
		t.Fatal("the second of two sequential copies in a row went by pread, or another copy by the mapping")
	}

	// ... but not over pages out of the page cache: a fault there would
	// read the disk holding the P (and megabytes around the page), where
	// pread reads the page. When the window's pages come into the page
	// cache (here, as the preads read them one by one: FADV_RANDOM keeps
	// readahead from reading them meanwhile), the copies go by the mapping.
	evict(t, m, 3*r, r)
	must(t, unix.Fadvise(m.mem.fd, 0, 0, unix.FADV_RANDOM))
	if inPageCache(data[3*r+window : 3*r+window+PageSize]) {
		t.Log("FADV_DONTNEED left the pages in the page cache")
	} else {
		var before unix.Rusage
		must(t, unix.Getrusage(unix.RUSAGE_SELF, &before))
		for i := range 2 * window / probeLen {
			o := 3*r + window + i*probeLen
			cached := inPageCache(data[o&^(window-1) : (o+probeLen-1)&^(window-1)+window])
			if copyAt(o) != cached {
				t.Fatalf("sequential copy %d went by the mapping: %v; its window was in the page cache: %v", i+1, !cached, cached)
			}
		}
		var after unix.Rusage
		must(t, unix.Getrusage(unix.RUSAGE_SELF, &after))
		if after.Majflt != before.Majflt {
			t.Fatalf("sequential copies over pages out of the page cache took %d faults that read the disk", after.Majflt-before.Majflt)
		}
	}
	copyAt(3*r + window)
	copyAt(3*r + window + probeLen)
	if !inPageCache(data[3*r+window:3*r+2*window]) || !copyAt(3*r+window+2*probeLen) {
		t.Fatal("the preads left a window out of the page cache, or a sequential copy there went by pread")
	}
	must(t, unix.Fadvise(m.mem.fd, 0, 0, unix.FADV_NORMAL))

	// A Resize that grows the map in place keeps what the whole regions
	// learned; one that shrinks it forgets.
	base := &m.Bytes()[0]
	must(t, m.Resize(8*r))
	if rs := m.paths.regions.Load(); &m.Bytes()[0] == base {
		if rs == nil || len(*rs) != 7 || (*rs)[4].state.Load() != regionMapped || (*rs)[5].state.Load() != regionByPages {
			t.Fatal("a Resize that grew the map in place forgot what its regions learned")
		}
	} else if rs != nil {
		t.Fatal("a Resize that moved the map kept the regions")
	}
	must(t, m.Resize(6*r))
	if m.paths.regions.Load() != nil {
		t.Fatal("a Resize that shrank the map kept the regions")
	}
}

// probeLen is the length of regionProbe's copies.
const probeLen = 100

// regionProbe returns the tests' copy of probeLen bytes at off through copyOut,
// which fails the test unless they are want's, and reports whether by the
// mapping; and the region of an offset of m.
func regionProbe(t *testing.T, m *Map, want []byte) (func(int) bool, func(int) *region) {
	data := m.mem.data
	p := make([]byte, probeLen)
	copyAt := func(off int) bool {
		t.Helper()
		mapped := m.copyOut(p, data, off)
		if !bytes.Equal(p, want[off:off+len(p)]) {
			t.Fatalf("the copy at %d is not the file's bytes", off)
		}
		return mapped
	}
	return copyAt, func(off int) *region { return m.paths.region(off, len(data)) }
}

// A map under memory pressure reads as pread does: an eviction that a
// sampled copy by the mapping finds, or a repeat by pread, sends every
// region that goes by the mapping by pages (its pages dropped from the
// mapping), and keeps regions off the mapping until pressureFor passes.
func TestPressureSendsCopiesByPread(t *testing.T) {
	const r = 1 << regionShift
	path, want := randomFile(t, 5*r)
	m, err := Open(path, AccessRead)
	must(t, err)
	defer m.Close()
	data := m.mem.data
	copyAt, region := regionProbe(t, m, want)
	evict := func(off int) {
		t.Helper()
		must(t, unix.Madvise(data[off:off+r], unix.MADV_DONTNEED))
		must(t, unix.Fdatasync(m.mem.fd)) // FADV_DONTNEED keeps dirty pages
		must(t, unix.Fadvise(m.mem.fd, int64(off), r, unix.FADV_DONTNEED))
		if inPageCache(data[off+r/2 : off+r/2+PageSize]) {
			t.Skip("FADV_DONTNEED left the pages in the page cache")
		}
	}
	m.paths.mode.Store(modeFolios)
	m.paths.firsts.Store(1)
	for _, off := range []int{0, r} {
		if !copyAt(off+10) || region(off).state.Load() != regionMapped {
			t.Fatal("with faults that map large folios, a cached region did not go by the mapping")
		}
	}

	// One copy by the mapping in checkEvery asks whether its pages are in
	// memory: region 0's are not.
	evict(0)
	off := 0
	for !m.paths.sampled(off) {
		off += PageSize
	}
	if m.paths.pressed() || !m.paths.mapped(off^PageSize, 10) || m.paths.mapped(off, 10) {
		t.Fatal("mapped did not send exactly the sampled copy to be checked")
	}
	if copyAt(off) || region(0).state.Load() != regionByPages || !m.paths.pressed() {
		t.Fatal("a sampled copy of an evicted region went by the mapping, or left the region or the map as it was")
	}

	// Region 1, in memory, goes by pages from its next (tracked) copy on,
	// its pages dropped from the mapping. Under pressure only the copies
	// of tracked pages learn; the others go by pread.
	tracked := func(base int) (off int) {
		for off = base + 10; !m.paths.tracked(off); off += PageSize {
		}
		return off
	}
	if m.paths.mapped(r+5000, 10) || copyAt(tracked(r)^PageSize) || region(r).state.Load() != regionMapped {
		t.Fatal("under pressure, a copy of a page not tracked learned")
	}
	if copyAt(tracked(r)) || region(r).state.Load() != regionByPages {
		t.Fatal("a region by the mapping stayed so after the map found an eviction")
	}
	if mapped, ok := pageMapped(&data[r+r/2]); ok && mapped {
		t.Fatal("a region sent by pages after an eviction kept its pages mapped")
	}

	// Under pressure no region goes by the mapping: not a new one in the
	// page cache, not one whose repeats would populate it.
	if copyAt(tracked(2*r)) || region(2*r).state.Load() != regionByPages {
		t.Fatal("under pressure, a new region in the page cache went by the mapping")
	}
	for range 2 * populateAfter {
		copyAt(tracked(2 * r))
	}
	time.Sleep(20 * time.Millisecond)
	if region(2*r).state.Load() != regionByPages {
		t.Fatal("under pressure, a region of repeats was populated")
	}

	// pressureFor later, a new region in the page cache goes by the
	// mapping again.
	m.paths.evicted.Store(int64(time.Since(started) - pressureFor))
	if m.paths.pressed() || !copyAt(3*r+10) || region(3*r).state.Load() != regionMapped {
		t.Fatal("pressureFor after the last eviction, a cached region did not go by the mapping")
	}

	// A repeat by pread of pages read before and evicted since (every
	// refaultEvery-th asks) is an eviction too.
	region(4 * r).state.Store(regionByPages)
	for range refaultEvery {
		copyAt(4*r + 10)
	}
	evict(4 * r)
	count := m.paths.evictions.Load()
	copyAt(4*r + 10)
	if m.paths.evictions.Load() != count+1 || !m.paths.pressed() {
		t.Fatal("a repeat of an evicted page did not put the map under pressure")
	}
	if m.paths.mapped(3*r+10, 10) {
		t.Fatal("a region by the mapping stayed so after a repeat found an eviction")
	}
}

// pageMapped tells a page this process touched from one it did not.
func TestPageMapped(t *testing.T) {
	underQemu(t, "maps the guest's addresses elsewhere in its own (qemu-arm), so pagemap answers for other pages")
	m, err := Anonymous(4*PageSize, nil)
	must(t, err)
	defer m.Close()
	b := m.Bytes()
	b[PageSize] = 1
	touched, ok := pageMapped(&b[PageSize])
	if !ok {
		t.Skip("/proc/self/pagemap cannot be read here")
	}
	if untouched, _ := pageMapped(&b[3*PageSize]); !touched || untouched {
		t.Fatalf("pageMapped: touched page %v, untouched page %v", touched, untouched)
	}
}

// The copies by pread allocate nothing.
func TestCopiesFromTheFileAllocateNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's instrumentation allocates")
	}
	m, _ := mapData(t, benchText(1<<20), nil)
	forcePath = pathFile
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

// coldAhead tells a file out of the page cache from one in it, by three
// points of the span, whatever the start of the span holds.
func TestColdAhead(t *testing.T) {
	path, _ := randomFile(t, 16<<20)
	m, err := Open(path, AccessRead)
	must(t, err)
	defer m.Close()
	data := m.mem.data
	if coldAhead(data, 0, len(data)) {
		t.Fatal("a file just written (in the page cache) is cold")
	}
	must(t, unix.Fdatasync(m.mem.fd))
	must(t, unix.Fadvise(m.mem.fd, 0, 0, unix.FADV_DONTNEED))
	if n, _ := sysResident(data); n > len(data)/PageSize/10 {
		t.Skipf("FADV_DONTNEED left %d pages in the page cache", n)
	}
	touch(data[:1<<20], PageSize) // what a scan read so far is in memory
	if !coldAhead(data, 1<<20, len(data)) {
		t.Fatal("an evicted file is not cold")
	}
	if coldAhead(data, 0, 100<<10) {
		t.Fatal("a span too short to tell is cold")
	}
}

// evict drops the n bytes of m's file at off from the page cache (and the
// pages from m's mapping), as far as FADV_DONTNEED does.
func evict(t *testing.T, m *Map, off, n int) {
	t.Helper()
	must(t, unix.Fdatasync(m.mem.fd)) // FADV_DONTNEED keeps dirty pages
	must(t, unix.Madvise(m.mem.data[off:off+n], unix.MADV_DONTNEED))
	must(t, unix.Fadvise(m.mem.fd, int64(off), int64(n), unix.FADV_DONTNEED))
}

// A map larger than the memory the process may use (memoryLimit) sends no
// region by the mapping at its first copy, even in the page cache with
// faults that map large folios, as under pressure; but every copy learns
// (a hot page need not be one of the tracked), and a region read again and
// again and wholly in the page cache still earns the mapping by populating.
func TestLargerThanMemoryStartsByPages(t *testing.T) {
	const r = 1 << regionShift
	for _, limit := range []int64{4 * r, 0, 64 * r} {
		t.Run(fmt.Sprint(limit), func(t *testing.T) {
			defer func(f func() int64) { memoryLimit = f }(memoryLimit)
			memoryLimit = func() int64 { return limit }
			large := limit == 4*r // the map is 5 regions long
			path, want := randomFile(t, 5*r)
			m, err := Open(path, AccessRead)
			must(t, err)
			defer m.Close()
			copyAt, region := regionProbe(t, m, want)
			m.paths.mode.Store(modeFolios)
			m.paths.firsts.Store(1)
			tracked := func(base int, want bool) (off int) {
				for off = base + 10; m.paths.tracked(off) != want; off += PageSize {
				}
				return off
			}
			if mapped := copyAt(tracked(0, true)); mapped == large || m.paths.large.Load() != large {
				t.Fatalf("a map larger than memory: %v; the first copy of a cached region went by the mapping: %v", large, mapped)
			}
			if s := region(0).state.Load(); large && s != regionByPages || !large && s != regionMapped {
				t.Fatalf("the region's state after its first copy is %d", s)
			}
			if m.paths.pressed() {
				t.Fatal("the map is under pressure without an eviction")
			}
			copyAt(tracked(r, false))
			if s := region(r).state.Load(); large && s != regionByPages || !large && s != regionMapped {
				t.Fatalf("after the copy of a page not tracked, the region's state is %d", s)
			}
			if !large {
				return
			}
			off := tracked(2*r, false)
			for i := range 2 * populateAfter {
				if copyAt(off) && i < populateAfter {
					t.Fatalf("copy %d of a page went by the mapping before the region was populated", i+1)
				}
			}
			for wait := 0; region(2*r).state.Load() != regionMapped && wait < 1000; wait++ {
				time.Sleep(time.Millisecond)
			}
			if !copyAt(off) || !m.paths.mapped(off, probeLen) {
				t.Fatal("a region read again and again, and in the page cache, was not populated")
			}
		})
	}
}

// memoryLimit is the machine's memory or less, never nothing, on Linux.
func TestMemoryLimit(t *testing.T) {
	var si unix.Sysinfo_t
	must(t, unix.Sysinfo(&si))
	total := int64(si.Totalram) * int64(si.Unit)
	if lim := memoryLimit(); lim <= 0 || lim > total {
		t.Fatalf("memoryLimit() = %d on a machine of %d bytes", lim, total)
	}
}
