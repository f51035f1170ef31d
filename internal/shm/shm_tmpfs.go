//go:build (linux && !android) || dragonfly || netbsd || openbsd || solaris

package shm

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// On these systems POSIX shared memory is a file in a tmpfs, which the C
// library's shm_open names; the objects here are the same files, so that a
// C program's shm_open("/name") finds them.

// Create makes the file of name, size bytes long, and returns its
// descriptor. The file is made and sized under a temporary name and then
// linked to its own, so that no other process ever opens it before it has
// its size; link fails with EEXIST when the name is taken.
func Create(name string, size int64, perm uint32) (int, error) {
	path := fileOf(name)
	tmp := filepath.Join(filepath.Dir(path), fmt.Sprintf(".mmap-new-%d-%016x", os.Getpid(), rand.Uint64()))
	fd, err := unix.Open(tmp, unix.O_RDWR|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, perm)
	if err != nil {
		return -1, err
	}
	defer unix.Unlink(tmp)
	if err = unix.Ftruncate(fd, size); err == nil {
		err = unix.Link(tmp, path)
	}
	if err != nil {
		unix.Close(fd)
		return -1, err
	}
	return fd, nil
}

// Open opens the file of name, O_RDONLY or O_RDWR.
func Open(name string, mode int) (int, error) {
	return unix.Open(fileOf(name), mode|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
}

// Unlink removes the file of name.
func Unlink(name string) error { return unix.Unlink(fileOf(name)) }
