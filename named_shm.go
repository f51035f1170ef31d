//go:build freebsd || darwin

package mmap

import (
	"golang.org/x/sys/unix"
)

// On FreeBSD and macOS POSIX shared memory is the kernel's: shm_open and
// shm_unlink are system calls (named_freebsd.go, named_darwin.go), made
// here without the C library. Their names start with '/'.

// shmCreate makes the object of name, size bytes long, and returns its
// descriptor. Another process that opens it before ftruncate sees 0 bytes.
func shmCreate(name string, size int64, perm uint32) (int, error) {
	fd, err := shmOpenSys("/"+name, unix.O_RDWR|unix.O_CREAT|unix.O_EXCL, perm)
	if err != nil {
		return noFD, err
	}
	if err := unix.Ftruncate(fd, size); err != nil {
		unix.Close(fd)
		shmUnlink(name)
		return noFD, err
	}
	return fd, nil
}

// shmOpen opens the object of name, O_RDONLY or O_RDWR.
func shmOpen(name string, mode int) (int, error) {
	return shmOpenSys("/"+name, mode, 0)
}

// shmUnlink removes the object of name.
func shmUnlink(name string) error { return shmUnlinkSys("/" + name) }
