//go:build (linux && !android) || dragonfly || netbsd || openbsd || solaris

package mmap

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"

	"golang.org/x/sys/unix"
)

// On these systems POSIX shared memory is a file in a tmpfs, which the C
// library's shm_open names; the objects here are the same files, so that a
// C program's shm_open("/name") finds them.

// shmPath returns the file of name, as the system's C library names it.
func shmPath(name string) string {
	switch runtime.GOOS {
	case "openbsd":
		sum := sha256.Sum256([]byte("/" + name))
		return "/tmp/" + hex.EncodeToString(sum[:]) + ".shm"
	case "netbsd":
		return "/var/shm/.shmobj_" + name
	case "dragonfly":
		if fi, err := os.Stat("/var/run/shm"); err == nil && fi.IsDir() {
			return "/var/run/shm/" + name
		}
		return "/tmp/" + name
	case "solaris", "illumos":
		return "/tmp/.SHMD" + name
	}
	return "/dev/shm/" + name // Linux
}

// shmCreate makes the file of name, size bytes long, and returns its
// descriptor. The file is made and sized under a temporary name and then
// linked to its own, so that no other process ever opens it before it has
// its size; link fails with EEXIST when the name is taken.
func shmCreate(name string, size int64, perm uint32) (int, error) {
	path := shmPath(name)
	tmp := filepath.Join(filepath.Dir(path), fmt.Sprintf(".mmap-new-%d-%016x", os.Getpid(), rand.Uint64()))
	fd, err := unix.Open(tmp, unix.O_RDWR|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, perm)
	if err != nil {
		return noFD, err
	}
	defer unix.Unlink(tmp)
	if err = unix.Ftruncate(fd, size); err == nil {
		err = unix.Link(tmp, path)
	}
	if err != nil {
		unix.Close(fd)
		return noFD, err
	}
	return fd, nil
}

// shmOpen opens the file of name, O_RDONLY or O_RDWR.
func shmOpen(name string, mode int) (int, error) {
	return unix.Open(shmPath(name), mode|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
}

// shmUnlink removes the file of name.
func shmUnlink(name string) error { return unix.Unlink(shmPath(name)) }
