//go:build unix && !linux

package mmap

import (
	"errors"

	"golang.org/x/sys/unix"
)

// The hooks of the Unix backend on the systems without mremap, memfd,
// MAP_POPULATE or reserved huge pages: macOS, the BSDs, Solaris, illumos
// and AIX. What differs among them is in their const_*.go files
// (superPages, fullFsync).

// copies: a map shrinks in place, and grows by mapping anew (growInPlace).
func copies(*config, bool) bool { return false }

// growInPlace: these systems have no mremap, or (NetBSD) one with other
// semantics.
func growInPlace([]byte, int) error { return errors.ErrUnsupported }

// fullSync asks the drive to write its cache to the medium where the system
// needs a call for it (macOS: F_FULLFSYNC, as CPython does when it maps a
// file and as Flush does after msync); elsewhere fsync and msync suffice.
func fullSync(fd int) error {
	if fullFsync == 0 {
		return nil
	}
	_, err := unix.FcntlInt(uintptr(fd), fullFsync, 0)
	return err
}

// sharedFD returns a removed temporary file of size bytes: these systems
// have no memfd, and macOS's shm_open objects cannot be resized once mapped.
func sharedFD(size int64) (int, error) { return tempSharedFD(size) }

// No MAP_POPULATE, no reserved huge pages through mmap flags.
const (
	populateFlag = 0
	hugeTLB      = 0
)

// hugePages asks for superpage alignment where the system has it
// (FreeBSD's MAP_ALIGNED_SUPER); macOS picks superpages itself.
func hugePages(c *config, _ int) { c.flags |= superPages }

func sysAfterMap([]byte, *config) {}

// sysPopulate advises the kernel to read data ahead; the caller then touches
// every page.
func sysPopulate(data []byte) bool {
	unix.Madvise(data, unix.MADV_WILLNEED)
	return false
}

// sysAdvise is madvise(2) of b. An empty range is not passed on: x/sys/unix
// would give the system another address for it.
func sysAdvise(b []byte, advice int) error {
	if len(b) == 0 {
		return nil
	}
	return unix.Madvise(b, advice)
}
