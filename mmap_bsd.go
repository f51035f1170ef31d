//go:build freebsd || openbsd || netbsd || dragonfly

package mmap

import "golang.org/x/sys/unix"

// copies: a map shrinks in place, and grows by mapping anew (growInPlace).
func copies(*config, bool) bool { return false }

// growInPlace: the BSDs have no mremap, or (NetBSD)
// one with other semantics.
func growInPlace([]byte, int) bool { return false }

// fullSync is needed on macOS only.
func fullSync(int) error { return nil }

// sharedFD returns a removed temporary file of size bytes.
func sharedFD(size int64) (int, error) { return tempSharedFD(size) }

// populateFlag: the BSDs have no MAP_POPULATE.
const populateFlag = 0

// hugeTLB: these systems have no reserved huge pages.
const hugeTLB = 0

// hugePages asks for superpage alignment where the system has it (FreeBSD).
func hugePages(c *config, _ int) { c.flags |= superPages }

func sysAfterMap([]byte, *config) {}

// sysPopulate advises the kernel to read data ahead; the caller then touches
// every page.
func sysPopulate(data []byte) bool {
	unix.Madvise(data, unix.MADV_WILLNEED)
	return false
}
