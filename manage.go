package mmap

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"syscall"
	"unsafe"
)

// Memory and file management: flush, madvise, resize, and beyond Python,
// locking, protection, residency and populating.

// Flush writes the changes of the whole map back to the file and waits for
// them to reach it (msync with MS_SYNC; on macOS also F_FULLFSYNC). On
// [AccessRead] and [AccessCopy] maps it does nothing and returns nil, as CPython.
//
// When the file system fails to write the changes (EIO, ENOSPC, EDQUOT),
// Flush returns an error wrapping [ErrLost] and the errno, and so does every
// later Flush, FlushRange, FlushAsync and Close of the [Map]: the system may
// have dropped the bytes and marked the pages clean, so that a second sync
// would say nil over a file that lacks them. Close does not flush: call
// Flush before it to learn whether the writes reached the file.
func (m *Map) Flush() error { return m.flush(0, 0, true) }

// FlushRange is Flush for size bytes from offset, which must be a multiple of
// [PageSize] ([ErrInvalid] otherwise). A span outside the map is [ErrOutOfRange];
// the span is checked first, even on maps where flushing does nothing.
func (m *Map) FlushRange(offset, size int) error { return m.flush(offset, size, false) }

func (m *Map) flush(offset, size int, all bool) (err error) {
	old, ok := m.enter()
	if !ok {
		return m.closedError("flush")
	}
	defer func() { m.leave(old, recover(), &err, "flush") }()
	data := m.mem.data
	if all {
		size = len(data)
	}
	if offset < 0 || size < 0 || len(data)-offset < size {
		return errorf(ErrOutOfRange, "flush", "%d bytes at offset %d in a map of %d bytes", size, offset, len(data))
	}
	if m.cfg.access == AccessRead || m.cfg.access == AccessCopy {
		return nil
	}
	if offset%pageSize != 0 {
		return errorf(ErrInvalid, "flush", "offset %d is not a multiple of the page size %d", offset, pageSize)
	}
	if err := m.lostBefore("flush"); err != nil {
		return err
	}
	if size == 0 {
		return nil
	}
	if err := sysFlush(m.mem, data[offset:offset+size]); err != nil {
		return m.lose("flush", err)
	}
	return nil
}

// lose records err, the error of a write-back, for every later flush of
// the Map, and returns it as ErrLost.
func (m *Map) lose(op string, err error) error {
	m.lost.CompareAndSwap(nil, &err)
	return &lostError{op: op, first: err}
}

// lostBefore returns ErrLost if a flush of the Map failed before.
func (m *Map) lostBefore(op string) error {
	if p := m.lost.Load(); p != nil {
		return &lostError{op: op, first: *p, again: true}
	}
	return nil
}

// FlushAsync starts writing the changes of the whole map back to the file
// (msync with MS_ASYNC) and returns without waiting. On [AccessRead] and
// [AccessCopy] maps it does nothing, as Flush.
func (m *Map) FlushAsync() (err error) {
	old, ok := m.enter()
	if !ok {
		return m.closedError("flush async")
	}
	defer func() { m.leave(old, recover(), &err, "flush async") }()
	if m.cfg.access == AccessRead || m.cfg.access == AccessCopy {
		return nil
	}
	if err := m.lostBefore("flush async"); err != nil {
		return err
	}
	if err := sysFlushAsync(m.mem.data); err != nil {
		return osError("flush async", err)
	}
	return nil
}

// Madvise advises the kernel about the use of the whole map (madvise(2));
// advice is one of the MADV_* constants of the host.
func (m *Map) Madvise(advice int) error { return m.madvise(advice, 0, 0, true) }

// MadviseRange is Madvise for length bytes from start, as Python's
// mm.madvise(advice, start, length). start must lie inside the map
// ([ErrOutOfRange]) and be a multiple of [PageSize] ([ErrInvalid]); a negative
// length is ErrInvalid, and a length past the end is cut at the end.
func (m *Map) MadviseRange(advice, start, length int) error {
	return m.madvise(advice, start, length, false)
}

func (m *Map) madvise(advice, start, length int, all bool) (err error) {
	old, ok := m.enter()
	if !ok {
		return m.closedError("madvise")
	}
	m.advised.Store(true)
	defer func() { m.leave(old, recover(), &err, "madvise") }()
	data := m.mem.data
	if all {
		length = len(data)
	}
	switch {
	case start < 0 || start >= len(data):
		return errorf(ErrOutOfRange, "madvise", "start %d outside a map of %d bytes", start, len(data))
	case length < 0:
		return errorf(ErrInvalid, "madvise", "negative length %d", length)
	case length > math.MaxInt-start: // CPython: OverflowError
		return errorf(ErrInvalid, "madvise", "length %d from start %d overflows", length, start)
	case start%pageSize != 0:
		return errorf(ErrInvalid, "madvise", "start %d is not a multiple of the page size %d", start, pageSize)
	}
	length = min(length, len(data)-start)
	// Even an empty range goes to the system, which judges the advice
	// (CPython: EINVAL for an unknown one).
	if err := sysAdvise(data[start:start+length], advice); err != nil {
		if errors.Is(err, syscall.EINVAL) {
			return fmt.Errorf("mmap: madvise: advice %d over %d bytes at %d: %w", advice, length, start,
				&invalidErrno{err})
		}
		return osError("madvise", err)
	}
	return nil
}

// Resize changes the length of the map to newSize bytes. For a file map the
// file's size becomes Offset+newSize, growing with zeros or losing its tail,
// as CPython; the bytes that both sizes cover are kept. The position is kept,
// even past the new end. A file that grows gets its disk blocks at once
// (fallocate on Linux, F_PREALLOCATE on macOS, posix_fallocate on 64-bit
// FreeBSD), so that a full disk is an error from Resize (errors.Is(err,
// syscall.ENOSPC)) rather than a fault at the first write, unless
// [Options.Sparse] asks for Python's sparse growth; on the other
// systems the file grows sparse.
//
// Inside the map's reservation ([Options.Reserve]) the map never moves: on
// Unix, growth maps only the new pages after the old ones and a shrink
// gives the tail back to the reservation, so reads in progress, and slices
// from Bytes and Lines, stay valid up to the new length; on Windows the
// view is unmapped and mapped again at the same address while Resize holds
// the lock. Past the
// reservation the map moves and the reservation is given up. Without one,
// Linux grows a map in place where the next range is free (mremap), and
// other systems map anew.
//
// A read-only or copy-on-write map is [ErrReadOnly]; a newSize of 0 or less,
// or a map made with NoTrackFD, is ErrInvalid. A Resize that fails leaves the
// map and the file as they were. Resize waits for the calls in progress on
// other goroutines; on 64-bit Unix only for those that write or manage the
// map, and a read in progress completes on the old mapping or runs again on
// the new one. Slices from Bytes and Lines are invalid after a Resize that
// moves the map.
func (m *Map) Resize(newSize int) error {
	const op = "resize"
	if err := m.lock(op); err != nil {
		return err
	}
	defer m.mu.Unlock()
	switch {
	case m.cfg.access == AccessRead || m.cfg.access == AccessCopy:
		return errorf(ErrReadOnly, op, "a map with %s cannot be resized", m.cfg.access)
	case m.cfg.protected:
		return errorf(ErrReadOnly, op, "the map is protected read-only")
	case m.mem.mirror:
		return errorf(errors.ErrUnsupported, op, "a Mirror cannot be resized")
	case newSize <= 0:
		return errorf(ErrInvalid, op, "new size %d must be positive", newSize)
	case !m.cfg.anon && m.mem.fd == noFD:
		return errorf(ErrInvalid, op, "the map was made with NoTrackFD and has no descriptor")
	case m.cfg.offset > math.MaxInt64-int64(newSize):
		return errorf(ErrInvalid, op, "new size %d at offset %d overflows", newSize, m.cfg.offset)
	}
	if newSize == len(m.mem.data) && m.cfg.anon {
		return nil
	}
	stale, err := sysResize(m.mem, &m.cfg, newSize)
	if err != nil {
		return err
	}
	old := m.mem.publish()
	m.gen.Add(1)
	m.populated.Store(0)
	if old != nil && unsafe.SliceData(old.data) == unsafe.SliceData(m.mem.data) && newSize >= len(old.data) {
		m.paths.grown(len(old.data)) // the regions that were whole keep what the copies learned
	} else {
		m.paths.reset()
	}
	m.writes.reset()
	sysRetire(m.mem, old, stale) // the resize is done: an error here changes nothing
	return nil
}

// Allocate gives the file's bytes under [offset, offset+size) of the map
// disk blocks now, so that writing them later never faults for want of
// space: the holes of a sparse file are filled, and a full disk is an error
// here, for which errors.Is(err, syscall.ENOSPC) holds, rather than a
// SIGBUS at the first write. The file keeps its size and its bytes. Resize
// allocates what it adds by itself; Allocate is for a file that was sparse
// before it was mapped. It uses what Resize uses (fallocate on Linux,
// F_PREALLOCATE on macOS, posix_fallocate on 64-bit FreeBSD) and returns
// nil, leaving the range sparse, where the file system cannot allocate ahead
// (ZFS). Windows allocates the clusters of a file when it extends it: nil.
// The other systems have no such call: [errors.ErrUnsupported] ([Supports]
// answers for [FeatureAllocate]). [Anonymous] memory has no disk blocks: nil.
//
// A range outside the map is [ErrOutOfRange]; a map that cannot be written
// ([AccessRead], [AccessCopy]) is [ErrReadOnly]; one made with NoTrackFD has no
// descriptor to allocate through: ErrInvalid.
func (m *Map) Allocate(offset, size int) (err error) {
	const op = "allocate"
	old, ok := m.enter()
	if !ok {
		return m.closedError(op)
	}
	defer func() { m.leave(old, recover(), &err, op) }()
	n := len(m.mem.data)
	switch {
	case offset < 0 || size < 0 || n-offset < size:
		return errorf(ErrOutOfRange, op, "%d bytes at offset %d in a map of %d bytes", size, offset, n)
	case m.cfg.access == AccessRead || m.cfg.access == AccessCopy:
		return errorf(ErrReadOnly, op, "a map with %s writes no blocks", m.cfg.access)
	case m.cfg.anon || size == 0:
		return nil
	case m.mem.fd == noFD:
		return errorf(ErrInvalid, op, "the map was made with NoTrackFD and has no descriptor")
	case Supports(FeatureAllocate) == SupportNone:
		return errorf(errors.ErrUnsupported, op, "%s cannot allocate a file's blocks ahead", runtime.GOOS)
	}
	if err := allocate(m.mem.fd, m.cfg.offset+int64(offset), int64(size)); err != nil {
		return osError(op, err)
	}
	return nil
}

// Lock keeps the pages of the map in memory (mlock): reading them never
// waits for the disk, and they are never written to swap. The pages a
// process may lock are limited by RLIMIT_MEMLOCK; past it Lock fails with an
// error that names the limit and wraps the system's (EPERM or ENOMEM).
func (m *Map) Lock() (err error) {
	old, ok := m.enter()
	if !ok {
		return m.closedError("lock")
	}
	defer func() { m.leave(old, recover(), &err, "lock") }()
	if err := sysLock(m.mem.data); err != nil {
		return fmt.Errorf("mmap: lock %d bytes (%s): %w", len(m.mem.data), memlockLimit(), err)
	}
	return nil
}

// Unlock lets the kernel page the map out again (munlock).
func (m *Map) Unlock() (err error) {
	old, ok := m.enter()
	if !ok {
		return m.closedError("unlock")
	}
	defer func() { m.leave(old, recover(), &err, "unlock") }()
	if err := sysUnlock(m.mem.data); err != nil {
		return osError("unlock", err)
	}
	return nil
}

// Protect changes the protection of the map's memory (mprotect), and the
// [Map] enforces it: after Protect([AccessRead]) every write returns [ErrReadOnly],
// and Protect([AccessWrite]) makes the map writable again. A map that its
// access mode makes read-only cannot be made writable (ErrReadOnly); an
// [Access] other than AccessRead and AccessWrite is ErrInvalid. Protect waits
// for calls in progress on other goroutines.
func (m *Map) Protect(access Access) error {
	const op = "protect"
	if err := m.lock(op); err != nil {
		return err
	}
	defer m.mu.Unlock()
	switch {
	case access != AccessRead && access != AccessWrite:
		return errorf(ErrInvalid, op, "access %v: want AccessRead or AccessWrite", access)
	case access == AccessWrite && m.cfg.access == AccessRead:
		return errorf(ErrReadOnly, op, "a map with %v cannot be made writable", m.cfg.access)
	}
	if err := sysProtect(m.mem.data, &m.cfg, access == AccessRead); err != nil {
		return osError(op, err)
	}
	m.cfg.protected = access == AccessRead
	return nil
}

// Resident returns how many of the map's pages are in memory now, and how
// many pages it has (mincore). For a file map, a page in the page cache
// counts even if this process never touched it. It fails with
// [errors.ErrUnsupported] where the package has no mincore to ask: OpenBSD,
// Solaris, AIX and Windows.
func (m *Map) Resident() (resident, total int, err error) {
	return m.residentRange(0, 0, true)
}

// ResidentRange is Resident for the pages that hold the length bytes from
// offset, which must lie inside the map ([ErrOutOfRange] otherwise). A tool
// that draws where a file is in memory, as vmtouch does, calls it for each
// part of the file.
func (m *Map) ResidentRange(offset, length int) (resident, total int, err error) {
	return m.residentRange(offset, length, false)
}

func (m *Map) residentRange(offset, length int, all bool) (resident, total int, err error) {
	old, ok := m.enter()
	if !ok {
		return 0, 0, m.closedError("resident")
	}
	defer func() { m.leave(old, recover(), &err, "resident") }()
	data := m.mem.data
	if all {
		length = len(data)
	}
	if offset < 0 || length < 0 || offset > len(data) || len(data)-offset < length {
		return 0, 0, errorf(ErrOutOfRange, "resident", "%d bytes at offset %d in a map of %d bytes", length, offset, len(data))
	}
	if length == 0 {
		return 0, 0, nil
	}
	first := offset / pageSize * pageSize // mincore wants a page-aligned start
	resident, err = sysResident(data[first : offset+length])
	if err != nil {
		return 0, 0, osError("resident", err)
	}
	return resident, (offset + length - first + pageSize - 1) / pageSize, nil
}

// Populate reads the whole map into memory now, so that later accesses take
// no page fault: MADV_POPULATE_READ where Linux has it, else MADV_WILLNEED
// and a read of one byte per page. [Options.Populate] does the same when the
// map is made. A file shorter than the map is ErrFault.
func (m *Map) Populate() (err error) {
	old, ok := m.enter()
	if !ok {
		return m.closedError("populate")
	}
	defer func() { m.leave(old, recover(), &err, "populate") }()
	populate(m.mem.data)
	m.populated.Store(int64(len(m.mem.data))) // scans need no help
	return nil
}
