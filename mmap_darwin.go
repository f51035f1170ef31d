package mmap

import "golang.org/x/sys/unix"

// remap resizes mem by mapping anew: macOS has no mremap.
func remap(mem *memory, c *config, newSize int) error { return remapByCopy(mem, c, newSize) }

// fullSync asks the drive to write its cache to the medium (F_FULLFSYNC),
// as CPython does when it maps a file and as Flush does after msync: on
// macOS, fsync and msync alone stop at the drive's cache.
func fullSync(fd int) error {
	_, err := unix.FcntlInt(uintptr(fd), unix.F_FULLFSYNC, 0)
	return err
}
