//go:build unix

package mmap

import "os"

// The memory of Shared on Unix: a file only this process knows, which a
// child maps through the descriptor of Map.File (sharedFD: a memfd on
// Linux, elsewhere tempSharedFD).

// tempSharedFD returns a temporary file of size bytes that is removed as
// soon as it is open, for Shared where the system has no memfd: the
// descriptor is all that is left of it.
func tempSharedFD(size int64) (int, error) {
	f, err := os.CreateTemp("", "mmap-shared-")
	if err != nil {
		return noFD, err
	}
	defer f.Close()
	os.Remove(f.Name())
	if err := f.Truncate(size); err != nil {
		return noFD, err
	}
	return dupFD(int(f.Fd()))
}

// newShared makes the memory of Shared: a file only this process knows,
// mapped shared.
func newShared(op string, length int) (*Map, error) {
	cfg, err := resolve(op, length, nil, false)
	if err != nil {
		return nil, err
	}
	fd, err := sharedFD(int64(length))
	if err != nil {
		return nil, osError(op, err)
	}
	m, err := newMap(op, fd, length, cfg, true)
	if err != nil {
		closeRawFD(fd)
		return nil, err
	}
	return m, nil
}
