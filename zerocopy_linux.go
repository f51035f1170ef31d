package mmap

import (
	"errors"
	"io"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// WriteTo by the kernel's copy. Where the map's bytes are its file's
// (sameAsFile), WriteTo may hand the file's descriptor to copy_file_range
// (to a regular file) or sendfile (to a socket, a pipe, any other file),
// which copy inside the kernel: no page faults of a fresh map. The answer
// is the mapping's: a file shorter than the map is ErrFault where the
// mapping would fault.

// minKernelCopy is the shortest rest of a map that WriteTo hands to the
// kernel's copy: a shorter one keeps to the mapping, whatever the probe
// says, since the probe's fault and the first chunk's setup are paid before
// any gain. (It is the length at which the race that chose the path before
// the probe ended, kept; not measured on its own.)
const minKernelCopy = 11 * writeToChunk

// kernelCopy is the destination of the kernel's copy.
type kernelCopy struct {
	rc        syscall.RawConn
	copyRange bool // copy_file_range, until it says the pair is not its
}

// kernelCopier returns the kernel's copy to w, or nil when the map's bytes
// may not be its file's, when every page of the map is mapped already, or
// when the probe of readpath.go says that faults map large folios or
// cannot tell (no /proc/self/pagemap: the mapping, as for the copies out).
// Where the page cache holds the file in small folios, a fresh map faults
// at every 64 KiB and the kernel's copy goes faster; in large folios the
// mapping does (BENCHMARKS.md, "Reads from the file").
func (m *Map) kernelCopier(w io.Writer) *kernelCopy {
	sc, ok := w.(syscall.Conn)
	if !ok || !m.sameAsFile() || forcePath == pathMapping {
		return nil
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.closed.Load() || forcePath == pathAuto && !m.cfg.remote && len(m.mem.data)-min(m.pos, len(m.mem.data)) < minKernelCopy {
		return nil
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return nil
	}
	k := &kernelCopy{rc: rc}
	rc.Control(func(fd uintptr) {
		var st unix.Stat_t
		k.copyRange = unix.Fstat(int(fd), &st) == nil && st.Mode&unix.S_IFMT == unix.S_IFREG
	})
	if forcePath != pathAuto {
		return k
	}
	if m.cfg.remote { // a failing server is an error, not a fault (FileSystem)
		return k
	}
	if m.populated.Load() >= int64(len(m.mem.data)) {
		return nil
	}
	var known, small bool
	guarded("write to", func() { known, small = m.smallFolios(m.mem.data, m.pos, len(m.mem.data)) })
	if !known || !small {
		return nil
	}
	return k
}

// kernelChunk copies up to writeToChunk bytes from the position to k's
// destination, holding the map as a read does, and advances the position.
// unsupported: the kernel refused the pair of descriptors before copying
// a byte, and the caller goes on by the mapping.
func (m *Map) kernelChunk(k *kernelCopy) (n int, done, unsupported bool, err error) {
	old, ok := m.enter()
	if !ok {
		return 0, true, false, m.closedError("write to")
	}
	defer func() { m.leave(old, recover(), &err, "write to") }()
	data := m.mem.data
	want := min(len(data)-min(m.pos, len(data)), writeToChunk)
	if want == 0 {
		return 0, true, false, nil
	}
	off := m.cfg.offset + int64(m.pos)
	var serr error
	short := false
	werr := k.rc.Write(func(fd uintptr) bool {
		for n < want {
			var c int
			if k.copyRange {
				c, serr = unix.CopyFileRange(m.mem.fd, &off, int(fd), nil, want-n, 0)
				if refused(serr) {
					k.copyRange, serr = false, nil // sendfile copies between files too
					continue
				}
			} else {
				c, serr = unix.Sendfile(int(fd), m.mem.fd, &off, want-n)
			}
			switch {
			case serr == unix.EAGAIN:
				serr = nil
				return false // wait until fd takes more
			case serr == unix.EINTR:
				serr = nil
				continue
			case serr != nil:
				return true
			case c == 0:
				short = true
				return true
			}
			n += c
		}
		return true
	})
	m.pos += n
	switch {
	case serr != nil && n == 0 && refused(serr):
		return 0, false, true, nil
	case serr != nil:
		if rerr := readErr(m.mem.fd, off); rerr != nil {
			// The map's file failed, not w: as the mapping's fault would.
			return n, true, false, &faultErr{op: "write to", off: off, size: -1, cause: rerr}
		}
		return n, true, false, osError("write to", serr)
	case werr != nil:
		return n, true, false, osError("write to", werr)
	case short:
		// The file ended inside the map: the mapping would fault here.
		return n, true, false, m.fileFault("write to", uintptr(unsafe.Pointer(&data[m.pos])), data)
	}
	return n, m.pos >= len(data), false, nil
}

// refused reports an error by which the kernel says that it does not copy
// between these descriptors, rather than that the copy failed.
func refused(err error) bool {
	return errors.Is(err, unix.EINVAL) || errors.Is(err, unix.EXDEV) || errors.Is(err, unix.ENOSYS) ||
		errors.Is(err, unix.EOPNOTSUPP) || errors.Is(err, unix.EBADF)
}
