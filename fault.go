package mmap

import (
	"errors"
	"fmt"
	"syscall"
	"unsafe"
)

// What a memory fault was, told apart when it arrives, and the faults of
// the methods that have no error result, kept for Err.

// faultErr is the error of a memory fault: it wraps ErrFault and, for an
// I/O error, the errno that the file gave (errors.Is(err, syscall.EIO)).
type faultErr struct {
	op    string
	addr  uintptr
	off   int64 // the offset in the file of the page that faulted; -1 where unknown
	size  int64 // the file's size, where the page lies past its end; else -1
	cause error // the errno of an I/O error; nil for a truncated file or an unknown cause
}

func (e *faultErr) Error() string {
	switch {
	case e.size >= 0:
		return fmt.Sprintf("mmap: %s: fault at file offset %d: the file was truncated to %d bytes: %v",
			e.op, e.off, e.size, ErrFault)
	case e.cause != nil:
		return fmt.Sprintf("mmap: %s: fault at file offset %d: I/O error: %v: %v", e.op, e.off, e.cause, ErrFault)
	}
	return fmt.Sprintf("mmap: %s: fault at address %#x: %v", e.op, e.addr, ErrFault)
}

func (e *faultErr) Unwrap() []error {
	if e.cause == nil {
		return []error{ErrFault}
	}
	return []error{ErrFault, e.cause}
}

// fileFault reports a memory fault at addr in op, where data is the
// mapping that faulted: for a map of a file, the file's size tells a page
// past its end (the file was truncated) from one the file could not give
// (an I/O error), whose errno a read of the page by the descriptor tells.
// The caller holds the mapping (a guarded call).
func (m *Map) fileFault(op string, addr uintptr, data []byte) error {
	e := &faultErr{op: op, addr: addr, off: -1, size: -1}
	base := uintptr(unsafe.Pointer(unsafe.SliceData(data)))
	if m == nil || m.mem == nil || m.cfg.anon || m.mem.fd == noFD || addr < base || addr-base >= uintptr(len(data)) {
		return e
	}
	e.off = m.cfg.offset + int64(addr-base)
	// The descriptor stays open meanwhile: a read that faulted without the
	// Map's lock may race with Close.
	m.fdMu.RLock()
	defer m.fdMu.RUnlock()
	if m.closed.Load() {
		return e
	}
	size, _, err := statFD(m.mem.fd)
	switch {
	case err != nil:
		e.cause = err // the file's server is gone (ENOTCONN), say
	case e.off >= size:
		e.size = size
	default:
		e.cause = readErr(m.mem.fd, e.off)
		if e.cause == nil {
			// The page is in the file and reads now: the fault was the
			// device's, which the kernel reports as EIO.
			e.cause = syscall.EIO
		}
	}
	return e
}

// Err returns the first fault that a method without an error result (Find,
// FindIn, RFind, RFindIn, Slice, Lines) met since the [Map] was made, or nil
// if none did (faults through the slice of Bytes are the caller's): those
// methods answer as Python's do (-1, nil, the end of the lines), and Err
// says whether the answer was cut short by memory that could not be read,
// as [bufio.Scanner].Err does.
// The error wraps [ErrFault] and, for an I/O error, the errno. Err is safe
// for concurrent use; a nil or closed Map keeps what it met.
func (m *Map) Err() error {
	if m == nil {
		return nil
	}
	if p := m.fault.Load(); p != nil {
		return *p
	}
	return nil
}

// noteFault keeps err for Err if it is a fault and the first one.
func (m *Map) noteFault(err error) {
	if err != nil && errors.Is(err, ErrFault) && m.fault.Load() == nil {
		m.fault.CompareAndSwap(nil, &err)
	}
}
