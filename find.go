package mmap

import (
	"github.com/mmapio/mmap/internal/search"
)

// Search, as Python's find and rfind, at close to memory speed (see
// internal/search): Find and RFind search from the current
// position to the end; FindIn and RFindIn search within [start, end) with
// Python's slice bounds. All return the index in the map of the first (last)
// occurrence of sub, or -1 when it is absent, when the Map is closed, or when
// the memory behind it is gone. An empty sub is found at the start of the
// span (Find) or at its end (RFind), even when the span is empty.
//
// On Linux a long Find or FindIn over a shared or read-only file map reads
// the file with pread instead of the mapping where that is faster, as the
// probe of readpath.go tells (where /proc/self/pagemap cannot be read, it
// keeps to the mapping, as the copies out do): a fresh map of a file cached
// in 4 KiB folios pays a page fault per 64 KiB, pread none. Over a cold
// file it keeps to the mapping under MADV_SEQUENTIAL (hints.go). The bytes are the same
// (the mapping and the page cache are one memory), and a file shorter than
// the map answers as the mapping does.

// Find returns the index of the first occurrence of sub at or after the
// current position, or -1. It does not move the position.
func (m *Map) Find(sub []byte) int { return m.find(sub, 0, 0, true, false) }

// FindIn returns the index of the first occurrence of sub within
// [start, end), or -1. Negative bounds count from the end of the map and both
// are clamped to it, as in Python's mm.find(sub, start, end).
func (m *Map) FindIn(sub []byte, start, end int) int { return m.find(sub, start, end, false, false) }

// RFind returns the index of the last occurrence of sub at or after the
// current position, or -1.
func (m *Map) RFind(sub []byte) int { return m.find(sub, 0, 0, true, true) }

// RFindIn returns the index of the last occurrence of sub within
// [start, end), or -1, with the bounds of FindIn.
func (m *Map) RFindIn(sub []byte, start, end int) int { return m.find(sub, start, end, false, true) }

// find is the four search methods; atPos searches [pos, Len()).
func (m *Map) find(sub []byte, start, end int, atPos, reverse bool) (i int) {
	if err := m.scan("find", func(data []byte) {
		if atPos {
			start, end = m.pos, len(data)
		}
		s, e := clampIndex(start, len(data)), clampIndex(end, len(data))
		switch {
		case e < s:
			i = -1
		case reverse:
			i = search.LastIndex(data[s:e], sub)
		default:
			i = m.index(data, s, e, sub)
		}
		if i >= 0 {
			i += s
		}
	}); err != nil {
		m.noteFault(err)
		return -1
	}
	return i
}

// index is search.Index(data[s:e], sub) with the library's help for long
// scans. Only a search that finds nothing in its first aheadFrom bytes gets
// a helper populating ahead (ahead.go), and only one that finds nothing in
// its first scanHint bytes is advised (hints.go): a search that stops early,
// one of many FindIn calls walking the matches, pays for neither.
func (m *Map) index(data []byte, s, e int, sub []byte) int {
	gen := m.gen.Load() // (of data, or newer: then the helper does nothing)
	if m.cfg.remote && len(sub) <= maxFileNeedle && m.sameAsFile() && forcePath != pathMapping {
		return m.indexFile(data, s, e, sub) // a failing server is an error, not a fault (FileSystem)
	}
	if e-s <= aheadFrom {
		return search.Index(data[s:e], sub)
	}
	if i := search.Index(data[s:s+aheadFrom], sub); i >= 0 {
		return i
	}
	// The rest goes chunk by chunk, each search finding the matches that
	// start in its chunk, through the mapping or, where the probe finds
	// the file faster, from the file (indexFile).
	from := s
	// The choice is for pages the map has not mapped yet: over pages that
	// a scan populated, the mapping takes no fault and wins.
	able := len(sub) <= maxFileNeedle && m.sameAsFile() && int(m.populated.Load()) < e && forcePath != pathMapping
	file, cold := able && forcePath == pathFile, false
	if able && forcePath == pathAuto && coldAhead(data, s+aheadFrom, e) {
		// Where the file is not in memory, the mapping under
		// MADV_SEQUENTIAL reads the disk as fast as a bare map, without the
		// helper, whose faults ahead of the scan made it slower and erratic
		// (1 GiB, 8 runs: median 0.26 s without, 0.34 s with; bare map
		// 0.26-0.28 s; 1 MiB preads, as the probes chose, 0.27 s and up to
		// 0.66 s); the probes' faults would read the disk at three places
		// first.
		cold = true
	} else if able && forcePath == pathAuto {
		// Where the probe cannot tell what a fault maps, the mapping, as
		// for the copies out.
		known, small := m.smallFolios(data, s+aheadFrom, e)
		file = known && small
	}
	a, helped := noAhead, false
	defer func() { a.stop() }()
	hinted := false
	for c := max(s+aheadFrom-len(sub)+1, s); c < e; c += aheadChunk {
		end := min(c+aheadChunk+len(sub)-1, e)
		var i int
		if file {
			i = m.indexFile(data, c, end, sub)
		} else {
			if !helped && !cold {
				a, helped = m.newAhead(gen, data), true
			}
			a.reach(c)
			if !hinted && (cold || c-from >= scanHint) {
				hinted = true
				if m.adviseSequential(data, c, e, cold) {
					defer unadviseSequential(data, c, e)
				}
			}
			i = search.Index(data[c:end], sub)
		}
		if i >= 0 {
			return c - from + i
		}
	}
	return -1
}
