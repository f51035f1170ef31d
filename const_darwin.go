package mmap

import "golang.org/x/sys/unix"

// The mmap(2), mprotect(2) and madvise(2) constants of macOS and iOS beyond those
// of every Unix (const_unix.go), with the host's values: the rest of
// Python's list and what <sys/mman.h> defines.
const (
	MAP_COPY                     = unix.MAP_COPY
	MAP_ANONYMOUS                = unix.MAP_ANONYMOUS
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
	MADV_FREE                    = unix.MADV_FREE
	MADV_ZERO_WIRED_PAGES        = unix.MADV_ZERO_WIRED_PAGES
	MADV_FREE_REUSABLE           = unix.MADV_FREE_REUSABLE
	MADV_FREE_REUSE              = unix.MADV_FREE_REUSE
	MADV_CAN_REUSE               = unix.MADV_CAN_REUSE
	MADV_PAGEOUT                 = unix.MADV_PAGEOUT
)

// What the backend of the systems without mremap (mmap_nomremap.go) needs
// to know of this one.
const (
	superPages = 0                // the flag that Options.HugePages adds, if any
	fullFsync  = unix.F_FULLFSYNC // the fcntl that makes a flush durable beyond fsync, if any
)
