//go:build unix && !linux

package mmap

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// The changed pages of a private file map on the Unix systems other than
// Linux, which do not tell which pages of a map were copied: the map is
// compared with the file, which reads the file and every page of the map.

// sysDirty returns the runs of pages of mem whose bytes differ from the
// file's, which are also the spans to give back.
func sysDirty(mem *memory, c *config) (runs, spans []run, err error) {
	if c.prot&unix.PROT_WRITE == 0 {
		return nil, nil, nil // never written
	}
	runs, err = dirtyByCompare(mem.data, c.offset, func(p []byte, off int64) (int, error) {
		return unix.Pread(mem.fd, p, off)
	})
	return runs, runs, err
}

// sysGiveBack maps the file anew over the pages of runs (MAP_FIXED), which
// drops the program's copies of them.
func sysGiveBack(mem *memory, c *config, runs []run) error {
	prot := c.prot
	if c.protected {
		prot = unix.PROT_READ
	}
	for _, r := range runs {
		at := unsafe.Pointer(&mem.data[r.off])
		if _, err := unix.MmapPtr(mem.fd, c.offset+int64(r.off), at, uintptr(roundUp(r.n, pageSize)),
			prot, c.flags|unix.MAP_FIXED); err != nil {
			return err
		}
	}
	return nil
}

// syncData is fsync: fdatasync is not on every one of these systems.
func syncData(fd int) error { return unix.Fsync(fd) }
