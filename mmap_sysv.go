//go:build solaris || aix

package mmap

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// The System V descendants: Solaris, illumos and AIX.

// copies: a map shrinks in place, and grows by mapping anew (growInPlace).
func copies(*config, bool) bool { return false }

// growInPlace: these systems have no mremap.
func growInPlace([]byte, int) bool { return false }

// fullSync is needed on macOS only.
func fullSync(int) error { return nil }

// sharedFD returns a removed temporary file of size bytes.
func sharedFD(size int64) (int, error) { return tempSharedFD(size) }

// No MAP_POPULATE, no reserved huge pages through mmap flags.
const (
	populateFlag = 0
	hugeTLB      = 0
)

func hugePages(*config, int) {}

func sysAfterMap([]byte, *config) {}

// sysPopulate advises the kernel to read data ahead; the caller then touches
// every page.
func sysPopulate(data []byte) bool {
	unix.Madvise(data, unix.MADV_WILLNEED)
	return false
}

// dupFD duplicates fd and marks it close-on-exec, under syscall.ForkLock so
// that no child started meanwhile inherits it: AIX has no F_DUPFD_CLOEXEC.
func dupFD(fd int) (int, error) {
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	dup, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD, 0)
	if err != nil {
		return -1, err
	}
	unix.CloseOnExec(dup)
	return dup, nil
}

// memlockLimit: these systems limit locking by privilege, not by rlimit.
func memlockLimit() string { return "locking memory needs the privilege to" }
