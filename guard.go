package mmap

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// Every method that touches the mapped memory runs between enter and leave:
//
//	old, ok := m.enter()
//	if !ok {
//		return ErrClosed
//	}
//	defer func() { m.leave(old, recover(), &err, op) }()
//
// enter holds off Close and Resize (a shared lock, one atomic add) and turns
// a memory fault of this goroutine into a panic (debug.SetPanicOnFault);
// leave restores both and turns that panic, and only that one, into an error
// wrapping ErrFault. recover must be called by the deferred function itself,
// hence the closure.
//
// The methods that only read run between beginRead and endRead instead,
// which take no lock where lockFreeReads holds (64-bit Unix):
//
//	v := m.beginRead()
//	if v == nil {
//		return ErrClosed
//	}
//	old := debug.SetPanicOnFault(true)
//	defer func() {
//		debug.SetPanicOnFault(old)
//		if _, retry := m.endRead(v, recover(), &err, op); retry {
//			… the method again, which sees the new mapping …
//		}
//	}()
//	… v.data …
//
// A lock costs two locked atomic operations per call, and each is a full
// memory fence, which also keeps consecutive reads that miss
// the cache from overlapping. Without it, Close and Resize may replace the
// mapping while a read is in it, so they never unmap a range that a read may
// be in (sysRetire): they make it inaccessible (PROT_NONE), so that the
// read faults rather than reading whatever the kernel maps there next, and
// unmap it once the snapshot that every such read holds is garbage. A read that
// faults on a retired range returns ErrClosed after Close, and runs again on
// the new mapping after Resize. Writes keep the lock: a write racing a Resize
// that copies a private map could land in the old copy and be lost.
//
// Close and Resize go the costly way only for a Map that was read without
// the lock: beginRead marks the memory (reading) before it loads the snapshot,
// and Close and Resize load the mark after they replace the snapshot, so that
// (atomic operations being sequentially consistent) either they see the
// mark or the read sees the new snapshot.
//
// What a read pays is BenchmarkReadAt1 against BenchmarkReadAt1Unguarded (a
// bare copy); most of the difference is the runtime's, SetPanicOnFault on
// and off and a deferred function that calls recover, which
// BenchmarkReadAt1Floor does around a bare copy (BENCHMARKS.md, "The
// guard"). The runtime turns a fault into a panic for a goroutine that asked
// for it and otherwise kills the process, so there is no cheaper way to
// catch one. SetPanicOnFault is called before the defer statement, not as
// the deferred call's argument: a deferred call with arguments gets a
// wrapper, one more call per read.

// enter starts a guarded call. It reports false, holding nothing, when the
// Map is closed (or nil, or zero).
func (m *Map) enter() (old, ok bool) {
	if m == nil || m.mem == nil {
		return false, false
	}
	m.mu.RLock()
	if m.closed.Load() {
		m.mu.RUnlock()
		return false, false
	}
	return debug.SetPanicOnFault(true), true
}

// lock holds the Map exclusively, for the calls that change the mapping
// (Resize, Protect), or returns the error of a closed (or nil, or zero) Map,
// holding nothing.
func (m *Map) lock(op string) error {
	if m == nil || m.mem == nil {
		return m.closedError(op)
	}
	m.mu.Lock()
	if m.closed.Load() {
		m.mu.Unlock()
		return m.closedError(op)
	}
	return nil
}

// leave ends a guarded call begun by enter, given what recover returned.
// A memory fault is stored in *err (when err is not nil) and reported as
// true; any other panic goes on.
func (m *Map) leave(old bool, r any, err *error, op string) (faulted bool) {
	debug.SetPanicOnFault(old)
	if r == nil {
		m.mu.RUnlock() // not deferred: a call without a fault pays no defer here
		return false
	}
	defer m.mu.RUnlock() // the mapping stays for fileFault; a panic that is no fault goes on
	ferr := m.faultOf(op, r, m.mem.data)
	if err != nil {
		*err = ferr
	}
	return true
}

// beginRead starts a guarded read: it returns the mapping to read, or nil
// when the Map is closed (or nil, or zero). (It is small enough to be
// inlined; the caller turns faults into panics itself, in its defer
// statement.)
func (m *Map) beginRead() *snapshot {
	if m == nil || m.mem == nil {
		return nil
	}
	if !lockFreeReads {
		return m.beginLockedRead()
	}
	if !m.mem.reading.Load() {
		m.mem.reading.Store(true)
	}
	return m.mem.snapshot.Load()
}

// beginLockedRead is beginRead where reads take the lock.
func (m *Map) beginLockedRead() *snapshot {
	m.mu.RLock()
	v := m.mem.snapshot.Load()
	if v == nil {
		m.mu.RUnlock()
	}
	return v
}

// endRead ends a guarded read of v begun by beginRead, given what recover
// returned; the caller has restored SetPanicOnFault. A memory fault is
// stored in *err (when err is not nil): an error wrapping ErrFault, or
// ErrClosed when Close retired v. It reports whether the read faulted, or
// with retry whether it must run again because Resize retired v; any other
// panic goes on.
func (m *Map) endRead(v *snapshot, r any, err *error, op string) (faulted, retry bool) {
	if !lockFreeReads {
		m.mu.RUnlock()
	}
	if r == nil {
		return false, false
	}
	return m.readFault(v, r, err, op)
}

// readFault is endRead for a read that panicked with r.
func (m *Map) readFault(v *snapshot, r any, err *error, op string) (faulted, retry bool) {
	now := m.mem.snapshot.Load()
	if lockFreeReads {
		// A Resize in progress may have shrunk the file under v before it
		// replaced v: wait for it, then look again.
		m.mu.RLock()
		now = m.mem.snapshot.Load()
		m.mu.RUnlock()
	}
	var ferr error
	if now == v {
		ferr = m.faultOf(op, r, v.data)
	} else {
		// Retired under the read. (The fault of a retired range has an
		// address, except under emulators such as qemu-user, where it
		// looks like a nil dereference: the read methods have none.)
		if _, ok := r.(runtime.Error); !ok {
			panic(r)
		}
		if now != nil {
			return false, true
		}
		ferr = fmt.Errorf("mmap: %s: closed during the call: %w", op, ErrClosed)
	}
	if err != nil {
		*err = ferr
	}
	return true, false
}

// scan runs f over the mapping as a guarded read, for the reads that take
// time in proportion to their length (Slice, ReadLine, the search methods,
// Lines' batches); the per-byte reads (At, ReadAt, Read, ReadByte) write the
// same steps out, which saves them a call. A memory fault in f is an error
// wrapping ErrFault, or ErrClosed when Close retired the mapping under it;
// when Resize retired it, f runs again on the new mapping. A Map that is
// closed (or nil, or zero) is the error of closedError, and f does not run.
func (m *Map) scan(op string, f func(data []byte)) error {
	for {
		v := m.beginRead()
		if v == nil {
			return m.closedError(op)
		}
		if retry, err := m.scanOnce(op, v, f); !retry {
			return err
		}
	}
}

// scanOnce is scan over v, the mapping beginRead returned.
func (m *Map) scanOnce(op string, v *snapshot, f func(data []byte)) (retry bool, err error) {
	old := debug.SetPanicOnFault(true)
	defer func() {
		debug.SetPanicOnFault(old)
		_, retry = m.endRead(v, recover(), &err, op)
	}()
	f(v.data)
	return false, nil
}

// faultOf returns the error for r, a value recovered from a panic, if it is a
// memory fault in data, the mapping (fileFault), and panics again with r
// otherwise.
func (m *Map) faultOf(op string, r any, data []byte) error {
	fault, ok := r.(interface {
		error
		Addr() uintptr
	})
	if !ok {
		panic(r)
	}
	return m.fileFault(op, fault.Addr(), data)
}

// guarded runs f with memory faults turned into an error wrapping ErrFault,
// for code outside the guards of a read or a write: under the Map's lock
// (Resize, Commit), before the Map is shared (newMap's populating), or
// touching memory that a fault may not reach the Map through (the helper
// of ahead.go, the probe of WriteTo).
func guarded(op string, f func()) (err error) {
	old := debug.SetPanicOnFault(true)
	defer func() {
		debug.SetPanicOnFault(old)
		if r := recover(); r != nil {
			err = (*Map)(nil).faultOf(op, r, nil)
		}
	}()
	f()
	return nil
}
