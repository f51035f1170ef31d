package mmap

import (
	"sync/atomic"
	"time"
)

// The copies out of a map (ReadAt, Read, At, Slice) read the file itself
// (pread) instead of the mapping where the mapping would be slower, and
// where the two give the same bytes (readsFile: on Linux, a shared or
// read-only map of a file, whose pages are the page cache's):
//
//   - Where the file is not in the page cache, a page fault reads the disk
//     while the goroutine holds its P, so that no more reads are in flight
//     than GOMAXPROCS and other goroutines wait; pread is a system call,
//     during which the scheduler runs them.
//   - A fresh map of a file cached in 4 KiB folios takes a fault per page,
//     which costs more than pread's copy of it (BENCHMARKS.md, "Reads from
//     the file").
//
// So a copy of largeRead bytes or more goes by pread, unless a scan
// populated its range already (Options.Populate, the helper of a scan). A
// smaller copy goes by the mapping in a region of the map where an earlier
// pread of at most warmProbe bytes was fast (warmRead: the file's pages were
// in the page cache, and the mapping will find them there), by pread
// elsewhere. A region stays warm until Resize; a page the kernel evicts
// from a warm region faults as it would in any map.
//
// A pread that reads fewer bytes than asked (the file ended inside the
// map) is not an answer: the copy goes by the mapping, which faults, so
// that every path answers the same.

const (
	// regionShift: a region is 2 MiB, a large folio's (and a huge page's)
	// size, so that one pread learns about what one fault maps there.
	regionShift = 21
	// largeRead is the shortest copy that goes by pread wherever the scans
	// did not populate the map.
	largeRead = 256 << 10
	// warmProbe is the longest pread that may find a region warm.
	warmProbe = 16 << 10
	// warmRead is how long a pread of one page from the page cache may take
	// (about 2 µs on the machine of BENCHMARKS.md, whose system calls cost
	// 1 µs, against at least 18 µs for a page its disk sends).
	warmRead = 8 * time.Microsecond
)

// warmRegions records the regions of a map that reads found in the page
// cache: a bit per region, nil until the first is found.
type warmRegions struct {
	bits atomic.Pointer[[]atomic.Uint64]
}

// has reports whether the n bytes at off, n > 0 and less than largeRead,
// lie in one warm region. It is small enough to be inlined.
func (w *warmRegions) has(off, n int) bool {
	b := w.bits.Load()
	r := off >> regionShift
	if b == nil || n >= largeRead || (off+n-1)>>regionShift != r || r>>6 >= len(*b) {
		return false
	}
	return (*b)[r>>6].Load()&(1<<(r&63)) != 0
}

// hasAll reports whether every region of the n bytes at off is warm.
func (w *warmRegions) hasAll(off, n int) bool {
	b := w.bits.Load()
	if b == nil {
		return false
	}
	for r := off >> regionShift; r <= (off+n-1)>>regionShift; r++ {
		if r>>6 >= len(*b) || (*b)[r>>6].Load()&(1<<(r&63)) == 0 {
			return false
		}
	}
	return true
}

// mark records that the regions of the n bytes at off, in a map of length
// bytes, are warm.
func (w *warmRegions) mark(off, n, length int) {
	words := (length>>regionShift + 64) >> 6
	for {
		old := w.bits.Load()
		if old != nil && len(*old) >= words {
			break
		}
		b := make([]atomic.Uint64, words)
		if old != nil {
			for i := range *old {
				b[i].Store((*old)[i].Load())
			}
		}
		if w.bits.CompareAndSwap(old, &b) {
			break
		}
	}
	b := *w.bits.Load()
	for r := off >> regionShift; r <= (off+n-1)>>regionShift && r>>6 < len(b); r++ {
		b[r>>6].Or(1 << (r & 63))
	}
}

// reset forgets every warm region, when the mapping changes.
func (w *warmRegions) reset() { w.bits.Store(nil) }

// copyOut copies data[off:off+len(p)], the mapping, to p, by the mapping
// or from the file, and reports whether by the mapping; len(p) > 0. The
// caller guards the copy as a read.
func (m *Map) copyOut(p, data []byte, off int) (mapped bool) {
	if !m.fromFile || m.warm.has(off, len(p)) && forcePath == pathAuto {
		copy(p, data[off:])
		return true
	}
	return m.copyFile(p, data, off)
}

// copyFile is copyOut where the map's bytes are its file's, as the
// package's comment above says.
func (m *Map) copyFile(p, data []byte, off int) (mapped bool) {
	n := len(p)
	switch {
	case forcePath == pathMapping,
		forcePath == pathAuto && (int64(off+n) <= m.populated.Load() || n < largeRead && m.warm.hasAll(off, n)):
		copy(p, data[off:])
		return true
	}
	if lockFreeReads {
		// The descriptor stays open meanwhile. (Where reads take the
		// lock, the caller holds it already, and must not take it twice.)
		m.mu.RLock()
		defer m.mu.RUnlock()
	}
	if m.closed.Load() {
		copy(p, data[off:]) // which faults on the retired mapping: ErrClosed
		return true
	}
	var start time.Time
	if n <= warmProbe {
		start = time.Now()
	}
	if k := preadFull(m.mem.fd, p, m.cfg.offset+int64(off)); k < n {
		copy(p[k:], data[off+k:]) // the file ended inside the map: the mapping faults
		return true
	}
	if n <= warmProbe && time.Since(start) < warmRead+time.Duration(n>>12)*time.Microsecond {
		m.warm.mark(off, n, len(m.mem.data))
	}
	return false
}
