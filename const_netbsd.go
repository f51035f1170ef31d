package mmap

import "golang.org/x/sys/unix"

// The mmap(2), mprotect(2) and madvise(2) constants of NetBSD, with the host's
// values: Python's list and the rest that <sys/mman.h> defines.
const (
	PROT_READ           = unix.PROT_READ
	PROT_WRITE          = unix.PROT_WRITE
	PROT_EXEC           = unix.PROT_EXEC
	PROT_NONE           = unix.PROT_NONE
	MAP_SHARED          = unix.MAP_SHARED
	MAP_PRIVATE         = unix.MAP_PRIVATE
	MAP_FILE            = unix.MAP_FILE
	MAP_ANON            = unix.MAP_ANON
	MAP_FIXED           = unix.MAP_FIXED
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
	MADV_NORMAL         = unix.MADV_NORMAL
	MADV_RANDOM         = unix.MADV_RANDOM
	MADV_SEQUENTIAL     = unix.MADV_SEQUENTIAL
	MADV_WILLNEED       = unix.MADV_WILLNEED
	MADV_DONTNEED       = unix.MADV_DONTNEED
	MADV_FREE           = unix.MADV_FREE
	MADV_SPACEAVAIL     = unix.MADV_SPACEAVAIL
)
