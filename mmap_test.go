package mmap

import (
	"bytes"
	"os"
	"runtime"
	"runtime/trace"
	"testing"
	"time"
)

func TestOpen(t *testing.T) {
	path := writeFile(t, []byte("0123456789"))
	for _, c := range []struct {
		access    Access
		writable  bool
		reachFile bool
	}{
		{AccessDefault, true, true},
		{AccessRead, false, false},
		{AccessWrite, true, true},
		{AccessCopy, true, false},
	} {
		m, err := Open(path, c.access)
		must(t, err)
		if m.Len() != 10 || m.Access() != c.access {
			t.Errorf("%v: Len %d, Access %v", c.access, m.Len(), m.Access())
		}
		err = m.SetAt(0, 'x')
		if c.writable != (err == nil) {
			t.Errorf("%v: SetAt: %v", c.access, err)
		}
		must(t, m.Close())
		if got := fileBytes(t, path)[0]; (got == 'x') != c.reachFile {
			t.Errorf("%v: the file starts with %q after the write", c.access, got)
		}
		must(t, os.WriteFile(path, []byte("0123456789"), 0o644))
	}
}

// TestOpenReleasesFile checks that a Map from Open holds exactly one
// descriptor, and gives it back on Close.
func TestOpenReleasesFile(t *testing.T) {
	path := writeFile(t, []byte("data"))
	before := countFDs(t)
	m, err := Open(path, AccessRead)
	must(t, err)
	if got := countFDs(t); got != before+1 {
		t.Errorf("%d descriptors open with the map, %d before", got, before)
	}
	must(t, m.Close())
	if got := countFDs(t); got != before {
		t.Errorf("%d descriptors open after Close, %d before", got, before)
	}
}

// TestSizeWithOffset: Size is the file's size, Len the map's.
func TestSizeWithOffset(t *testing.T) {
	g := AllocationGranularity
	path := writeFile(t, make([]byte, 3*g))
	m, err := MapFile(openTestFile(t, path, false), g, &Options{Offset: int64(g)})
	must(t, err)
	defer m.Close()
	if size, err := m.Size(); m.Len() != g || size != int64(3*g) || err != nil {
		t.Errorf("Len %d, Size %d, %v", m.Len(), size, err)
	}
	must(t, os.Truncate(path, int64(4*g)))
	if size, _ := m.Size(); size != int64(4*g) {
		t.Errorf("Size %d after the file grew", size)
	}
}

// TestTraceEvent: every construction logs an mmap.new event to an execution
// trace, the Go form of Python's mmap.__new__ audit event.
func TestTraceEvent(t *testing.T) {
	var buf bytes.Buffer
	if err := trace.Start(&buf); err != nil {
		t.Skipf("tracing is already on: %v", err)
	}
	m, err := Anonymous(4096, nil)
	trace.Stop()
	must(t, err)
	m.Close()
	for _, want := range []string{"mmap.new", "length=4096 access=ACCESS_DEFAULT offset=0"} {
		if !bytes.Contains(buf.Bytes(), []byte(want)) {
			t.Errorf("the trace lacks %q", want)
		}
	}
}

// TestDroppedMapIsReleased: a Map dropped without Close gives back its
// descriptor, and its memory unless a view escaped.
func TestDroppedMapIsReleased(t *testing.T) {
	path := writeFile(t, make([]byte, 3*PageSize))
	for _, escape := range []bool{false, true} {
		for range 3 { // release what earlier tests dropped
			runtime.GC()
			time.Sleep(time.Millisecond)
		}
		settleRetired(t)
		fds, maps := countFDs(t), countMaps(t)
		func() {
			f := openTestFile(t, path, false)
			m, err := MapFile(f, 0, nil)
			must(t, err)
			f.Close()
			if escape {
				m.Bytes()[0] = 1
			}
		}()
		want := maps
		if escape {
			want++ // kept: the view may still be in use
		}
		// Cleanups run on their own goroutine after a GC: wait for them.
		deadline := time.Now().Add(5 * time.Second)
		// Fewer descriptors after is an earlier test's released meanwhile.
		for (countFDs(t) > fds || countMaps(t) != want) && time.Now().Before(deadline) {
			runtime.GC()
			time.Sleep(time.Millisecond)
		}
		if got := countFDs(t); got > fds {
			t.Errorf("escape=%v: %d descriptors after GC, %d before", escape, got, fds)
		}
		if got := countMaps(t); got != want {
			t.Errorf("escape=%v: %d mappings after GC, want %d", escape, got, want)
		}
	}
}
