package mmap

import "golang.org/x/sys/unix"

// The mmap(2), mprotect(2) and madvise(2) constants of Solaris and illumos,
// with the host's values.
const (
	PROT_READ           = unix.PROT_READ
	PROT_WRITE          = unix.PROT_WRITE
	PROT_EXEC           = unix.PROT_EXEC
	PROT_NONE           = unix.PROT_NONE
	MAP_SHARED          = unix.MAP_SHARED
	MAP_PRIVATE         = unix.MAP_PRIVATE
	MAP_TYPE            = unix.MAP_TYPE
	MAP_FILE            = unix.MAP_FILE
	MAP_ANON            = unix.MAP_ANON
	MAP_ANONYMOUS       = unix.MAP_ANONYMOUS
	MAP_FIXED           = unix.MAP_FIXED
	MAP_RENAME          = unix.MAP_RENAME
	MAP_NORESERVE       = unix.MAP_NORESERVE
	MAP_ALIGN           = unix.MAP_ALIGN
	MAP_TEXT            = unix.MAP_TEXT
	MAP_INITDATA        = unix.MAP_INITDATA
	MAP_32BIT           = unix.MAP_32BIT
	MADV_NORMAL         = unix.MADV_NORMAL
	MADV_RANDOM         = unix.MADV_RANDOM
	MADV_SEQUENTIAL     = unix.MADV_SEQUENTIAL
	MADV_WILLNEED       = unix.MADV_WILLNEED
	MADV_DONTNEED       = unix.MADV_DONTNEED
	MADV_FREE           = unix.MADV_FREE
	MADV_ACCESS_DEFAULT = unix.MADV_ACCESS_DEFAULT
	MADV_ACCESS_LWP     = unix.MADV_ACCESS_LWP
	MADV_ACCESS_MANY    = unix.MADV_ACCESS_MANY
	MADV_PURGE          = unix.MADV_PURGE
)
