package mmap

import "golang.org/x/sys/unix"

// The mmap(2), mprotect(2) and madvise(2) constants of DragonFly BSD beyond those
// of every Unix (const_unix.go), with the host's values: the rest of
// Python's list and what <sys/mman.h> defines.
const (
	MAP_COPY         = unix.MAP_COPY
	MAP_ANONYMOUS    = unix.MAP_ANONYMOUS
	MAP_RENAME       = unix.MAP_RENAME
	MAP_NORESERVE    = unix.MAP_NORESERVE
	MAP_NOEXTEND     = unix.MAP_NOEXTEND
	MAP_HASSEMAPHORE = unix.MAP_HASSEMAPHORE
	MAP_INHERIT      = unix.MAP_INHERIT
	MAP_TRYFIXED     = unix.MAP_TRYFIXED
	MAP_STACK        = unix.MAP_STACK
	MAP_NOSYNC       = unix.MAP_NOSYNC
	MAP_NOCORE       = unix.MAP_NOCORE
	MAP_SIZEALIGN    = unix.MAP_SIZEALIGN
	MAP_VPAGETABLE   = unix.MAP_VPAGETABLE
	MADV_FREE        = unix.MADV_FREE
	MADV_NOSYNC      = unix.MADV_NOSYNC
	MADV_AUTOSYNC    = unix.MADV_AUTOSYNC
	MADV_NOCORE      = unix.MADV_NOCORE
	MADV_CORE        = unix.MADV_CORE
	MADV_INVAL       = unix.MADV_INVAL
	MADV_SETMAP      = unix.MADV_SETMAP
)

// What the backend of the systems without mremap (mmap_nomremap.go) needs
// to know of this one.
const (
	superPages = 0 // the flag that Options.HugePages adds, if any
	fullFsync  = 0 // the fcntl that makes a flush durable beyond fsync, if any
)
