package mmap

import (
	"sync/atomic"
	"time"
	"unsafe"
)

// The copies out of a map (ReadAt, Read, At, Slice) read the file itself
// (pread) instead of the mapping where the mapping would be slower, and
// where the two give the same bytes (sameAsFile: on Linux, a shared or
// read-only map of a file, whose pages are the page cache's). The mapping
// is slower in two ways:
//
//   - Where the file is not in the page cache, a page fault reads the disk
//     while the goroutine holds its P, so that no more reads are in flight
//     than GOMAXPROCS and the other goroutines wait. pread is a system
//     call, during which the scheduler runs them.
//   - The first touch of a page is a fault, which on the machine of
//     BENCHMARKS.md costs several preads of 4 KiB from the page cache
//     (BENCHMARKS.md, "Reads from the file"). Where the file is cached in
//     2 MiB folios (read sequentially), one fault maps 2 MiB, and the
//     reads there that follow cost nothing more; in small folios (read at
//     random, or written in small pieces), a fault maps 64 KiB at most
//     (fault-around), and reads scattered over the file fault at nearly
//     every one.
//
// So a copy of largeRead bytes or more goes by pread, unless a scan
// populated its range already (Options.Populate, the helper of a scan):
// even from a page cache of large folios, pread copies 64 KiB faster than
// a fault and a copy, and sequential Reads of 64 KiB go faster by pread
// than through the mapping with its helper in a page cache of small folios
// (BENCHMARKS.md, "Reads from the file").
// A smaller copy inside one 2 MiB region of the map goes by what the map
// and the region learned (readPaths.mode, regionState):
//
//   - The map learns whether its faults map large folios by a probe: the
//     first copy of a region goes by pread, timed; if it was fast (the
//     page cache had the page), the probe touches the page in the mapping,
//     which takes the fault, and /proc/self/pagemap says whether a page
//     1 MiB away was mapped with it. The region goes by the mapping if it
//     was, by pages if not, and by pages too if the pread was slow (the
//     disk). A probe runs again every probeEvery new regions, so that the
//     map follows its file's cache.
//   - Where faults map large folios, a region's first copy asks mincore
//     whether its pages are in the page cache: if so, the region goes by
//     the mapping; if not, by pages. (Asking about the whole region, a
//     mincore of 512 pages at every region's first copy, made the promise
//     check's random reads in large folios break their margin.)
//   - Elsewhere a region goes by pages: its copies by pread, but for the
//     second of two copies in a row that start where the region's last one
//     ended, as sequential reads do, which goes by the mapping (a fault
//     maps the 64 KiB that the next ones read) where its 64 KiB are in the
//     page cache (mincore, once a window). A bit per page says which
//     pages the region's copies read; a copy of pages all read before is a
//     repeat, which the mapping would have served for almost nothing once
//     populated. At every populateAfter-th repeat the region asks mincore
//     whether its pages are in the page cache (all but one in
//     populateMissing at most, which the populating reads, since a page
//     here and there is always missing from a page cache under any
//     pressure): if so, MADV_POPULATE_READ maps the whole region at once
//     (in a goroutine of its own, so that no copy waits for it), and the
//     region goes by the mapping from then on; if not, it goes on
//     by pread, and asks again populateAfter repeats later. Repeats, not
//     copies: where the pages are read once each (4 KiB reads at random
//     over a file of many regions), a populated region saves nothing, since
//     the first touch of a page through a mapping costs about a pread on
//     the machine of BENCHMARKS.md (bench -promises measured populating
//     after every 32nd copy at 2-4x os.File.ReadAt there). Populating 2 MiB
//     of small folios costs 90-145 µs, about as much as 32-48 preads
//     (2.3-3.1 µs each) and a sixth of the 32 faults (22-26 µs each) that
//     would map it one 64 KiB window at a time: so a region whose pages
//     are seldom read again never pays for it, and one read more pays at
//     most twice what the cheaper way would have (as renting skis until
//     their price is spent, then buying them). Before Linux 5.14, which
//     has no MADV_POPULATE_READ, such a region stays by pread. Regions with
//     more pages out of the page cache are never populated: that would
//     read the disk for pages nobody asked for, and a file larger than
//     memory would evict what the populating read a moment before.
//
// A map under memory pressure reads as pread does. Where the file is
// larger than the memory the page cache can give it, the kernel evicts its
// pages as fast as the reads bring them in, and pages that a mapping maps
// make that dearer: a fault on an evicted page reads the disk while its
// goroutine holds its P, and reclaiming a mapped page costs the reclaimer
// a walk of the page tables that map it and a TLB flush on every CPU that
// runs the process. bench -bigger (BENCHMARKS.md) found the map well below
// pread while three quarters of its regions went by the mapping, their
// pages in memory all the while (the kernel keeps mapped pages that are
// used), and a bare map with MADV_RANDOM too.
//
// The map notices evictions two ways: every refaultEvery-th repeat asks
// mincore whether its pages, which the region read before, are still in
// memory; and one copy by the mapping in checkEvery (readPaths.sampled)
// asks whether its pages are, and if not, whether nearly all the region's
// are (as for populating). Either eviction puts the map under pressure for
// pressureFor: every region that goes by the mapping goes by pages from
// its next copy on (readPaths.evictions, a count that the fast path
// compares with the region's) and drops its pages from the mapping
// (MADV_DONTNEED, which in a shared map leaves them in the page cache); no
// region goes by the mapping (first copy, probe, populating) until
// pressureFor passes without an eviction; and meanwhile only the copies of
// one page in pressedTrack learn (readPaths.tracked), the others going by
// pread at once. So the map reads a file that does not fit as pread does,
// and one that fits as a map does, for two loads per copy by the mapping,
// and a system call per checkEvery of those and per refaultEvery repeats.
//
// A map larger than the memory the process may use (memoryLimit: the
// machine's, or its memory cgroup's) cannot be all in memory, so no region
// of it goes by the mapping at its first copy (readPaths.large), as under
// pressure; a region read again and again and wholly in memory (a hot part
// of a large file) still goes by the mapping by populating, until the
// copies find an eviction. (Its copies all learn until then, as in any
// map: where only one page in pressedTrack did, a hot page outside them
// would have gone by pread for good.) Before, such a map found its pages
// evicted only a second or more into random reads of a 4 GiB file by a
// reader limited to 3 GiB, and by then the first copies had sent three
// quarters of its regions by the mapping (a fault each), to be dropped
// again (bench -bigger's 64 goroutines, 5 s samples, 4 rounds: 1.12-1.28x
// pread's time a read before, 1.03-1.19x after, in the same rounds).
//
// A region's state lasts until Resize otherwise.
//
// A pread that reads fewer bytes than asked (the file ended inside the
// map) is not an answer: the copy goes by the mapping, which faults, so
// that every path answers the same.

const (
	regionShift     = 21                   // a region is 2 MiB, the largest folio (and a huge page)
	largeRead       = 64 << 10             // the shortest copy that goes by pread anywhere
	warmRead        = 8 * time.Microsecond // the longest pread of a page from the page cache, plus a µs a page more
	probeEvery      = 256                  // a probe per this many new regions, after the first
	populateAfter   = 32                   // the repeats by pread in a region between two asks whether to populate it
	populateMissing = 16                   // a region is populated with one page in this many out of the page cache at most
	checkEvery      = 256                  // one copy by the mapping in this many asks whether its pages are still in memory
	refaultEvery    = 8                    // one repeat by pread in this many asks whether its pages are still in memory
	pressedTrack    = 8                    // under pressure, the copies of one page in this many learn (readPaths.tracked); the rest go by pread
	pressureFor     = time.Second          // a map is under pressure this long after an eviction
	evictionGap     = time.Millisecond     // the evictions that a map counts are this far apart at least
)

// What a map learned of its faults.
const (
	modeUnknown = iota // no probe ended yet
	modeFolios         // a fault maps a large folio
	modePages          // a fault maps a page, or 64 KiB
)

// The states of a region.
const (
	regionNew     = iota // no copy yet
	regionMapped         // the copies go by the mapping
	regionByPages        // by pread, until the region is populated
)

// region is what the copies learned of a region of the map.
type region struct {
	state   atomic.Uint32
	seen    atomic.Pointer[pageBits] // regionByPages: the pages its copies read
	repeats atomic.Int32             // the copies by pread of pages all read before
	next    atomic.Int64             // where the last copy in the region ended
	run     atomic.Int32             // how many copies in a row started there
	write   atomic.Uint32            // how writes into the region go (writepath.go)
	checked atomic.Uint32            // regionMapped: readPaths.evictions when it went by the mapping
	cached  atomic.Uint64            // the windows that sequential copies found in the page cache (windowsCached)
}

// readPaths is what the copies out of a map learned.
type readPaths struct {
	regions atomic.Pointer[[]region] // nil until the first copy that consults them
	mode    atomic.Uint32
	firsts  atomic.Int64 // the copies that met a new region
	// evictions counts the evictions that the copies found,
	// evictionGap apart at least; the last at evicted (nanoseconds since
	// the package started, monotonic).
	evictions atomic.Uint32
	evicted   atomic.Int64
	salt      atomic.Uint32 // sampled's
	// large says that the map is larger than the memory the process may
	// use (memoryLimit), as the copy that made the regions found.
	large atomic.Bool
}

// started is when the package started, for readPaths.evicted.
var started = time.Now()

// evict records an eviction: the map is under pressure, and the regions
// that go by the mapping go by pages from their next copy on.
func (r *readPaths) evict() {
	now := int64(time.Since(started))
	if last := r.evicted.Load(); now-last >= int64(evictionGap) && r.evicted.CompareAndSwap(last, now) {
		r.evictions.Add(1)
	}
}

// pressed reports whether the map is under pressure: an eviction less
// than pressureFor ago.
func (r *readPaths) pressed() bool {
	return r.evictions.Load() != 0 && time.Since(started)-time.Duration(r.evicted.Load()) < pressureFor
}

// mapped reports whether the n bytes at off, 0 < n < largeRead, inside
// one region, go by the mapping with nothing to learn.
func (r *readPaths) mapped(off, n int) bool {
	rs := r.regions.Load()
	i := off >> regionShift
	if rs == nil || n >= largeRead || (off+n-1)>>regionShift != i || i >= len(*rs) {
		return false
	}
	g := &(*rs)[i]
	return g.state.Load() == regionMapped && g.checked.Load() == r.evictions.Load() && !r.sampled(off)
}

// sampled reports whether the copy at off is one of the one in checkEvery
// that asks whether their pages are still in memory: by the number of its
// page and a salt that each such copy changes, so that the copies share no
// counter (a random number cost 14 ns a copy, as much as the rest of a
// one-byte ReadAt), and copies repeated at one offset are not all asked.
func (r *readPaths) sampled(off int) bool { return r.pageHash(off)%checkEvery == 0 }

// pageHash is the number of off's page with the salt: what sampled and
// tracked choose by.
func (r *readPaths) pageHash(off int) uint32 { return uint32(off>>12) ^ r.salt.Load() }

// tracked reports whether the copy at off is one of those that learn
// under pressure: the copies of one page in pressedTrack, by the page's
// number and sampled's salt. The others go by pread with nothing to
// learn: they cost 5% of the reads of 64 goroutines in bench -bigger. A
// repeat of a tracked page is one of another, so that the tracked copies
// still find evictions, every refaultEvery-th repeat.
func (r *readPaths) tracked(off int) bool {
	return r.pageHash(off)%pressedTrack == 0
}

// region returns the region of off in a map of length bytes, making the
// regions for that length if there are none; nil if another copy made
// them meanwhile.
func (r *readPaths) region(off, length int) *region {
	i := off >> regionShift
	rs := r.regions.Load()
	if rs == nil || i >= len(*rs) {
		fresh := make([]region, (length-1)>>regionShift+1)
		if i >= len(fresh) {
			return nil
		}
		if rs != nil { // the last of which may have been cut short
			for j := range min(len(*rs)-1, len(fresh)) {
				fresh[j].copyFrom(&(*rs)[j])
			}
		}
		// Before the regions are seen, so that no copy promotes one
		// meanwhile.
		lim := memoryLimit()
		r.large.Store(lim > 0 && int64(length) > lim)
		if !r.regions.CompareAndSwap(rs, &fresh) {
			return nil
		}
		rs = &fresh
	}
	return &(*rs)[i]
}

// reset forgets what the copies learned, when the mapping changes.
func (r *readPaths) reset() { r.regions.Store(nil) }

// grown keeps what the copies learned of the regions that were whole in a
// mapping of length bytes, which Resize grew in place, so that readers
// during growth do not learn every region again after every step (and
// probe again). The regions are made anew, for the new length, by the
// next copy that needs one past them.
func (r *readPaths) grown(length int) {
	rs := r.regions.Load()
	if rs == nil {
		return
	}
	whole := min(length>>regionShift, len(*rs))
	kept := make([]region, whole)
	for i := range kept {
		kept[i].copyFrom(&(*rs)[i])
	}
	r.regions.Store(&kept)
}

// copyFrom sets g to what o learned (while copies may still change o).
func (g *region) copyFrom(o *region) {
	g.state.Store(o.state.Load())
	g.seen.Store(o.seen.Load())
	g.repeats.Store(o.repeats.Load())
	g.next.Store(o.next.Load())
	g.write.Store(o.write.Load())
	g.checked.Store(o.checked.Load())
	g.cached.Store(o.cached.Load())
}

// mayPromote reports whether a region in state from may go by the mapping:
// not while the map is under pressure, nor at its first copy in a map
// larger than memory. The callers ask it before the system call that
// would decide it (mincore, populating), and promote again.
func (r *readPaths) mayPromote(from uint32) bool {
	return !r.pressed() && !(from == regionNew && r.large.Load())
}

// promote sends g's copies by the mapping, where mayPromote says so, and
// reports whether it did.
func (r *readPaths) promote(g *region, from uint32) bool {
	if !r.mayPromote(from) {
		return false
	}
	g.checked.Store(r.evictions.Load())
	g.state.CompareAndSwap(from, regionMapped)
	return true
}

// stillMapped is the check of a copy by the mapping of the n bytes at off
// in region g, as the comment at the top of this file says: it reports
// whether the copy may go by the mapping, and sends the region's copies by
// pages if not.
func (m *Map) stillMapped(g *region, data []byte, off, n int) bool {
	r := &m.paths
	if g.checked.Load() == r.evictions.Load() {
		r.salt.Add(1)
		if inPageCache(data[off&^(pageSize-1):off+n]) || regionResident(data, off) {
			return true
		}
		r.evict()
	}
	if g.state.CompareAndSwap(regionMapped, regionByPages) {
		g.seen.Store(nil)
		g.repeats.Store(0)
		// Unmap the region's pages (for a shared map, a drop of page
		// table entries; the page cache keeps them), so that the kernel
		// reclaims them as it does pages that pread read.
		sysAdvise(regionOf(data, off), MADV_DONTNEED)
	}
	return false
}

// copyOut copies data[off:off+len(p)], the mapping, to p, by the mapping
// or from the file, and reports whether by the mapping; len(p) > 0. The
// caller guards the copy as a read.
func (m *Map) copyOut(p, data []byte, off int) (mapped bool) {
	if m.byMapping(off, len(p)) {
		copy(p, data[off:])
		return true
	}
	return m.copyFile(p, data, off)
}

// byMapping reports whether a copy of the n bytes at off goes by the
// mapping with nothing to learn or decide: the question of copyOut and At.
func (m *Map) byMapping(off, n int) bool {
	return !m.fromFile || forcePath == pathAuto && m.paths.mapped(off, n)
}

// copyFile is copyOut where the map's bytes are its file's, as the
// comment at the top of this file says.
func (m *Map) copyFile(p, data []byte, off int) (mapped bool) {
	n := len(p)
	if forcePath == pathMapping || forcePath == pathAuto && !m.cfg.remote && int64(off+n) <= m.populated.Load() {
		copy(p, data[off:])
		return true
	}
	if lockFreeReads {
		// The descriptor stays open meanwhile, and a Resize, which keeps
		// it, does not wait for the read (nor the read for it). Where
		// reads take the Map's lock, the caller holds it already.
		m.fdMu.RLock()
		defer m.fdMu.RUnlock()
	}
	if m.closed.Load() {
		copy(p, data[off:]) // which faults on the retired mapping: ErrClosed
		return true
	}
	if forcePath == pathAuto && m.paths.pressed() && !m.paths.tracked(off) {
		m.pread(p, data, off)
		return false
	}
	var g *region
	if forcePath == pathAuto && !m.cfg.remote && n < largeRead && off>>regionShift == (off+n-1)>>regionShift {
		g = m.paths.region(off, len(data))
	}
	if g == nil {
		m.pread(p, data, off)
		return false
	}
	s := g.state.Load()
	if s == regionNew {
		return m.copyNew(g, p, data, off)
	}
	if s == regionMapped {
		// Another copy decided so a moment ago, or this one is to check
		// that its pages are still in memory.
		if m.stillMapped(g, data, off, n) {
			copy(p, data[off:])
			return true
		}
		m.pread(p, data, off)
		return false
	}
	// Copies that start where the last one ended are a sequential read,
	// for which one fault maps the 64 KiB that the next copies read; two
	// in a row, since random copies meet that way too (one region in 60
	// of a cold 4 GiB file read at random). And only over pages in the
	// page cache (windowsCached): a fault on a page not in memory holds
	// the P while the disk works, and reads 8 MiB around it where the
	// device's readahead is 8 MiB (three random reads of the promise
	// check's cold 4 GiB file that happened to meet so cost it 5-15%).
	sequential := false
	if g.next.Swap(int64(off+n)) == int64(off) {
		sequential = g.run.Add(1) >= 2
	} else {
		g.run.Store(0)
	}
	if sequential && m.paths.windowsCached(g, data, off, n) {
		copy(p, data[off:])
		return true
	}
	if g.pages().mark(off, n) {
		k := g.repeats.Add(1)
		if k%refaultEvery == 0 && !inPageCache(data[off&^(pageSize-1):off+n]) {
			m.paths.evict() // read before, and gone since
		} else if k%populateAfter == 0 && m.paths.mayPromote(regionByPages) {
			go m.populateLater(g, data, off)
		}
	}
	m.pread(p, data, off)
	return false
}

// window is the span of a fault on a page in the page cache: fault-around
// maps the 64 KiB around it (a page, where pages are larger).
const window = 64 << 10

// windowsCached reports whether the windows of region g that the n bytes
// at off touch are all in the page cache, so that a sequential copy of them
// by the mapping takes no fault that reads the disk. A window found so
// (mincore, at the first copy that touches it) is a bit of g.cached, under
// the evictions of the map then (the high half): an eviction found since
// forgets them all. A sequential read asks once a window, not once a copy.
func (r *readPaths) windowsCached(g *region, data []byte, off, n int) bool {
	w := max(window, pageSize)
	first, last := off&(1<<regionShift-1)/w, (off+n-1)&(1<<regionShift-1)/w
	want := uint64(1)<<(last+1) - uint64(1)<<first
	ev := uint64(r.evictions.Load()) << 32
	c := g.cached.Load()
	if c&^(1<<32-1) != ev {
		c = ev
	}
	if c&want == want {
		return true
	}
	start := off &^ (w - 1)
	if !inPageCache(data[start:min(start+(last-first+1)*w, len(data))]) {
		return false
	}
	g.cached.Store(c | want) // a race with another copy's forgets its windows at worst
	return true
}

// populateLater populates g, the region of data that holds off, and then
// sends its copies by the mapping, in a goroutine of its own: populating
// takes 90-145 µs, which the copy that decided it should not wait (it
// made the 99th percentile of a reader's latency during growth). It gives
// up where the Map is busy (Resize, Close: TryRLock) or no longer maps
// data there.
func (m *Map) populateLater(g *region, data []byte, off int) {
	if !m.mu.TryRLock() {
		return
	}
	defer m.mu.RUnlock()
	now := m.mem.data
	if m.closed.Load() || len(now) == 0 || unsafe.SliceData(now) != unsafe.SliceData(data) || len(now) < len(data) {
		return
	}
	if m.paths.mayPromote(regionByPages) && regionResident(data, off) && sysPopulate(regionOf(data, off)) {
		m.paths.promote(g, regionByPages)
	}
}

// pageBits has a bit for each page of a region (regionPages at most).
type pageBits [1 << regionShift / 4096 / 64]atomic.Uint64

// pages returns the bits of g's pages, made at the first call.
func (g *region) pages() *pageBits {
	b := g.seen.Load()
	if b == nil {
		g.seen.CompareAndSwap(nil, new(pageBits))
		b = g.seen.Load()
	}
	return b
}

// mark sets the bits of the pages of the n bytes at off, inside one
// region, and reports whether they were all set already.
func (b *pageBits) mark(off, n int) (repeat bool) {
	repeat = true
	for i := off & (1<<regionShift - 1) >> pageShift; i <= (off+n-1)&(1<<regionShift-1)>>pageShift; i++ {
		w, bit := &b[i>>6], uint64(1)<<(i&63)
		if w.Load()&bit == 0 {
			w.Or(bit)
			repeat = false
		}
	}
	return repeat
}

// regionOf is the region of data that holds off.
func regionOf(data []byte, off int) []byte {
	start := off &^ (1<<regionShift - 1)
	return data[start:min(start+1<<regionShift, len(data))]
}

// regionResident reports whether nearly all the pages of the region of
// data that holds off are in the page cache (all but one in
// populateMissing), by mincore.
func regionResident(data []byte, off int) bool {
	b := regionOf(data, off)
	pages := (len(b) + pageSize - 1) / pageSize
	n, err := sysResident(b)
	return err == nil && pages-n <= pages/populateMissing
}

// copyNew is copyFile in a region that no copy decided yet.
func (m *Map) copyNew(g *region, p, data []byte, off int) (mapped bool) {
	r := &m.paths
	n := len(p)
	g.next.Store(int64(off + n))
	mode := r.mode.Load()
	if mode == modeUnknown || r.firsts.Add(1)%probeEvery == 0 {
		start := time.Now()
		if !m.pread(p, data, off) {
			return false
		}
		state := uint32(regionByPages) // the disk sent it
		if time.Since(start) < warmRead+time.Duration(n/pageSize)*time.Microsecond {
			mode = m.probe(data, off)
			r.mode.Store(mode)
			if mode == modeFolios {
				state = regionMapped
			}
		}
		if state != regionMapped || !r.promote(g, regionNew) {
			g.pages().mark(off, n)
			g.state.CompareAndSwap(regionNew, regionByPages)
		}
		return false
	}
	if mode == modeFolios && r.mayPromote(regionNew) && inPageCache(data[off&^(pageSize-1):off+n]) && r.promote(g, regionNew) {
		copy(p, data[off:])
		return true
	}
	m.pread(p, data, off)
	g.pages().mark(off, n)
	g.state.CompareAndSwap(regionNew, regionByPages)
	return false
}

// probe touches data[off], which is in the page cache, and tells by
// whether the page 1 MiB away was mapped with it if the map's faults map
// large folios: it returns the mode that says so. Where pagemap cannot
// tell, it returns modeFolios, which keeps to the mapping, as a map
// without these paths does.
func (m *Map) probe(data []byte, off int) (mode uint32) {
	far := off ^ 1<<(regionShift-1)
	if far >= len(data) {
		return modePages // a map too short to tell
	}
	touched.Add(uint32(data[off]))
	if mapped, ok := pageMapped(&data[far]); mapped || !ok {
		return modeFolios
	}
	return modePages
}

// smallFolios reports whether the map's faults map pages or 64 KiB rather
// than large folios, as the copies out learned, or else as probes over
// data[from:to] tell now (the most of three, a quarter, a half and three
// quarters of the way: the first megabytes of a file read sequentially sit
// in small folios, as readahead starts small); known is false where
// pagemap cannot tell. The caller guards the probes' touches as a read.
func (m *Map) smallFolios(data []byte, from, to int) (known, small bool) {
	if pagemap() < 0 {
		return false, false
	}
	mode := m.paths.mode.Load()
	if mode == modeUnknown {
		votes := 0
		for k := 1; k <= 3; k++ {
			if m.probe(data, from+(to-from)/4*k) == modePages {
				votes++
			}
		}
		mode = modeFolios
		if votes >= 2 {
			mode = modePages
		}
		m.paths.mode.Store(mode)
	}
	return true, mode == modePages
}

// inPageCache reports whether every page of b, which starts on a page, is
// in memory (mincore).
func inPageCache(b []byte) bool {
	n, err := sysResident(b)
	return err == nil && n == (len(b)+pageSize-1)/pageSize
}

// pread copies the n bytes at off from the file to p and reports whether
// it read them all; where the file gave fewer (it ended inside the map), it
// copies the rest from data, the mapping, which faults as it would have.
func (m *Map) pread(p, data []byte, off int) bool {
	k := preadFull(m.mem.fd, p, m.cfg.offset+int64(off))
	if k < len(p) {
		copy(p[k:], data[off+k:])
		return false
	}
	return true
}
