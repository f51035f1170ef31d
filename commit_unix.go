//go:build unix

package mmap

import "golang.org/x/sys/unix"

// sysWriteRun writes b to fd at off, all of it.
func sysWriteRun(fd int, b []byte, off int64) error {
	for len(b) > 0 {
		n, err := unix.Pwrite(fd, b, off)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return err
		}
		b, off = b[n:], off+int64(n)
	}
	return nil
}

// sysSyncData waits until the file's data is on the disk: fdatasync where
// the system has it, fsync elsewhere, and on macOS F_FULLFSYNC after it,
// as Flush does.
func sysSyncData(fd int) error {
	if err := syncData(fd); err != nil {
		return err
	}
	return fullSync(fd)
}

// isBadFD reports the error of a write through a descriptor opened
// read-only.
func isBadFD(err error) bool { return err == unix.EBADF }
