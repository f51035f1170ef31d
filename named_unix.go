//go:build unix && !aix && !android

package mmap

import (
	"errors"
	"io/fs"

	"golang.org/x/sys/unix"
)

// createNamed makes the memory of CreateNamed: a new shared memory object
// of size bytes (named_path.go, named_shm.go), mapped.
func createNamed(op, name string, size int, cfg config) (*Map, error) {
	fd, err := shmCreate(name, int64(size), uint32(cfg.mode))
	if err != nil {
		return nil, namedError(op, name, err)
	}
	cfg.name = name
	m, err := newMap(op, fd, size, cfg, true)
	if err != nil {
		closeRawFD(fd)
		shmUnlink(name)
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
	fd, err := shmOpen(name, mode)
	if err != nil {
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

func removeNamed(name string) error { return shmUnlink(name) }

// removeOwnName removes name if it still names the memory behind mem's
// descriptor: not if it was removed, or removed and made anew, since. Where
// the system gives its objects no identity (macOS: no inode numbers), it
// removes the name.
func removeOwnName(mem *memory, name string) error {
	fd, err := shmOpen(name, unix.O_RDONLY)
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
	if err := shmUnlink(name); !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}
