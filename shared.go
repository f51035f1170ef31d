package mmap

import (
	"fmt"
	"os"
)

// Memory shared with other processes, and the handles by which they reach
// it.

// Shared returns length bytes of zero-filled memory that other processes can
// map too: hand the descriptor from File to a child ([exec.Cmd].ExtraFiles),
// and the child maps it with MapFile. It is the Go form of Python's
// anonymous map shared with a child after fork, which Go cannot do.
//
// The memory is a memfd on Linux (memfd_create with MFD_CLOEXEC), sealed
// against shrinking (F_SEAL_SHRINK): a child that truncates it gets EPERM,
// so that this process never takes a fault from it, and Resize can grow it
// but not shrink it (EPERM, with the map as it was). On other Unix systems
// it is a file in os.TempDir that is removed as soon as it is open. On
// Windows it is a named section, which has no descriptor: File fails there,
// and the child maps the name from TagName instead. A length of 0 or less
// is ErrInvalid.
func Shared(length int) (*Map, error) {
	const op = "shared"
	if length <= 0 {
		return nil, errorf(ErrInvalid, op, "length %d must be positive", length)
	}
	return newShared(op, length)
}

// TagName returns the name of the map's section on Windows ([Options.TagName],
// or the name [Shared] chose), by which another process maps the same memory:
// Anonymous(length, &[Options]{TagName: name}). It is "" elsewhere.
func (m *Map) TagName() string {
	if m == nil {
		return ""
	}
	return m.cfg.tagName
}

// File returns a new *[os.File] for the descriptor behind a [Shared] or
// file-backed [Map], a duplicate that the caller owns and must close, as
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
