package mmap

import "golang.org/x/sys/unix"

// The mmap(2), mprotect(2) and madvise(2) constants of Solaris and illumos beyond those
// of every Unix (const_unix.go), with the host's values.
const (
	MAP_TYPE            = unix.MAP_TYPE
	MAP_ANONYMOUS       = unix.MAP_ANONYMOUS
	MAP_RENAME          = unix.MAP_RENAME
	MAP_NORESERVE       = unix.MAP_NORESERVE
	MAP_ALIGN           = unix.MAP_ALIGN
	MAP_TEXT            = unix.MAP_TEXT
	MAP_INITDATA        = unix.MAP_INITDATA
	MAP_32BIT           = unix.MAP_32BIT
	MADV_FREE           = unix.MADV_FREE
	MADV_ACCESS_DEFAULT = unix.MADV_ACCESS_DEFAULT
	MADV_ACCESS_LWP     = unix.MADV_ACCESS_LWP
	MADV_ACCESS_MANY    = unix.MADV_ACCESS_MANY
	MADV_PURGE          = unix.MADV_PURGE
)

// What the backend of the systems without mremap (mmap_nomremap.go) needs
// to know of this one.
const (
	superPages = 0 // the flag that Options.HugePages adds, if any
	fullFsync  = 0 // the fcntl that makes a flush durable beyond fsync, if any
)
