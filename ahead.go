package mmap

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Populating ahead of a scan. The first touch of each page of a fresh map
// is a page fault, which makes a scan of a fresh map of a warm file slower
// than the same scan over a heap buffer, and populating the map first
// (MAP_POPULATE, MADV_POPULATE_READ) only moves that time in front of the
// scan. What hides it is doing it on another core while the scan runs: a
// helper goroutine populates (touching it: see aheadStride) the aheadWindow
// bytes in front of the scan, which then finds its pages mapped.
// BenchmarkFirstScan measures scans of a fresh map with and without the
// help (BENCHMARKS.md, "Populating ahead"). A Find over a file that is not
// in memory gets none: its faults ahead of the scan made a cold 1 GiB Find
// slower and erratic (median 0.34 s against 0.26 s without, on a disk that
// MADV_SEQUENTIAL's readahead already keeps busy).
//
// Scans get help once they have gone aheadFrom bytes (Find and FindIn that
// found nothing so far, Lines, WriteTo, and consecutive Reads), when the
// program may run on more than one CPU (GOMAXPROCS) and the caller gave no
// advice of its own. The help is one goroutine for the whole process,
// started by the first scan that needs it and idle, blocked on its queue,
// when no scan does; scans queue their chunks without allocating. It never
// blocks Close or Resize: it holds the Map's lock only with TryRLock, per
// chunk, and gives up on a scan when the Map changed.

const (
	aheadFrom   = 8 << 20  // how far a scan goes before it gets help
	aheadWindow = 32 << 20 // how far ahead of the scan the helper works
	aheadChunk  = 4 << 20  // what the helper populates per hold of the lock
)

// aheadStride is how far apart the helper touches the map. A touch that
// faults maps the page-cache folio around it, or the fault-around window
// (64 KiB) when the folios are smaller, so that touching every 64 KiB maps
// every cached page, faster than MADV_POPULATE_READ, which takes every page
// on its own, or a touch per page (BENCHMARKS.md, "Populating ahead").
// A page the touches miss faults in the scan, as it would without help.
// Anonymous memory has no fault-around: the helper populates it (populate)
// instead.
var aheadStride = max(64<<10, pageSize)

// ahead is the help of one scan over data, the mapping of generation gen:
// the scan queues the chunks in front of it (reach), and the helper
// goroutine populates them.
type ahead struct {
	m    *Map
	gen  uint64
	data []byte
	off  bool // the scan gets no help
	next int  // the chunks of data[:next] are queued; owned by the scan

	wg      sync.WaitGroup // counts the chunks queued and not yet done
	stopped atomic.Bool    // the scan ended, or the Map changed under it
}

// chunk is a job of the helper: a chunk of a's scan, from start.
type chunk struct {
	a     *ahead
	start int
}

var (
	chunks      = make(chan chunk, 4*aheadWindow/aheadChunk) // the helper's queue
	startHelper sync.Once
	aheads      = sync.Pool{New: func() any { return new(ahead) }}
	noAhead     = &ahead{off: true}
)

// newAhead returns the help of a scan of data, the mapping of generation
// gen; help that does nothing when the scan would not gain from it.
func (m *Map) newAhead(gen uint64, data []byte) *ahead {
	if runtime.GOMAXPROCS(0) < 2 || m.advised.Load() {
		return noAhead
	}
	startHelper.Do(func() { go populateQueued() })
	a := aheads.Get().(*ahead)
	a.m, a.gen, a.data, a.off, a.next = m, gen, data, false, 0
	a.stopped.Store(false)
	return a
}

// follow returns the help of a scan of data, the mapping of generation gen,
// that is now at pos: a, or new help in place of a nil a or one of another
// generation.
func (m *Map) follow(a *ahead, gen uint64, data []byte, pos int) *ahead {
	if a == nil || a.gen != gen && !a.off {
		a.stop()
		a = m.newAhead(gen, data)
	}
	a.reach(pos)
	return a
}

// reach tells the help that the scan is at pos: the chunks up to aheadWindow
// in front of it are queued, as far as the queue has room.
func (a *ahead) reach(pos int) {
	if a.off || a.stopped.Load() {
		return
	}
	// What the helper populated once stays so (unless the kernel reclaims
	// it): a scan over a map that a scan went over before gets no help.
	a.next = max(a.next, pos, int(a.m.populated.Load()))
	for a.next < len(a.data) && a.next < pos+aheadWindow {
		a.wg.Add(1)
		select {
		case chunks <- chunk{a, a.next}:
			a.next += aheadChunk
		default:
			a.wg.Done()
			return
		}
	}
}

// stop ends the help, waits for the chunks queued, and recycles a, which
// the scan must not use again.
func (a *ahead) stop() {
	if a == nil || a.off {
		return
	}
	a.stopped.Store(true)
	a.wg.Wait()
	a.m, a.data = nil, nil
	aheads.Put(a)
}

// populateQueued is the helper: the goroutine that populates the chunks
// the scans queue, while their scan goes on and their Map is open and
// unchanged.
func populateQueued() {
	for c := range chunks {
		a := c.a
		if !a.stopped.Load() && !a.m.populateChunk(a.gen, a.data, c.start, min(c.start+aheadChunk, len(a.data))) {
			a.stopped.Store(true)
		}
		a.wg.Done()
	}
}

// populateChunk populates data[s:e], a part of the mapping of generation
// gen, and reports whether it could: not when Close or Resize holds or waits
// for the lock, nor once they changed the mapping, nor when the chunk is
// gone (a fault). It extends the populated prefix of the map.
func (m *Map) populateChunk(gen uint64, data []byte, s, e int) bool {
	if !m.mu.TryRLock() {
		return false
	}
	defer m.mu.RUnlock()
	if m.closed.Load() || m.gen.Load() != gen {
		return false
	}
	err := guarded("populate", func() {
		if m.cfg.anon {
			populate(data[s:e]) // no fault-around in anonymous memory
		} else {
			touch(data[s:e], aheadStride)
		}
	})
	if err != nil {
		return false
	}
	for done := m.populated.Load(); int64(s) <= done && done < int64(e); done = m.populated.Load() {
		if m.populated.CompareAndSwap(done, int64(e)) {
			break
		}
	}
	return true
}

// readRun follows consecutive calls of Read and ReadLine, which scan the map
// as surely as one call of WriteTo does: a run that has gone aheadFrom bytes
// gets help. That help is never stopped (but when the mapping changes): the
// helper does the chunks it queued, and it goes with the Map.
type readRun struct {
	from, to int // the run covers [from, to); the position was at to after it
	a        *ahead
}

// advance records that a call read data[pos:pos+n], the mapping of
// generation gen, from the position pos.
func (m *Map) advance(gen uint64, data []byte, pos, n int) {
	r := &m.run
	if pos != r.to {
		r.from = pos
	}
	r.to = pos + n
	if r.to-r.from >= aheadFrom {
		r.a = m.follow(r.a, gen, data, r.to)
	}
}

// populate reads data into memory; the caller guards against faults.
func populate(data []byte) {
	if !sysPopulate(data) {
		touch(data, pageSize)
	}
}

// touch reads a byte of data every stride bytes; the caller guards against
// faults.
func touch(data []byte, stride int) {
	var sink byte
	for i := 0; i < len(data); i += stride {
		sink += data[i]
	}
	touched.Store(uint32(sink))
}

// touched keeps the compiler from dropping the reads of touch.
var touched atomic.Uint32
