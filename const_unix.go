//go:build unix

package mmap

import "golang.org/x/sys/unix"

// The mmap(2), mprotect(2) and madvise(2) constants that every Unix has,
// with the host's values. Each system's others, MAP_ANONYMOUS among them,
// are in its own const_*.go file.
const (
	PROT_READ       = unix.PROT_READ
	PROT_WRITE      = unix.PROT_WRITE
	PROT_EXEC       = unix.PROT_EXEC
	PROT_NONE       = unix.PROT_NONE
	MAP_SHARED      = unix.MAP_SHARED
	MAP_PRIVATE     = unix.MAP_PRIVATE
	MAP_FIXED       = unix.MAP_FIXED
	MAP_FILE        = unix.MAP_FILE
	MAP_ANON        = unix.MAP_ANON
	MADV_NORMAL     = unix.MADV_NORMAL
	MADV_RANDOM     = unix.MADV_RANDOM
	MADV_SEQUENTIAL = unix.MADV_SEQUENTIAL
	MADV_WILLNEED   = unix.MADV_WILLNEED
	MADV_DONTNEED   = unix.MADV_DONTNEED
)
