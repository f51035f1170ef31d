package mmap

import "golang.org/x/sys/unix"

// The mmap(2), mprotect(2) and madvise(2) constants of FreeBSD, with the host's
// values: Python's list and the rest that <sys/mman.h> defines.
const (
	PROT_READ           = unix.PROT_READ
	PROT_WRITE          = unix.PROT_WRITE
	PROT_EXEC           = unix.PROT_EXEC
	PROT_NONE           = unix.PROT_NONE
	MAP_SHARED          = unix.MAP_SHARED
	MAP_PRIVATE         = unix.MAP_PRIVATE
	MAP_COPY            = unix.MAP_COPY
	MAP_FILE            = unix.MAP_FILE
	MAP_ANON            = unix.MAP_ANON
	MAP_ANONYMOUS       = unix.MAP_ANONYMOUS
	MAP_FIXED           = unix.MAP_FIXED
	MAP_EXCL            = unix.MAP_EXCL
	MAP_GUARD           = unix.MAP_GUARD
	MAP_STACK           = unix.MAP_STACK
	MAP_HASSEMAPHORE    = unix.MAP_HASSEMAPHORE
	MAP_NOCORE          = unix.MAP_NOCORE
	MAP_NOSYNC          = unix.MAP_NOSYNC
	MAP_PREFAULT_READ   = unix.MAP_PREFAULT_READ
	MAP_ALIGNED_SUPER   = unix.MAP_ALIGNED_SUPER
	MAP_ALIGNMENT_SHIFT = unix.MAP_ALIGNMENT_SHIFT
	MAP_ALIGNMENT_MASK  = unix.MAP_ALIGNMENT_MASK
	MADV_NORMAL         = unix.MADV_NORMAL
	MADV_RANDOM         = unix.MADV_RANDOM
	MADV_SEQUENTIAL     = unix.MADV_SEQUENTIAL
	MADV_WILLNEED       = unix.MADV_WILLNEED
	MADV_DONTNEED       = unix.MADV_DONTNEED
	MADV_FREE           = unix.MADV_FREE
	MADV_NOSYNC         = unix.MADV_NOSYNC
	MADV_AUTOSYNC       = unix.MADV_AUTOSYNC
	MADV_NOCORE         = unix.MADV_NOCORE
	MADV_CORE           = unix.MADV_CORE
	MADV_PROTECT        = unix.MADV_PROTECT
)
