package mmap

import "golang.org/x/sys/unix"

// allocate gives the file behind fd disk blocks for n bytes from off, so
// that writing them through the map never faults for want of space
// (F_PREALLOCATE of the whole range, at the end of the file that ftruncate
// made). A file system that cannot (ENOTSUP) keeps the range sparse.
func allocate(fd int, off, n int64) error {
	st := unix.Fstore_t{Flags: unix.F_ALLOCATEALL, Posmode: unix.F_PEOFPOSMODE, Length: n}
	err := unix.FcntlFstore(uintptr(fd), unix.F_PREALLOCATE, &st)
	if err == unix.ENOTSUP || err == unix.EOPNOTSUPP {
		return nil
	}
	return err
}
