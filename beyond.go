package mmap

import (
	"fmt"
	"os"
	"sync/atomic"
)

// Beyond Python: shared memory with child processes, asynchronous flushes,
// locking, protection, residency and prefetching.

// Shared returns length bytes of zero-filled memory that other processes can
// map too: hand the descriptor from File to a child (exec.Cmd.ExtraFiles),
// and the child maps it with MapFile. It is the Go form of Python's
// anonymous map shared with a child after fork, which Go cannot do.
//
// The memory is a memfd on Linux (memfd_create with MFD_CLOEXEC), and on
// other Unix systems a file in os.TempDir that is removed as soon as it is
// open. On Windows it is a named section, which has no descriptor: File
// fails there, and the child maps the name from TagName instead. A length
// of 0 or less is ErrInvalid.
func Shared(length int) (*Map, error) {
	const op = "shared"
	if length <= 0 {
		return nil, errorf(ErrInvalid, op, "length %d must be positive", length)
	}
	return newShared(op, length)
}

// TagName returns the name of the map's section on Windows (Options.TagName,
// or the name Shared chose), by which another process maps the same memory:
// Anonymous(length, &Options{TagName: name}). It is "" elsewhere.
func (m *Map) TagName() string {
	if m == nil {
		return ""
	}
	return m.cfg.tagName
}

// File returns a new *os.File for the descriptor behind a Shared or
// file-backed Map, a duplicate that the caller owns and must close, as
// net.TCPConn.File does. An anonymous Map, or one made with NoTrackFD, has no
// descriptor: ErrInvalid.
func (m *Map) File() (*os.File, error) {
	if m == nil || m.mem == nil {
		return nil, m.closedError("file")
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.closed.Load() {
		return nil, m.closedError("file")
	}
	if m.mem.fd == noFD {
		return nil, errorf(ErrInvalid, "file", "an anonymous map, or one made with NoTrackFD, has no descriptor")
	}
	fd, err := dupFD(m.mem.fd)
	if err != nil {
		return nil, osError("file", err)
	}
	return os.NewFile(uintptr(fd), fmt.Sprintf("mmap:%d", fd)), nil
}

// FlushAsync starts writing the changes of the whole map back to the file
// (msync with MS_ASYNC) and returns without waiting. On AccessRead and
// AccessCopy maps it does nothing, as Flush.
func (m *Map) FlushAsync() (err error) {
	old, ok := m.enter()
	if !ok {
		return m.closedError("flush async")
	}
	defer func() { m.leave(old, recover(), &err) }()
	if m.cfg.access == AccessRead || m.cfg.access == AccessCopy {
		return nil
	}
	if err := sysFlushAsync(m.mem.data); err != nil {
		return osError("flush async", err)
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
	defer func() { m.leave(old, recover(), &err) }()
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
	defer func() { m.leave(old, recover(), &err) }()
	if err := sysUnlock(m.mem.data); err != nil {
		return osError("unlock", err)
	}
	return nil
}

// Protect changes the protection of the map's memory (mprotect), and the
// Map enforces it: after Protect(AccessRead) every write returns ErrReadOnly,
// and Protect(AccessWrite) makes the map writable again. A map that its
// access mode makes read-only cannot be made writable (ErrReadOnly); an
// Access other than AccessRead and AccessWrite is ErrInvalid. Protect waits
// for calls in progress on other goroutines.
func (m *Map) Protect(access Access) error {
	const op = "protect"
	if m == nil || m.mem == nil {
		return m.closedError(op)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	switch {
	case m.closed.Load():
		return m.closedError(op)
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
// errors.ErrUnsupported where the package has no mincore to ask: OpenBSD,
// Solaris, AIX and Windows.
func (m *Map) Resident() (resident, total int, err error) {
	return m.residentRange(0, 0, true)
}

// ResidentRange is Resident for the pages that hold the length bytes from
// offset, which must lie inside the map (ErrOutOfRange otherwise). A tool
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
	defer func() { m.leave(old, recover(), &err) }()
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
// and a read of one byte per page. Options.Populate does the same when the
// map is made. A file shorter than the map is ErrFault.
func (m *Map) Populate() (err error) {
	old, ok := m.enter()
	if !ok {
		return m.closedError("populate")
	}
	defer func() { m.leave(old, recover(), &err) }()
	populate(m.mem.data)
	m.populated.Store(int64(len(m.mem.data))) // scans need no help
	return nil
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
