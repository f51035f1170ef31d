package mmap

import (
	"errors"
	"io"
	"sync"
	"syscall"
	"unsafe"

	"github.com/mmapio/mmap/internal/search"
	"golang.org/x/sys/unix"
)

// Scans from the file. Where the map's bytes are its file's (a shared or
// read-only map of a file: on Linux the mapping and the page cache are the
// same memory), WriteTo hands the file's descriptor to copy_file_range (to
// a regular file) or sendfile (to a socket, a pipe, any other file), which
// copy inside the kernel, and Find reads it with pread: no page faults of
// a fresh map. The answer is the mapping's: a file shorter than the map is
// ErrFault where the mapping would fault.

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
	if !ok || !m.readsFile() || forcePath == pathMapping {
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

// smallFolios reports whether the map's faults map pages or 64 KiB rather
// than large folios, as the copies out learned, or else as probes over
// data[from:to] tell now (the most of three, a quarter, a half and three
// quarters of the way: the first megabytes of a file read sequentially sit
// in small folios, as readahead starts small); known is false where
// pagemap cannot tell. The caller guards the probes' touches as a read.
func (m *Map) smallFolios(data []byte, from, to int) (known, small bool) {
	if pagemap() < 0 {
		return false, false
	}
	mode := m.paths.mode.Load()
	if mode == modeUnknown {
		votes := 0
		for k := 1; k <= 3; k++ {
			if m.probe(data, from+(to-from)/4*k) == modePages {
				votes++
			}
		}
		mode = modeFolios
		if votes >= 2 {
			mode = modePages
		}
		m.paths.mode.Store(mode)
	}
	return true, mode == modePages
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

// Find from the file: on Linux a shared or read-only file map and the
// file's page cache are the same memory, so pread gives the bytes that
// the mapping would, without a page fault per page of a fresh map.

// maxFileNeedle is the longest needle a search reads from the file: the
// chunks it reads overlap by the needle's length.
const maxFileNeedle = 64 << 10

// fileBufs are the buffers of indexFile.
var fileBufs = sync.Pool{New: func() any {
	b := make([]byte, filePiece+maxFileNeedle)
	return &b
}}

// readsFile reports whether a scan may read the map's bytes from its file.
func (m *Map) readsFile() bool {
	c := &m.cfg
	return !c.anon && c.trackFD && c.access != AccessCopy && c.flags&unix.MAP_PRIVATE == 0 &&
		c.prot&unix.PROT_READ != 0
}

// indexFile is search.Index(data[c:end], sub) over the bytes that pread
// gives from the file. Where the file gives fewer (it ended inside the
// map) or the map was closed, it searches the mapping, which answers as it
// would have: a fault where the file is gone.
//
// It reads filePiece bytes at a time (the pieces overlapping by the
// needle), so that the search finds them in the core's cache where pread
// left them: 4 MiB at a time ran 1.12x slower than a loop of 1 MiB
// ReadAt calls in a page cache of 4 KiB folios.
func (m *Map) indexFile(data []byte, c, end int, sub []byte) int {
	bp := fileBufs.Get().(*[]byte)
	defer fileBufs.Put(bp)
	// The descriptor stays open meanwhile (fdMu): a scan on a 32-bit
	// system holds the Map's lock already (lockFreeReads).
	if lockFreeReads {
		m.fdMu.RLock()
		defer m.fdMu.RUnlock()
	}
	if m.closed.Load() {
		return search.Index(data[c:end], sub)
	}
	for p := c; p < end; p += filePiece {
		e := min(p+filePiece+len(sub)-1, end)
		buf := (*bp)[:e-p]
		m.pread(buf, data, p) // the mapping faults where the file is gone
		if i := search.Index(buf, sub); i >= 0 {
			return p - c + i
		}
		if e == end {
			break
		}
	}
	return -1
}

// filePiece is how much indexFile reads at a time.
const filePiece = 1 << 20

// preadFull reads len(p) bytes at off, or fewer at the end of the file or
// on an error, and returns how many.
func preadFull(fd int, p []byte, off int64) int {
	n := 0
	for n < len(p) {
		k, err := unix.Pread(fd, p[n:], off+int64(n))
		if err == unix.EINTR {
			continue
		}
		if err != nil || k <= 0 {
			break
		}
		n += k
	}
	return n
}

// pagemap is /proc/self/pagemap, opened once, or -1 where it cannot be.
var pagemap = sync.OnceValue(func() int {
	fd, err := unix.Open("/proc/self/pagemap", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1
	}
	return fd
})

// pageMapped reports whether the page of b is mapped in this process's
// page tables (/proc/self/pagemap), and ok, whether it could tell.
func pageMapped(b *byte) (mapped, ok bool) {
	fd := pagemap()
	if fd < 0 {
		return false, false
	}
	var e [8]byte
	if n, err := unix.Pread(fd, e[:], int64(uintptr(unsafe.Pointer(b))/uintptr(pageSize)*8)); n != 8 || err != nil {
		return false, false
	}
	return e[7]&0x80 != 0, true // bit 63: present
}
