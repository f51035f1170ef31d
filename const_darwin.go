package mmap

import "golang.org/x/sys/unix"

// The mmap(2), mprotect(2) and madvise(2) constants of macOS and iOS, with the
// host's values: Python's list and the rest that <sys/mman.h> defines.
const (
	PROT_READ                    = unix.PROT_READ
	PROT_WRITE                   = unix.PROT_WRITE
	PROT_EXEC                    = unix.PROT_EXEC
	PROT_NONE                    = unix.PROT_NONE
	MAP_SHARED                   = unix.MAP_SHARED
	MAP_PRIVATE                  = unix.MAP_PRIVATE
	MAP_COPY                     = unix.MAP_COPY
	MAP_FILE                     = unix.MAP_FILE
	MAP_ANON                     = unix.MAP_ANON
	MAP_ANONYMOUS                = unix.MAP_ANONYMOUS
	MAP_FIXED                    = unix.MAP_FIXED
	MAP_RENAME                   = unix.MAP_RENAME
	MAP_NORESERVE                = unix.MAP_NORESERVE
	MAP_NOEXTEND                 = unix.MAP_NOEXTEND
	MAP_HASSEMAPHORE             = unix.MAP_HASSEMAPHORE
	MAP_NOCACHE                  = unix.MAP_NOCACHE
	MAP_JIT                      = unix.MAP_JIT
	MAP_32BIT                    = unix.MAP_32BIT
	MAP_RESILIENT_CODESIGN       = unix.MAP_RESILIENT_CODESIGN
	MAP_RESILIENT_MEDIA          = unix.MAP_RESILIENT_MEDIA
	MAP_TRANSLATED_ALLOW_EXECUTE = unix.MAP_TRANSLATED_ALLOW_EXECUTE
	MAP_UNIX03                   = unix.MAP_UNIX03
	MAP_TPRO                     = 0x80000 // <sys/mman.h>; not in x/sys/unix
	MADV_NORMAL                  = unix.MADV_NORMAL
	MADV_RANDOM                  = unix.MADV_RANDOM
	MADV_SEQUENTIAL              = unix.MADV_SEQUENTIAL
	MADV_WILLNEED                = unix.MADV_WILLNEED
	MADV_DONTNEED                = unix.MADV_DONTNEED
	MADV_FREE                    = unix.MADV_FREE
	MADV_ZERO_WIRED_PAGES        = unix.MADV_ZERO_WIRED_PAGES
	MADV_FREE_REUSABLE           = unix.MADV_FREE_REUSABLE
	MADV_FREE_REUSE              = unix.MADV_FREE_REUSE
	MADV_CAN_REUSE               = unix.MADV_CAN_REUSE
	MADV_PAGEOUT                 = unix.MADV_PAGEOUT
)
