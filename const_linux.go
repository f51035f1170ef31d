package mmap

import "golang.org/x/sys/unix"

// The mmap(2), mprotect(2) and madvise(2) constants of Linux beyond those
// of every Unix (const_unix.go), with the host's values: the rest of
// Python's list and what the kernel defines.
const (
	PROT_GROWSDOWN       = unix.PROT_GROWSDOWN
	PROT_GROWSUP         = unix.PROT_GROWSUP
	MAP_SHARED_VALIDATE  = unix.MAP_SHARED_VALIDATE
	MAP_TYPE             = unix.MAP_TYPE
	MAP_ANONYMOUS        = unix.MAP_ANONYMOUS
	MAP_FIXED_NOREPLACE  = unix.MAP_FIXED_NOREPLACE
	MAP_DENYWRITE        = unix.MAP_DENYWRITE
	MAP_EXECUTABLE       = unix.MAP_EXECUTABLE
	MAP_GROWSDOWN        = unix.MAP_GROWSDOWN
	MAP_LOCKED           = unix.MAP_LOCKED
	MAP_NONBLOCK         = unix.MAP_NONBLOCK
	MAP_NORESERVE        = unix.MAP_NORESERVE
	MAP_POPULATE         = unix.MAP_POPULATE
	MAP_STACK            = unix.MAP_STACK
	MAP_DROPPABLE        = unix.MAP_DROPPABLE
	MAP_HUGETLB          = unix.MAP_HUGETLB
	MAP_HUGE_SHIFT       = unix.MAP_HUGE_SHIFT
	MAP_HUGE_MASK        = unix.MAP_HUGE_MASK
	MAP_HUGE_16KB        = unix.MAP_HUGE_16KB
	MAP_HUGE_64KB        = unix.MAP_HUGE_64KB
	MAP_HUGE_512KB       = unix.MAP_HUGE_512KB
	MAP_HUGE_1MB         = unix.MAP_HUGE_1MB
	MAP_HUGE_2MB         = unix.MAP_HUGE_2MB
	MAP_HUGE_8MB         = unix.MAP_HUGE_8MB
	MAP_HUGE_16MB        = unix.MAP_HUGE_16MB
	MAP_HUGE_32MB        = unix.MAP_HUGE_32MB
	MAP_HUGE_256MB       = unix.MAP_HUGE_256MB
	MAP_HUGE_512MB       = unix.MAP_HUGE_512MB
	MAP_HUGE_1GB         = unix.MAP_HUGE_1GB
	MAP_HUGE_2GB         = unix.MAP_HUGE_2GB
	MAP_HUGE_16GB        = unix.MAP_HUGE_16GB
	MADV_FREE            = unix.MADV_FREE
	MADV_REMOVE          = unix.MADV_REMOVE
	MADV_DONTFORK        = unix.MADV_DONTFORK
	MADV_DOFORK          = unix.MADV_DOFORK
	MADV_MERGEABLE       = unix.MADV_MERGEABLE
	MADV_UNMERGEABLE     = unix.MADV_UNMERGEABLE
	MADV_HUGEPAGE        = unix.MADV_HUGEPAGE
	MADV_NOHUGEPAGE      = unix.MADV_NOHUGEPAGE
	MADV_DONTDUMP        = unix.MADV_DONTDUMP
	MADV_DODUMP          = unix.MADV_DODUMP
	MADV_WIPEONFORK      = unix.MADV_WIPEONFORK
	MADV_KEEPONFORK      = unix.MADV_KEEPONFORK
	MADV_COLD            = unix.MADV_COLD
	MADV_PAGEOUT         = unix.MADV_PAGEOUT
	MADV_POPULATE_READ   = unix.MADV_POPULATE_READ
	MADV_POPULATE_WRITE  = unix.MADV_POPULATE_WRITE
	MADV_DONTNEED_LOCKED = unix.MADV_DONTNEED_LOCKED
	MADV_COLLAPSE        = unix.MADV_COLLAPSE
	MADV_HWPOISON        = unix.MADV_HWPOISON
	MADV_SOFT_OFFLINE    = 101 // <asm-generic/mman-common.h>; not in x/sys/unix
)
