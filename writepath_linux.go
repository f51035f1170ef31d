package mmap

import "golang.org/x/sys/unix"

// writesFile reports whether writes into the map may go by its descriptor
// (writepath.go): a map whose bytes are its file's (readsFile) and that
// writes them.
func (m *Map) writesFile() bool {
	return m.readsFile() && m.cfg.access != AccessRead && m.cfg.prot&unix.PROT_WRITE != 0
}

// pwrite writes p at off of the map, data, by the descriptor, or through
// the mapping where the file is shorter than off+len(p) (which faults as it
// would have; pwrite would grow the file). A failed pwrite is an error
// wrapping ErrFault and the errno.
func (m *Map) pwrite(op string, data []byte, off int, p []byte) error {
	at := m.cfg.offset + int64(off)
	size, _, err := statFD(m.mem.fd)
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
