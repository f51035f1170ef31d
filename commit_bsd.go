//go:build unix && !linux

package mmap

import (
	"bytes"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The changed pages of a private file map on the Unix systems other than
// Linux, which do not tell which pages of a map were copied: the map is
// compared with the file, which reads the file and every page of the map.

// sysDirty returns the runs of pages of mem whose bytes differ from the
// file's, which are also the spans to give back.
func sysDirty(mem *memory, c *config) (runs, spans []run, err error) {
	data := mem.data
	if c.prot&unix.PROT_WRITE == 0 {
		return nil, nil, nil // never written
	}
	buf := make([]byte, 1<<20)
	for off := 0; off < len(data); off += len(buf) {
		chunk := data[off:min(off+len(buf), len(data))]
		n, err := unix.Pread(mem.fd, buf[:len(chunk)], c.offset+int64(off))
		if err != nil {
			return nil, nil, err
		}
		for p := 0; p < len(chunk); p += pageSize {
			e := min(p+pageSize, len(chunk))
			if e > n || !bytes.Equal(chunk[p:e], buf[p:e]) {
				runs = addRun(runs, off+p, e-p)
			}
		}
	}
	return runs, runs, nil
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
