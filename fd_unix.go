//go:build unix && !solaris && !aix

package mmap

// Unix systems other than the System V descendants (fd_sysv.go).

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// dupFD duplicates fd, close-on-exec from the start.
func dupFD(fd int) (int, error) { return unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 0) }

// memlockLimit describes RLIMIT_MEMLOCK, for the errors of Lock.
func memlockLimit() string {
	var rl unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_MEMLOCK, &rl); err != nil {
		return "RLIMIT_MEMLOCK unknown"
	}
	if uint64(rl.Cur) == ^uint64(0) {
		return "RLIMIT_MEMLOCK unlimited"
	}
	return fmt.Sprintf("RLIMIT_MEMLOCK is %d bytes", uint64(rl.Cur))
}
