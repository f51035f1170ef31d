//go:build !unix

package mmap

// The advice values that Madvise takes where the system has no madvise:
// POSIX's, so that portable code compiles everywhere. On Windows
// MADV_WILLNEED prefetches the range (PrefetchVirtualMemory), MADV_DONTNEED
// takes it out of the working set, MADV_NORMAL is what Windows does anyway,
// and MADV_RANDOM and MADV_SEQUENTIAL are errors.ErrUnsupported.
const (
	MADV_NORMAL     = 0
	MADV_RANDOM     = 1
	MADV_SEQUENTIAL = 2
	MADV_WILLNEED   = 3
	MADV_DONTNEED   = 4
)
