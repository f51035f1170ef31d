package mmap

import "golang.org/x/sys/unix"

// The mmap(2), mprotect(2) and madvise(2) constants of AIX beyond those
// of every Unix (const_unix.go), with the host's values.
const (
	MAP_TYPE        = unix.MAP_TYPE
	MAP_ANONYMOUS   = unix.MAP_ANONYMOUS
	MAP_VARIABLE    = unix.MAP_VARIABLE
	MADV_SPACEAVAIL = unix.MADV_SPACEAVAIL
)

// What the backend of the systems without mremap (mmap_nomremap.go) needs
// to know of this one.
const (
	superPages = 0 // the flag that Options.HugePages adds, if any
	fullFsync  = 0 // the fcntl that makes a flush durable beyond fsync, if any
)
