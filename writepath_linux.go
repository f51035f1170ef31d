package mmap

import (
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"
)

// writesFile reports whether writes into the map may go by its descriptor
// (writepath.go): a map whose bytes are its file's (sameAsFile) and that
// writes them.
func (m *Map) writesFile() bool {
	return m.sameAsFile() && m.cfg.access != AccessRead && m.cfg.prot&unix.PROT_WRITE != 0
}

// pwrite writes p at off of the map, data, by the descriptor, or through
// the mapping where the file is shorter than off+len(p) (which faults as it
// would have; pwrite would grow the file). A failed pwrite is an error
// wrapping ErrFault and the errno.
//
// The file's size is asked (fstat) at most once per sizeFresh, or where
// the write passes the size last seen: an fstat costs as much as a pwrite
// of 4 KiB on the machine of BENCHMARKS.md, and asking before every write
// made writes into newly grown pages 1.9x slower than pwrite. So a file
// that another process truncates under the map is noticed by the writes
// after at most sizeFresh; one sooner grows it back, as pwrite would.
func (m *Map) pwrite(op string, data []byte, off int, p []byte) error {
	at := m.cfg.offset + int64(off)
	size, err := m.writes.fileSize(m.mem.fd, at+int64(len(p)))
	if err != nil {
		return &faultErr{op: op, off: at, size: -1, cause: err}
	}
	if at+int64(len(p)) > size {
		copy(data[off:], p)
		return nil
	}
	for n := 0; n < len(p); {
		k, err := unix.Pwrite(m.mem.fd, p[n:], at+int64(n))
		if err == unix.EINTR {
			continue
		}
		if err == nil && k == 0 {
			err = unix.EIO
		}
		if err != nil {
			return &faultErr{op: op, off: at + int64(n), size: -1, cause: err}
		}
		n += k
	}
	return nil
}

// sizeFresh is how long the file's size, as fstat last said it, holds for
// the writes by pwrite.
const sizeFresh = time.Millisecond

// fileSizes is the size of the map's file as fstat last said it, and when.
type fileSizes struct{ size, at atomic.Int64 }

// forget makes the next fileSize ask the file.
func (f *fileSizes) forget() { f.size.Store(0) }

// fileSize returns the size of the file fd, as fstat said it less than
// sizeFresh ago and at least need, or as it says now.
func (w *writeCounts) fileSize(fd int, need int64) (int64, error) {
	f := &w.sizes
	now := int64(time.Since(epoch))
	if size := f.size.Load(); size >= need && now-f.at.Load() < int64(sizeFresh) {
		return size, nil
	}
	size, _, err := statFD(fd)
	if err != nil {
		return 0, err
	}
	f.size.Store(size)
	f.at.Store(now)
	return size, nil
}

// epoch is the start of the monotonic clock of fileSize.
var epoch = time.Now()
