package mmap

import "golang.org/x/sys/unix"

// The mmap(2), mprotect(2) and madvise(2) constants of OpenBSD beyond those
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
	MAP_CONCEAL      = unix.MAP_CONCEAL
	MADV_FREE        = unix.MADV_FREE
	MADV_SPACEAVAIL  = unix.MADV_SPACEAVAIL
)

// What the backend of the systems without mremap (mmap_nomremap.go) needs
// to know of this one.
const (
	superPages = 0 // the flag that Options.HugePages adds, if any
	fullFsync  = 0 // the fcntl that makes a flush durable beyond fsync, if any
)
