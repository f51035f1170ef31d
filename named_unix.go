//go:build unix && !aix && !android

package mmap

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/mmapio/mmap/internal/shm"
	"golang.org/x/sys/unix"
)

// createNamed makes the memory of CreateNamed: a new shared memory object
// of size bytes (internal/shm), mapped.
func createNamed(op, name string, size int, cfg config) (*Map, error) {
	fd, err := shm.Create(name, int64(size), uint32(cfg.mode))
	if err != nil {
		return nil, namedError(op, name, err)
	}
	cfg.name = name
	m, err := newMap(op, fd, size, cfg, true)
	if err != nil {
		closeRawFD(fd)
		shm.Unlink(name)
		return nil, err
	}
	return m, nil
}

// openNamed maps the whole of an existing object.
func openNamed(op, name string, cfg config) (*Map, error) {
	mode := unix.O_RDWR
	if cfg.access == AccessRead || cfg.access == AccessCopy {
		mode = unix.O_RDONLY
	}
	fd, err := shm.Open(name, mode)
	if err != nil {
		return nil, namedError(op, name, err)
	}
	if err := checkOwner(fd, false, cfg.anyOwner); err != nil {
		closeRawFD(fd)
		return nil, namedError(op, name, err)
	}
	cfg.name = name
	m, err := newMap(op, fd, 0, cfg, true)
	if err != nil {
		closeRawFD(fd)
		return nil, err
	}
	return m, nil
}

// removeNamed removes name if the caller's user owns its object.
func removeNamed(name string) error {
	fd, err := shm.Open(name, unix.O_RDONLY)
	if err != nil {
		return err
	}
	err = checkOwner(fd, true, false)
	unix.Close(fd)
	if err != nil {
		return err
	}
	return shm.Unlink(name)
}

// checkOwner refuses the object of fd, a named memory's, to open (or, with
// remove, to remove) unless this process's effective user owns it and, for
// opening, no other user may write it; anyOwner accepts any object to open.
// (Names live in a directory or namespace where any user can make any name
// first.)
func checkOwner(fd int, remove, anyOwner bool) error {
	if anyOwner {
		return nil
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return err
	}
	me := unix.Geteuid()
	switch {
	case int(st.Uid) != me:
		return &ownerError{fmt.Sprintf("owned by uid %d, not by this process's user (uid %d)", st.Uid, me), remove}
	case !remove && st.Mode&0o022 != 0:
		return &ownerError{fmt.Sprintf("writable by other users (mode %#o)", st.Mode&0o777), false}
	}
	return nil
}

// removeOwnName removes name if it still names the memory behind mem's
// descriptor: not if it was removed, or removed and made anew, since. Where
// the system gives its objects no identity (macOS: no inode numbers), it
// removes the name.
func removeOwnName(mem *memory, name string) error {
	fd, err := shm.Open(name, unix.O_RDONLY)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var now, ours unix.Stat_t
	err = unix.Fstat(fd, &now)
	unix.Close(fd)
	if err == nil {
		err = unix.Fstat(mem.fd, &ours)
	}
	if err != nil || now.Dev != ours.Dev || now.Ino != ours.Ino {
		return err
	}
	if err := shm.Unlink(name); !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}
