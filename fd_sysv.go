//go:build solaris || aix

package mmap

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// What the System V descendants (Solaris, illumos and AIX) do otherwise than
// the other Unix systems (fd_unix.go).

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
