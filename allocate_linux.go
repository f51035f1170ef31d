package mmap

import "golang.org/x/sys/unix"

// allocate gives the file behind fd disk blocks for n bytes from off, so
// that writing them through the map never faults for want of space
// (fallocate(2), which keeps the file's size here). A file system without
// fallocate (EOPNOTSUPP) keeps the range sparse, as ftruncate made it.
func allocate(fd int, off, n int64) error {
	for {
		err := unix.Fallocate(fd, unix.FALLOC_FL_KEEP_SIZE, off, n)
		switch err {
		case unix.EINTR:
			continue
		case unix.EOPNOTSUPP, unix.ENOSYS:
			return nil
		}
		return err
	}
}
