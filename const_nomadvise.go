//go:build !unix

package mmap

// The advice values that Madvise takes where the system has no madvise:
// POSIX's, so that portable code compiles everywhere. On Windows
// MADV_WILLNEED prefetches the range (PrefetchVirtualMemory); the others are
// accepted and do nothing.
const (
	MADV_NORMAL     = 0
	MADV_RANDOM     = 1
	MADV_SEQUENTIAL = 2
	MADV_WILLNEED   = 3
	MADV_DONTNEED   = 4
)
