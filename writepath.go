package mmap

import (
	"sync/atomic"
	"unsafe"
)

// The copies into a map (Write, WriteAt, WriteString, SetSlice) write the
// file itself (pwrite) instead of the mapping where the mapping would be
// slower, and where the two are the same bytes (writesFile: on Linux, a
// shared, writable map of a file, whose pages are the page cache's; the
// map shows the bytes at once). The mapping is slower where its pages are
// not yet mapped for writing: the first write to each page is a page fault
// (and the file system's page_mkwrite), which on the machine of
// BENCHMARKS.md costs several times a pwrite of the page, and a large copy
// takes one per page. Where the file is in memory in large folios, the
// mapping is the faster (writeMapped), and each region of the map learns
// which at its first write. Elsewhere a copy goes by pwrite until each of
// its pages has been written writeAfter times, and by the mapping after (hot records,
// and buffers rewritten again and again, whose pages one fault each maps
// for good: renting skis until their price is spent). A file written once
// (a log, an output, a page of a growing database) goes by pwrite all the
// way. Four bits per page count the writes, made at the first write and
// dropped by Resize.
//
// A write that would pass the end of the file (truncated under the map)
// goes by the mapping, which faults as it would have: pwrite would grow
// the file instead. A pwrite that fails (ENOSPC, EIO) is an error wrapping
// ErrFault and the errno, from the write itself, where the mapping would
// have faulted or, worse, lost the bytes at writeback. Flush syncs the
// file's range (msync, then fdatasync's work), whichever way its bytes
// came. Private maps (AccessCopy) never write the file: their writes stay
// copies.

// writeAfter is how many writes of a page go by pwrite before the mapping's.
const writeAfter = 4

// writeCounts counts the writes of each page of the map, up to 15, in four
// bits; nil until the first write. The writers hold the Map
// (enter), and Resize, which holds it exclusively, drops the counts.
type writeCounts struct {
	c     atomic.Pointer[[]atomic.Uint64]
	sizes fileSizes // the file's size as fstat last said it (writepath_linux.go)
}

// reset forgets the counts and the file's size, when the mapping changes.
func (w *writeCounts) reset() {
	w.c.Store(nil)
	w.sizes.forget()
}

// hot reports whether every page of the n > 0 bytes at off was written
// writeAfter times: such pages go by the mapping in any region.
func (w *writeCounts) hot(off, n int) bool {
	c := w.c.Load()
	if c == nil {
		return false
	}
	for i := off >> pageShift; i <= (off+n-1)>>pageShift; i++ {
		if (*c)[i>>4].Load()>>(i&15*4)&15 < writeAfter {
			return false
		}
	}
	return true
}

// count counts a write of each page of the n > 0 bytes at off; length is
// the map's.
func (w *writeCounts) count(off, n, length int) {
	c := w.c.Load()
	if c == nil {
		fresh := make([]atomic.Uint64, ((length+pageSize-1)/pageSize+15)/16)
		w.c.CompareAndSwap(nil, &fresh)
		c = w.c.Load()
	}
	for i := off >> pageShift; i <= (off+n-1)>>pageShift; i++ {
		word, shift := &(*c)[i>>4], i&15*4
		for old := word.Load(); old>>shift&15 < 15 && !word.CompareAndSwap(old, old+1<<shift); old = word.Load() {
		}
	}
}

// byCopy reports whether a write of n > 0 bytes at off is a plain copy
// into the mapping with nothing to decide: a map that never writes by the
// file, or a write inside one page written writeAfter times (hot, for one
// page; false where the tests force writes by the file). It is small
// enough to be inlined, so that WriteAt into a hot record costs little
// more than a copy (BenchmarkWriteAt1); copyIn, which is not, is a call.
func (m *Map) byCopy(off, n int) bool {
	if !m.toFile {
		return true
	}
	i := off >> pageShift
	c := m.writes.c.Load()
	return c != nil && forcePath != pathFile && i == (off+n-1)>>pageShift && (*c)[i>>4].Load()>>(i&15*4)&15 >= writeAfter
}

// copyIn copies p into data[off:], the mapping, or writes it to the file,
// as the comment at the top of this file says; len(p) > 0. The caller
// holds the Map and guards the copy. It returns an error only where a
// pwrite failed.
func (m *Map) copyIn(op string, data []byte, off int, p []byte) error {
	if m.byCopy(off, len(p)) {
		copy(data[off:], p)
		return nil
	}
	return m.copyInCold(op, data, off, p)
}

// copyInCold is copyIn for a write that byCopy did not settle: hot pages
// across a page's end, and the writes that may go by pwrite.
func (m *Map) copyInCold(op string, data []byte, off int, p []byte) error {
	if forcePath == pathMapping || forcePath == pathAuto && (m.writes.hot(off, len(p)) || !m.cfg.remote && m.writeMapped(data, off, len(p))) {
		copy(data[off:], p)
		return nil
	}
	return m.pwrite(op, data, off, p)
}

// What a region learned of the writes into it (region.write).
const (
	writesNew       = iota // no write yet
	writesByFile           // by pwrite, and by the mapping a page written writeAfter times
	writesByMapping        // by the mapping
)

// writeMapped reports whether the write of n > 0 bytes at off goes by the
// mapping. A region's first write decides for the region: where the page
// is in the page cache and the map's faults map large folios (the probe of
// readpath.go), the region goes by the mapping, since there a random 4 KiB
// write through a bare map went faster than pwrite (pwrite dirties, and
// writeback writes, the whole large folio); elsewhere (small folios, where
// pwrite went faster, or pages not in memory, which a write fault would
// read or allocate first) by pwrite, with each page counted
// (BENCHMARKS.md, "Writes by pwrite or the mapping").
func (m *Map) writeMapped(data []byte, off, n int) bool {
	var g *region
	if off>>regionShift == (off+n-1)>>regionShift {
		g = m.paths.region(off, len(data))
	}
	if g != nil {
		switch g.write.Load() {
		case writesByMapping:
			return true
		case writesNew:
			if m.decideWrites(g, data, off, n) {
				return true
			}
		}
	}
	m.writes.count(off, n, len(data))
	return false
}

// decideWrites is the first write into region g, which decides how the
// region's writes go, as writeMapped says; it reports whether by the
// mapping.
func (m *Map) decideWrites(g *region, data []byte, off, n int) bool {
	state := uint32(writesByFile)
	if inPageCache(data[off&^(pageSize-1) : off+n]) {
		mode := m.paths.mode.Load()
		if mode == modeUnknown {
			mode = m.probe(data, off)
			m.paths.mode.Store(mode)
		}
		if mode == modeFolios {
			state = writesByMapping
		}
	}
	g.write.CompareAndSwap(writesNew, state)
	return g.write.Load() == writesByMapping
}

// bytesOf is s's bytes, without a copy, for a call that only reads them.
func bytesOf[T string | []byte](s T) []byte {
	switch v := any(s).(type) {
	case string:
		return unsafe.Slice(unsafe.StringData(v), len(v))
	default:
		return v.([]byte)
	}
}
