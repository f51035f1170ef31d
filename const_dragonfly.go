package mmap

import "golang.org/x/sys/unix"

// The mmap(2), mprotect(2) and madvise(2) constants of DragonFly BSD, with the
// host's values: Python's list and the rest that <sys/mman.h> defines.
const (
	PROT_READ        = unix.PROT_READ
	PROT_WRITE       = unix.PROT_WRITE
	PROT_EXEC        = unix.PROT_EXEC
	PROT_NONE        = unix.PROT_NONE
	MAP_SHARED       = unix.MAP_SHARED
	MAP_PRIVATE      = unix.MAP_PRIVATE
	MAP_COPY         = unix.MAP_COPY
	MAP_FILE         = unix.MAP_FILE
	MAP_ANON         = unix.MAP_ANON
	MAP_ANONYMOUS    = unix.MAP_ANONYMOUS
	MAP_FIXED        = unix.MAP_FIXED
	MAP_RENAME       = unix.MAP_RENAME
	MAP_NORESERVE    = unix.MAP_NORESERVE
	MAP_NOEXTEND     = unix.MAP_NOEXTEND
	MAP_HASSEMAPHORE = unix.MAP_HASSEMAPHORE
	MAP_INHERIT      = unix.MAP_INHERIT
	MAP_TRYFIXED     = unix.MAP_TRYFIXED
	MAP_STACK        = unix.MAP_STACK
	MAP_NOSYNC       = unix.MAP_NOSYNC
	MAP_NOCORE       = unix.MAP_NOCORE
	MAP_SIZEALIGN    = unix.MAP_SIZEALIGN
	MAP_VPAGETABLE   = unix.MAP_VPAGETABLE
	MADV_NORMAL      = unix.MADV_NORMAL
	MADV_RANDOM      = unix.MADV_RANDOM
	MADV_SEQUENTIAL  = unix.MADV_SEQUENTIAL
	MADV_WILLNEED    = unix.MADV_WILLNEED
	MADV_DONTNEED    = unix.MADV_DONTNEED
	MADV_FREE        = unix.MADV_FREE
	MADV_NOSYNC      = unix.MADV_NOSYNC
	MADV_AUTOSYNC    = unix.MADV_AUTOSYNC
	MADV_NOCORE      = unix.MADV_NOCORE
	MADV_CORE        = unix.MADV_CORE
	MADV_INVAL       = unix.MADV_INVAL
	MADV_SETMAP      = unix.MADV_SETMAP
)
