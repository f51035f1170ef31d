package mmap

import (
	"fmt"
	"io/fs"
)

// The errors of the package. Every error a Map or a constructor returns for bad
// input or misuse wraps exactly one of them, so that errors.Is tells the cases
// apart; errors from the operating system keep their own identity instead
// (errors.Is(err, fs.ErrPermission), errors.Is(err, syscall.ENOMEM), …).
var (
	// ErrClosed is returned by every operation on a closed Map.
	// errors.Is(ErrClosed, fs.ErrClosed) is true. Methods without an error
	// result report a closed [Map] as -1 (Find, FindIn, RFind, RFindIn),
	// nil (Slice, Bytes) or 0 (Len, Tell).
	ErrClosed error = &sentinel{"map is closed", fs.ErrClosed}

	// ErrReadOnly is returned by a write, Move or Resize that the [Map]'s access
	// mode forbids (Python's TypeError). It is reported before any range check.
	ErrReadOnly error = &sentinel{"map is read-only", nil}

	// ErrOutOfRange is returned for an index, position, span or count outside
	// the [Map] (Python's ValueError and IndexError).
	ErrOutOfRange error = &sentinel{"out of range", nil}

	// ErrInvalid is returned for a bad argument: a negative length, an offset
	// that is not a multiple of [AllocationGranularity], an unknown [Access] or
	// whence, and so on (Python's ValueError and OverflowError).
	// errors.Is(ErrInvalid, fs.ErrInvalid) is true.
	ErrInvalid error = &sentinel{"invalid argument", fs.ErrInvalid}

	// ErrEmptyFile is returned when a length of 0 asks to map an empty file.
	ErrEmptyFile error = &sentinel{"cannot map an empty file", nil}

	// ErrFault is returned when the memory behind the [Map] is gone: the file was
	// truncated under it, or the device failed to read or write a page. The
	// process survives; the Map stays usable for Close and for the parts of the
	// file that still exist. The error of an I/O error also wraps the errno
	// the file gave (errors.Is(err, syscall.EIO)); that of a truncated file
	// does not, and its message says that the file was truncated. The methods
	// without an error result keep their first fault for [Map.Err].
	ErrFault error = &sentinel{"memory behind the map is gone", nil}

	// ErrLost is returned by a Flush that failed, and by every Flush,
	// FlushRange, FlushAsync and Close of the [Map] after it: the file system
	// could not write the map's changes (the error also wraps its errno:
	// EIO, ENOSPC, EDQUOT), and the system may have dropped them. Linux
	// marks the pages clean after a failed write-back, so that a second
	// sync would say nil with the bytes still missing from the file (the
	// "fsyncgate" of PostgreSQL, 2018). A Map never says nil after that:
	// what it wrote since its last good Flush must be written again, by a
	// new Map or by other means, once the cause is mended.
	ErrLost error = &sentinel{"the map's writes may be lost: an earlier flush failed", nil}
)

// sentinel is the type of the package's errors: a message and, optionally, the
// io/fs error it also stands for.
type sentinel struct {
	msg string
	is  error
}

func (e *sentinel) Error() string { return e.msg }
func (e *sentinel) Unwrap() error { return e.is }

// invalidErrno is ErrInvalid for an argument that the system would refuse
// with errno: errors.Is holds for both, and the message says it once.
type invalidErrno struct{ errno error }

func (e *invalidErrno) Error() string   { return ErrInvalid.Error() }
func (e *invalidErrno) Unwrap() []error { return []error{ErrInvalid, e.errno} }

// lostError is ErrLost with the errno of the flush that failed.
type lostError struct {
	op    string
	first error // the errno the failed flush returned
	again bool  // a later call than the one that failed
}

func (e *lostError) Error() string {
	if e.again {
		return fmt.Sprintf("mmap: %s: %v (%v)", e.op, ErrLost, e.first)
	}
	return fmt.Sprintf("mmap: %s: %v: the system may have dropped the map's writes", e.op, e.first)
}

func (e *lostError) Unwrap() []error { return []error{ErrLost, e.first} }

// closedError is the error of a call on a closed Map, or on a nil *Map or
// a zero Map, which a constructor did not make: ErrInvalid for those, as os
// answers for a nil *File.
func (m *Map) closedError(op string) error {
	switch {
	case m == nil:
		return errorf(ErrInvalid, op, "nil *Map")
	case m.mem == nil:
		return errorf(ErrInvalid, op, "zero Map: make one with MapFile, Anonymous, Open or Shared")
	}
	return fmt.Errorf("mmap: %s: %w", op, ErrClosed)
}

// errorf returns an error wrapping kind, with a message that names the
// operation and the values at fault: "mmap: <op>: <details>: <kind>".
func errorf(kind error, op, format string, args ...any) error {
	return fmt.Errorf("mmap: %s: %s: %w", op, fmt.Sprintf(format, args...), kind)
}

// osError wraps an error of the operating system, keeping its identity.
func osError(op string, err error) error {
	return fmt.Errorf("mmap: %s: %w", op, err)
}
