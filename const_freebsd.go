package mmap

import "golang.org/x/sys/unix"

// The mmap(2), mprotect(2) and madvise(2) constants of FreeBSD beyond those
// of every Unix (const_unix.go), with the host's values: the rest of
// Python's list and what <sys/mman.h> defines.
const (
	MAP_COPY            = unix.MAP_COPY
	MAP_ANONYMOUS       = unix.MAP_ANONYMOUS
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
	MADV_FREE           = unix.MADV_FREE
	MADV_NOSYNC         = unix.MADV_NOSYNC
	MADV_AUTOSYNC       = unix.MADV_AUTOSYNC
	MADV_NOCORE         = unix.MADV_NOCORE
	MADV_CORE           = unix.MADV_CORE
	MADV_PROTECT        = unix.MADV_PROTECT
)

// What the backend of the systems without mremap (mmap_nomremap.go) needs
// to know of this one.
const (
	superPages = unix.MAP_ALIGNED_SUPER // the flag that Options.HugePages adds, if any
	fullFsync  = 0                      // the fcntl that makes a flush durable beyond fsync, if any
)
