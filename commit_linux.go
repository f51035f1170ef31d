package mmap

import (
	"errors"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The changed pages of a private file map, on Linux: a page the program
// wrote is a copy of the file's, anonymous memory, which /proc/self/pagemap
// tells by bit 61 ("file page or shared anonymous") clear on a present
// page, or by bit 62 on a copy that went to swap. Reading the entries of a
// fully mapped 1 GiB map takes tens of milliseconds (BENCHMARKS.md).

// pagemapChunk is how many entries sysDirty reads per pread.
const pagemapChunk = 8192

// sysDirty returns the runs of pages of mem that the program changed, and
// the spans to give back for them: the runs joined across the pages between
// them that are not mapped, so that one madvise (one flush of the TLBs of
// the process's threads, 10-15 µs here) gives back many runs; a page that
// is mapped and unchanged splits them, so that no read of it faults again.
func sysDirty(mem *memory, c *config) (runs, spans []run, err error) {
	data := mem.data
	if c.prot&unix.PROT_WRITE == 0 || len(data) == 0 {
		return nil, nil, nil // never written
	}
	fd := pagemap()
	if fd < 0 || !pagemapTells() {
		runs, err := dirtyByCompare(data, c.offset, func(p []byte, off int64) (int, error) {
			return unix.Pread(mem.fd, p, off)
		})
		return runs, runs, err
	}
	var buf [pagemapChunk]uint64
	mapped := 0 // where the last mapped, unchanged page ends
	first := uintptr(unsafe.Pointer(unsafe.SliceData(data))) / uintptr(pageSize)
	pages := (len(data) + pageSize - 1) / pageSize
	for p := 0; p < pages; p += pagemapChunk {
		k := min(pagemapChunk, pages-p)
		b := unsafe.Slice((*byte)(unsafe.Pointer(&buf[0])), 8*k)
		n, err := unix.Pread(fd, b, int64(first+uintptr(p))*8)
		if err != nil {
			return nil, nil, err
		}
		if n != len(b) {
			return nil, nil, errors.New("/proc/self/pagemap gave a short read")
		}
		for i, e := range buf[:k] {
			present, swapped, file := e>>63&1 != 0, e>>62&1 != 0, e>>61&1 != 0
			off := (p + i) * pageSize
			switch {
			case present && !file || swapped:
				n := min(pageSize, len(data)-off)
				runs = addRun(runs, off, n)
				if k := len(spans) - 1; k >= 0 && mapped <= spans[k].off+spans[k].n {
					spans[k].n = off + n - spans[k].off
				} else {
					spans = append(spans, run{off, n})
				}
			case present:
				mapped = off + pageSize
			}
		}
	}
	return runs, spans, nil
}

// pagemapTells reports whether /proc/self/pagemap answers for this
// process's addresses: of 8 fresh private pages, the ones written (1, 4
// and 6) must be present and anonymous, the others absent. It does not
// under emulators (qemu-user), whose guest's addresses are the emulator's
// plus an offset: there a single page's answer matched by chance (s390x),
// and Commit wrote the wrong pages. The changed pages are then found by
// comparing the map with the file.
var pagemapTells = sync.OnceValue(func() bool {
	const n = 8
	b, err := unix.Mmap(-1, 0, n*pageSize, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANON)
	if err != nil {
		return false
	}
	defer unix.Munmap(b)
	written := [n]bool{1: true, 4: true, 6: true}
	for i, w := range written {
		if w {
			b[i*pageSize] = 1
		}
	}
	var e [n]uint64
	raw := unsafe.Slice((*byte)(unsafe.Pointer(&e[0])), 8*n)
	if k, err := unix.Pread(pagemap(), raw, int64(uintptr(unsafe.Pointer(&b[0]))/uintptr(pageSize)*8)); k != len(raw) || err != nil {
		return false
	}
	for i, w := range written {
		present, file := e[i]>>63&1 == 1, e[i]>>61&1 == 1
		if present != w || file || e[i]>>62&1 == 1 {
			return false
		}
	}
	return true
})

// sysGiveBack drops the program's copies of the pages of runs, spans from
// sysDirty (MADV_DONTNEED on a private file map): the next touch maps the
// file's.
func sysGiveBack(mem *memory, _ *config, runs []run) error {
	for _, r := range runs {
		b := mem.data[r.off : r.off+r.n]
		if err := unix.Madvise(b[:len(b):roundUp(len(b), pageSize)], unix.MADV_DONTNEED); err != nil {
			return err
		}
	}
	return nil
}

// syncData is fdatasync.
func syncData(fd int) error { return unix.Fdatasync(fd) }
