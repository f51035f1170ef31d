//go:build freebsd || darwin

package shm

import (
	"golang.org/x/sys/unix"
)

// On FreeBSD and macOS POSIX shared memory is the kernel's: shm_open and
// shm_unlink are system calls (kernel_freebsd.go, kernel_darwin.go), made
// here without the C library. Their names start with '/'.

// Create makes the object of name, size bytes long, and returns its
// descriptor. Another process that opens it before ftruncate sees 0 bytes.
func Create(name string, size int64, perm uint32) (int, error) {
	fd, err := shmOpenSys("/"+name, unix.O_RDWR|unix.O_CREAT|unix.O_EXCL, perm)
	if err != nil {
		return -1, err
	}
	if err := unix.Ftruncate(fd, size); err != nil {
		unix.Close(fd)
		Unlink(name)
		return -1, err
	}
	return fd, nil
}

// Open opens the object of name, O_RDONLY or O_RDWR.
func Open(name string, mode int) (int, error) {
	return shmOpenSys("/"+name, mode, 0)
}

// Unlink removes the object of name.
func Unlink(name string) error { return shmUnlinkSys("/" + name) }
