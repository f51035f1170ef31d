package mmap

import "golang.org/x/sys/unix"

// The mmap(2), mprotect(2) and madvise(2) constants of NetBSD beyond those
// of every Unix (const_unix.go), with the host's values: the rest of
// Python's list and what <sys/mman.h> defines.
const (
	MAP_RENAME          = unix.MAP_RENAME
	MAP_NORESERVE       = unix.MAP_NORESERVE
	MAP_HASSEMAPHORE    = unix.MAP_HASSEMAPHORE
	MAP_INHERIT         = unix.MAP_INHERIT
	MAP_TRYFIXED        = unix.MAP_TRYFIXED
	MAP_WIRED           = unix.MAP_WIRED
	MAP_STACK           = unix.MAP_STACK
	MAP_ALIGNMENT_SHIFT = unix.MAP_ALIGNMENT_SHIFT
	MAP_ALIGNMENT_MASK  = unix.MAP_ALIGNMENT_MASK
	MAP_ALIGNMENT_64KB  = unix.MAP_ALIGNMENT_64KB
	MAP_ALIGNMENT_16MB  = unix.MAP_ALIGNMENT_16MB
	MAP_ALIGNMENT_4GB   = unix.MAP_ALIGNMENT_4GB
	MAP_ALIGNMENT_1TB   = unix.MAP_ALIGNMENT_1TB
	MAP_ALIGNMENT_256TB = unix.MAP_ALIGNMENT_256TB
	MAP_ALIGNMENT_64PB  = unix.MAP_ALIGNMENT_64PB
	MAP_ANONYMOUS       = unix.MAP_ANON // the same flag under its Linux name
	MADV_FREE           = unix.MADV_FREE
	MADV_SPACEAVAIL     = unix.MADV_SPACEAVAIL
)

// What the backend of the systems without mremap (mmap_nomremap.go) needs
// to know of this one.
const (
	superPages = 0 // the flag that Options.HugePages adds, if any
	fullFsync  = 0 // the fcntl that makes a flush durable beyond fsync, if any
)
