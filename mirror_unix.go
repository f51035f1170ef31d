//go:build unix

package mmap

// mirrorUnit: the halves of a Mirror start on pages.
const mirrorUnit = 1

// newMirror maps a new shared memory of size bytes (a multiple of the page
// size) at the front of a reservation of 2*size bytes, and then a second
// time over the back half.
func newMirror(op string, size int) (*Map, error) {
	fd, err := sharedFD(int64(size))
	if err != nil {
		return nil, osError(op, err)
	}
	cfg, err := resolve(op, size, &Options{Reserve: 2 * size}, false)
	if err != nil {
		closeRawFD(fd)
		return nil, err
	}
	m, err := newMap(op, fd, size, cfg, true)
	if err != nil {
		closeRawFD(fd)
		return nil, err
	}
	if err := mapFixed(m.mem.fd, &m.cfg, m.mem.span[size:], 0); err != nil {
		m.Close()
		return nil, osError(op, err)
	}
	m.mem.mirror = true
	return m, nil
}
