package shm

import (
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The shm_open and shm_unlink system calls of XNU, the same numbers since
// Mac OS X 10.0. golang.org/x/sys deprecates its names for them in favour
// of libSystem's wrappers, which need cgo or trampolines to reach.
const (
	sysShmOpen   = 266
	sysShmUnlink = 267
)

// shmOpenSys is the shm_open system call, which the C library's shm_open
// wraps. It takes no O_CLOEXEC: the descriptor is marked close-on-exec
// under syscall.ForkLock, as package os does where open cannot.
func shmOpenSys(path string, flags int, perm uint32) (int, error) {
	p, err := unix.BytePtrFromString(path)
	if err != nil {
		return -1, err
	}
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	fd, _, e := syscall.Syscall(sysShmOpen, uintptr(unsafe.Pointer(p)), uintptr(flags), uintptr(perm))
	if e != 0 {
		return -1, e
	}
	unix.CloseOnExec(int(fd))
	return int(fd), nil
}

func shmUnlinkSys(path string) error {
	p, err := unix.BytePtrFromString(path)
	if err != nil {
		return err
	}
	if _, _, e := syscall.Syscall(sysShmUnlink, uintptr(unsafe.Pointer(p)), 0, 0); e != 0 {
		return e
	}
	return nil
}
