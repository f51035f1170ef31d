package mmap

import (
	"runtime"
	"testing"
)

// newHelped returns a shared anonymous map of size bytes, none of them
// touched yet, and skips where its pages cannot be counted or the helper
// would not run.
func newHelped(t *testing.T, size int) *Map {
	t.Helper()
	underQemu(t, "qemu ignores madvise, so nothing is populated")
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("the helper runs only with GOMAXPROCS > 1")
	}
	m, err := Anonymous(size, nil)
	must(t, err)
	t.Cleanup(func() { m.Close() })
	if n, _, err := m.Resident(); err != nil || n != 0 {
		t.Skipf("Resident of a fresh map: %d pages, %v", n, err)
	}
	return m
}

// resident counts the resident pages of m[offset:offset+length].
func resident(t *testing.T, m *Map, offset, length int) (n, total int) {
	t.Helper()
	n, total, err := m.ResidentRange(offset, length)
	must(t, err)
	return n, total
}

// TestAheadPopulates: the helper populates the window in front of the scan,
// and nothing past it.
func TestAheadPopulates(t *testing.T) {
	m := newHelped(t, aheadWindow+aheadFrom)
	a := m.newAhead(m.gen.Load(), m.mem.data)
	a.reach(0)
	a.wg.Wait() // the helper ran the queue dry
	if n, total := resident(t, m, 0, aheadWindow); n != total {
		t.Errorf("window: %d of %d pages resident", n, total)
	}
	if n, _ := resident(t, m, aheadWindow, aheadFrom); n != 0 {
		t.Errorf("past the window: %d pages resident", n)
	}
	a.reach(aheadFrom)
	a.wg.Wait()
	if n, total := resident(t, m, 0, aheadWindow+aheadFrom); n != total {
		t.Errorf("after reach(%d): %d of %d pages resident", aheadFrom, n, total)
	}
	a.stop()
	// A second scan gets no help for what the first populated, until the
	// mapping changes.
	if got := m.populated.Load(); got != int64(m.Len()) {
		t.Errorf("populated prefix %d after the whole map was, want %d", got, m.Len())
	}
	a = m.newAhead(m.gen.Load(), m.mem.data)
	if a.reach(0); a.next != m.Len() {
		t.Errorf("a second scan queued from %d, want nothing (%d)", a.next, m.Len())
	}
	a.stop()
	must(t, m.Resize(m.Len()+PageSize))
	if got := m.populated.Load(); got != 0 {
		t.Errorf("populated prefix %d after Resize", got)
	}
	// Populate, the method or the option, leaves nothing to help with.
	must(t, m.Populate())
	if got := m.populated.Load(); got != int64(m.Len()) {
		t.Errorf("populated prefix %d after Populate, want %d", got, m.Len())
	}
	p, err := Anonymous(aheadWindow, &Options{Populate: true})
	must(t, err)
	defer p.Close()
	if got := p.populated.Load(); got != int64(p.Len()) {
		t.Errorf("populated prefix %d of a map made with Options.Populate, want %d", got, p.Len())
	}
}

// TestAheadYields: the helper gives up, without blocking, when Close or
// Resize holds or waits for the lock, and once they changed the mapping.
func TestAheadYields(t *testing.T) {
	m := newHelped(t, aheadWindow)
	data := m.mem.data
	m.mu.Lock() // as Close does
	if m.populateChunk(m.gen.Load(), data, 0, aheadChunk) {
		t.Error("populateChunk under a held lock")
	}
	m.mu.Unlock()
	gen := m.gen.Load()
	must(t, m.Resize(2*aheadWindow))
	if m.populateChunk(gen, data, 0, aheadChunk) {
		t.Error("populateChunk of a mapping that Resize replaced")
	}
	a := m.newAhead(m.gen.Load(), m.mem.data)
	a.reach(0)
	must(t, m.Close())
	a.stop() // returns: the helper stops at the next chunk, or has
	if m.populateChunk(gen, data, 0, aheadChunk) {
		t.Error("populateChunk after Close")
	}
}

// TestAheadFind: Find and FindIn find what they would without chunks and a
// helper: needles across the seams of the chunks, from several starts.
func TestAheadFind(t *testing.T) {
	const size = aheadFrom + 3*aheadChunk
	m, err := Anonymous(size, nil)
	must(t, err)
	defer m.Close()
	first := aheadFrom - len("NEEDLE") + 1 // where the first chunk starts
	for _, at := range []int{first - 3, first - 1, first, first + aheadChunk - 2, first + 2*aheadChunk - 5, size - 6} {
		must(t, m.SetSlice(at, at+6, []byte("NEEDLE")))
		for _, start := range []int{0, 1, PageSize + 7} {
			if got := m.FindIn([]byte("NEEDLE"), start, size); got != at {
				t.Errorf("FindIn(NEEDLE, %d) = %d, want %d", start, got, at)
			}
			if got := m.FindIn([]byte("E"), start, size); got != at+1 {
				t.Errorf("FindIn(E, %d) = %d, want %d", start, got, at+1)
			}
		}
		if got := m.Find([]byte("NEEDLE")); got != at {
			t.Errorf("Find(NEEDLE) = %d, want %d", got, at)
		}
		if got := m.FindIn([]byte("NEEDLE"), 0, at+5); got != -1 {
			t.Errorf("FindIn(NEEDLE, 0, %d) = %d, want -1", at+5, got)
		}
		must(t, m.SetSlice(at, at+6, make([]byte, 6)))
	}
}
