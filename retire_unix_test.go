//go:build unix

package mmap

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"
	"unsafe"
)

// Reads without the lock (guard.go), on 64-bit Unix.

// mapping returns the line of /proc/self/maps of the mapping that holds p,
// or "" when none does; it skips where there is no /proc. The line may start
// below p: the kernel merges a PROT_NONE range with a neighbour like it (Go's
// own reservations, another retired range). A listing can also miss a
// mapping while other threads map and unmap next to it (qemu-user's did, with
// the cleanups of earlier tests unmapping their retired ranges around p), so
// "" takes three listings without it.
func mapping(t *testing.T, p *byte) string {
	t.Helper()
	at := uint64(uintptr(unsafe.Pointer(p)))
	for range 3 {
		maps, err := os.ReadFile("/proc/self/maps")
		if err != nil {
			t.Skip("no /proc/self/maps here")
		}
		for line := range strings.Lines(string(maps)) {
			var lo, hi uint64
			if _, err := fmt.Sscanf(line, "%x-%x", &lo, &hi); err == nil && lo <= at && at < hi {
				return strings.TrimSuffix(line, "\n")
			}
		}
		time.Sleep(time.Millisecond)
	}
	return ""
}

// unmappedSoon collects garbage until nothing is mapped at p, for up to 5
// seconds, and returns what is still mapped there ("" when nothing is).
func unmappedSoon(t *testing.T, p *byte) string {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		if line := mapping(t, p); line == "" {
			return ""
		}
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	return mapping(t, p)
}

// TestRetire: Close unmaps a Map that was never read without the lock at
// once; one that was is left inaccessible (PROT_NONE, "---p") and unmapped
// after a collection. A read still in a retired mapping returns ErrClosed
// after Close and runs again after Resize.
func TestRetire(t *testing.T) {
	if !lockFreeReads {
		t.Skip("reads take the lock on 32-bit systems")
	}
	path := writeFile(t, bytes.Repeat([]byte("retire\n"), 4*PageSize/7+1))

	m, err := Open(path, AccessRead)
	must(t, err)
	p := unsafe.SliceData(m.mem.data)
	must(t, m.Close())
	if line := mapping(t, p); line != "" {
		t.Errorf("a map never read is still mapped after Close: %s", line)
	}

	m, err = Open(path, AccessRead)
	must(t, err)
	p = unsafe.SliceData(m.mem.data)
	var closedErr error
	func() {
		v := m.beginRead()
		old := debug.SetPanicOnFault(true)
		defer func() {
			debug.SetPanicOnFault(old)
			m.endRead(v, recover(), &closedErr, "test")
		}()
		must(t, m.Close())
		if line := mapping(t, p); len(line) < 40 || !bytes.Contains([]byte(line), []byte(" ---p ")) {
			t.Errorf("the mapping of a closed map that was read: %q", line)
		}
		sink = v.data[0] // faults
	}()
	if !errors.Is(closedErr, ErrClosed) {
		t.Errorf("a read in the mapping that Close retired: %v", closedErr)
	}
	if line := unmappedSoon(t, p); line != "" {
		t.Errorf("a retired mapping is still there after collections: %s", line)
	}

	m, err = Anonymous(4*PageSize, nil)
	must(t, err)
	defer m.Close()
	var retried bool
	func() {
		v := m.beginRead()
		old := debug.SetPanicOnFault(true)
		defer func() {
			debug.SetPanicOnFault(old)
			_, retried = m.endRead(v, recover(), nil, "test")
		}()
		must(t, m.Resize(PageSize))
		sink = v.data[3*PageSize] // in the pages that the shrink retired
	}()
	if !retried {
		t.Error("a read in the pages that Resize retired does not run again")
	}
}

// TestReadsRaceResizeAndClose: readers without the lock see the map's bytes
// and nothing else while Resize moves, grows and shrinks it under them (and
// past the end io.EOF, never ErrFault, though the file shrinks before the
// map does), and ErrClosed (or the bytes) when Close comes.
func TestReadsRaceResizeAndClose(t *testing.T) {
	const keep = 4 // pages of pattern that every size keeps
	pattern := make([]byte, keep*PageSize)
	for i := range pattern {
		pattern[i] = byte(i % 251)
	}
	kinds := map[string]func() *Map{
		"file": func() *Map {
			m, _ := mapData(t, pattern, nil)
			return m
		},
		"shared anonymous": func() *Map {
			m, err := Anonymous(len(pattern), nil)
			must(t, err)
			must(t, m.SetSlice(0, len(pattern), pattern))
			return m
		},
		"private anonymous": func() *Map {
			m, err := Anonymous(len(pattern), &Options{Flags: MAP_PRIVATE})
			must(t, err)
			must(t, m.SetSlice(0, len(pattern), pattern))
			return m
		},
	}
	for name, open := range kinds {
		t.Run(name, func(t *testing.T) {
			m := open()
			var wg sync.WaitGroup
			errs := make(chan error, 4)
			for g := range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					p := [64]byte{}
					for i := g; ; i++ {
						off := (i * 4099) % (len(pattern) - len(p))
						var err error
						var got []byte
						switch i % 5 {
						case 0:
							_, err = m.ReadAt(p[:], int64(off))
							got = p[:]
						case 1:
							if got = m.Slice(off, off+len(p)); got == nil {
								err = ErrClosed
							}
						case 2:
							var b byte
							b, err = m.At(off)
							got = []byte{b}
						case 3:
							if i := m.FindIn(pattern[off:off+8], off, off+8); i != off {
								if m.Closed() {
									err = ErrClosed
								} else {
									err = fmt.Errorf("FindIn = %d, want %d", i, off)
								}
							}
						case 4: // past the pattern, where shrinks cut the file
							_, err = m.ReadAt(p[:8], int64(len(pattern)+(i*4099)%(9*PageSize)))
							got = nil
						}
						if errors.Is(err, ErrClosed) {
							return
						}
						if err == nil && !bytes.Equal(got, pattern[off:off+len(got)]) {
							err = fmt.Errorf("read %x at %d, want %x", got[:8], off, pattern[off:off+8])
						}
						if err != nil && err != io.EOF {
							errs <- err
							return
						}
					}
				}()
			}
			for i := range 300 {
				must(t, m.Resize((keep+i%9)*PageSize))
			}
			must(t, m.Close())
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
		})
	}
}

// sink keeps the compiler from dropping the reads that must fault.
var sink byte

// TestRetiredAreCollected: a program that closes many maps it read, and
// allocates too little to start collections, still gets its retired ranges
// unmapped: sysRetire starts a collection when too many wait.
func TestRetiredAreCollected(t *testing.T) {
	if !lockFreeReads {
		t.Skip("reads take the lock on 32-bit systems")
	}
	n := 2 * retiredMax
	if testing.Short() {
		n = retiredMax + retiredMax/4
	}
	p := make([]byte, 1)
	for range n {
		m, err := Anonymous(PageSize, nil)
		must(t, err)
		if _, err := m.ReadAt(p, 0); err != nil {
			t.Fatal(err)
		}
		must(t, m.Close())
	}
	deadline := time.Now().Add(5 * time.Second)
	for retiredCount.Load() > retiredMax && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if got := retiredCount.Load(); got > retiredMax {
		t.Errorf("%d retired ranges wait after %d Closes, more than %d", got, n, retiredMax)
	}
}

// settleRetired waits until the ranges that earlier tests retired are
// unmapped, for tests that count the process's mappings.
func settleRetired(t *testing.T) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); retiredCount.Load() > 0; {
		if time.Now().After(deadline) {
			t.Fatalf("%d retired ranges still mapped after collections", retiredCount.Load())
		}
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
}

// TestRetiredWhileOlderViewsRead: a read may hold a snapshot from before a
// Resize in place; the ranges retired later stay reserved for as long as
// any snapshot of their mapping lives, not just the last one.
func TestRetiredWhileOlderViewsRead(t *testing.T) {
	if !lockFreeReads {
		t.Skip("reads take the lock on 32-bit systems")
	}
	m, err := Anonymous(8*PageSize, nil)
	must(t, err)
	defer m.Close()
	if _, err := m.ReadAt(make([]byte, 1), 0); err != nil { // reads without the lock
		t.Fatal(err)
	}
	held := m.mem.snapshot.Load() // as by a read still in progress
	p := unsafe.SliceData(held.data)
	must(t, m.Resize(4*PageSize)) // in place: the tail is retired
	if v := m.mem.snapshot.Load(); unsafe.SliceData(v.data) != p || v.first != held {
		t.Fatal("the shrink did not stay in place")
	}
	must(t, m.Resize(16*PageSize)) // a shared anonymous map grows by a new mapping
	if unsafe.SliceData(m.mem.data) == p {
		t.Fatal("the growth stayed in place")
	}
	for range 3 {
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	if line := mapping(t, p); !bytes.Contains([]byte(line), []byte(" ---p ")) {
		t.Errorf("the first pages, which a read holding the first view may be in: %q", line)
	}
	runtime.KeepAlive(held)
	held = nil
	if line := unmappedSoon(t, p); line != "" {
		t.Errorf("still mapped after the last view went: %s", line)
	}
}
