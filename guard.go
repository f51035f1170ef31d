package mmap

import (
	"runtime/debug"
)

// Every method that touches the mapped memory runs between enter and leave:
//
//	old, ok := m.enter()
//	if !ok {
//		return ErrClosed
//	}
//	defer func() { m.leave(old, recover(), &err) }()
//
// enter holds off Close and Resize (a shared lock, one atomic add) and turns
// a memory fault of this goroutine into a panic (debug.SetPanicOnFault);
// leave restores both and turns that panic, and only that one, into an error
// wrapping ErrFault. recover must be called by the deferred function itself,
// hence the closure.

// enter starts a guarded call. It reports false, holding nothing, when the
// Map is closed.
func (m *Map) enter() (old, ok bool) {
	m.mu.RLock()
	if m.closed.Load() {
		m.mu.RUnlock()
		return false, false
	}
	return debug.SetPanicOnFault(true), true
}

// leave ends a guarded call begun by enter, given what recover returned.
// A memory fault is stored in *err (when err is not nil) and reported as
// true; any other panic goes on.
func (m *Map) leave(old bool, r any, err *error) (faulted bool) {
	debug.SetPanicOnFault(old)
	m.mu.RUnlock()
	if r == nil {
		return false
	}
	if err != nil {
		*err = faultOf(r)
	} else {
		faultOf(r)
	}
	return true
}

// faultOf returns the error for r, a value recovered from a panic, if it is a
// memory fault, and panics again with r otherwise.
func faultOf(r any) error {
	fault, ok := r.(interface {
		error
		Addr() uintptr
	})
	if !ok {
		panic(r)
	}
	return faultError(fault.Addr())
}

// guarded runs f with memory faults turned into an error wrapping ErrFault,
// for code that already holds the Map exclusively (Resize).
func guarded(f func()) (err error) {
	defer func(old bool) {
		debug.SetPanicOnFault(old)
		if r := recover(); r != nil {
			err = faultOf(r)
		}
	}(debug.SetPanicOnFault(true))
	f()
	return nil
}
