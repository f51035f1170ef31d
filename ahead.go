package mmap

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Populating ahead of a scan. The first touch of each page of a fresh map
// is a page fault: a warm 1 GiB scan over a fresh map took 1.23-1.33× the
// same scan over a heap buffer on the machine of BENCHMARKS.md, and
// populating the map first (MAP_POPULATE, MADV_POPULATE_READ) only moves that
// time in front of the scan. What hides it is doing it on another core while
// the scan runs: a helper goroutine populates (populate: MADV_POPULATE_READ
// on Linux, else touching a byte per page) the aheadWindow bytes in front of
// the scan, which then finds its pages mapped (1.02× the heap buffer in the
// same test).
//
// Scans get a helper once they have gone aheadFrom bytes (Find and FindIn
// that found nothing so far, Lines, WriteTo, and consecutive Reads), when
// the program may run on more than one CPU (GOMAXPROCS) and the caller gave
// no advice of its own. The helper never blocks Close or Resize: it holds the
// Map's lock only with TryRLock, per chunk, and gives up when the Map
// changed.

const (
	aheadFrom   = 8 << 20  // how far a scan goes before it gets a helper
	aheadWindow = 32 << 20 // how far ahead of the scan a helper works
	aheadChunk  = 4 << 20  // what a helper populates per hold of the lock
)

// ahead is the helper of one scan over data, the mapping of generation gen:
// the scan queues the chunks in front of it, and a helper goroutine, started
// when there is work and none runs, populates them until the queue is empty.
type ahead struct {
	m    *Map
	gen  uint64
	data []byte
	off  bool     // the scan gets no help
	next int      // the chunks of data[:next] are queued; owned by the scan
	work chan int // the starts of the chunks to populate

	running atomic.Bool // a helper goroutine runs
	stopped atomic.Bool // the scan ended, or the Map changed under the helper
	wg      sync.WaitGroup
}

// newAhead returns a helper for a scan of data, the mapping of generation
// gen; one that does nothing when the scan would not gain from it.
func (m *Map) newAhead(gen uint64, data []byte) *ahead {
	if runtime.GOMAXPROCS(0) < 2 || m.advised.Load() {
		return &ahead{off: true}
	}
	return &ahead{m: m, gen: gen, data: data, work: make(chan int, aheadWindow/aheadChunk)}
}

// follow returns the helper of a scan of data, the mapping of generation
// gen, that is now at pos: a, or a new one in place of a nil a or one of
// another generation.
func (m *Map) follow(a *ahead, gen uint64, data []byte, pos int) *ahead {
	if a == nil || a.gen != gen {
		a.stop()
		a = m.newAhead(gen, data)
	}
	a.reach(pos)
	return a
}

// reach tells the helper that the scan is at pos: the chunks up to
// aheadWindow in front of it are queued.
func (a *ahead) reach(pos int) {
	if a.off || a.stopped.Load() {
		return
	}
	a.next = max(a.next, pos)
	for queued := true; queued && a.next < len(a.data) && a.next < pos+aheadWindow; {
		select {
		case a.work <- a.next:
			a.next += aheadChunk
		default:
			queued = false
		}
	}
	if len(a.work) > 0 && !a.running.Load() {
		a.running.Store(true)
		a.wg.Add(1)
		go a.populate()
	}
}

// stop ends the help and waits for the helper, which stops after its chunk.
func (a *ahead) stop() {
	if a == nil || a.off {
		return
	}
	a.stopped.Store(true)
	a.wg.Wait()
}

// populate is the helper goroutine: it populates the queued chunks until
// the queue is empty, the scan ends, or the Map closes or changes.
func (a *ahead) populate() {
	defer a.wg.Done()
	defer a.running.Store(false)
	for !a.stopped.Load() {
		select {
		case s := <-a.work:
			if !a.m.populateChunk(a.gen, a.data[s:min(s+aheadChunk, len(a.data))]) {
				a.stopped.Store(true)
			}
		default:
			return
		}
	}
}

// populateChunk populates b, a part of the mapping of generation gen, and
// reports whether it could: not when Close or Resize holds or waits for the
// lock, nor once they changed the mapping, nor when b is gone (a fault).
func (m *Map) populateChunk(gen uint64, b []byte) bool {
	if !m.mu.TryRLock() {
		return false
	}
	defer m.mu.RUnlock()
	if m.closed.Load() || m.gen.Load() != gen {
		return false
	}
	return guarded(func() { populate(b) }) == nil
}

// readRun follows consecutive calls of Read and ReadLine, which scan the map
// as surely as one call of WriteTo does: a run that has gone aheadFrom bytes
// gets a helper. Its helper is never waited for: it stops at the end of its
// window.
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
