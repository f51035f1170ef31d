//go:build freebsd && (amd64 || arm64 || riscv64)

package mmap

import "golang.org/x/sys/unix"

// allocate gives the file behind fd disk blocks for n bytes from off with
// posix_fallocate(2), which FreeBSD's kernel answers with the error as its
// result rather than in errno. File systems that cannot allocate ahead
// (ZFS, whose copy-on-write makes it meaningless: EINVAL; others:
// EOPNOTSUPP, ENODEV) keep the range sparse, as ftruncate made it.
func allocate(fd int, off, n int64) error {
	for {
		r, _, e := unix.Syscall(unix.SYS_POSIX_FALLOCATE, uintptr(fd), uintptr(off), uintptr(n))
		err := unix.Errno(r)
		if e != 0 {
			err = e
		}
		switch err {
		case 0, unix.EINVAL, unix.EOPNOTSUPP, unix.ENODEV:
			return nil
		case unix.EINTR:
			continue
		}
		return err
	}
}
