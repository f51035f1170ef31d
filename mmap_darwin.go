package mmap

import "golang.org/x/sys/unix"

// copies: a map shrinks in place, and grows by mapping anew (growInPlace).
func copies(*config, bool) bool { return false }

// growInPlace: macOS has no mremap.
func growInPlace([]byte, int) bool { return false }

// fullSync asks the drive to write its cache to the medium (F_FULLFSYNC),
// as CPython does when it maps a file and as Flush does after msync: on
// macOS, fsync and msync alone stop at the drive's cache.
func fullSync(fd int) error {
	_, err := unix.FcntlInt(uintptr(fd), unix.F_FULLFSYNC, 0)
	return err
}

// sharedFD returns a removed temporary file of size bytes: macOS has no
// memfd, and its shm_open objects cannot be resized once mapped.
func sharedFD(size int64) (int, error) { return tempSharedFD(size) }

// populateFlag: macOS has no MAP_POPULATE.
const populateFlag = 0

// hugeTLB: macOS has no reserved huge pages.
const hugeTLB = 0

// hugePages: macOS picks superpages itself.
func hugePages(*config, int) {}

func sysAfterMap([]byte, *config) {}

// sysPopulate advises the kernel to read data ahead; the caller then touches
// every page.
func sysPopulate(data []byte) bool {
	unix.Madvise(data, unix.MADV_WILLNEED)
	return false
}
