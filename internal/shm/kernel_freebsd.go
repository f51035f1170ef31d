package shm

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// sysShmOpen2 is shm_open2(2), FreeBSD 13's shm_open; golang.org/x/sys
// does not list it yet. Before it, shm_open was SYS_SHM_OPEN.
const sysShmOpen2 = 571

// shmOpenSys is shm_open(3) as FreeBSD's C library makes it: shm_open2
// with O_CLOEXEC.
func shmOpenSys(path string, flags int, perm uint32) (int, error) {
	p, err := unix.BytePtrFromString(path)
	if err != nil {
		return -1, err
	}
	flags |= unix.O_CLOEXEC
	fd, _, e := unix.Syscall6(sysShmOpen2, uintptr(unsafe.Pointer(p)), uintptr(flags), uintptr(perm), 0, 0, 0)
	if e == unix.ENOSYS {
		fd, _, e = unix.Syscall(unix.SYS_SHM_OPEN, uintptr(unsafe.Pointer(p)), uintptr(flags), uintptr(perm))
	}
	if e != 0 {
		return -1, e
	}
	return int(fd), nil
}

func shmUnlinkSys(path string) error {
	p, err := unix.BytePtrFromString(path)
	if err != nil {
		return err
	}
	if _, _, e := unix.Syscall(unix.SYS_SHM_UNLINK, uintptr(unsafe.Pointer(p)), 0, 0); e != 0 {
		return e
	}
	return nil
}
